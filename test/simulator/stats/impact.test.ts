import { describe, expect, it } from 'vitest';
import { fitLogLog, runImpactExperiment, ImpactError } from '../../../simulator/stats/impact.ts';
import { loadMarketConfig } from '../../../configs/index.ts';

describe('impact', () => {
  it('fits a power law exactly on exact data', () => {
    const x = [0.001, 0.01, 0.1];
    const y = x.map((q) => 0.8 * 0.02 * Math.pow(q, 0.5));
    const f = fitLogLog(x, y);
    expect(f.slope).toBeCloseTo(0.5, 12);
    expect(Math.exp(f.intercept)).toBeCloseTo(0.016, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.n).toBe(3);
    // Non-positive points are left out.
    expect(fitLogLog([0.1, 0.2, 0.3], [-1, 0.5, 0.7]).n).toBe(2);
  });

  it('runs paired experiments: identical paths before the metaorder, a complete curve after', () => {
    const res = runImpactExperiment({ spec: loadMarketConfig('default'), seeds: 2, fractions: [0.002], startSeconds: 900, durationSeconds: 120, sliceSeconds: 10, curveStepSeconds: 30 });
    const z = res.sizes[0];
    // The impact is exactly zero at the start: both runs of a seed are the same market until then.
    expect(z.curve[0]).toBe(0);
    expect(z.curve.length).toBe(Math.floor((3 * 120) / 30) + 1);
    for (const v of z.curve) expect(Number.isFinite(v)).toBe(true);
    expect(z.qty).toBeGreaterThan(0);
    expect(z.filledShare).toBeGreaterThan(0);
    expect(z.filledShare).toBeLessThanOrEqual(1);
    expect(z.participation).toBeGreaterThan(0);
    expect(z.participation).toBeLessThan(1);
    expect(z.completionSeconds).toBeGreaterThan(0);
    expect(z.completionSeconds).toBeLessThanOrEqual(120);
    expect(Number.isFinite(z.peak) && Number.isFinite(z.after1) && Number.isFinite(z.after2)).toBe(true);
    expect(z.peakSe).toBeGreaterThanOrEqual(0);
    expect(res.dailyVolatility).toBeGreaterThan(0);
    expect(res.dailyVolume).toBeGreaterThan(0);
  });

  it('rejects bad options', () => {
    const spec = loadMarketConfig('default');
    expect(() => runImpactExperiment({ spec, fractions: [1.5] })).toThrow(ImpactError);
    expect(() => runImpactExperiment({ spec, seeds: 1 })).toThrow(/seeds/);
    expect(() => runImpactExperiment({ spec, durationSeconds: 10, sliceSeconds: 20 })).toThrow(/sliceSeconds/);
  });
});
