/**
 * The cross-seed comparison (evaluate/cross-seed.ts): exact on constructed data, equal to the
 * statistics it is made of, and `evaluate --across-seeds` end to end.
 */
import { describe, expect, it } from 'vitest';
import { crossSeedRow, formatCrossSeedTable } from '../../../experiments/evaluate/index.ts';
import * as stats from '../../../experiments/stats/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { runCli } from '../cli-capture.ts';

describe('crossSeedRow', () => {
  it('an agent exactly 1 bp cheaper on every episode of every seed: mean, IQM and both intervals are −1', () => {
    const rng = Rng.fromSeed(3, 'cross-seed');
    const base = Array.from({ length: 200 }, () => rng.normal() * 15 + 3);
    const runs = [0, 1, 2, 3, 4].map(() => base.map((x) => x - 1));
    const r = crossSeedRow('agent', 'base', runs, base, [1, 2, 3, 4, 5], { bootstrapSeed: 1 });
    for (const v of [r.meanBps, r.meanLowBps, r.meanHighBps, r.iqmBps, r.iqmLowBps, r.iqmHighBps]) expect(v).toBeCloseTo(-1, 12);
    expect(r.perSeed.map((s) => s.seed)).toEqual([1, 2, 3, 4, 5]);
    for (const s of r.perSeed) expect(s.meanBps).toBeCloseTo(-1, 12);
    expect(r.seeds).toBe(5);
    expect(r.episodes).toBe(200);
  });

  it('is the stats module applied to the paired differences (pooled mean, IQM, per-seed t and Wilcoxon)', () => {
    const rng = Rng.fromSeed(4, 'cross-seed');
    const base = Array.from({ length: 300 }, () => rng.normal() * 10);
    const runs = [0.5, -0.2, 0].map((shift) => base.map((x) => x + shift + rng.normal()));
    const r = crossSeedRow('a', 'b', runs, base, [7, 8, 9], { bootstrapSeed: 2 });
    const m = stats.pairedDifferences(runs, base);
    expect(r.meanBps).toBeCloseTo(stats.matrixMean(m), 12);
    expect(r.iqmBps).toBeCloseTo(stats.matrixIqm(m), 12);
    expect(r.meanLowBps).toBeLessThan(r.meanBps);
    expect(r.meanHighBps).toBeGreaterThan(r.meanBps);
    r.perSeed.forEach((s, i) => {
      expect(s.pT).toBe(stats.pairedTTest(runs[i], base).p);
      expect(s.pWilcoxon).toBe(stats.wilcoxonSignedRank(runs[i], base).p);
    });
    // The seed with shift +0.5 (≈ 0.5 / (1/√300) = 8.7 standard errors) is far from 0.
    expect(r.perSeed[0].meanBps).toBeGreaterThan(0.3);
    expect(r.perSeed[0].pT).toBeLessThan(1e-6);
    expect(formatCrossSeedTable([r])).toContain('a vs b (3 seeds × 300 episodes): mean Δ');
  });

  it('refuses runs and training seeds of different counts', () => {
    expect(() => crossSeedRow('a', 'b', [[1], [2]], [0], [1], { bootstrapSeed: 1 })).toThrow(/2 runs but 1 training seeds/);
  });
});

describe('execution-gym evaluate --across-seeds', () => {
  it('prints the cross-seed comparison of the named policies with every other one', async () => {
    // Two "training seeds" of a baseline stand in for an agent's runs (same numbers, so Δ vs
    // itself is 0): enough to check the plumbing without training anything.
    const out = await runCli(['evaluate', '--policy', 'passive-twap,catch-up,twap', '--across-seeds', 'passive-twap,catch-up', '--episodes', '4', '--workers', '0']);
    expect(out.stdout).toMatch(/Across training seeds: passive-twap, catch-up as runs 1…2 of passive-twap/);
    expect(out.stdout).toMatch(/passive-twap vs twap \(2 seeds × 4 episodes\): mean Δ -\d/);
    expect(out.stdout).toMatch(/per seed: 1: -\d+\.\d\d \(t p [\d.e-]+ \/ W p [\d.e-]+\); 2: /);
  }, 60_000);

  it('refuses names that are not among --policy, and a group that leaves nothing to compare with', async () => {
    await expect(runCli(['evaluate', '--policy', 'twap,passive-twap', '--across-seeds', 'vwap', '--episodes', '2', '--workers', '0'])).rejects.toThrow(/--across-seeds: "vwap" is not one of --policy \(twap, passive-twap\)/);
    await expect(runCli(['evaluate', '--policy', 'twap,passive-twap', '--across-seeds', 'twap,passive-twap', '--episodes', '2', '--workers', '0'])).rejects.toThrow(/at least one other policy to compare with/);
  });
});
