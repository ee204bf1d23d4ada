/**
 * SAC hyperparameters: one zod schema, a comment per field, defaults documented beside each;
 * below it, the tuned presets per env (`train` starts from them; overrides apply on top).
 *
 * Defaults follow CleanRL's `sac_continuous_action.py` (Haarnoja et al. 2018, "Soft Actor-Critic
 * Algorithms and Applications") except where the 2-core CPU budget asks for smaller networks and
 * batches (hidden [64, 64] instead of [256, 256], batch 128 instead of 256); both are one flag away.
 */
import { z } from 'zod';
import { presetFor } from '../common/presets.ts';

export class SacConfigError extends Error {
  override name = 'SacConfigError';
}

const positiveInt = z.number().int().positive();
const prob = z.number().min(0).max(1);

export const SacConfigSchema = z
  .object({
    /** Copies of the env stepped in lockstep (each transition goes into the buffer). Default 1. */
    numEnvs: positiveInt.default(1),
    /** Replay buffer capacity in transitions (oldest overwritten first). Default 100,000. */
    bufferSize: positiveInt.default(100_000),
    /** Discount factor γ of the soft Bellman target. Default 0.99. */
    gamma: prob.default(0.99),
    /** Polyak coefficient τ: target ← τ·online + (1 − τ)·target. Default 0.005. */
    tau: prob.default(0.005),
    /** Transitions per gradient step. Default 128 (CleanRL 256). */
    batchSize: positiveInt.default(128),
    /** Env steps of uniformly random actions before learning starts. Default 5,000. */
    learningStarts: z.number().int().min(0).default(5_000),
    /** Adam learning rate of the policy. Default 3e-4. */
    policyLr: z.number().positive().default(3e-4),
    /** Adam learning rate of the twin Q networks. Default 1e-3. */
    qLr: z.number().positive().default(1e-3),
    /**
     * Update-to-data ratio: critic gradient steps per env step collected (summed over envs).
     * Fractional values update every 1/ratio steps (0.25: one update per 4 steps). Default 1.
     */
    updateToDataRatio: z.number().positive().max(64).default(1),
    /**
     * Delayed policy updates (TD3 style, as CleanRL): every `policyFrequency`-th critic step runs
     * `policyFrequency` actor (and α) steps, so actor and critic take the same number. Default 2.
     */
    policyFrequency: positiveInt.default(2),
    /** Polyak-average the targets every this many critic steps. Default 1. */
    targetNetworkFrequency: positiveInt.default(1),
    /** Entropy coefficient α when `autotune` is off; its initial value when on. Default 0.2 (CleanRL starts α at 1 when tuned). */
    alpha: z.number().positive().default(0.2),
    /** Tune α by gradient descent on −log α·(log π + target entropy). Default true. */
    autotune: z.boolean().default(true),
    /** Target entropy in nats; null means −dim(A) (the paper's heuristic). Default null. */
    targetEntropy: z.number().nullable().default(null),
    /** Adam learning rate of log α. Default: equal to qLr when null. */
    alphaLr: z.number().positive().nullable().default(null),
    /** Hidden widths of the actor and of each Q network. Default [64, 64] (CleanRL [256, 256]). */
    hiddenSizes: z.array(positiveInt).min(1).default([64, 64]),
    /** Bounds of the policy's log-std (tanh-rescaled into [min, max], as CleanRL). Default [-5, 2]. */
    logStdMin: z.number().default(-5),
    logStdMax: z.number().default(2),
    /**
     * Env action that the untrained policy's mean maps to, one per action dimension (sets the
     * actor's mean bias to atanh((a − center)/halfRange), clamped inside the bounds). A prior for
     * tasks with a known sensible default (e.g. [1], the TWAP slice, on Liquidate-v0). Default null: the middle of the bounds.
     */
    initAction: z.array(z.number()).min(1).nullable().default(null),
    /** Actions before `learningStarts`: 'uniform' over the bounds (CleanRL) or sampled from the initial 'policy'. Default 'uniform'. */
    warmup: z.enum(['uniform', 'policy']).default('uniform'),
    /** Normalize observations with running mean/std (statistics saved with the model; frozen at evaluation). Default false. */
    normObs: z.boolean().default(false),
    /** Clip normalized observations to ±obsClip. Default 10. */
    obsClip: z.number().positive().default(10),
    /** Multiply rewards by this before storing them (the env's own rewards are logged unscaled). Default 1. */
    rewardScale: z.number().positive().default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (!(c.logStdMin < c.logStdMax)) {
      ctx.addIssue({ code: 'custom', path: ['logStdMin'], message: `logStdMin (${c.logStdMin}) must be < logStdMax (${c.logStdMax})` });
    }
    if (c.batchSize > c.bufferSize) {
      ctx.addIssue({ code: 'custom', path: ['batchSize'], message: `batchSize (${c.batchSize}) must be <= bufferSize (${c.bufferSize})` });
    }
  });

export type SacConfig = z.output<typeof SacConfigSchema>;
export type SacConfigInput = z.input<typeof SacConfigSchema>;

/** Parses (and fills defaults into) a SAC config; an error names each bad field, its value and what is allowed. */
export function parseSacConfig(input: unknown): SacConfig {
  const r = SacConfigSchema.safeParse(input ?? {});
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path.join('.') || '(root)';
    let value: unknown = input;
    for (const p of i.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[p as PropertyKey] : undefined;
    return `${path}: ${i.message} (got ${JSON.stringify(value)})`;
  });
  throw new SacConfigError(`invalid SAC config:\n  ${lines.join('\n  ')}`);
}

/** The target entropy the config resolves to for an action space of `actionDim` dimensions. */
export function resolvedTargetEntropy(config: SacConfig, actionDim: number): number {
  return config.targetEntropy ?? -actionDim;
}

/**
 * Tuned SAC hyperparameters per env id (the one place for them, as PPO_PRESETS is for PPO; keys:
 * agents/common/presets.ts), as RL Baselines3 Zoo keeps them: `train` starts from the preset of
 * its env, then applies the caller's overrides; the resolved config is what config.yaml records.
 *
 * - Liquidate-AC-v0 (5 decisions, rewards of −20 to −150 bps a step): undiscounted (γ = 1, the
 *   objective is the episode's sum), rewards scaled by 0.01 so the critics' targets are O(1),
 *   learning after 1,000 random steps, and the policy started at the TWAP slice (a = 1) rather than
 *   the middle of [0, N] (which happens to sit near the AC optimum) so that the check measures learning.
 * - Liquidate-v0 (60 decisions, rewards of a fraction of a bp a step): the policy starts at the
 *   TWAP slice and keeps exploring from it (warm-up from the policy, not uniform on [0, 10], which
 *   would sell 5 slices a step on average), and one gradient step per 4 env steps so that a
 *   10-minute budget on 2 cores sees ~10⁵ env steps.
 * - Liquidate-v0 with limit-order residual actions (actionMode 'limit', actionBase 'passive-twap':
 *   [change to passive TWAP's size, offset from the own-side touch], docs/ablation-limit-ppo.md):
 *   Liquidate-v0's settings, the policy started at passive TWAP ([0, 0], the middle of the box;
 *   the hybrid mode's "no market order" sits on its box's lower edge, which a tanh-squashed policy
 *   cannot start at), and undiscounted (γ = 1): with γ = 0.99 the deadline sweep 60 decisions
 *   ahead counts at 0.55 and the agent learned to leave shares to it (+3.9 bps against passive
 *   TWAP on 1,000 validation seeds, one training seed of 150k steps; γ = 1: −1.65).
 */
export const SAC_PRESETS: Readonly<Record<string, SacConfigInput>> = {
  'Liquidate-AC-v0': { gamma: 1, rewardScale: 0.01, learningStarts: 1000, initAction: [1] },
  'Liquidate-v0': { gamma: 0.99, learningStarts: 2000, updateToDataRatio: 0.25, initAction: [1], warmup: 'policy' },
  'Liquidate-v0:limit:passive-twap': { gamma: 1, learningStarts: 2000, updateToDataRatio: 0.25, initAction: [0, 0], warmup: 'policy' },
};

/** The preset for `envId` with `envOptions` ({} when there is none: the schema's defaults). */
export function sacPreset(envId: string, envOptions: Readonly<Record<string, unknown>> = {}): SacConfigInput {
  return presetFor(SAC_PRESETS, envId, envOptions);
}
