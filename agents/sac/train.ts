/**
 * SAC's Node side, behind the shared training API (agents/common/train-api.ts): `train` and
 * `trainSac` run the loop of loop.ts (see there: the algorithm, its metrics, exact resume) and
 * write its checkpoints into the run directory; `loadPolicy` reads a trained policy back from one.
 */
import { initBackend } from '../nn/index.ts';
import { checkTrainOptions } from '../common/index.ts';
import type { Checkpoint, LoadPolicyOptions, TrainOptions, TrainHooks, TrainResult } from '../common/index.ts';
import { checkpointFrom, fileLoopEdges, openRun } from '../common/checkpoint-fs.ts';
import { parseSacConfig, sacPreset } from './config.ts';
import { SAC_KIND, decodeSac } from './checkpoint.ts';
import { SacPolicy } from './policy.ts';
import { runSac, type SacTrainResult } from './loop.ts';

export { envSeed, type SacTrainResult } from './loop.ts';

/** The shared options plus SAC-only knobs. */
export interface SacTrainOptions extends TrainOptions {
  /** Keep the replay buffer in checkpoints (needed to resume with the same data). Default true. */
  saveReplay?: boolean;
  /** Emit losses and SPS every this many env steps (one "iteration"). Default 1,000. */
  logEvery?: number;
}

/** The shared entry point (`execution-gym train --algo sac`); disposes the agent when done. */
export async function train(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  const r = await trainSac(options, hooks);
  r.agent.dispose();
  return { steps: r.steps, checkpoint: r.checkpoint, stopped: r.stopped };
}

/**
 * Trains SAC and returns the live agent with the result. The vector env is built with
 * `options.makeVecEnv(config.numEnvs)` and closed at the end. Checkpoints go to
 * `<outDir>/checkpoints/step-<N>/`, after removing what an earlier run killed mid-save left there.
 * @throws SacConfigError for a bad config, SacError for an unsupported env, CheckpointError for a bad resume.
 */
export async function trainSac(options: SacTrainOptions, hooks: TrainHooks = {}): Promise<SacTrainResult> {
  checkTrainOptions(options);
  const { saved, run, config } = openRun(SAC_KIND, options, decodeSac, sacPreset, parseSacConfig);
  const backend = await initBackend(options.backend ?? 'auto');
  const vec = await options.makeVecEnv(config.numEnvs);
  return runSac(
    {
      vec,
      config,
      run,
      saved,
      backend,
      saveReplay: options.saveReplay,
      logEvery: options.logEvery,
      ...fileLoopEdges(options.outDir),
    },
    hooks,
  );
}

/**
 * Loads a trained SAC policy from a run directory (its latest complete checkpoint), a checkpoint
 * directory, or a checkpoint already read. Deterministic tanh(mean) unless `stochastic`, which
 * samples from π with the stream of `seed` (default 0).
 * @throws CheckpointError when there is no valid SAC checkpoint.
 */
export async function loadPolicy(source: string | Checkpoint, options: LoadPolicyOptions = {}): Promise<SacPolicy> {
  const { ckpt, where } = checkpointFrom(source, SAC_KIND);
  await initBackend(options.backend ?? 'auto');
  return SacPolicy.fromCheckpoint(ckpt, { where, stochastic: options.stochastic, seed: options.seed });
}
