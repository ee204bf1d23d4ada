/**
 * Paired tests on per-episode differences d_i = a_i − b_i (same seeds): Student's paired t and
 * Wilcoxon's signed-rank test, both two-sided.
 */
import { StatsError } from './errors.ts';
import { normalCdf, studentTTwoSided } from '../../simulator/stats/special.ts';
import { checkPaired, mean, std, type Sample } from './summary.ts';

export interface PairedTResult {
  /** Mean of a − b. */
  meanDiff: number;
  /** Standard deviation of a − b (n − 1). */
  sdDiff: number;
  /** t = mean / (sd / √n); ±Infinity when every difference is the same non-zero value, 0 when all are 0. */
  t: number;
  /** Degrees of freedom n − 1. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/** Paired t-test of H0: E[a − b] = 0 (needs n >= 2). */
export function pairedTTest(a: Sample, b: Sample): PairedTResult {
  checkPaired(a, b, 2);
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const m = mean(d);
  const s = std(d);
  const df = n - 1;
  if (s === 0) {
    if (m === 0) return { meanDiff: 0, sdDiff: 0, t: 0, df, p: 1 };
    return { meanDiff: m, sdDiff: 0, t: m > 0 ? Infinity : -Infinity, df, p: 0 };
  }
  const t = m / (s / Math.sqrt(n));
  return { meanDiff: m, sdDiff: s, t, df, p: studentTTwoSided(t, df) };
}

export interface WilcoxonResult {
  /** W+: the sum of the ranks of |d| over positive differences (zeros dropped, ties averaged). */
  wPlus: number;
  /** Number of non-zero differences used. */
  n: number;
  /** Two-sided p-value. */
  p: number;
  /** 'exact' (n <= 50) or 'normal' (n > 50, with tie and continuity corrections). */
  method: 'exact' | 'normal';
  /** z statistic of the normal approximation (NaN for the exact method). */
  z: number;
}

/** Largest n with the exact null distribution. */
export const WILCOXON_EXACT_MAX_N = 50;

/**
 * Wilcoxon signed-rank test of H0: the differences a − b are symmetric about 0.
 *
 * Zero differences are dropped (Wilcoxon's convention, scipy's `zero_method='wilcox'`); tied |d|
 * get their average rank. For n <= 50 the p-value is exact: under H0 each sign is ±1 with
 * probability ½ independently given the ranks, so the distribution of W+ is counted by dynamic
 * programming over the doubled (integer) ranks — exact even with ties, conditional on them.
 * For n > 50: z = (|W+ − n(n+1)/4| − ½) / σ, σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups,
 * p = 2Φ(−z) (computed in the tail, accurate for tiny p).
 */
export function wilcoxonSignedRank(a: Sample, b: Sample): WilcoxonResult {
  checkPaired(a, b);
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d !== 0) diffs.push(d);
  }
  const n = diffs.length;
  if (n === 0) return { wPlus: 0, n: 0, p: 1, method: 'exact', z: Number.NaN };
  const order = diffs.map((_, i) => i).sort((i, j) => Math.abs(diffs[i]) - Math.abs(diffs[j]));
  // Doubled ranks (integers even with ties): tie group spanning positions lo..hi gets lo + hi + 2.
  const rank2 = new Int32Array(n);
  let tieTerm = 0;
  for (let lo = 0; lo < n; ) {
    let hi = lo;
    while (hi + 1 < n && Math.abs(diffs[order[hi + 1]]) === Math.abs(diffs[order[lo]])) hi++;
    for (let k = lo; k <= hi; k++) rank2[order[k]] = lo + hi + 2;
    const t = hi - lo + 1;
    tieTerm += t * t * t - t;
    lo = hi + 1;
  }
  let w2 = 0;
  for (let i = 0; i < n; i++) if (diffs[i] > 0) w2 += rank2[i];
  const wPlus = w2 / 2;
  if (n <= WILCOXON_EXACT_MAX_N) {
    // counts[s] = number of sign patterns with doubled W+ = s.
    const total = n * (n + 1);
    const counts = new Float64Array(total + 1);
    counts[0] = 1;
    let reach = 0;
    for (let i = 0; i < n; i++) {
      const r = rank2[i];
      for (let s = reach; s >= 0; s--) if (counts[s] !== 0) counts[s + r] += counts[s];
      reach += r;
    }
    let le = 0;
    let ge = 0;
    let all = 0;
    for (let s = 0; s <= total; s++) {
      all += counts[s];
      if (s <= w2) le += counts[s];
      if (s >= w2) ge += counts[s];
    }
    const p = Math.min(1, (2 * Math.min(le, ge)) / all);
    return { wPlus, n, p, method: 'exact', z: Number.NaN };
  }
  const mu = (n * (n + 1)) / 4;
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  if (!(sigma > 0)) throw new StatsError(`Wilcoxon variance is 0 for n=${n}`);
  const z = Math.max(0, Math.abs(wPlus - mu) - 0.5) / sigma;
  return { wPlus, n, p: Math.min(1, 2 * normalCdf(-z)), method: 'normal', z: wPlus >= mu ? z : -z };
}
