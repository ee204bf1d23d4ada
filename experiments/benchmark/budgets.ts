/**
 * Benchmark budgets. Step counts, not wall-clock limits, so the same seed gives the same numbers
 * on any machine; the sizes were chosen from the training speeds measured on the 2-core
 * development machine (BENCHMARKS.md) so that `standard` finishes within 15 minutes there.
 */
import { z } from 'zod';

export const BudgetSchema = z
  .object({
    /** Training seeds per learning agent (statistics across seeds need >= 5; 1 says so in the report). */
    seeds: z.number().int().min(1).max(20).describe('training seeds per learning agent'),
    /** PPO environment steps on Liquidate-v0. */
    ppoSteps: z.number().int().min(0).describe('PPO environment steps on Liquidate-v0'),
    /** SAC environment steps on Liquidate-v0. */
    sacSteps: z.number().int().min(0).describe('SAC environment steps on Liquidate-v0'),
    /** Steps of the limit-order agent (benchmark/agents.ts) on Liquidate-v0. */
    limitSteps: z.number().int().min(0).describe('limit-order agent environment steps on Liquidate-v0'),
    /** Steps of the limit-order SAC (benchmark/agents.ts) on Liquidate-v0 (0: not trained). */
    sacLimitSteps: z.number().int().min(0).describe('limit-order SAC environment steps on Liquidate-v0 (0: not trained)'),
    /** PPO / SAC steps on Liquidate-AC-v0 (the closed-form check). */
    acPpoSteps: z.number().int().min(0).describe('PPO environment steps on Liquidate-AC-v0'),
    acSacSteps: z.number().int().min(0).describe('SAC environment steps on Liquidate-AC-v0'),
    /** Held-out evaluation episodes per policy on Liquidate-v0. */
    episodes: z.number().int().min(2).describe('evaluation episodes per policy on Liquidate-v0 (held-out seeds)'),
    /** Evaluation episodes per policy on Liquidate-AC-v0. */
    acEpisodes: z.number().int().min(2).describe('evaluation episodes per policy on Liquidate-AC-v0'),
    /** Evaluation episodes per policy on each held-out preset (0: none). */
    heldOutEpisodes: z.number().int().min(0).describe('episodes per policy on each held-out preset'),
    /** Episodes per policy and order latency in the latency section (0: none). */
    latencyEpisodes: z.number().int().min(0).describe('episodes per policy and order latency (0, 100 µs, 1 ms, 10 ms, 100 ms)'),
    /** Presets the agents were not trained on, evaluated without retraining. */
    heldOutPresets: z.array(z.string().min(1)).describe('held-out market presets'),
    /** Parallel envs in PPO's rollouts. */
    numEnvs: z.number().int().min(1).describe('parallel envs in PPO training'),
    /** Parallel envs feeding SAC's replay buffer. */
    sacNumEnvs: z.number().int().min(1).describe('parallel envs in SAC training'),
    /** Worker threads for evaluation (0 = in this thread). */
    workers: z.number().int().min(0).describe('worker threads for evaluation'),
  })
  .strict();

export type Budget = z.infer<typeof BudgetSchema>;

const HELD_OUT = ['goog-2012-06-21', 'thin-volatile', 'calm', 'large-tick'];

export const BUDGETS: Readonly<Record<'quick' | 'standard' | 'full', Budget>> = {
  quick: { seeds: 1, ppoSteps: 16_000, sacSteps: 4_000, limitSteps: 8_000, sacLimitSteps: 0, acPpoSteps: 4_000, acSacSteps: 2_000, episodes: 200, acEpisodes: 200, heldOutEpisodes: 50, latencyEpisodes: 20, heldOutPresets: HELD_OUT, numEnvs: 8, sacNumEnvs: 4, workers: 2 },
  standard: { seeds: 1, ppoSteps: 400_000, sacSteps: 60_000, limitSteps: 300_000, sacLimitSteps: 0, acPpoSteps: 30_000, acSacSteps: 8_000, episodes: 1_000, acEpisodes: 1_000, heldOutEpisodes: 300, latencyEpisodes: 100, heldOutPresets: HELD_OUT, numEnvs: 8, sacNumEnvs: 4, workers: 2 },
  full: { seeds: 5, ppoSteps: 1_200_000, sacSteps: 150_000, limitSteps: 300_000, sacLimitSteps: 150_000, acPpoSteps: 100_000, acSacSteps: 30_000, episodes: 1_000, acEpisodes: 2_000, heldOutEpisodes: 1_000, latencyEpisodes: 1_000, heldOutPresets: HELD_OUT, numEnvs: 8, sacNumEnvs: 4, workers: 2 },
};

export type BudgetName = keyof typeof BUDGETS;

export function resolveBudget(name: string, overrides: Partial<Budget> = {}): Budget {
  if (!Object.hasOwn(BUDGETS, name)) {
    const near = Object.keys(BUDGETS).find((k) => k.startsWith(String(name).slice(0, 1)));
    throw new Error(`--budget must be one of ${Object.keys(BUDGETS).join(', ')}, got ${JSON.stringify(name)}${near === undefined ? '' : ` (did you mean ${near}?)`}`);
  }
  const r = BudgetSchema.safeParse({ ...BUDGETS[name as BudgetName], ...overrides });
  if (!r.success) {
    const i = r.error.issues[0];
    throw new Error(`budget override ${i.path.join('.')}: ${i.message}`);
  }
  return r.data;
}
