/**
 * Tuned SAC hyperparameters per env id (as RL Baselines3 Zoo keeps them): `train` starts from the
 * preset of its env id, then applies the caller's overrides; the resolved config is what
 * config.yaml records. An env without a preset trains with the schema defaults.
 *
 * - Liquidate-AC-v0 (5 decisions, rewards of −20 to −150 bps a step): undiscounted (γ = 1, the
 *   objective is the episode's sum), rewards scaled by 0.01 so the critics' targets are O(1),
 *   learning after 1,000 random steps, and the policy started at the TWAP slice (a = 1) rather than
 *   the middle of [0, N] (which happens to sit near the AC optimum) so that the check measures learning.
 * - Liquidate-v0 (60 decisions, rewards of a fraction of a bp a step): the policy starts at the
 *   TWAP slice and keeps exploring from it (warm-up from the policy, not uniform on [0, 10], which
 *   would sell 5 slices a step on average), and one gradient step per 4 env steps so that a
 *   10-minute budget on 2 cores sees ~10⁵ env steps.
 */
import type { SacConfigInput } from './config.ts';

export const SAC_PRESETS: Readonly<Record<string, SacConfigInput>> = {
  'Liquidate-AC-v0': { gamma: 1, rewardScale: 0.01, learningStarts: 1000, initAction: [1] },
  'Liquidate-v0': { gamma: 0.99, learningStarts: 2000, updateToDataRatio: 0.25, initAction: [1], warmup: 'policy' },
};

/** The preset of `envId` ({} when there is none). */
export function sacPreset(envId: string): SacConfigInput {
  return SAC_PRESETS[envId] ?? {};
}
