import { describe, expect, it } from 'vitest';
import { FlowError, kolmogorovSurvival, ksExp1, ksTwoSample, qqExp1 } from '../../../simulator/flow/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

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
    expect(() => kolmogorovSurvival(Number.NaN)).toThrow(FlowError);
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
    expect(() => ksExp1([])).toThrow(FlowError);
  });
  it('gives Q-Q data', () => {
    const q = qqExp1([0.1, 0.2, 0.3, 0.4], 4);
    expect(q.theoretical[0]).toBeCloseTo(-Math.log(1 - 0.125), 12);
    expect(q.empirical).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(() => qqExp1([1], 0)).toThrow(/points/);
  });
});
