import { describe, expect, it } from 'vitest';
import {
  bootstrapMeanCi,
  mean,
  meanVariance,
  pairedTTest,
  probabilityBeat,
  quantileSorted,
  StatsError,
  std,
  variance,
  wilcoxonSignedRank,
} from '../../../experiments/stats/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('summary statistics', () => {
  it('mean, variance (n − 1), std, quantiles and E + λVar by hand', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(variance(xs)).toBeCloseTo(32 / 7, 14);
    expect(std(xs)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(meanVariance(xs, 0.5)).toBeCloseTo(5 + 16 / 7, 13);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(variance([3])).toBe(0);
  });

  it('P(beat) counts strict wins and half the ties', () => {
    expect(probabilityBeat([1, 2, 3, 4], [2, 2, 1, 5])).toBe((1 + 0.5 + 0 + 1) / 4);
  });

  it('the bootstrap interval is reproducible and has the normal-theory width', () => {
    const rng = Rng.fromSeed(7, 'test');
    const xs = Array.from({ length: 1000 }, () => rng.normal(3, 2));
    const a = bootstrapMeanCi(xs, { seed: 1 });
    const b = bootstrapMeanCi(xs, { seed: 1 });
    expect(a).toEqual(b);
    const m = mean(xs);
    const se = std(xs) / Math.sqrt(xs.length);
    expect(a.low).toBeLessThan(m);
    expect(a.high).toBeGreaterThan(m);
    // Half-width ≈ 1.96 se. With B = 2000, a bootstrap quantile's Monte Carlo error is about
    // √(q(1−q)/B)/φ(z_q) ≈ 0.05 se, so 1.96 ± 0.25 se (5 sd) bounds it.
    const half = (a.high - a.low) / 2;
    expect(Math.abs(half / se - 1.96)).toBeLessThan(0.25);
    // Percentile bootstrap of a symmetric sample: the interval is centred within 0.25 se too.
    expect(Math.abs((a.high + a.low) / 2 - m) / se).toBeLessThan(0.25);
  });

  it('rejects empty, non-finite and mismatched samples', () => {
    expect(() => mean([])).toThrow(StatsError);
    expect(() => mean([1, Number.NaN])).toThrow(/sample\[1\] must be a finite number, got NaN/);
    expect(() => probabilityBeat([1, 2], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => bootstrapMeanCi([1, 2], { confidence: 1.5 })).toThrow(/confidence/);
    expect(() => meanVariance([1, 2], -1)).toThrow(/lambda/);
  });
});

describe('paired tests', () => {
  // Hollander & Wolfe's example (scipy.stats.wilcoxon documentation).
  const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];

  it('paired t matches scipy.stats.ttest_rel', () => {
    const r = pairedTTest(x, y);
    expect(Math.abs(r.t - 3.0353754156485917)).toBeLessThan(1e-12);
    expect(r.df).toBe(8);
    expect(Math.abs(r.p - 0.016176627434908088) / 0.016176627434908088).toBeLessThan(1e-10);
    expect(pairedTTest([1, 2], [1, 2]).p).toBe(1);
    expect(pairedTTest([2, 3], [1, 2]).p).toBe(0);
  });

  it('Wilcoxon exact p-values match scipy (method="exact")', () => {
    const r = wilcoxonSignedRank(x, y);
    expect(r.method).toBe('exact');
    expect(r.n).toBe(9);
    expect(r.p).toBeCloseTo(0.0390625, 14);
    // All five differences positive: W+ = 15, p = 2/32.
    const five = wilcoxonSignedRank([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
    expect(five.wPlus).toBe(15);
    expect(five.p).toBe(0.0625);
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    expect(wilcoxonSignedRank(d, new Array(15).fill(0)).p).toBeCloseTo(0.041259765625, 14);
  });

  it('Wilcoxon exact distribution with ties equals brute-force enumeration of the 2^n signs', () => {
    const d = [1, -1, 2, 2, -2, 3, 0, 5, -5, 5, 4, 1.5];
    const zeros = new Array(d.length).fill(0);
    const r = wilcoxonSignedRank(d, zeros);
    // Brute force on the doubled mid-ranks of the non-zero |d|.
    const nz = d.filter((v) => v !== 0);
    const abs = nz.map(Math.abs);
    const rank2 = abs.map((v) => abs.filter((u) => u < v).length * 2 + abs.filter((u) => u === v).length + 1);
    const w2 = nz.reduce((s, v, i) => s + (v > 0 ? rank2[i] : 0), 0);
    let le = 0;
    let ge = 0;
    const total = 2 ** nz.length;
    for (let mask = 0; mask < total; mask++) {
      let s = 0;
      for (let i = 0; i < nz.length; i++) if (mask & (1 << i)) s += rank2[i];
      if (s <= w2) le++;
      if (s >= w2) ge++;
    }
    expect(r.n).toBe(11);
    expect(r.wPlus).toBe(w2 / 2);
    expect(r.p).toBeCloseTo(Math.min(1, (2 * Math.min(le, ge)) / total), 14);
  });

  it('Wilcoxon normal approximation (n > 50, ties, zeros) matches scipy (method="approx", correction=True)', () => {
    const d = Array.from({ length: 80 }, (_, i) => ((i * 37) % 23) - 11);
    const zeros = new Array(80).fill(0);
    const r = wilcoxonSignedRank(d, zeros);
    expect(r.method).toBe('normal');
    expect(r.n).toBe(76);
    expect(r.wPlus).toBe(1403);
    expect(Math.abs(r.p - 0.7578056494008537)).toBeLessThan(1e-12);
    const d2 = d.map((v) => v + 1);
    const r2 = wilcoxonSignedRank(d2, zeros);
    expect(r2.wPlus).toBe(1660);
    expect(Math.abs(r2.p - 0.3085035184529453)).toBeLessThan(1e-12);
    const t2 = pairedTTest(d2, zeros);
    expect(Math.abs(t2.t - 1.0317455797705513)).toBeLessThan(1e-12);
    expect(Math.abs(t2.p - 0.3053396506122581)).toBeLessThan(1e-12);
  });

  it('all-zero differences give p = 1', () => {
    expect(wilcoxonSignedRank([1, 2], [1, 2]).p).toBe(1);
  });
});
