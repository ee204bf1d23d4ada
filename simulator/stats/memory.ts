/**
 * Figures of the realism table that `facts.ts` does not give: the power-law decay of the
 * trade-sign ACF, the branching ratio of market-order arrivals, quantiles, and the time a book
 * side is empty. The same functions run on real (LOBSTER) and simulated sessions.
 */
import { autocorrelation } from './facts.ts';
import { fitHawkes } from '../flow/index.ts';
import { StatsError } from './errors.ts';

/** Lags of the trade-sign ACF used for the power-law fit (log-spaced, in trades). */
export const SIGN_FIT_LAGS: readonly number[] = [1, 2, 3, 5, 7, 10, 14, 20, 30, 50, 70, 100, 150, 200, 300];

export interface SignMemory {
  lags: number[];
  acf: number[];
  /**
   * γ of C(ℓ) ≈ A·ℓ^−γ, least squares of log C on log ℓ over the lags whose ACF is significantly
   * positive (above 2/√N, twice the sd of an ACF of independent signs); NaN with fewer than 3 such lags.
   */
  exponent: number;
  amplitude: number;
  /** Lags used in the fit. */
  points: number;
  /** R² of the log–log fit. */
  r2: number;
}

/** Trade-sign ACF at `SIGN_FIT_LAGS` and its fitted power-law exponent (Lillo–Farmer: γ ≈ 0.5 on long-memory stocks). */
export function signMemory(signs: ArrayLike<number>, lags: readonly number[] = SIGN_FIT_LAGS): SignMemory {
  const n = signs.length;
  const use = lags.filter((l) => l < n - 1);
  const acf = Array.from(autocorrelation(signs, use));
  const floor = 2 / Math.sqrt(Math.max(1, n));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < use.length; i++) {
    if (acf[i] > floor) {
      xs.push(Math.log(use[i]));
      ys.push(Math.log(acf[i]));
    }
  }
  let exponent = NaN;
  let amplitude = NaN;
  let r2 = NaN;
  if (xs.length >= 3) {
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < xs.length; i++) {
      sxy += (xs[i] - mx) * (ys[i] - my);
      sxx += (xs[i] - mx) ** 2;
      syy += (ys[i] - my) ** 2;
    }
    const slope = sxy / sxx;
    exponent = -slope;
    amplitude = Math.exp(my - slope * mx);
    r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1;
  }
  return { lags: use, acf, exponent, amplitude, points: xs.length, r2 };
}

/**
 * Branching ratio of market-order arrivals: spectral radius of the branching matrix of a 2-D
 * (buy, sell) exponential Hawkes process (one exponential, constant baseline) fitted by EM on
 * [t0, t1]. Simultaneous arrivals are kept (the fit handles ties). NaN with fewer than 10 orders.
 */
export function marketOrderBranching(times: ArrayLike<number>, signs: ArrayLike<number>, t0: number, t1: number): { branching: number; decay: number; mu: number[] } {
  if (!(t1 > t0)) throw new StatsError(`marketOrderBranching: window [${t0}, ${t1}] must have positive length`);
  const n = times.length;
  let m = 0;
  for (let i = 0; i < n; i++) if (times[i] >= t0 && times[i] <= t1) m++;
  if (m < 10) return { branching: NaN, decay: NaN, mu: [NaN, NaN] };
  const ts = new Float64Array(m);
  const ds = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) {
    if (times[i] < t0 || times[i] > t1) continue;
    ts[k] = times[i];
    ds[k++] = signs[i] > 0 ? 0 : 1;
  }
  const fit = fitHawkes({ times: ts, dims: ds }, { dims: 2, components: 1, t0, t1, maxIterations: 500, tolerance: 1e-6 });
  return { branching: fit.spectralRadius, decay: fit.decays[0], mu: fit.mu };
}

/** Quantiles (type 7, linear interpolation) of the finite values of `x`. */
export function quantiles(x: ArrayLike<number>, ps: readonly number[]): number[] {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i])) v.push(x[i]);
  if (v.length === 0) return ps.map(() => NaN);
  v.sort((a, b) => a - b);
  return ps.map((p) => {
    if (!(p >= 0 && p <= 1)) throw new StatsError(`quantile p must be in [0, 1], got ${p}`);
    const h = (v.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (h - lo) * (v[hi] - v[lo]);
  });
}
