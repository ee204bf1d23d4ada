/**
 * An agent trained with several seeds against one baseline, on the same evaluation seeds: the mean
 * and the interquartile mean (IQM) of the paired differences agent − baseline pooled over training
 * seeds, with 95% stratified bootstrap intervals that resample training seeds and then episodes
 * within each (Agarwal et al., "Deep Reinforcement Learning at the Edge of the Statistical
 * Precipice", NeurIPS 2021), and per training seed the mean difference with its paired t and
 * Wilcoxon signed-rank p-values. The benchmark's cross-seed table and `evaluate --across-seeds`
 * both come from here.
 */
import * as stats from '../stats/index.ts';
import type { CrossSeedRow } from '../report/report.ts';

export interface CrossSeedOptions {
  /** Seed of the bootstrap's resampling stream. */
  bootstrapSeed: number;
  /** Resamples of the mean's interval (default 2000) and of the IQM's (default 1000). */
  meanResamples?: number;
  iqmResamples?: number;
}

/**
 * @param perRun IS (bps) of the agent per training seed, each on the same evaluation seeds, in the
 *   same order, as `baseline`.
 * @param runSeeds the training seed (or index) of each run, for the per-seed column.
 */
export function crossSeedRow(agent: string, baselineName: string, perRun: readonly ArrayLike<number>[], baseline: ArrayLike<number>, runSeeds: readonly number[], o: CrossSeedOptions): CrossSeedRow {
  if (perRun.length !== runSeeds.length) throw new RangeError(`crossSeedRow: ${perRun.length} runs but ${runSeeds.length} training seeds`);
  const m = stats.pairedDifferences(perRun, baseline);
  const meanCi = stats.stratifiedBootstrapCi(m, stats.matrixMean, { seed: o.bootstrapSeed, resamples: o.meanResamples ?? 2000 });
  const iqmCi = stats.stratifiedBootstrapCi(m, stats.matrixIqm, { seed: o.bootstrapSeed, resamples: o.iqmResamples ?? 1000 });
  return {
    agent,
    baseline: baselineName,
    seeds: perRun.length,
    episodes: baseline.length,
    meanBps: meanCi.estimate,
    meanLowBps: meanCi.low,
    meanHighBps: meanCi.high,
    iqmBps: iqmCi.estimate,
    iqmLowBps: iqmCi.low,
    iqmHighBps: iqmCi.high,
    perSeed: perRun.map((xs, i) => ({ seed: runSeeds[i], meanBps: stats.mean(xs) - stats.mean(baseline), pT: stats.pairedTTest(xs, baseline).p, pWilcoxon: stats.wilcoxonSignedRank(xs, baseline).p })),
  };
}

/** The rows as a plain-text table (the `evaluate --across-seeds` output). */
export function formatCrossSeedTable(rows: readonly CrossSeedRow[]): string {
  const f = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(2);
  const p = (x: number): string => (x >= 1e-4 ? x.toFixed(4) : x.toExponential(1));
  const lines = rows.map(
    (r) =>
      `${r.agent} vs ${r.baseline} (${r.seeds} seeds × ${r.episodes} episodes): mean Δ ${f(r.meanBps)} [${f(r.meanLowBps)}, ${f(r.meanHighBps)}], IQM Δ ${f(r.iqmBps)} [${f(r.iqmLowBps)}, ${f(r.iqmHighBps)}]\n` +
      `  per seed: ${r.perSeed.map((s) => `${s.seed}: ${f(s.meanBps)} (t p ${p(s.pT)} / W p ${p(s.pWilcoxon)})`).join('; ')}`,
  );
  return lines.join('\n') + '\n';
}
