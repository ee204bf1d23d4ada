/**
 * The learning agents the benchmark trains on Liquidate-v0 (the same market and seeds as the
 * baselines): each is an algorithm, the env options it trains with (training-only options such as
 * `rewardBaseline` are dropped when its policy is evaluated), and its budget of env steps. The
 * hyperparameters are the algorithm's tuned preset for that env and action mode
 * (agents/ppo/config.ts, agents/sac/config.ts).
 */
import type { Budget } from './budgets.ts';

export interface BenchmarkAgent {
  /** Name in the report. */
  name: string;
  algo: 'ppo' | 'sac';
  /** Options of Liquidate-v0 for training, on top of the benchmark's env options. */
  envOptions: Record<string, unknown>;
  /** Env steps from the budget. */
  steps(b: Budget): number;
  /** One line for the report: what the agent does. */
  description: string;
}

export const AGENTS: readonly BenchmarkAgent[] = [
  { name: 'ppo', algo: 'ppo', envOptions: {}, steps: (b) => b.ppoSteps, description: 'PPO, market orders (a multiple of the TWAP slice each decision)' },
  { name: 'sac', algo: 'sac', envOptions: {}, steps: (b) => b.sacSteps, description: 'SAC, market orders' },
  {
    name: 'ppo-limit',
    algo: 'ppo',
    // Residual discrete actions on passive TWAP (docs/ablation-limit-ppo.md: the absolute hybrid
    // design of the first milestone lost to passive TWAP by 1.9 bps over 3 training seeds, 0.2
    // without its extended features and relative reward).
    envOptions: { actionMode: 'discrete', actionBase: 'passive-twap', rewardBaseline: 'passive-twap' },
    steps: (b) => b.limitSteps,
    description: "PPO placing limit orders as departures from passive TWAP (each decision: post passive TWAP's size at the touch, one tick better without crossing, one tick behind, or take it with a market order; trained on the reward relative to passive TWAP)",
  },
  {
    name: 'sac-limit',
    algo: 'sac',
    // Continuous residual limit orders on passive TWAP (docs/ablation-limit-ppo.md, "SAC"):
    // [change to passive TWAP's size, offset from the own-side touch in ticks]; an offset through
    // the opposite best is a marketable limit order.
    envOptions: { actionMode: 'limit', actionBase: 'passive-twap', rewardBaseline: 'passive-twap' },
    steps: (b) => b.sacLimitSteps,
    description: "SAC placing limit orders as continuous departures from passive TWAP (each decision: a change to passive TWAP's size and the order's offset from the own-side touch, through the spread when it pays; trained on the reward relative to passive TWAP; full budget only)",
  },
];
