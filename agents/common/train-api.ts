/**
 * The one interface every learning algorithm module (agents/ppo, agents/sac) exports, so that
 * `execution-gym train --algo <name>` can dispatch through a registry without knowing the
 * algorithm:
 *
 *   export async function train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>
 *   export async function loadPolicy(path: string, options?: LoadPolicyOptions): Promise<Policy & BatchPolicy>
 *
 * The caller (experiments/train) owns the run directory's shared files: it writes `config.yaml`
 * from `onStart`, appends `metrics.jsonl` from `onMetrics`, and draws the progress bar. The
 * algorithm owns its checkpoints, which it writes under `<outDir>/checkpoints/step-<N>/`.
 */
import type { VectorEnv } from '../../env/index.ts';
import type { BackendChoice, BackendKind } from '../nn/index.ts';

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
  /** Checkpoint every this many env steps (rounded up to whole iterations); 0 = only at the end. */
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

export interface LoadPolicyOptions {
  backend?: BackendKind;
  /** Sample actions instead of the deterministic mean/argmax (default false). */
  stochastic?: boolean;
  /** Seed of the sampling stream when stochastic. */
  seed?: number;
}
