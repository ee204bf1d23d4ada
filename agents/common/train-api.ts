/**
 * The one interface every learning algorithm module (agents/ppo, agents/sac) exports, so that
 * `execution-gym train --algo <name>` can dispatch through a registry without knowing the
 * algorithm:
 *
 *   export async function train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>
 *   export async function loadPolicy(source: string | Checkpoint, options?: LoadPolicyOptions): Promise<Policy & BatchPolicy>
 *
 * (`loadPolicy` takes a path, resolved by checkpoint-fs.ts, or an already loaded checkpoint.)
 * The caller (experiments/train) owns the run directory's shared files: it writes `config.yaml`
 * from `onStart`, appends `metrics.jsonl` from `onMetrics`, and draws the progress bar. The
 * algorithm owns its checkpoints, which it writes under `<outDir>/checkpoints/step-<N>/`, and
 * records the run (`RunInfo`) in each one, so that a resume continues it exactly.
 */
import { z } from 'zod';
import type { VectorEnv } from '../../env/vector/index.ts';
import type { BackendChoice, BackendKind } from '../nn/backend.ts';

/** What every learning algorithm's train() accepts. */
export interface TrainOptions {
  /** The env id (recorded in the config and the checkpoints). */
  envId: string;
  /** Env constructor options (recorded too, so a loaded policy can rebuild the same env). */
  envOptions?: Record<string, unknown>;
  /** Builds the vector env (sync or workers) with `numEnvs` copies; called once. */
  makeVecEnv(numEnvs: number): Promise<VectorEnv>;
  /** Environment steps to train to (counted over all envs; a resumed run counts from its checkpoint). */
  totalSteps: number;
  /** The run seed: network init, exploration, env seeds and minibatch order derive from it. */
  seed: number;
  /** The run directory (checkpoints go to <outDir>/checkpoints/). */
  outDir: string;
  backend?: BackendKind;
  /**
   * Checkpoint every this many env steps (rounded up to whole iterations); 0 = only at the end.
   * Undefined: 0 for a new run, the saved cadence for a resumed one (PPO resets its envs at each
   * checkpoint, so the cadence is part of what makes a resumed run continue bit for bit).
   */
  saveEvery?: number;
  /** A checkpoint directory (or a run directory: its latest checkpoint) to resume from. */
  resume?: string;
  /** Overrides of the algorithm's hyperparameters (validated by its zod schema). */
  config?: Record<string, unknown>;
}

/** One progress report (after each iteration). */
export interface TrainProgress {
  step: number;
  totalSteps: number;
  /** Env steps per second over the whole run so far (this process). */
  sps: number;
  /** Mean undiscounted return of the episodes that ended in the last iteration (NaN if none). */
  episodicReturn: number;
  /** Mean `info.isBps` at the end of those episodes (NaN if the env does not report it). */
  isBps: number;
}

export interface TrainHooks {
  /** Called once before training, with the resolved config (write config.yaml from it). */
  onStart?(info: { backend: BackendChoice; config: Record<string, unknown>; startStep: number; totalSteps: number }): void;
  /** Fixed metric names (charts/..., losses/...) at an env step; append them to metrics.jsonl. */
  onMetrics?(step: number, metrics: Record<string, number>): void;
  onProgress?(progress: TrainProgress): void;
  onCheckpoint?(dir: string, step: number): void;
  /** Polled between iterations; true stops training after a final checkpoint (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface TrainResult {
  /** Env steps done when training ended. */
  steps: number;
  /** The last checkpoint written. */
  checkpoint: string;
  /** True when `shouldStop` ended the run early. */
  stopped: boolean;
}

/**
 * The run a checkpoint belongs to, stored in its config.yaml beside the algorithm's
 * hyperparameters (under the algorithm's name): what a resume needs to continue it.
 */
export const RunInfoSchema = z
  .object({
    algo: z.string().min(1),
    envId: z.string(),
    envOptions: z.record(z.string(), z.unknown()),
    seed: z.number().int().min(0),
    totalSteps: z.number().int().min(1),
    saveEvery: z.number().int().min(0),
  })
  .strict();

export type RunInfo = z.infer<typeof RunInfoSchema>;

export class TrainOptionsError extends Error {
  override name = 'TrainOptionsError';
}

/** Validates the shared options. @throws TrainOptionsError naming the option and its value. */
export function checkTrainOptions(o: TrainOptions): void {
  if (typeof o !== 'object' || o === null) throw new TrainOptionsError(`train options must be an object, got ${String(o)}`);
  if (typeof o.makeVecEnv !== 'function') throw new TrainOptionsError(`train options need makeVecEnv(numEnvs), got ${String(o.makeVecEnv)}`);
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new TrainOptionsError(`totalSteps must be a positive integer, got ${String(o.totalSteps)}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new TrainOptionsError(`seed must be a non-negative integer, got ${String(o.seed)}`);
  if (o.saveEvery !== undefined && (!Number.isInteger(o.saveEvery) || o.saveEvery < 0)) throw new TrainOptionsError(`saveEvery must be a non-negative integer, got ${String(o.saveEvery)}`);
  if (typeof o.outDir !== 'string' || o.outDir.length === 0) throw new TrainOptionsError(`outDir must be a non-empty path, got ${String(o.outDir)}`);
}

/**
 * The run of `options` for algorithm `algo`; when resuming, `saved` is the checkpoint's run: its
 * seed must be the one given, and its save cadence applies unless `options.saveEvery` is given.
 * @throws TrainOptionsError on a seed that differs from the checkpoint's.
 */
export function runInfo(algo: string, options: TrainOptions, saved?: RunInfo): RunInfo {
  if (saved !== undefined && saved.seed !== options.seed) {
    throw new TrainOptionsError(`resume: the checkpoint was trained with seed ${saved.seed}, but seed ${options.seed} was given`);
  }
  return {
    algo,
    envId: options.envId,
    envOptions: options.envOptions ?? {},
    seed: options.seed,
    totalSteps: options.totalSteps,
    saveEvery: options.saveEvery ?? saved?.saveEvery ?? 0,
  };
}

export interface LoadPolicyOptions {
  backend?: BackendKind;
  /** Sample actions instead of the deterministic mean/argmax (default false). */
  stochastic?: boolean;
  /** Seed of the sampling stream when stochastic. */
  seed?: number;
}
