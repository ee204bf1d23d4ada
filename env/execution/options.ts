/**
 * Options of the execution task (zod; every field optional) and of its simulated-market env.
 * `TaskOptionsSchema` is the task's own (shared by every market: simulated, replayed); each env
 * extends it with what picks its market. Errors name the field, the value and what is allowed
 * (EnvError).
 */
import { z } from 'zod';
import { EnvError } from '../core.ts';
import { parseOptions } from '../options.ts';

const finite = (what: string) => z.number({ error: `${what} must be a number` }).refine(Number.isFinite, { error: `${what} must be finite` });
const range = z
  .tuple([finite('lo'), finite('hi')])
  .refine((r) => r[0] > 0 && r[0] <= r[1], { error: 'must be [lo, hi] with 0 < lo <= hi' });

export const QuantitySchema = z.union([
  z.number().int({ error: 'quantity must be a positive integer number of shares' }).min(1, { error: 'quantity must be >= 1 share' }).max(1e12),
  z.strictObject({ uniform: range }),
  z.strictObject({ loguniform: range }),
]);

export const TaskOptionsSchema = z.strictObject({
  /** 'sell' (liquidate) or 'buy' (acquire). */
  side: z.enum(['sell', 'buy']).default('sell'),
  /**
   * Parent order size, shares: a number, or {uniform: [lo, hi]} / {loguniform: [lo, hi]} drawn
   * per episode (rounded, >= 1). Absent: a share of the market's expected volume over the
   * horizon, drawn uniformly in `volumeShare`.
   */
  quantity: QuantitySchema.optional(),
  /** Range of the default quantity as a share of the expected horizon volume. */
  volumeShare: range.refine((r) => r[1] <= 10, { error: 'volumeShare must be within (0, 10]' }).default([0.02, 0.25]),
  /** Execution horizon T, seconds. */
  horizonSeconds: finite('horizonSeconds').refine((x) => x > 0, { error: 'horizonSeconds must be > 0' }).default(600),
  /** Time between decisions Δt, seconds; T / Δt must be an integer (the decision count, <= 100000). */
  decisionSeconds: finite('decisionSeconds').refine((x) => x > 0, { error: 'decisionSeconds must be > 0' }).default(10),
  /** Session time of the first decision, seconds, or 'random' (uniform over the session, whole seconds). */
  startSeconds: z.union([finite('startSeconds').refine((x) => x >= 0, { error: 'startSeconds must be >= 0' }), z.literal('random')]).default('random'),
  /**
   * Action mode: 'market' (Box multiple of the TWAP slice), 'limit' (Box [size multiple, offset
   * ticks]), 'hybrid' (Box [limit size multiple, offset ticks, market size multiple]: a re-pegged
   * limit order and a market order in one decision), 'discrete' (menu).
   */
  actionMode: z.enum(['market', 'limit', 'hybrid', 'discrete']).default('market'),
  /**
   * Residual actions in limit and hybrid modes ('none' or 'passive-twap'): with 'passive-twap' the
   * limit order's size and offset are added to what passive TWAP would post at this decision (the
   * shares behind the linear schedule by the next decision, at the own-side touch), so the zero
   * action IS passive TWAP; the size coordinate then lies in [−aMax, aMax] (the sum is floored at
   * 0). Hybrid mode's market-order coordinate is unchanged (passive TWAP sends none). A learner
   * starts at the practitioner's schedule and learns only where to depart from it (residual policy
   * learning: Silver et al. 2018, Johannink et al. 2019). In discrete mode it swaps the action set
   * for RESIDUAL_DISCRETE_ACTIONS (task.ts): passive TWAP's size posted at the touch, one tick
   * better without crossing, one tick behind, or sent as a market order. Refused in market mode.
   */
  actionBase: z.enum(['none', 'passive-twap']).default('none'),
  /** Largest size multiple of the TWAP slice in market and limit modes. */
  aMax: finite('aMax').refine((x) => x > 0 && x <= 1e6, { error: 'aMax must be in (0, 1e6]' }).default(10),
  /** Largest |price offset| in ticks in limit mode. */
  maxOffsetTicks: z.number().int({ error: 'maxOffsetTicks must be an integer' }).min(1).max(10000).default(10),
  /** Risk aversion λ (1/bps): per-step penalty λ·(x_k/Q)²·(Δmid_k in bps)², x_k the inventory after step k. */
  riskAversion: finite('riskAversion').refine((x) => x >= 0, { error: 'riskAversion must be >= 0' }).default(0),
  /** Fee on passive fills, bps of notional (negative = rebate). */
  makerFeeBps: finite('makerFeeBps').refine((x) => Math.abs(x) <= 1000, { error: 'makerFeeBps must be in [-1000, 1000]' }).default(0),
  /** Fee on aggressive fills, bps of notional. */
  takerFeeBps: finite('takerFeeBps').refine((x) => Math.abs(x) <= 1000, { error: 'takerFeeBps must be in [-1000, 1000]' }).default(0),
  /** Shares the deadline sweep cannot fill (empty book side) count as executed this far beyond the arrival price, bps. */
  unfilledPenaltyBps: finite('unfilledPenaltyBps').refine((x) => x >= 0 && x <= 10000, { error: 'unfilledPenaltyBps must be in [0, 10000]' }).default(500),
  /** Window of the volatility feature, seconds (of 1-second mid samples). */
  volatilityWindowSeconds: z.number().int().min(2).max(3600).default(60),
  /**
   * Observation: 'standard' (the 11 features of README.md) or 'extended' (those and 4 about the
   * agent's own order and schedule: scheduleGap, orderAge, orderOffset, fillRate).
   */
  features: z.enum(['standard', 'extended']).default('standard'),
  /**
   * Reward relative to a baseline (for training; evaluate with 'none'): the same episode is also
   * run, in a twin market with the same seed, by a built-in 'twap' (market orders) or
   * 'passive-twap' (limit orders at the touch) schedule, and each reward is the agent's minus the
   * baseline's. The rewards then sum to −(IS − the baseline's IS): the same optimal policy, with
   * far less noise (the market's moves cancel in the difference). Σ rewards = −IS holds only with
   * 'none' (the default).
   */
  rewardBaseline: z.enum(['none', 'twap', 'passive-twap']).default('none'),
  /**
   * Latency between the agent and the exchange (configs/latency.ts): a preset name ('none',
   * 'colocated', 'retail') or a latency config object; absent = no latency.
   */
  latency: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).optional(),
});

/** The simulated-market env's options (Liquidate-v0, Acquire-v0, Liquidate-Limit-v0): the task's and the market's. */
export const ExecutionOptionsSchema = TaskOptionsSchema.extend({
  /** Market preset name (default, large-tick, thin-volatile, calm, goog-2012-06-21), a YAML/JSON path, or a spec object. */
  market: z.union([z.string().min(1), z.record(z.string(), z.unknown())]).default('default'),
  /** Domain randomization: draw the market's distributions anew each episode (else once, from seed 0). */
  randomize: z.boolean().default(true),
});

export type TaskOptions = z.output<typeof TaskOptionsSchema>;
export type ExecutionOptionsInput = z.input<typeof ExecutionOptionsSchema>;
export type ExecutionOptions = z.output<typeof ExecutionOptionsSchema>;

/** Parses the simulated env's options. @throws EnvError naming the field and value. */
export function parseExecutionOptions(input: unknown, id: string): ExecutionOptions & { decisionCount: number } {
  return parseTaskOptions(ExecutionOptionsSchema, input, id);
}

/**
 * Parses options with a schema that extends `TaskOptionsSchema` and checks the cross-field rules
 * (T / Δt an integer decision count). @throws EnvError naming the field and value.
 */
export function parseTaskOptions<S extends z.ZodType<TaskOptions>>(schema: S, input: unknown, id: string): z.output<S> & { decisionCount: number } {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) throw new EnvError(`${id} options must be an object, got ${String(input)}`);
  const o = parseOptions(schema, input, id);
  const ratio = o.horizonSeconds / o.decisionSeconds;
  const count = Math.round(ratio);
  if (Math.abs(ratio - count) > 1e-9 * ratio || count < 1 || count > 100000) {
    throw new EnvError(`invalid ${id} options: horizonSeconds / decisionSeconds must be an integer in [1, 100000], got ${o.horizonSeconds} / ${o.decisionSeconds} = ${ratio}`);
  }
  if (o.actionBase !== 'none' && o.actionMode === 'market') {
    throw new EnvError(`invalid ${id} options: actionBase '${o.actionBase}' needs actionMode 'limit', 'hybrid' or 'discrete', got actionMode '${o.actionMode}'`);
  }
  return { ...o, decisionCount: count };
}
