/**
 * PPO hyperparameters: one zod schema, one comment per field, defaults as in CleanRL's
 * `ppo_continuous_action.py` except where noted. `parsePpoConfig({})` gives the defaults; unknown
 * keys and bad values are rejected with the field, the value and what is allowed.
 */
import { z } from 'zod';

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
     * For the execution envs' market mode, 1 starts the policy around TWAP (1× the TWAP slice).
     */
    initActionBias: z.number().min(-1e6).max(1e6).default(0),
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
