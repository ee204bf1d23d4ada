/**
 * Descriptive statistics of per-episode costs: mean, standard deviation, a seeded percentile
 * bootstrap interval of the mean, the mean–variance objective E + λ·Var and P(beat baseline).
 */
import { Rng } from '../../simulator/random/index.ts';
import { StatsError } from './errors.ts';

export type Sample = ArrayLike<number>;

/** Throws StatsError unless `xs` is a non-empty list of finite numbers (at least `min` of them). */
export function checkSample(xs: Sample, what = 'sample', min = 1): void {
  if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
    throw new StatsError(`${what} must be an array of numbers, got ${String(xs)}`);
  }
  if (xs.length < min) throw new StatsError(`${what} needs at least ${min} value(s), got ${xs.length}`);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new StatsError(`${what}[${i}] must be a finite number, got ${String(x)}`);
  }
}

export function mean(xs: Sample): number {
  checkSample(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** The unbiased sample variance (divides by n − 1); 0 for a single value. */
export function variance(xs: Sample): number {
  const m = mean(xs);
  if (xs.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) * (xs[i] - m);
  return s / (xs.length - 1);
}

/** The sample standard deviation (n − 1). */
export function std(xs: Sample): number {
  return Math.sqrt(variance(xs));
}

/** Quantile of SORTED values by linear interpolation (numpy's default, "type 7"). */
export function quantileSorted(sorted: Sample, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new StatsError(`quantile level must be in [0, 1], got ${q}`);
  checkSample(sorted, 'sorted sample');
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface BootstrapOptions {
  /** Number of resamples (default 2,000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  confidence?: number;
  /** Seed of the resampling stream (default 0): the same seed gives the same interval. */
  seed?: number;
}

/**
 * Percentile bootstrap interval of the mean: `resamples` means of n draws with replacement from
 * `xs`, from the stream `Rng.fromSeed(seed, 'stats/bootstrap')`; returns their
 * (1−c)/2 and (1+c)/2 quantiles.
 */
export function bootstrapMeanCi(xs: Sample, options: BootstrapOptions = {}): { low: number; high: number } {
  checkSample(xs);
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 10) throw new StatsError(`resamples must be an integer >= 10, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new StatsError(`confidence must be in (0, 1), got ${confidence}`);
  const rng = Rng.fromSeed(seed, 'stats/bootstrap');
  const n = xs.length;
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rng.next() * n)];
    means[b] = s / n;
  }
  means.sort();
  return { low: quantileSorted(means, (1 - confidence) / 2), high: quantileSorted(means, (1 + confidence) / 2) };
}

/** The mean–variance objective E + λ·Var of costs (λ in 1 / cost unit, e.g. 1/bps for costs in bps). */
export function meanVariance(xs: Sample, lambda: number): number {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new StatsError(`lambda must be a finite number >= 0, got ${lambda}`);
  return mean(xs) + lambda * variance(xs);
}

/** Checks that two paired samples have the same length. */
export function checkPaired(a: Sample, b: Sample, min = 1): void {
  checkSample(a, 'first sample', min);
  checkSample(b, 'second sample', min);
  if (a.length !== b.length) throw new StatsError(`paired samples must have the same length, got ${a.length} and ${b.length}`);
}

/** P(cost < baseline cost) over paired episodes; ties count one half. */
export function probabilityBeat(costs: Sample, baseline: Sample): number {
  checkPaired(costs, baseline);
  let wins = 0;
  for (let i = 0; i < costs.length; i++) {
    if (costs[i] < baseline[i]) wins += 1;
    else if (costs[i] === baseline[i]) wins += 0.5;
  }
  return wins / costs.length;
}
