/**
 * PPO's state in the shared checkpoint format (agents/common/checkpoint.ts). Pure: checkpoint
 * objects in and out; checkpoint-fs.ts puts them on disk.
 *
 * Tensors: the actor and critic weights (`actor/l<i>/w|b`, `critic/l<i>/w|b`), `logStd` (Box), and
 * Adam's moments (`adam/m<i>`, `adam/v<i>`). State (state.json): the iteration count, Adam's step,
 * the observation size and the action space, the observation statistics (`obsRms`) and the reward
 * scaler. Config (config.yaml): the run (`RunInfo`: algo, envId, envOptions, seed, totalSteps,
 * saveEvery) and the hyperparameters under `ppo`. Decoding validates all three with zod and
 * checks that they agree (the step is the iteration count times the batch size; statistics are
 * present exactly when the config normalizes), so a hand-edited checkpoint is refused even with
 * consistent checksums.
 */
import { z } from 'zod';
import { Rng } from '../../simulator/random/index.ts';
import { CheckpointError, CONFIG_FILE, STATE_FILE, RunInfoSchema, checkKind, checkTensors, parseCheckpointPart } from '../common/index.ts';
import type { Checkpoint, RunInfo } from '../common/index.ts';
import { PpoConfigSchema, type PpoConfig } from './config.ts';
import { ActorCritic, PpoError, parseActionSpace, type ActionSpec, type PpoState } from './agent.ts';

export const PPO_KIND = 'ppo';

const PpoSavedStateSchema = z
  .object({
    iteration: z.number().int().min(0),
    adamStep: z.number().int().min(0),
    obsDim: z.number().int().min(1),
    actionSpace: z.record(z.string(), z.unknown()),
    obsRms: z.unknown(),
    rewardScaler: z.object({ rms: z.unknown(), returns: z.array(z.number()) }).strict().nullable(),
  })
  .strict();

/** What a PPO checkpoint's state.json holds. */
export type PpoSavedState = z.infer<typeof PpoSavedStateSchema>;

const PpoRunSchema = RunInfoSchema.extend({ algo: z.literal(PPO_KIND), ppo: z.unknown() }).strict();

/** A verified PPO checkpoint: its run, hyperparameters, state and tensors (no TensorFlow.js objects yet). */
export interface PpoCheckpoint {
  /** Where it came from (for messages). */
  where: string;
  step: number;
  run: RunInfo;
  config: PpoConfig;
  state: PpoSavedState;
  action: ActionSpec;
  checkpoint: Checkpoint;
}

/** The checkpoint of a run's state; `actionSpace` is the env's single action space (its toJSON()). */
export function encodePpo(s: PpoState, obsDim: number, actionSpace: Record<string, unknown>, run: RunInfo): Checkpoint {
  const adam = s.optimizer.exportState('adam');
  const state: PpoSavedState = {
    iteration: s.iteration,
    adamStep: adam.step,
    obsDim,
    actionSpace,
    obsRms: s.agent.obsRms?.toJSON() ?? null,
    rewardScaler: s.rewardScaler?.toJSON() ?? null,
  };
  return {
    kind: PPO_KIND,
    step: s.globalStep,
    tensors: [...s.agent.exportWeights(), ...adam.tensors],
    state: state as unknown as Record<string, unknown>,
    config: { ...run, ppo: s.config },
  };
}

/**
 * Validates a PPO checkpoint's config, state and their agreement.
 * @throws CheckpointError naming the file at fault.
 */
export function decodePpo(ckpt: Checkpoint, where = 'checkpoint'): PpoCheckpoint {
  checkKind(ckpt, PPO_KIND, where);
  const { ppo, ...run } = parseCheckpointPart(PpoRunSchema, ckpt.config, CONFIG_FILE, where);
  const config = parseCheckpointPart(PpoConfigSchema, ppo, CONFIG_FILE, where);
  const state = parseCheckpointPart(PpoSavedStateSchema, ckpt.state, STATE_FILE, where);
  const bad = (file: string, why: string): never => {
    throw new CheckpointError(`${where}/${file} is invalid: ${why}`, file);
  };
  let action: ActionSpec;
  try {
    action = parseActionSpace(state.actionSpace);
  } catch (err) {
    return bad(STATE_FILE, (err as Error).message);
  }
  const batch = config.numEnvs * config.numSteps;
  if (ckpt.step !== state.iteration * batch) bad(STATE_FILE, `${state.iteration} iterations of ${batch} steps are ${state.iteration * batch} steps, the manifest says ${ckpt.step}`);
  if (config.normObs !== (state.obsRms !== null)) bad(STATE_FILE, `normObs is ${config.normObs} but obsRms is ${state.obsRms === null ? 'null' : 'present'}`);
  if (config.normReward !== (state.rewardScaler !== null)) bad(STATE_FILE, `normReward is ${config.normReward} but rewardScaler is ${state.rewardScaler === null ? 'null' : 'present'}`);
  return { where, step: ckpt.step, run: { ...run, algo: PPO_KIND }, config, state, action, checkpoint: ckpt };
}

/**
 * The actor-critic of a checkpoint, weights and observation statistics restored (for a policy;
 * the optimizer's moments are not read). Call after the backend is initialized.
 * @throws CheckpointError when a tensor or the statistics do not fit the model.
 */
export function ppoAgent(d: PpoCheckpoint): ActorCritic {
  const agent = new ActorCritic(d.state.obsDim, d.action, d.config, Rng.fromSeed(0, 'ppo/load'));
  try {
    checkTensors(d.checkpoint, agent.weightShapes(), d.where, { allowExtra: true });
    agent.importWeights(d.checkpoint.tensors);
    agent.obsRms?.load(d.state.obsRms);
  } catch (err) {
    agent.dispose();
    throw asCheckpointError(err, d.where);
  }
  return agent;
}

/**
 * Restores the whole learner (weights, Adam, statistics, counters) into `s`, freshly built for
 * the env `obsDim` × `actionSpace`. Everything is checked before anything is assigned.
 * @throws PpoError when the env does not match the checkpoint; CheckpointError when the tensors do not.
 */
export function restorePpo(d: PpoCheckpoint, s: PpoState, obsDim: number, actionSpace: Record<string, unknown>): void {
  if (obsDim !== d.state.obsDim) throw new PpoError(`checkpoint ${d.where} was trained with ${d.state.obsDim} observation features, the env has ${obsDim}`);
  const want = JSON.stringify(d.action);
  const got = JSON.stringify(parseActionSpace(actionSpace));
  if (want !== got) throw new PpoError(`checkpoint ${d.where} was trained for action space ${want}, the env has ${got}`);
  checkTensors(d.checkpoint, [...s.agent.weightShapes(), ...s.optimizer.stateShapes('adam')], d.where);
  try {
    s.agent.importWeights(d.checkpoint.tensors);
    s.optimizer.importState('adam', d.state.adamStep, d.checkpoint.tensors);
    if (s.agent.obsRms !== null) s.agent.obsRms.load(d.state.obsRms);
    if (s.rewardScaler !== null && d.state.rewardScaler !== null) s.rewardScaler.load(d.state.rewardScaler);
  } catch (err) {
    throw asCheckpointError(err, d.where);
  }
  s.iteration = d.state.iteration;
  s.globalStep = d.step;
}

function asCheckpointError(err: unknown, where: string): Error {
  if (err instanceof CheckpointError) return err;
  return new CheckpointError(`${where} does not fit the PPO model: ${(err as Error).message}`, STATE_FILE);
}
