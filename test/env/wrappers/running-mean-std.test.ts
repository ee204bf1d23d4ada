import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunningMeanStd, RunningMeanStdError } from '../../../env/wrappers/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('RunningMeanStd', () => {
  it('matches the two-pass mean and (population) variance, one by one and batched', () => {
    const rng = Rng.fromSeed(1, 'test');
    const n = 500;
    const xs = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      xs[2 * i] = rng.normal(3, 2);
      xs[2 * i + 1] = rng.uniform(-1, 1) * 1e6;
    }
    const one = new RunningMeanStd(2, 1e-12);
    for (let i = 0; i < n; i++) one.update(xs.subarray(2 * i, 2 * i + 2));
    const batched = new RunningMeanStd(2, 1e-12);
    batched.updateBatch(xs.subarray(0, 300 * 2), 300);
    batched.updateBatch(xs.subarray(300 * 2), n - 300);
    for (let j = 0; j < 2; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += xs[2 * i + j];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (xs[2 * i + j] - m) ** 2;
      v /= n;
      for (const r of [one, batched]) {
        expect(Math.abs(r.mean[j] - m)).toBeLessThan(1e-9 * (1 + Math.abs(m)));
        expect(Math.abs(r.var[j] / v - 1)).toBeLessThan(1e-9);
      }
    }
  });

  it('merge equals updating with both streams', () => {
    // Each statistic carries its own pseudo-count: make it negligible to compare exactly.
    const a = new RunningMeanStd(1, 1e-12);
    const b = new RunningMeanStd(1, 1e-12);
    const c = new RunningMeanStd(1, 1e-12);
    for (let i = 0; i < 50; i++) {
      a.update([i]);
      c.update([i]);
    }
    for (let i = 0; i < 30; i++) {
      b.update([i * i]);
      c.update([i * i]);
    }
    a.merge(b);
    expect(a.mean[0]).toBeCloseTo(c.mean[0], 9);
    expect(a.var[0]).toBeCloseTo(c.var[0], 6);
  });

  it('normalizes, freezes, and saves/loads through JSON files atomically', () => {
    const r = new RunningMeanStd(2);
    r.updateBatch([1, 10, 3, 30], 2);
    const z = r.normalize([2, 20]);
    expect(z[0]).toBeCloseTo(0, 3);
    r.frozen = true;
    r.update([100, 100]);
    expect(r.mean[0]).toBeCloseTo(2, 3);
    const dir = mkdtempSync(join(tmpdir(), 'rms-'));
    try {
      const path = join(dir, 'rms.json');
      r.save(path);
      const s = RunningMeanStd.loadFile(path);
      expect(s.toJSON()).toEqual(r.toJSON());
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, 20));
      expect(() => RunningMeanStd.loadFile(path)).toThrow(/not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad input with the state untouched', () => {
    const r = new RunningMeanStd(2);
    r.update([1, 2]);
    const before = r.toJSON();
    expect(() => r.update([1, NaN])).toThrow(RunningMeanStdError);
    expect(() => r.update([1])).toThrow(/length 1/);
    expect(() => r.load({ type: 'RunningMeanStd', dim: 2, count: 1, mean: [0, 0], var: [1, -1] })).toThrow(/var\[1\]/);
    expect(() => r.load({ type: 'RunningMeanStd', dim: 3, count: 1, mean: [0, 0, 0], var: [1, 1, 1] })).toThrow(/dim 3/);
    expect(r.toJSON()).toEqual(before);
    expect(() => new RunningMeanStd(0)).toThrow(/positive integer/);
  });
});
