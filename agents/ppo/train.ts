/**
 * Proximal Policy Optimization (Schulman et al. 2017), clipped-surrogate variant, after CleanRL's
 * `ppo_continuous_action.py`: the training loop over a run directory (Node: it writes
 * checkpoints), and `loadPolicy` to read a trained policy back. Each iteration reads like the paper:
 *
 *   1. anneal the learning rate;
 *   2. collect: run the policy for numSteps steps in numEnvs envs (normalized observations,
 *      scaled rewards, raw samples and their log-probs, values);
 *   3. compute returns and advantages: GAE(λ), bootstrapping the value on truncation;
 *   4. train: `ppoUpdate` (agent.ts), updateEpochs passes of the clipped surrogate over shuffled
 *      minibatches.
 *
 * Determinism: the network init, the exploration noise of iteration k, the minibatch order of
 * iteration k and the env seeds all derive from the run seed, so a run is a function of
 * (seed, config, env, save cadence). Resume is exact: a checkpoint holds weights, Adam moments,
 * observation and reward statistics, the iteration count and the run (seed, save cadence, ...),
 * and at every checkpoint the trainer resets all envs with a seed derived from (run seed,
 * iteration) — so a run resumed from a checkpoint continues bit for bit as the run that wrote it,
 * keeping its save cadence unless another is given. (Episodes running at a checkpoint are cut
 * there; they were already bootstrapped as the rollout's last step.)
 */
import { initBackend } from '../nn/index.ts';
import { checkTrainOptions } from '../common/index.ts';
import type { Checkpoint, LoadPolicyOptions, TrainOptions, TrainHooks, TrainResult } from '../common/index.ts';
import { checkpointFrom, fileLoopEdges, openRun } from '../common/checkpoint-fs.ts';
import { parsePpoConfig, ppoPreset } from './config.ts';
import { PPO_KIND, decodePpo } from './checkpoint.ts';
import { PpoPolicy } from './policy.ts';
import { runPpo } from './loop.ts';

export { envSeed, type IterationStats } from './loop.ts';

/**
 * Trains PPO (see the file header and agents/common/train-api.ts). Writes checkpoints to
 * `<outDir>/checkpoints/step-<N>/` every `saveEvery` steps and at the end (also when stopped),
 * after removing what an earlier run killed mid-save left there.
 */
export async function train(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  checkTrainOptions(options);
  const backend = await initBackend(options.backend ?? 'auto');
  const { saved, run, config } = openRun(PPO_KIND, options, decodePpo, ppoPreset, parsePpoConfig);
  const vec = await options.makeVecEnv(config.numEnvs);
  return runPpo(
    {
      vec,
      config,
      run,
      saved,
      backend,
      ...fileLoopEdges(options.outDir),
    },
    hooks,
  );
}

/**
 * Loads a trained PPO policy from a run directory (its latest complete checkpoint), a checkpoint
 * directory, or a checkpoint already read. @throws CheckpointError when it is missing, damaged or not PPO.
 */
export async function loadPolicy(source: string | Checkpoint, options: LoadPolicyOptions = {}): Promise<PpoPolicy> {
  const { ckpt, where } = checkpointFrom(source, PPO_KIND);
  await initBackend(options.backend ?? 'auto');
  return PpoPolicy.fromCheckpoint(ckpt, { where, stochastic: options.stochastic, seed: options.seed });
}
