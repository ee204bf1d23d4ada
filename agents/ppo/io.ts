/**
 * PPO checkpoints on top of agents/nn/checkpoint.ts.
 *
 * Tensors: the actor and critic weights (`actor/l<i>/w|b`, `critic/l<i>/w|b`), `logStd` (Box), and
 * Adam's moments (`adam/m<i>`, `adam/v<i>`). State (state.json): the iteration and step counts,
 * Adam's step, the observation statistics (`obsRms`), the reward scaler, the observation size and
 * the action space. Config (config.yaml): `{ algo, envId, envOptions, seed, totalSteps, ppo }`.
 *
 * A run directory keeps its checkpoints in `checkpoints/step-<N>/` (N zero-padded to 12 digits so
 * names sort by step); `resolveCheckpointDir(path)` accepts a checkpoint or a run directory (its
 * latest checkpoint).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { VectorEnv } from '../../env/index.ts';
import { saveCheckpoint, loadCheckpoint, CheckpointError } from '../nn/index.ts';
import type { Checkpoint } from '../nn/index.ts';
import type { RewardScalerState } from '../common/index.ts';
import { parsePpoConfig, type PpoConfig } from './config.ts';
import { PpoError, parseActionSpace } from './agent.ts';
import type { PpoState } from './ppo.ts';

export const PPO_KIND = 'ppo';

export interface RunInfo {
  envId: string;
  envOptions: Record<string, unknown>;
  seed: number;
  totalSteps: number;
}

export interface PpoCheckpointState {
  iteration: number;
  adamStep: number;
  obsDim: number;
  actionSpace: Record<string, unknown>;
  obsRms: unknown;
  rewardScaler: RewardScalerState | null;
}

export function checkpointDirFor(outDir: string, step: number): string {
  return join(outDir, 'checkpoints', `step-${String(step).padStart(12, '0')}`);
}

/** A checkpoint directory itself, or the latest checkpoint of a run directory. */
export function resolveCheckpointDir(path: string): string {
  if (existsSync(join(path, 'manifest.json'))) return path;
  const dir = join(path, 'checkpoints');
  if (existsSync(dir)) {
    const steps = readdirSync(dir)
      .filter((f) => /^step-\d+$/.test(f) && existsSync(join(dir, f, 'manifest.json')))
      .sort();
    if (steps.length > 0) return join(dir, steps[steps.length - 1]);
  }
  throw new CheckpointError(`no checkpoint at ${path} (expected a checkpoint directory with manifest.json, or a run directory with checkpoints/step-*/)`);
}

export function saveRunCheckpoint(dir: string, s: PpoState, vec: VectorEnv, run: RunInfo): void {
  const adam = s.optimizer.exportState('adam');
  const state: PpoCheckpointState = {
    iteration: s.iteration,
    adamStep: adam.step,
    obsDim: vec.obsDim,
    actionSpace: vec.singleActionSpace,
    obsRms: s.agent.obsRms?.toJSON() ?? null,
    rewardScaler: s.rewardScaler?.toJSON() ?? null,
  };
  saveCheckpoint(dir, {
    kind: PPO_KIND,
    step: s.globalStep,
    tensors: [...s.agent.exportWeights(), ...adam.tensors],
    state: state as unknown as Record<string, unknown>,
    config: { algo: PPO_KIND, ...run, ppo: s.config },
  });
}

export interface LoadedRun {
  dir: string;
  checkpoint: Checkpoint;
  ppoConfig: PpoConfig;
  seed: number;
  envId: string;
  envOptions: Record<string, unknown>;
  state: PpoCheckpointState;
  /** Restores weights, optimizer, statistics and counters into a freshly built run state. */
  restore(s: PpoState, vec: VectorEnv): void;
}

/** Loads a PPO checkpoint (or a run's latest one); mismatches throw CheckpointError/PpoError with the reason. */
export function loadRunCheckpoint(path: string): LoadedRun {
  const dir = resolveCheckpointDir(path);
  const ckpt = loadCheckpoint(dir, { kind: PPO_KIND });
  const cfg = ckpt.config as { envId?: string; envOptions?: Record<string, unknown>; seed?: number; ppo?: unknown };
  let ppoConfig: PpoConfig;
  try {
    ppoConfig = parsePpoConfig(cfg.ppo ?? {});
  } catch (err) {
    throw new CheckpointError(`checkpoint ${dir} has an invalid PPO config: ${(err as Error).message}`);
  }
  const state = ckpt.state as unknown as PpoCheckpointState;
  if (!Number.isInteger(state.iteration) || !Number.isInteger(state.obsDim) || typeof state.actionSpace !== 'object') {
    throw new CheckpointError(`checkpoint ${dir} is damaged: state.json lacks iteration/obsDim/actionSpace`);
  }
  return {
    dir,
    checkpoint: ckpt,
    ppoConfig,
    seed: typeof cfg.seed === 'number' ? cfg.seed : 0,
    envId: String(cfg.envId ?? ''),
    envOptions: cfg.envOptions ?? {},
    state,
    restore(s: PpoState, vec: VectorEnv): void {
      if (vec.obsDim !== state.obsDim) throw new PpoError(`checkpoint ${dir} was trained with ${state.obsDim} observation features, the env has ${vec.obsDim}`);
      const want = JSON.stringify(parseActionSpace(state.actionSpace));
      const got = JSON.stringify(parseActionSpace(vec.singleActionSpace));
      if (want !== got) throw new PpoError(`checkpoint ${dir} was trained for action space ${want}, the env has ${got}`);
      // Validate every tensor's name and shape before touching anything.
      loadCheckpoint(dir, { kind: PPO_KIND, tensors: [...s.agent.weightShapes(), ...s.optimizer.stateShapes('adam')] });
      s.agent.importWeights(ckpt.tensors);
      s.optimizer.importState('adam', state.adamStep, ckpt.tensors);
      if (s.agent.obsRms !== null) s.agent.obsRms.load(state.obsRms);
      if (s.rewardScaler !== null && state.rewardScaler !== null) s.rewardScaler.load(state.rewardScaler);
      s.iteration = state.iteration;
      s.globalStep = ckpt.step;
    },
  };
}
