import { describe, expect, it } from 'vitest';
import { AlmgrenChrissEnv } from '../../../env/ac/index.ts';
import { EnvError } from '../../../env/core.ts';
import { SyncVectorEnv } from '../../../env/vector/index.ts';
import { deriveSeed } from '../../../simulator/random/index.ts';

describe('SyncVectorEnv', () => {
  it('seeds env i with deriveSeed(seed, i) and matches single envs step by step', async () => {
    const n = 3;
    const vec = SyncVectorEnv.fromId('Liquidate-AC-v0', n, { N: 4 });
    const singles = Array.from({ length: n }, () => new AlmgrenChrissEnv({ N: 4 }));
    const r = await vec.reset({ seed: 42 });
    for (let i = 0; i < n; i++) expect(Array.from(r.observations.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(singles[i].reset({ seed: deriveSeed(42, i) }).observation));
    const actions = new Float64Array([1, 1.5, 0.5]);
    for (let t = 0; t < 4; t++) {
      const s = await vec.step(actions);
      for (let i = 0; i < n; i++) {
        const e = singles[i].step(actions.subarray(i, i + 1));
        expect(Array.from(s.observations.subarray(3 * i, 3 * i + 3))).toEqual(Array.from(e.observation));
        expect(s.rewards[i]).toBe(e.reward);
        expect(s.terminated[i]).toBe(e.terminated ? 1 : 0);
        expect(s.infos[i]).toEqual(e.info);
      }
    }
  });

  it('autoresets on the step after an episode ends (next-step mode)', async () => {
    const vec = SyncVectorEnv.fromId('Liquidate-AC-v0', 2, { N: 2 });
    expect(vec.autoresetMode).toBe('next-step');
    await vec.reset({ seed: 1 });
    // env 0 sells everything at once (a = 2 decisions left), env 1 runs TWAP.
    let s = await vec.step(new Float64Array([2, 1]));
    expect(Array.from(s.terminated)).toEqual([1, 0]);
    const final0 = Array.from(s.observations.subarray(0, 3));
    expect(final0.slice(0, 2)).toEqual([0.5, 0]);
    // Action 0 is ignored (even an invalid one): env 0 is reset with reward 0.
    s = await vec.step(new Float64Array([NaN, 1]));
    expect(s.rewards[0]).toBe(0);
    expect(s.terminated[0]).toBe(0);
    expect(s.infos[0].autoreset).toBe(true);
    expect(Array.from(s.observations.subarray(0, 2))).toEqual([1, 1]);
    expect(s.terminated[1]).toBe(1);
    expect(s.infos[1].autoreset).toBeUndefined();
  });

  it('rejects bad actions before any env moves, and step before reset', async () => {
    const vec = SyncVectorEnv.fromId('Liquidate-AC-v0', 2);
    await expect(vec.step(new Float64Array([1, 1]))).rejects.toThrow(/before reset/);
    await vec.reset({ seed: 3 });
    const ref = SyncVectorEnv.fromId('Liquidate-AC-v0', 2);
    await ref.reset({ seed: 3 });
    await expect(vec.step(new Float64Array([1, 9]))).rejects.toThrow(/invalid action for env 1: element 0 = 9/);
    await expect(vec.step(new Float64Array([1]))).rejects.toThrow(EnvError);
    await expect(vec.step([1, 1] as never)).rejects.toThrow(/Float64Array/);
    const a = await vec.step(new Float64Array([1, 1]));
    const b = await ref.step(new Float64Array([1, 1]));
    expect(Array.from(a.observations)).toEqual(Array.from(b.observations));
    expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
  });

  it('reuses its batch buffers', async () => {
    const vec = SyncVectorEnv.fromId('Liquidate-AC-v0', 2);
    const r = await vec.reset({ seed: 1 });
    const s = await vec.step(new Float64Array([1, 1]));
    expect(s.observations).toBe(r.observations);
    expect(vec.singleActionSpace).toEqual({ type: 'Box', shape: [1], dtype: 'float64', low: [0], high: [5] });
  });
});
