import { describe, it, expect } from 'vitest';
import { ReplayBuffer, ReplayError } from '../../../agents/common/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('ReplayBuffer', () => {
  it('keeps truncation apart from termination; only termination stops the bootstrap', () => {
    const rb = new ReplayBuffer(8, 2, 1);
    rb.add([0, 1], [0.5], 1, [2, 3], false, false);
    rb.add([2, 3], [0.1], 2, [4, 5], false, true); // time limit: bootstrap
    rb.add([4, 5], [0.2], 3, [6, 7], true, false); // task ended: no bootstrap
    rb.add([6, 7], [0.3], 4, [8, 9], true, true); // both: termination wins
    expect(Array.from(rb.terminated.subarray(0, 4))).toEqual([0, 0, 1, 1]);
    expect(Array.from(rb.truncated.subarray(0, 4))).toEqual([0, 1, 0, 0]);
    const out = { size: 4, obs: new Float32Array(8), nextObs: new Float32Array(8), actions: new Float32Array(4), rewards: new Float32Array(4), dones: new Float32Array(4) };
    rb.gather([0, 1, 2, 3], out);
    expect(Array.from(out.dones)).toEqual([0, 0, 1, 1]);
    expect(Array.from(out.rewards)).toEqual([1, 2, 3, 4]);
    // The truncated row keeps its true next observation (the final one, not a reset one).
    expect(Array.from(out.nextObs.subarray(2, 4))).toEqual([4, 5]);
  });

  it('reads rows of batch arrays and wraps around, oldest first', () => {
    const rb = new ReplayBuffer(3, 1, 1);
    const obs = Float64Array.of(10, 20);
    const next = Float64Array.of(11, 21);
    const act = Float64Array.of(-1, 1);
    rb.add(obs, act, 0, next, false, false, 1);
    expect(rb.obs[0]).toBe(20);
    expect(rb.nextObs[0]).toBe(21);
    expect(rb.actions[0]).toBe(1);
    for (let i = 0; i < 3; i++) rb.add([i], [0], i, [i], false, false);
    expect(rb.size).toBe(3);
    expect(rb.position).toBe(1);
    expect(Array.from(rb.obs)).toEqual([2, 0, 1]);
  });

  it('samples uniformly with a seeded stream, reusing its batch', () => {
    const rb = new ReplayBuffer(100, 1, 1);
    for (let i = 0; i < 10; i++) rb.add([i], [0], i, [i], false, false);
    const a = rb.sample(5000, Rng.fromSeed(3, 'x'));
    const counts = new Array(10).fill(0);
    for (const r of a.rewards) counts[r]++;
    // Each row is drawn with p = 0.1: counts ~ Binomial(5000, 0.1), sd = sqrt(450) ≈ 21.2; allow 4 sd.
    for (const c of counts) expect(Math.abs(c - 500)).toBeLessThan(4 * Math.sqrt(5000 * 0.1 * 0.9));
    const first = Array.from(rb.sample(7, Rng.fromSeed(4, 'x')).rewards);
    const b = rb.sample(7, Rng.fromSeed(4, 'x'));
    expect(Array.from(b.rewards)).toEqual(first);
    expect(rb.sample(7, Rng.fromSeed(5, 'x'))).toBe(b);
  });

  it('rejects bad input and stays untouched', () => {
    expect(() => new ReplayBuffer(0, 1, 1)).toThrow(/capacity/);
    const rb = new ReplayBuffer(4, 2, 1);
    expect(() => rb.sample(1, Rng.fromSeed(1))).toThrow(/empty/);
    expect(() => rb.add([0, NaN], [0], 0, [0, 0], false, false)).toThrow(ReplayError);
    expect(() => rb.add([0, 0], [Infinity], 0, [0, 0], false, false)).toThrow(/action element 0/);
    expect(() => rb.add([0, 0], [0], NaN, [0, 0], false, false)).toThrow(/reward/);
    expect(rb.size).toBe(0);
    expect(rb.position).toBe(0);
    expect(Array.from(rb.obs)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    rb.add([1, 1], [0], 0, [1, 1], false, false);
    expect(() => rb.sample(0, Rng.fromSeed(1))).toThrow(/batchSize/);
  });
});
