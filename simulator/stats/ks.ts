/**
 * Kolmogorov–Smirnov tests, the one implementation in the project: one sample against Exp(1) (the
 * time-rescaling residuals of a Hawkes fit) and two samples (real against simulated facts), with
 * p-values from the Kolmogorov distribution, and Q-Q data for plots.
 */
import { StatsError } from './errors.ts';

/**
 * P(K > x) for the Kolmogorov distribution K = sup|Brownian bridge|:
 * 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²x²} for x ≥ 1, and 1 − (√(2π)/x) Σ_{k≥1} e^{−(2k−1)²π²/(8x²)}
 * for x < 1 (both series converge fast where used).
 */
export function kolmogorovSurvival(x: number): number {
  if (Number.isNaN(x)) throw new StatsError(`kolmogorovSurvival: x must be a number, got ${x}`);
  if (x <= 0) return 1;
  if (x < 1) {
    let s = 0;
    for (let k = 1; k <= 20; k++) s += Math.exp(-((2 * k - 1) ** 2) * Math.PI * Math.PI / (8 * x * x));
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / x) * s));
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    s += k % 2 === 1 ? term : -term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

export interface KsResult {
  /** D: the sup distance between the distribution functions. */
  statistic: number;
  /** Asymptotic p-value with Stephens' small-sample correction: Q((√nₑ + 0.12 + 0.11/√nₑ) D), nₑ = n (one sample) or nm/(n+m). */
  pValue: number;
  /** Sample size (of the first sample). */
  n: number;
  /** Size of the second sample (two-sample test), else 0. */
  m: number;
}

function sorted(xs: ArrayLike<number>, what: string): Float64Array {
  const a = Float64Array.from(xs as ArrayLike<number>);
  for (let i = 0; i < a.length; i++) if (Number.isNaN(a[i])) throw new StatsError(`${what}[${i}] is NaN`);
  return a.sort();
}

function pValue(d: number, n: number): number {
  const sn = Math.sqrt(n);
  return kolmogorovSurvival((sn + 0.12 + 0.11 / sn) * d);
}

/** One-sample KS of `xs` against Exp(1) (CDF 1 − e^{−x}). */
export function ksExp1(xs: ArrayLike<number>): KsResult {
  const a = sorted(xs, 'sample');
  const n = a.length;
  if (n === 0) throw new StatsError('ksExp1 needs a non-empty sample');
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = -Math.expm1(-Math.max(0, a[i]));
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return { statistic: d, pValue: pValue(d, n), n, m: 0 };
}

/** Two-sample KS of `xs` against `ys`. */
export function ksTwoSample(xs: ArrayLike<number>, ys: ArrayLike<number>): KsResult {
  const a = sorted(xs, 'first sample');
  const b = sorted(ys, 'second sample');
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new StatsError(`ksTwoSample needs two non-empty samples, got sizes ${n} and ${m}`);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i], b[j]);
    while (i < n && a[i] <= x) i++;
    while (j < m && b[j] <= x) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return { statistic: d, pValue: pValue(d, (n * m) / (n + m)), n, m };
}

/**
 * Q-Q data against Exp(1): `points` pairs (theoretical quantile −ln(1 − p), empirical quantile)
 * at p = (q − 0.5)/points, q = 1..points.
 */
export function qqExp1(xs: ArrayLike<number>, points = 100): { theoretical: number[]; empirical: number[] } {
  const a = sorted(xs, 'sample');
  if (a.length === 0) throw new StatsError('qqExp1 needs a non-empty sample');
  if (!Number.isInteger(points) || points < 1) throw new StatsError(`points must be an integer >= 1, got ${points}`);
  const theoretical: number[] = [];
  const empirical: number[] = [];
  for (let q = 1; q <= points; q++) {
    const p = (q - 0.5) / points;
    theoretical.push(-Math.log1p(-p));
    empirical.push(a[Math.min(a.length - 1, Math.floor(p * a.length))]);
  }
  return { theoretical, empirical };
}
