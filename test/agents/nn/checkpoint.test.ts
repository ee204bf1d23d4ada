import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveCheckpoint, loadCheckpoint, CheckpointError } from '../../../agents/nn/index.ts';
import type { Checkpoint } from '../../../agents/nn/index.ts';

const root = mkdtempSync(join(tmpdir(), 'ckpt-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sample(step = 7): Checkpoint {
  return {
    kind: 'ppo',
    step,
    tensors: [
      { name: 'pi/l0/w', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
      { name: 'logStd', shape: [1], data: Float32Array.from([-0.5]) },
    ],
    state: { obsRms: { mean: [0.1, 1 / 3], var: [2, Math.PI], count: 1234.5 } },
    config: { learningRate: 3e-4, hidden: [64, 64] },
  };
}

describe('checkpoint IO', () => {
  it('round-trips weights, state, config and step exactly', () => {
    const dir = join(root, 'a');
    saveCheckpoint(dir, sample());
    const c = loadCheckpoint(dir, { kind: 'ppo', tensors: [{ name: 'pi/l0/w', shape: [2, 3] }, { name: 'logStd', shape: [1] }] });
    expect(c.step).toBe(7);
    expect(Array.from(c.tensors[0].data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(c.state).toEqual(sample().state);
    expect(c.config).toEqual(sample().config);
  });

  it('replaces an existing checkpoint atomically, leaving no temporary directories', () => {
    const dir = join(root, 'b');
    saveCheckpoint(dir, sample(1));
    saveCheckpoint(dir, sample(2));
    expect(loadCheckpoint(dir).step).toBe(2);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('rejects damaged files with a clear message', () => {
    const dir = join(root, 'c');
    saveCheckpoint(dir, sample());
    const w = readFileSync(join(dir, 'weights.bin'));
    w[3] ^= 0xff;
    writeFileSync(join(dir, 'weights.bin'), w);
    expect(() => loadCheckpoint(dir)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(dir)).toThrow(/damaged: SHA-256 of weights.bin/);
    const d2 = join(root, 'd');
    saveCheckpoint(d2, sample());
    writeFileSync(join(d2, 'manifest.json'), '{ not json');
    expect(() => loadCheckpoint(d2)).toThrow(/manifest.json is not valid JSON/);
    const d3 = join(root, 'e');
    saveCheckpoint(d3, sample());
    rmSync(join(d3, 'state.json'));
    expect(() => loadCheckpoint(d3)).toThrow(/cannot read state.json/);
    expect(() => loadCheckpoint(join(root, 'nope'))).toThrow(/no checkpoint directory/);
  });

  it('rejects a checkpoint that does not match the model or the algorithm', () => {
    const dir = join(root, 'f');
    saveCheckpoint(dir, sample());
    expect(() => loadCheckpoint(dir, { kind: 'sac' })).toThrow(/written by 'ppo', expected 'sac'/);
    expect(() => loadCheckpoint(dir, { tensors: [{ name: 'pi/l0/w', shape: [2, 4] }, { name: 'logStd', shape: [1] }] })).toThrow(
      /pi\/l0\/w has shape \[2, 3\], the model needs \[2, 4\]/,
    );
    expect(() => loadCheckpoint(dir, { tensors: [{ name: 'pi/l0/w', shape: [2, 3] }] })).toThrow(/unexpected tensors logStd/);
    expect(() => saveCheckpoint(join(root, 'g'), { ...sample(), tensors: [{ name: 'x', shape: [2], data: new Float32Array(3) }] })).toThrow(/needs 2 values/);
  });
});
