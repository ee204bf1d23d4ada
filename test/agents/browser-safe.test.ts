/**
 * The parts of agents/ that the web lab bundles for the browser stay free of Node: no `node:`
 * module (nor a bare builtin such as 'fs') anywhere in their static import graph, and the trained
 * policies are built from checkpoint bytes held in memory, without files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeCheckpoint, encodeCheckpoint } from '../../agents/common/index.ts';
import { loadCheckpoint } from '../../agents/common/checkpoint-fs.ts';
import * as ppo from '../../agents/ppo/index.ts';
import * as sac from '../../agents/sac/index.ts';
import { initBackend } from '../../agents/nn/index.ts';
import { SyncVectorEnv } from '../../env/vector/index.ts';
import { TimeLimit } from '../../env/wrappers/index.ts';
import { TargetVecEnv } from './ppo/toy-envs.ts';
import { TargetEnv } from './sac/helpers.ts';
import { nodeImports } from '../node-imports.ts';

const BROWSER_SAFE = [
  'agents/common/index.ts',
  'agents/common/checkpoint.ts',
  'agents/ppo/config.ts',
  'agents/ppo/agent.ts',
  'agents/ppo/checkpoint.ts',
  'agents/ppo/policy.ts',
  'agents/sac/config.ts',
  'agents/sac/agent.ts',
  'agents/sac/checkpoint.ts',
  'agents/sac/policy.ts',
];

describe('browser-safe agents', () => {
  it.each(BROWSER_SAFE)('%s reaches no Node module', (file) => {
    expect(nodeImports(file)).toEqual([]);
  });

  it('the check sees a Node import when there is one', () => {
    expect(nodeImports('agents/common/checkpoint-fs.ts').length).toBeGreaterThan(0);
  });
});

describe('policies from checkpoint bytes in memory', () => {
  const root = mkdtempSync(join(tmpdir(), 'browser-safe-'));
  beforeAll(async () => {
    await initBackend('wasm');
    return () => rmSync(root, { recursive: true, force: true });
  });

  it('PpoPolicy.fromCheckpoint acts exactly as the policy loaded from disk', async () => {
    const run = join(root, 'ppo');
    await ppo.train({ envId: 'toy-target', makeVecEnv: async (n) => new TargetVecEnv(n), totalSteps: 32, seed: 1, outDir: run, backend: 'wasm', config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1 } });
    const bytes = encodeCheckpoint(loadCheckpoint(run));
    const fromMemory = ppo.PpoPolicy.fromCheckpoint(decodeCheckpoint(bytes));
    const fromDisk = await ppo.loadPolicy(run, { backend: 'wasm' });
    for (const x of [-0.9, 0, 0.4]) expect(fromMemory.act(Float64Array.of(x))).toEqual(fromDisk.act(Float64Array.of(x)));
    fromMemory.dispose();
    fromDisk.dispose();
  });

  it('SacPolicy.fromCheckpoint acts exactly as the policy loaded from disk', async () => {
    const run = join(root, 'sac');
    await sac.train({
      envId: 'Target-v0',
      makeVecEnv: async (n) => new SyncVectorEnv(Array.from({ length: n }, () => () => new TimeLimit(new TargetEnv(), 10))),
      totalSteps: 20,
      seed: 1,
      outDir: run,
      backend: 'wasm',
      config: { learningStarts: 10, batchSize: 4, hiddenSizes: [8] },
    });
    const fromMemory = sac.SacPolicy.fromCheckpoint(decodeCheckpoint(encodeCheckpoint(loadCheckpoint(run))));
    const fromDisk = await sac.loadPolicy(run, { backend: 'wasm' });
    for (const o of [Float64Array.of(0.3, 0.1), Float64Array.of(-0.7, 0.5)]) expect(fromMemory.act(o)).toEqual(fromDisk.act(o));
    fromMemory.dispose();
    fromDisk.dispose();
  });
});
