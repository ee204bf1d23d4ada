import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, loadPolicy, parsePpoConfig, PpoConfigError } from '../../../agents/ppo/index.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { CheckpointError } from '../../../agents/common/index.ts';
import { resolveCheckpointDir } from '../../../agents/common/checkpoint-fs.ts';
import type { TrainOptions } from '../../../agents/common/index.ts';
import { TargetVecEnv, ArmVecEnv } from './toy-envs.ts';

const root = mkdtempSync(join(tmpdir(), 'ppo-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

const small = { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2 };

function targetOptions(outDir: string, totalSteps: number, extra: Partial<TrainOptions> = {}): TrainOptions {
  return { envId: 'toy-target', makeVecEnv: async (n) => new TargetVecEnv(n), totalSteps, seed: 7, outDir, backend: 'wasm', config: small, ...extra };
}

describe('PPO learns', () => {
  it('a 1-D target-reaching task (Box actions, truncated episodes)', async () => {
    // Optimum: a = x, squared error 0. Best constant policy (a = 0): E[x²] = 1/3 for x ~ U(−1, 1).
    // We ask the deterministic policy for a tenth of the best constant policy's error.
    const out = join(root, 'target');
    const returns: number[] = [];
    await train(
      {
        envId: 'toy-target',
        makeVecEnv: async (n) => new TargetVecEnv(n),
        totalSteps: 3072,
        seed: 1,
        outDir: out,
        backend: 'wasm',
        config: { numEnvs: 8, numSteps: 64, numMinibatches: 2, learningRate: 3e-3, gamma: 0.9 },
      },
      { onMetrics: (_s, m) => void (m['charts/episodic_return'] !== undefined && returns.push(m['charts/episodic_return'])) },
    );
    const policy = await loadPolicy(out, { backend: 'wasm' });
    let se = 0;
    const n = 101;
    for (let k = 0; k < n; k++) {
      const x = -1 + (2 * k) / (n - 1);
      const a = policy.act(Float64Array.of(x)) as Float64Array;
      expect(a).toBeInstanceOf(Float64Array);
      se += (a[0] - x) ** 2;
    }
    expect(se / n).toBeLessThan(1 / 30);
    // Training returns improve (episodes of 4 steps): the last iteration beats the first.
    expect(returns[returns.length - 1]).toBeGreaterThan(returns[0]);
    policy.dispose();
  });

  it('a 3-armed contextual bandit (Discrete actions, terminated episodes)', async () => {
    // Optimum: pull the arm the one-hot observation names; uniform random is right 1/3 of the time.
    const out = join(root, 'arms');
    const res = await train({
      envId: 'toy-arms',
      makeVecEnv: async (n) => new ArmVecEnv(n),
      totalSteps: 3072,
      seed: 2,
      outDir: out,
      backend: 'wasm',
      config: { numEnvs: 8, numSteps: 64, numMinibatches: 2, learningRate: 3e-3, gamma: 0.9, entCoef: 0.0 },
    });
    expect(res.steps).toBe(3072);
    const policy = await loadPolicy(out, { backend: 'wasm' });
    expect(policy.actionMode).toBe('discrete');
    for (let j = 0; j < 3; j++) {
      const o = new Float64Array(3);
      o[j] = 1;
      expect(policy.act(o)).toBe(j);
    }
    const batch = new Float64Array(3);
    policy.actBatch(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1), 3, batch);
    expect(Array.from(batch)).toEqual([0, 1, 2]);
    policy.dispose();
  });
});

describe('PPO bookkeeping', () => {
  it('keeps tf.memory().numTensors flat across iterations and frees everything at the end', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const metrics: Record<string, number>[] = [];
    await train(targetOptions(join(root, 'mem'), 32 * 5), {
      onMetrics: (_s, m) => {
        counts.push(tf.memory().numTensors);
        metrics.push(m);
      },
    });
    expect(counts.length).toBe(5);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    for (const name of ['losses/value_loss', 'losses/policy_loss', 'losses/entropy', 'losses/approx_kl', 'losses/clipfrac', 'charts/learning_rate', 'charts/sps']) {
      expect(Number.isFinite(metrics[4][name])).toBe(true);
    }
    expect(metrics[4]['charts/is_bps']).toBe(42);
    // The learning rate anneals linearly to 0: iteration k of 5 uses lr·(1 − k/5).
    expect(metrics[1]['charts/learning_rate']).toBeCloseTo(3e-4 * 0.8, 12);
  });

  it('resumes exactly: stop at a checkpoint, resume, and match an uninterrupted run bit for bit', async () => {
    const a = join(root, 'resume-a');
    const b = join(root, 'resume-b');
    const total = 32 * 6;
    await train(targetOptions(a, total, { saveEvery: 96 }));
    let iterations = 0;
    const stoppedRun = await train(targetOptions(b, total, { saveEvery: 96 }), {
      onMetrics: () => void iterations++,
      shouldStop: () => iterations >= 3,
    });
    expect(stoppedRun.stopped).toBe(true);
    expect(stoppedRun.steps).toBe(96);
    const resumed = await train(targetOptions(b, total, { saveEvery: 96, resume: b }));
    expect(resumed.steps).toBe(total);
    const wa = readFileSync(join(resolveCheckpointDir(a), 'weights.bin'));
    const wb = readFileSync(join(resolveCheckpointDir(b), 'weights.bin'));
    expect(wb.equals(wa)).toBe(true);
    const sa = readFileSync(join(resolveCheckpointDir(a), 'state.json'), 'utf8');
    const sb = readFileSync(join(resolveCheckpointDir(b), 'state.json'), 'utf8');
    expect(sb).toBe(sa);
  });

  it('resumes exactly without repeating saveEvery: the checkpoint keeps the save cadence', async () => {
    // saveEvery decides where the envs are reset, so a resume that fell back to "only at the end"
    // would diverge from the run that wrote the checkpoint.
    const a = join(root, 'cadence-a');
    const b = join(root, 'cadence-b');
    const total = 32 * 6;
    await train(targetOptions(a, total, { saveEvery: 64 }));
    let iterations = 0;
    await train(targetOptions(b, total, { saveEvery: 64 }), { onMetrics: () => void iterations++, shouldStop: () => iterations >= 2 });
    let saved: Record<string, unknown> = {};
    const resumed = await train(targetOptions(b, total, { resume: b }), { onStart: (i) => (saved = i.config) });
    expect(saved.saveEvery).toBe(64);
    expect(resumed.steps).toBe(total);
    expect(existsSync(join(b, 'checkpoints', 'step-000000000128', 'SHA256SUMS'))).toBe(true);
    const wa = readFileSync(join(resolveCheckpointDir(a), 'weights.bin'));
    const wb = readFileSync(join(resolveCheckpointDir(b), 'weights.bin'));
    expect(wb.equals(wa)).toBe(true);
  });

  it('writes a final checkpoint when stopped between save points (Ctrl-C)', async () => {
    const d = join(root, 'stop');
    let iterations = 0;
    const r = await train(targetOptions(d, 32 * 10), { onMetrics: () => void iterations++, shouldStop: () => iterations >= 2 });
    expect(r).toEqual({ steps: 64, checkpoint: join(d, 'checkpoints', 'step-000000000064'), stopped: true });
    expect(existsSync(join(r.checkpoint, 'manifest.json'))).toBe(true);
  });

  it('rejects damaged and mismatched checkpoints with clear messages', async () => {
    const d = join(root, 'damaged');
    const r = await train(targetOptions(d, 32));
    const w = readFileSync(join(r.checkpoint, 'weights.bin'));
    await expect(train(targetOptions(join(root, 'mismatch'), 64, { resume: d, makeVecEnv: async (n) => new ArmVecEnv(n) }))).rejects.toThrow(
      /trained with 1 observation features, the env has 3/,
    );
    await expect(train(targetOptions(join(root, 'seed'), 64, { resume: d, seed: 8 }))).rejects.toThrow(/seed 7, but seed 8/);
    w[0] ^= 0xff;
    writeFileSync(join(r.checkpoint, 'weights.bin'), w);
    await expect(loadPolicy(d)).rejects.toThrow(CheckpointError);
    await expect(loadPolicy(d)).rejects.toThrow(/weights.bin is damaged: its SHA-256/);
    await expect(train(targetOptions(join(root, 'resume-damaged'), 64, { resume: d }))).rejects.toThrow(/damaged/);
    await expect(loadPolicy(join(root, 'nothing-here'))).rejects.toThrow(/no checkpoint at/);
  });

  it('validates the config and the options', async () => {
    expect(parsePpoConfig({}).learningRate).toBe(3e-4);
    expect(() => parsePpoConfig({ learningRate: -1 })).toThrow(PpoConfigError);
    expect(() => parsePpoConfig({ learningRate: -1 })).toThrow(/learningRate: .*got -1/);
    expect(() => parsePpoConfig({ lr: 1 })).toThrow(/lr/);
    await expect(train(targetOptions(join(root, 'bad'), 0))).rejects.toThrow(/totalSteps must be a positive integer, got 0/);
    await expect(train(targetOptions(join(root, 'bad'), 32, { config: { ...small, actionMode: 'tanh', numEnvs: 1 } }))).resolves.toMatchObject({ steps: 32 });
  });
});
