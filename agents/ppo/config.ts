/**
 * PPO hyperparameters: one zod schema, one comment per field, defaults as in CleanRL's
 * `ppo_continuous_action.py` except where noted. `parsePpoConfig({})` gives the defaults; unknown
 * keys and bad values are rejected with the field, the value and what is allowed. Below the
 * schema, the tuned presets per env (`train` starts from them; overrides apply on top).
 */
import { z } from 'zod';
import { presetFor } from '../common/presets.ts';

export const PpoConfigSchema = z
  .object({
    /** Parallel envs in the vector env (CleanRL: 1; 8 keeps the batch diverse and the net calls batched). */
    numEnvs: z.number().int().min(1).max(1024).default(8),
    /** Steps per env per rollout; the batch is numEnvs × numSteps (CleanRL: 2048 × 1 env; here 256 × 8 = 2048). */
    numSteps: z.number().int().min(1).default(256),
    /** Adam learning rate (annealed linearly to 0 over the run when annealLr). */
    learningRate: z.number().positive().max(1).default(3e-4),
    /** Anneal the learning rate linearly to 0 over the run. */
    annealLr: z.boolean().default(true),
    /** Adam ε (CleanRL: 1e-5). */
    adamEpsilon: z.number().positive().default(1e-5),
    /** Discount factor γ. */
    gamma: z.number().min(0).max(1).default(0.99),
    /** GAE λ. */
    gaeLambda: z.number().min(0).max(1).default(0.95),
    /** Minibatches per epoch (minibatch size = batch / numMinibatches). */
    numMinibatches: z.number().int().min(1).default(32),
    /** Passes over the batch per update. */
    updateEpochs: z.number().int().min(1).default(10),
    /** Normalize advantages per minibatch (mean 0, sd 1). */
    normAdv: z.boolean().default(true),
    /** Surrogate clipping ε: the ratio is clipped to [1 − ε, 1 + ε]. */
    clipCoef: z.number().positive().default(0.2),
    /** Clip the value loss around the old values with the same ε (PPO2 style). */
    clipVloss: z.boolean().default(true),
    /** Entropy bonus coefficient. */
    entCoef: z.number().min(0).default(0),
    /** Value loss coefficient. */
    vfCoef: z.number().min(0).default(0.5),
    /** Global gradient-norm clipping threshold. */
    maxGradNorm: z.number().positive().default(0.5),
    /** Stop the epochs early when the approximate KL of a minibatch exceeds this (null: never). */
    targetKl: z.number().positive().nullable().default(null),
    /** Hidden layer widths of the actor and of the critic (separate networks). */
    hiddenSizes: z.array(z.number().int().min(1).max(4096)).min(1).default([64, 64]),
    /** Hidden activation. */
    activation: z.enum(['tanh', 'relu']).default('tanh'),
    /**
     * Initial bias of the actor's output layer (Box: the initial mean of the raw action, so in
     * 'clip' mode the initial mean action; Discrete: added to every logit, no effect). CleanRL: 0.
     * For the execution envs' market mode, 1 starts the policy around TWAP (1× the TWAP slice). A
     * list gives one value per action dimension (e.g. hybrid mode [1, 0, 0]: passive TWAP).
     */
    initActionBias: z.union([z.number().min(-1e6).max(1e6), z.array(z.number().min(-1e6).max(1e6)).min(1)]).default(0),
    /** Initial log standard deviation of the Gaussian policy (state-independent, learned). */
    initLogStd: z.number().min(-10).max(2).default(0),
    /** Box actions: 'clip' sends clip(u) (CleanRL), 'tanh' squashes u into the bounds (log-prob corrected). */
    actionMode: z.enum(['clip', 'tanh']).default('clip'),
    /** Normalize observations with running statistics (saved with the model). */
    normObs: z.boolean().default(true),
    /** Clip normalized observations to ±obsClip. */
    obsClip: z.number().positive().default(10),
    /** Scale rewards by the running sd of the discounted return (NormalizeReward). */
    normReward: z.boolean().default(true),
    /** Clip scaled rewards to ±rewardClip. */
    rewardClip: z.number().positive().default(10),
  })
  .strict();

export type PpoConfig = z.infer<typeof PpoConfigSchema>;
export type PpoConfigInput = z.input<typeof PpoConfigSchema>;

export class PpoConfigError extends Error {
  override name = 'PpoConfigError';
}

/** Validates overrides and fills defaults. @throws PpoConfigError naming each bad field and value. */
export function parsePpoConfig(input: unknown = {}): PpoConfig {
  const r = PpoConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const msgs = r.error.issues.map((i) => {
      const path = i.path.join('.');
      let value: unknown = input;
      for (const k of i.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k as PropertyKey];
      return `${path || '(config)'}: ${i.message}${path ? ` (got ${JSON.stringify(value)})` : ''}`;
    });
    throw new PpoConfigError(`invalid PPO config: ${msgs.join('; ')}`);
  }
  return r.data;
}

/**
 * Tuned PPO hyperparameters per env id (the one place for them, as SAC_PRESETS is for SAC; keys:
 * agents/common/presets.ts). `train` starts from the preset of its env, then applies the caller's
 * overrides; the resolved config is what the run's config.yaml records.
 *
 * Common to all: larger minibatches than CleanRL's 32, since a gradient step costs about the same
 * for 64 or 512 rows on TensorFlow.js (op overhead dominates at these sizes), and gamma 1, since
 * the objective is the undiscounted sum of rewards (−IS in bps).
 *
 * - Liquidate-AC-v0 (5 decisions): CleanRL's learning rate, annealed.
 * - Liquidate-v0 (60 decisions of 10 s; market orders, a multiple of the TWAP slice in [0, 10]).
 *   Measured: 600k steps (≈ 6.5 min on the shared 2-core machine, wasm, --workers 2) beat market
 *   TWAP by 0.28 bps on 1,000 held-out seeds (paired t p = 2.6e-6). initActionBias 1 and
 *   initLogStd −1.2 start around TWAP (mean action 1, sd 0.3) instead of mean 0, which would leave
 *   most of the order to the deadline sweep. learningRate 1e-3 without annealing: the timing edge
 *   (≈ 1 bps) is small against the per-episode IS noise (≈ 15 bps); with 3e-4–5e-4 (annealed) the
 *   policy stayed at TWAP within noise.
 * - Liquidate-v0 with actionMode 'discrete' (wait, passive slice, market slice, market 2× slice),
 *   so the agent can post passively like passive TWAP: the same, plus CleanRL's discrete entropy
 *   bonus (0.01); the Box-only initial action settings do not apply.
 * - Liquidate-v0 with actionMode 'discrete' and actionBase 'passive-twap' (join, improve one tick
 *   without crossing, one tick behind, take: what to do with passive TWAP's size) and the reward
 *   relative to passive TWAP: learningRate 3e-4 beat 1e-3 on 1,000 validation seeds (1e9 + 10,000…,
 *   not the benchmark's held-out ones): −0.46 against −0.30 bps vs passive TWAP, one training seed
 *   of 300k steps each. The rate annealed linearly to 0 (annealLr) lifted the two training seeds
 *   of five that had learned least (seeds 3 and 5: −0.24 → −0.41, −0.28 → −0.39 on the same
 *   validation seeds): the last updates settle the policy instead of moving it at full step.
 */
export const PPO_PRESETS: Readonly<Record<string, PpoConfigInput>> = {
  'Liquidate-AC-v0': { numEnvs: 8, numSteps: 128, numMinibatches: 4, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 3e-4 },
  'Liquidate-v0': { numEnvs: 8, numSteps: 256, numMinibatches: 8, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 1e-3, annealLr: false, initActionBias: 1, initLogStd: -1.2 },
  'Liquidate-v0:hybrid': { numEnvs: 8, numSteps: 256, numMinibatches: 8, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 3e-4, annealLr: false, initActionBias: [1, 0, -0.5], initLogStd: -1.2 },
  'Liquidate-v0:hybrid:passive-twap': { numEnvs: 8, numSteps: 256, numMinibatches: 8, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 3e-4, annealLr: false, initActionBias: [0, 0, -0.5], initLogStd: -1.2 },
  'Liquidate-v0:discrete:passive-twap': { numEnvs: 8, numSteps: 256, numMinibatches: 8, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 3e-4, annealLr: true, entCoef: 0.01 },
  'Liquidate-v0:discrete': { numEnvs: 8, numSteps: 256, numMinibatches: 8, updateEpochs: 10, gamma: 1, gaeLambda: 0.95, learningRate: 1e-3, annealLr: false, entCoef: 0.01 },
};

/** The preset for `envId` with `envOptions` ({} when there is none: the schema's defaults). */
export function ppoPreset(envId: string, envOptions: Readonly<Record<string, unknown>> = {}): PpoConfigInput {
  return presetFor(PPO_PRESETS, envId, envOptions);
}
