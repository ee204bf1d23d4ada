/**
 * The vector-env contract (Gymnasium's VectorEnv, next-step autoreset mode).
 *
 * `numEnvs` copies of one env step in lockstep. Observations, rewards and flags are written into
 * batch buffers allocated once (rows of a flat Float64Array, obsDim per env) and returned by
 * reference: copy them before the next call if you keep them.
 *
 * Autoreset (Gymnasium's `AutoresetMode.NEXT_STEP`): when env i ends (terminated or truncated) on
 * step t, step t+1 ignores action i, resets env i and returns its first observation with
 * reward 0, terminated = truncated = false, and `info.autoreset[i] = true`. The final observation
 * of the ended episode is the one step t returned.
 */
export type AutoresetMode = 'next-step';

export interface VectorStepResult {
  /** numEnvs × obsDim, row-major. */
  observations: Float64Array;
  rewards: Float64Array;
  /** 1 where the env's task ended on this step. */
  terminated: Uint8Array;
  /** 1 where the env was cut off from outside (e.g. TimeLimit) on this step. */
  truncated: Uint8Array;
  /**
   * Per-env infos of this step (`autoreset` true for envs that were reset on this step).
   * WorkerVectorEnv returns by default only the infos of steps that end an episode (`{}` elsewhere;
   * see its `infos` option): full infos every step cost a structured clone per env per step.
   */
  infos: Record<string, unknown>[];
}

export interface VectorEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  /** Flat length of one action (1 for Discrete). */
  readonly actionDim: number;
  readonly autoresetMode: AutoresetMode;
  /** Single-env spaces (JSON descriptions), as in Gymnasium's `single_observation_space`. */
  readonly singleObservationSpace: Record<string, unknown>;
  readonly singleActionSpace: Record<string, unknown>;
  /** Resets every env; env i is seeded with deriveSeed(seed, i) when a seed is given. */
  reset(args?: { seed?: number; options?: Record<string, unknown> }): Promise<{ observations: Float64Array; infos: Record<string, unknown>[] }>;
  /** `actions`: numEnvs × actionDim, row-major. */
  step(actions: Float64Array): Promise<VectorStepResult>;
  close(): Promise<void>;
}
