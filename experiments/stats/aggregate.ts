/**
 * Statistics across training seeds (Agarwal et al., "Deep Reinforcement Learning at the Edge of
 * the Statistical Precipice", NeurIPS 2021): a learning agent's scores form a matrix, one row per
 * training seed (run) and one column per evaluation episode (the same held-out seeds for every run
 * and every baseline, so columns are paired).
 *
 * - `iqm`: the interquartile mean, the mean of the middle 50% of all scores (robust to a few
 *   outlier runs and episodes, more efficient than the median).
 * - `stratifiedBootstrapCi`: a percentile interval of any statistic of the matrix from resamples
 *   that draw runs with replacement and, independently, episodes with replacement (one episode
 *   draw shared by every run: the crossed design stays paired). Both sources of uncertainty, the
 *   training seed and the market seed, are in the interval.
 * - `performanceProfile`: for each threshold τ, the fraction of all (run, episode) scores at or
 *   below τ (IS is a cost: lower is better), the "score distribution" plot of the paper, here of
 *   costs.
 */
import { Rng } from '../../simulator/random/index.ts';
import { StatsError } from './errors.ts';
import { quantileSorted } from './summary.ts';

/** Runs × episodes, row-major. */
export interface ScoreMatrix {
  runs: number;
  episodes: number;
  /** values[r * episodes + e]. */
  values: Float64Array;
}

/** A matrix from rows (one per run, all of the same length, finite values). @throws StatsError. */
export function scoreMatrix(rows: readonly ArrayLike<number>[]): ScoreMatrix {
  if (!Array.isArray(rows) || rows.length === 0) throw new StatsError(`a score matrix needs at least one run, got ${rows?.length ?? 'none'}`);
  const episodes = rows[0].length;
  if (episodes === 0) throw new StatsError('a score matrix needs at least one episode per run');
  const values = new Float64Array(rows.length * episodes);
  rows.forEach((row, r) => {
    if (row.length !== episodes) throw new StatsError(`run ${r} has ${row.length} episodes, run 0 has ${episodes}: every run must be scored on the same episodes`);
    for (let e = 0; e < episodes; e++) {
      const x = row[e];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new StatsError(`run ${r}, episode ${e}: a score must be a finite number, got ${String(x)}`);
      values[r * episodes + e] = x;
    }
  });
  return { runs: rows.length, episodes, values };
}

/**
 * Interquartile mean of `xs`: sort, drop the lowest and highest quarter (fractionally at the
 * boundaries, so every n gives exactly the mean over the 25–75% quantile range), average the rest.
 */
export function iqm(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) throw new StatsError('iqm of an empty sample');
  const s = Float64Array.from(xs).sort();
  // Weighted mean over positions [n/4, 3n/4): whole elements inside, fractional at the ends.
  const lo = n / 4;
  const hi = (3 * n) / 4;
  let sum = 0;
  for (let i = Math.floor(lo); i < Math.ceil(hi); i++) {
    const w = Math.min(i + 1, hi) - Math.max(i, lo);
    if (w > 0) sum += w * s[i];
  }
  return sum / (hi - lo);
}

export function matrixMean(m: ScoreMatrix): number {
  let s = 0;
  for (let i = 0; i < m.values.length; i++) s += m.values[i];
  return s / m.values.length;
}

export function matrixIqm(m: ScoreMatrix): number {
  return iqm(m.values);
}

export interface StratifiedBootstrapOptions {
  resamples?: number;
  confidence?: number;
  seed?: number;
}

/**
 * Percentile interval of `stat` over resampled matrices: each resample draws `runs` runs and
 * `episodes` episodes with replacement (independently), from the stream
 * Rng.fromSeed(seed, 'stats/stratified-bootstrap'). Returns the point estimate on the data too.
 */
export function stratifiedBootstrapCi(
  m: ScoreMatrix,
  stat: (m: ScoreMatrix) => number,
  options: StratifiedBootstrapOptions = {},
): { estimate: number; low: number; high: number } {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 10) throw new StatsError(`resamples must be an integer >= 10, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new StatsError(`confidence must be in (0, 1), got ${confidence}`);
  const rng = Rng.fromSeed(options.seed ?? 0, 'stats/stratified-bootstrap');
  const { runs, episodes } = m;
  const buf: ScoreMatrix = { runs, episodes, values: new Float64Array(runs * episodes) };
  const rowPick = new Int32Array(runs);
  const colPick = new Int32Array(episodes);
  const out = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let r = 0; r < runs; r++) rowPick[r] = Math.floor(rng.next() * runs);
    for (let e = 0; e < episodes; e++) colPick[e] = Math.floor(rng.next() * episodes);
    for (let r = 0; r < runs; r++) {
      const src = rowPick[r] * episodes;
      const dst = r * episodes;
      for (let e = 0; e < episodes; e++) buf.values[dst + e] = m.values[src + colPick[e]];
    }
    out[b] = stat(buf);
  }
  out.sort();
  const a = (1 - confidence) / 2;
  return { estimate: stat(m), low: quantileSorted(out, a), high: quantileSorted(out, 1 - a) };
}

/**
 * The fraction of all scores at or below each threshold (a cost's empirical distribution function
 * over runs and episodes), with a stratified-bootstrap band.
 */
export function performanceProfile(
  m: ScoreMatrix,
  taus: readonly number[],
  options: StratifiedBootstrapOptions = {},
): { tau: number; fraction: number; low: number; high: number }[] {
  return taus.map((tau) => {
    const frac = (x: ScoreMatrix): number => {
      let k = 0;
      for (let i = 0; i < x.values.length; i++) if (x.values[i] <= tau) k++;
      return k / x.values.length;
    };
    const ci = stratifiedBootstrapCi(m, frac, { ...options, resamples: options.resamples ?? 500 });
    return { tau, fraction: ci.estimate, low: ci.low, high: ci.high };
  });
}

/**
 * Paired differences of a learning agent against a baseline on the same episodes: rows of
 * agent[r][e] − baseline[e].
 */
export function pairedDifferences(agent: readonly ArrayLike<number>[], baseline: ArrayLike<number>): ScoreMatrix {
  return scoreMatrix(
    agent.map((row, r) => {
      if (row.length !== baseline.length) throw new StatsError(`run ${r} has ${row.length} episodes, the baseline ${baseline.length}`);
      return Float64Array.from(row, (x, e) => x - baseline[e]);
    }),
  );
}
