import { describe, expect, it } from 'vitest';
import { StatsError, kolmogorovSurvival, ksExp1, ksTwoSample, qqExp1 } from '../../../simulator/stats/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

function normals(seed: number, n: number): Float64Array {
  const rng = Rng.fromSeed(seed, 'facts-test');
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

describe('Kolmogorov distribution', () => {
  it('matches tabulated critical values', () => {
    // P(K > 1.3581) = 0.05, P(K > 1.6276) = 0.01, P(K > 1.2238) = 0.10, P(K > 0.8276) = 0.5.
    expect(kolmogorovSurvival(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovSurvival(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovSurvival(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovSurvival(0.8276)).toBeCloseTo(0.5, 3);
    expect(kolmogorovSurvival(0)).toBe(1);
    // The two series agree where they meet.
    expect(kolmogorovSurvival(1 - 1e-12)).toBeCloseTo(kolmogorovSurvival(1), 9);
    expect(() => kolmogorovSurvival(Number.NaN)).toThrow(StatsError);
  });
});

describe('KS tests', () => {
  it('accepts Exp(1) draws and rejects Exp(2) draws', () => {
    const rng = Rng.fromSeed(1, 'ks');
    const a = Float64Array.from({ length: 5000 }, () => rng.exponential(1));
    const b = Float64Array.from({ length: 5000 }, () => rng.exponential(2));
    expect(ksExp1(a).pValue).toBeGreaterThan(0.001);
    expect(ksExp1(b).pValue).toBeLessThan(1e-6);
    expect(ksTwoSample(a, Float64Array.from({ length: 3000 }, () => rng.exponential(1))).pValue).toBeGreaterThan(0.001);
    expect(ksTwoSample(a, b).pValue).toBeLessThan(1e-6);
  });
  it('computes the exact statistic on small samples', () => {
    // Sample {ln 2}: F = 0.5, D = 0.5.
    expect(ksExp1([Math.LN2]).statistic).toBeCloseTo(0.5, 12);
    expect(ksTwoSample([1, 2, 3], [4, 5]).statistic).toBe(1);
    expect(ksTwoSample([1, 2], [1, 2]).statistic).toBe(0);
    expect(() => ksExp1([])).toThrow(StatsError);
  });
  it('gives Q-Q data', () => {
    const q = qqExp1([0.1, 0.2, 0.3, 0.4], 4);
    expect(q.theoretical[0]).toBeCloseTo(-Math.log(1 - 0.125), 12);
    expect(q.empirical).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(() => qqExp1([1], 0)).toThrow(/points/);
  });

  it('two-sample D on a hand-computed case', () => {
    // F_a - F_b: at 2: 0.5 - 0; at 3: 0.75 - 0.2; at 4: 1 - 0.4 = 0.6 (the maximum).
    const ks = ksTwoSample([4, 3, 2, 1], [3, 4, 5, 6, 7]);
    expect(ks.statistic).toBeCloseTo(0.6, 15);
    expect([ks.n, ks.m]).toEqual([4, 5]);
    expect(ksTwoSample([1, 2, 3], [1, 2, 3]).statistic).toBe(0);
    expect(ksTwoSample([1, 2], [3, 4]).statistic).toBe(1);
    expect(() => ksTwoSample([], [1])).toThrow(StatsError);
  });

  it('p-values: same distribution is not rejected, a one-sd shift is', () => {
    const a = normals(5, 2000);
    const b = normals(6, 2000);
    expect(ksTwoSample(a, b).pValue).toBeGreaterThan(1e-4);
    const shifted = b.map((x) => x + 1);
    expect(ksTwoSample(a, shifted).pValue).toBeLessThan(1e-6);
  });
});
