import { describe, expect, it } from 'vitest';
import { RunningMeanStd } from '../../../agents/common/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('RunningMeanStd (row-oriented face of env/wrappers)', () => {
  it('updates from rows at offsets equal the pooled mean and variance (with the 1e-4 prior)', () => {
    const rng = Rng.fromSeed(4, 'rms');
    const rows = 300;
    const x = new Float64Array(rows * 2);
    for (let k = 0; k < x.length; k++) x[k] = rng.normal(k % 2 === 0 ? 3 : -1, k % 2 === 0 ? 2 : 0.5);
    const rms = new RunningMeanStd(2);
    rms.update(x, 100, 0);
    rms.update(x, 120, 200);
    rms.update(x, 80, 440);
    for (let j = 0; j < 2; j++) {
      // pooled with the prior (mean 0, var 1, count 1e-4)
      let s = 0;
      for (let r = 0; r < rows; r++) s += x[r * 2 + j];
      const n = rows + 1e-4;
      const m = s / n;
      let m2 = 1e-4 * (1 + m * m);
      for (let r = 0; r < rows; r++) m2 += (x[r * 2 + j] - m) ** 2;
      expect(rms.mean[j]).toBeCloseTo(m, 9);
      expect(rms.var[j]).toBeCloseTo(m2 / n, 9);
    }
    expect(rms.count).toBeCloseTo(300.0001, 9);
    const out = new Float32Array(4);
    rms.normalize([rms.mean[0] + 100, rms.mean[1]], 0, out, 2, 10);
    expect(out[2]).toBe(10);
    expect(out[3]).toBe(0);
  });

  it('round-trips through JSON and rejects bad state', () => {
    const a = new RunningMeanStd(2);
    a.update([1, 2, 3, 5], 2);
    const b = new RunningMeanStd(2);
    b.load(JSON.parse(JSON.stringify(a.toJSON())));
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(Array.from(b.var)).toEqual(Array.from(a.var));
    expect(() => b.load({ type: 'RunningMeanStd', dim: 1, mean: [1], var: [1], count: 1 })).toThrow(/dim 1, expected 2/);
    expect(() => new RunningMeanStd(0)).toThrow(/positive integer, got 0/);
  });
});
