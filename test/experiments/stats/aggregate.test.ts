import { describe, expect, it } from 'vitest';
import { StatsError, iqm, matrixIqm, matrixMean, pairedDifferences, performanceProfile, scoreMatrix, stratifiedBootstrapCi } from '../../../experiments/stats/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('aggregate statistics across training seeds', () => {
  it('IQM: the mean over the 25–75% range, fractional at the edges (rliable / scipy trim_mean(0.25) for n divisible by 4)', () => {
    expect(iqm([1, 2, 3, 4, 5, 6, 7, 8])).toBe(4.5); // mean of 3, 4, 5, 6
    expect(iqm([100, 1, 2, 3])).toBe(2.5); // order does not matter
    // n = 5: positions [1.25, 3.75) of the sorted 0..4: 0.75·1 + 1·2 + 0.75·3 over 2.5.
    expect(iqm([0, 1, 2, 3, 4])).toBeCloseTo((0.75 * 1 + 2 + 0.75 * 3) / 2.5, 15);
    expect(iqm([7])).toBe(7);
    expect(() => iqm([])).toThrow(StatsError);
  });

  it('a matrix is runs × the same episodes; paired differences subtract the baseline per episode', () => {
    const m = pairedDifferences([[3, 4, 5], [1, 1, 1]], [1, 2, 3]);
    expect(Array.from(m.values)).toEqual([2, 2, 2, 0, -1, -2]);
    expect(matrixMean(m)).toBe(0.5);
    expect(() => scoreMatrix([[1, 2], [1]])).toThrow(/same episodes/);
    expect(() => scoreMatrix([[1, Number.NaN]])).toThrow(/finite/);
  });

  it('the stratified bootstrap interval covers the true mean at about its nominal rate (run and episode effects)', () => {
    // Scores = run effect (sd 1) + episode effect (sd 2) + noise (sd 1), true mean 0: the interval
    // must account for both seeds. 120 simulated studies: coverage of a 90% interval within 4 sd of
    // a binomial(120, 0.9) (sd 3.3 studies); a bootstrap that ignored the run effect covers far less.
    const rng = Rng.fromSeed(1, 'aggregate-test');
    let covered = 0;
    const studies = 120;
    for (let s = 0; s < studies; s++) {
      const runs = 5;
      const eps = 40;
      const runFx = Array.from({ length: runs }, () => rng.normal());
      const epFx = Array.from({ length: eps }, () => 2 * rng.normal());
      const rows = runFx.map((a) => epFx.map((b) => a + b + rng.normal()));
      const ci = stratifiedBootstrapCi(scoreMatrix(rows), matrixMean, { resamples: 300, confidence: 0.9, seed: s });
      if (ci.low <= 0 && 0 <= ci.high) covered++;
    }
    expect(Math.abs(covered - 0.9 * studies)).toBeLessThan(4 * Math.sqrt(studies * 0.9 * 0.1) + 3);
  });

  it('the same seed gives the same interval; the IQM resists an outlier run', () => {
    const rows = [[1, 2, 3, 4], [1, 2, 3, 5], [100, 100, 100, 100], [1, 2, 3, 4]];
    const m = scoreMatrix(rows);
    expect(stratifiedBootstrapCi(m, matrixIqm, { seed: 4 })).toEqual(stratifiedBootstrapCi(m, matrixIqm, { seed: 4 }));
    expect(matrixIqm(m)).toBeLessThan(5);
    expect(matrixMean(m)).toBeGreaterThan(25);
  });

  it('the performance profile is the share of scores at or below each threshold, non-decreasing, with a band', () => {
    const m = scoreMatrix([[0, 1, 2, 3], [4, 5, 6, 7]]);
    const p = performanceProfile(m, [-1, 0, 3.5, 7], { seed: 1, resamples: 50 });
    expect(p.map((x) => x.fraction)).toEqual([0, 0.125, 0.5, 1]);
    for (const x of p) expect(x.low <= x.fraction && x.fraction <= x.high).toBe(true);
  });
});
