import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunningMeanStd, RunningMeanStdError, saveRunningMeanStd, loadRunningMeanStd } from '../../../env/wrappers/index.ts';
import { RunningMeanStd as AgentsRunningMeanStd } from '../../../agents/common/index.ts';
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
      saveRunningMeanStd(path, r);
      const s = loadRunningMeanStd(path);
      expect(s.toJSON()).toEqual(r.toJSON());
      writeFileSync(path, readFileSync(path, 'utf8').slice(0, 20));
      expect(() => loadRunningMeanStd(path)).toThrow(/not valid JSON/);
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

  it('is the one class the agents use (agents/common re-exports it)', () => {
    expect(AgentsRunningMeanStd).toBe(RunningMeanStd);
  });

  it('updates from rows at offsets of a flat buffer: the pooled mean and variance (with the 1e-4 prior), bit for bit as updateBatch', () => {
    const rng = Rng.fromSeed(4, 'rms');
    const rows = 300;
    const x = new Float64Array(rows * 2);
    for (let k = 0; k < x.length; k++) x[k] = rng.normal(k % 2 === 0 ? 3 : -1, k % 2 === 0 ? 2 : 0.5);
    const rms = new RunningMeanStd(2);
    rms.updateRows(x, 100, 0);
    rms.updateRows(x, 120, 200);
    rms.updateRows(x, 80, 440);
    rms.updateRows(x, 0, 600);
    for (let j = 0; j < 2; j++) {
      // pooled with the prior (mean 0, var 1, count 1e-4); the tolerance is a few ulps of 300 sums.
      let s = 0;
      for (let r = 0; r < rows; r++) s += x[r * 2 + j];
      const n = rows + 1e-4;
      const m = s / n;
      let m2 = 1e-4 * (1 + m * m);
      for (let r = 0; r < rows; r++) m2 += (x[r * 2 + j] - m) ** 2;
      expect(Math.abs(rms.mean[j] - m)).toBeLessThan(1e-12 * (1 + Math.abs(m)));
      expect(Math.abs(rms.var[j] / (m2 / n) - 1)).toBeLessThan(1e-12);
    }
    expect(rms.count).toBe(300 + 1e-4);
    // The same rows through updateBatch on copies give the same bits (checkpoints store these numbers).
    const ref = new RunningMeanStd(2);
    ref.updateBatch(x.slice(0, 200), 100);
    ref.updateBatch(x.slice(200, 440), 120);
    ref.updateBatch(x.slice(440, 600), 80);
    expect(rms.toJSON()).toEqual(ref.toJSON());
    expect(() => rms.updateRows(x, 2, 599)).toThrow(/do not fit a buffer of 600/);
  });

  it('normalizes one row of a flat buffer into another, as normalize does, clipping to ±clip', () => {
    const rms = new RunningMeanStd(2);
    rms.updateBatch([1, 10, 3, 30, 8, -4], 3);
    const out = new Float32Array(4);
    rms.normalizeRow([0, rms.mean[0] + 1e6, rms.mean[1]], 1, out, 2, 10);
    expect(out[2]).toBe(10);
    expect(out[3]).toBe(0);
    const row = new Float64Array(2);
    rms.normalizeRow([5, -7], 0, row, 0);
    expect(Array.from(row)).toEqual(Array.from(rms.normalize([5, -7])));
  });
});
