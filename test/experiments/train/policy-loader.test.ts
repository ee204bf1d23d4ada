import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../../../agents/index.ts';
import * as ppo from '../../../agents/ppo/index.ts';
import * as sac from '../../../agents/sac/index.ts';
import { CheckpointError } from '../../../agents/common/index.ts';
import type { TrainOptions } from '../../../agents/common/index.ts';
import { checkpointDirFor, resolveCheckpointDir, saveCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { SyncVectorEnv } from '../../../env/vector/index.ts';
import { TimeLimit } from '../../../env/wrappers/index.ts';
import { checkpointKind } from '../../../experiments/train/policy-loader.ts';
import { TargetVecEnv } from '../../agents/ppo/toy-envs.ts';
import { TargetEnv } from '../../agents/sac/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'policy-loader-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

/** A newer step directory that is empty, and one a copy stopped writing (a manifest, no SHA256SUMS). */
function addIncomplete(run: string, steps: [number, number]): void {
  mkdirSync(checkpointDirFor(run, steps[0]), { recursive: true });
  mkdirSync(checkpointDirFor(run, steps[1]), { recursive: true });
  writeFileSync(join(checkpointDirFor(run, steps[1]), 'manifest.json'), '{"format":"execution-gym/checkpoint"}');
}

describe('evaluate and train --resume pick the same checkpoint', () => {
  it('PPO: the newest complete one, skipping empty and incomplete step directories', async () => {
    const run = join(root, 'ppo');
    const o = (extra: Partial<TrainOptions> = {}): TrainOptions => ({
      envId: 'toy-target',
      makeVecEnv: async (n) => new TargetVecEnv(n),
      totalSteps: 64,
      seed: 3,
      outDir: run,
      backend: 'wasm',
      saveEvery: 32,
      config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1 },
      ...extra,
    });
    await ppo.train(o());
    addIncomplete(run, [96, 128]);
    expect(resolveCheckpointDir(run)).toBe(checkpointDirFor(run, 64));
    expect(checkpointKind(run)).toBe('ppo');
    const policy = (await loadPolicy(run)) as unknown as ppo.PpoPolicy;
    expect(policy.name).toBe(`ppo:${checkpointDirFor(run, 64)}`);
    policy.dispose();
    let startStep = -1;
    await ppo.train(o({ totalSteps: 96, resume: run }), { onStart: (i) => (startStep = i.startStep) });
    expect(startStep).toBe(64);
  });

  it('SAC: the same resolver', async () => {
    const run = join(root, 'sac');
    const o = (extra: Partial<TrainOptions> = {}): TrainOptions => ({
      envId: 'Target-v0',
      makeVecEnv: async (n) => new SyncVectorEnv(Array.from({ length: n }, () => () => new TimeLimit(new TargetEnv(), 10))),
      totalSteps: 20,
      seed: 3,
      outDir: run,
      backend: 'wasm',
      saveEvery: 10,
      config: { learningStarts: 5, batchSize: 4, hiddenSizes: [8] },
      ...extra,
    });
    await sac.train(o());
    addIncomplete(run, [30, 40]);
    const policy = (await loadPolicy(run)) as unknown as sac.SacPolicy;
    expect(policy.name).toBe(`sac(${checkpointDirFor(run, 20)})`);
    policy.dispose();
    let startStep = -1;
    await sac.train(o({ totalSteps: 25, resume: run }), { onStart: (i) => (startStep = i.startStep) });
    expect(startStep).toBe(20);
  });

  it('refuses a run without a complete checkpoint, and a checkpoint of an unknown algorithm', async () => {
    const empty = join(root, 'empty');
    addIncomplete(empty, [32, 64]);
    await expect(loadPolicy(empty)).rejects.toThrow(/no complete checkpoint; step-000000000064, step-000000000032 are incomplete/);
    const other = join(root, 'other');
    saveCheckpoint(checkpointDirFor(other, 1), { kind: 'dqn', step: 1, tensors: [], state: {}, config: { algo: 'dqn' } });
    await expect(loadPolicy(other)).rejects.toThrow(CheckpointError);
    await expect(loadPolicy(other)).rejects.toThrow(/written by 'dqn', which this build does not know \(ppo, sac\)/);
  });
});
