/**
 * Almgren–Chriss (2000/2001), the discrete-time closed form (docs/reference.md): the one copy,
 * used by the Liquidate-AC-v0 env (its reported optimum) and the AC baseline policy.
 *
 * Model: sell X shares over T in N intervals of τ = T/N; holdings x_0 = X … x_N = 0, trades
 * n_k = x_{k−1} − x_k. Price S_k = S_{k−1} + σ√τ ξ_k − τ g(n_k/τ), execution price
 * S̃_k = S_{k−1} − h(n_k/τ), g(v) = γv, h(v) = ε sgn(v) + ηv. Cost = X S_0 − Σ n_k S̃_k.
 *
 * Units are whatever the caller uses consistently: with prices in $ and time in days (the paper's
 * example), σ is $/√day, η is $·day/share, γ is $/share, ε is $ per share and λ is 1/$; with the
 * simulator's calibration (agents/baselines/calibrate.ts), prices are ticks and time seconds.
 *
 * The optimal trajectory depends on (t, x) only through the time left and the holdings, so
 * re-solving from (t_k, x_k) gives the same continuation (time consistency): `acSellFraction`
 * is what a policy re-planning at each decision uses.
 */
import { EnvError } from '../core.ts';

/** The model's parameters, in the paper's notation. */
export interface AcParams {
  /** X: shares to sell (> 0). */
  X: number;
  /** T: the horizon, in the caller's time unit (> 0). */
  T: number;
  /** N: the number of trading intervals (integer >= 1); τ = T/N. */
  N: number;
  /** σ: price volatility, price units per √(time unit) (>= 0). */
  sigma: number;
  /** η: temporary impact, price units per (share per time unit) (> 0). */
  eta: number;
  /** γ: permanent impact, price units per share (>= 0). */
  gamma: number;
  /** ε: fixed cost per share (half spread plus fees), price units (>= 0). */
  epsilon: number;
  /** λ: risk aversion, 1 / price units (>= 0); 0 gives TWAP. */
  lambda: number;
}

export interface AcSolution {
  /** τ = T/N. */
  tau: number;
  /** η̃ = η − γτ/2. */
  etaTilde: number;
  /** κ (1 / time unit); 0 when λσ² = 0 (TWAP). */
  kappa: number;
  /** Holdings x_0 … x_N (length N+1; x_0 = X, x_N = 0). */
  holdings: Float64Array;
  /** E: the expected cost, price units × shares. */
  expectedCost: number;
  /** V: the variance of the cost, (price units × shares)². */
  variance: number;
}

function checkField(name: string, v: unknown, kind: 'positive' | 'nonnegative' | 'positive-integer'): void {
  const ok = typeof v === 'number' && Number.isFinite(v) && (kind === 'nonnegative' ? v >= 0 : v > 0) && (kind !== 'positive-integer' || Number.isInteger(v));
  if (!ok) throw new EnvError(`Almgren–Chriss ${name} must be a finite ${kind === 'positive-integer' ? 'integer >= 1' : kind === 'positive' ? 'number > 0' : 'number >= 0'}, got ${String(v)}`);
}

/** Validates AC parameters; throws EnvError naming the bad field. Returns τ and η̃. */
export function checkAcParams(p: AcParams): { tau: number; etaTilde: number } {
  if (typeof p !== 'object' || p === null) throw new EnvError(`Almgren–Chriss parameters must be an object, got ${String(p)}`);
  checkField('X', p.X, 'positive');
  checkField('T', p.T, 'positive');
  checkField('N', p.N, 'positive-integer');
  checkField('sigma', p.sigma, 'nonnegative');
  checkField('eta', p.eta, 'positive');
  checkField('gamma', p.gamma, 'nonnegative');
  checkField('epsilon', p.epsilon, 'nonnegative');
  checkField('lambda', p.lambda, 'nonnegative');
  const tau = p.T / p.N;
  const etaTilde = p.eta - (p.gamma * tau) / 2;
  if (!(etaTilde > 0)) {
    throw new EnvError(
      `eta − gamma·τ/2 must be > 0 for the Almgren–Chriss solution, got eta=${p.eta}, gamma=${p.gamma}, τ=${tau} (η̃=${etaTilde})`,
    );
  }
  return { tau, etaTilde };
}

/** κ = arccosh(1 + κ̃²τ²/2)/τ with κ̃² = λσ²/η̃ (computed as log1p for accuracy at small κ). */
export function acKappa(lambda: number, sigma: number, etaTilde: number, tau: number): number {
  const y = (lambda * sigma * sigma * tau * tau) / (2 * etaTilde);
  if (y === 0) return 0;
  return Math.log1p(y + Math.sqrt(y * (2 + y))) / tau;
}

/** sinh(κa)/sinh(κb) for 0 <= a <= b, b > 0, stable for large κ; the linear limit a/b at κ = 0. */
export function sinhRatio(kappa: number, a: number, b: number): number {
  if (kappa === 0) return a / b;
  const ka = kappa * a;
  const kb = kappa * b;
  if (kb < 20) return Math.sinh(ka) / Math.sinh(kb);
  // sinh(ka)/sinh(kb) = e^{ka−kb} (1 − e^{−2ka}) / (1 − e^{−2kb})
  return (Math.exp(ka - kb) * -Math.expm1(-2 * ka)) / -Math.expm1(-2 * kb);
}

/**
 * The fraction of current holdings that the AC schedule sells in the next interval when
 * `intervalsLeft` intervals remain: 1 − sinh(κ(m−1)τ)/sinh(κmτ). It is 1/m at κ = 0 (TWAP) and 1
 * when m = 1. Independent of the holdings, hence time consistent.
 */
export function acSellFraction(kappa: number, tau: number, intervalsLeft: number): number {
  if (intervalsLeft <= 1) return 1;
  if (kappa === 0) return 1 / intervalsLeft;
  return 1 - sinhRatio(kappa, (intervalsLeft - 1) * tau, intervalsLeft * tau);
}

/** Holdings x_0 … x_N of the schedule that starts from `x` with `intervals` intervals of `tau` left. */
export function acHoldings(kappa: number, tau: number, intervals: number, x: number): Float64Array {
  const out = new Float64Array(intervals + 1);
  const horizon = intervals * tau;
  for (let j = 0; j <= intervals; j++) out[j] = x * sinhRatio(kappa, (intervals - j) * tau, horizon);
  out[intervals] = 0;
  return out;
}

/**
 * E and V of ANY schedule `holdings` (x_0 = X … x_N = 0, non-increasing) under the AC model:
 * E = γX²/2 + εΣ|n_k| + (η̃/τ)Σ n_k², V = σ²τ Σ_{k=1..N} x_k². Used to cross-check the closed
 * form and to score schedules that are not AC-optimal.
 */
export function scheduleMoments(p: AcParams, holdings: ArrayLike<number>): { expectedCost: number; variance: number } {
  const { tau, etaTilde } = checkAcParams(p);
  if (holdings.length !== p.N + 1) {
    throw new EnvError(`holdings must have N+1 = ${p.N + 1} entries, got ${holdings.length}`);
  }
  const X = holdings[0];
  let abs = 0;
  let sq = 0;
  let hold = 0;
  for (let k = 1; k < holdings.length; k++) {
    const n = holdings[k - 1] - holdings[k];
    abs += Math.abs(n);
    sq += n * n;
    hold += holdings[k] * holdings[k];
  }
  return {
    expectedCost: (p.gamma * X * X) / 2 + p.epsilon * abs + (etaTilde / tau) * sq,
    variance: p.sigma * p.sigma * tau * hold,
  };
}

/** The optimal AC schedule with its closed-form E and V (docs/reference.md). */
export function solveAlmgrenChriss(p: AcParams): AcSolution {
  const { tau, etaTilde } = checkAcParams(p);
  const { X, T, N } = p;
  const kappa = acKappa(p.lambda, p.sigma, etaTilde, tau);
  const holdings = acHoldings(kappa, tau, N, X);
  if (kappa === 0) {
    const twap = twapMoments(p);
    return { tau, etaTilde, kappa, holdings, ...twap };
  }
  if (kappa * T > 300) {
    // sinh overflows far beyond this: the sums over the (stable) holdings are exact anyway.
    return { tau, etaTilde, kappa, holdings, ...scheduleMoments(p, holdings) };
  }
  const sT = Math.sinh(kappa * T);
  const sTau = Math.sinh(kappa * tau);
  const expectedCost =
    (p.gamma * X * X) / 2 +
    p.epsilon * X +
    (etaTilde * X * X * Math.tanh((kappa * tau) / 2) * (tau * Math.sinh(2 * kappa * T) + 2 * T * sTau)) / (2 * tau * tau * sT * sT);
  const variance =
    ((p.sigma * p.sigma * X * X) / 2) * ((tau * sT * Math.cosh(kappa * (T - tau)) - T * sTau) / (sT * sT * sTau));
  return { tau, etaTilde, kappa, holdings, expectedCost, variance };
}

/** TWAP (λ = 0): E = γX²/2 + εX + (η − γτ/2)X²/T, V = σ²X²T(1 − 1/N)(1 − 1/(2N))/3. */
export function twapMoments(p: AcParams): { expectedCost: number; variance: number } {
  const { etaTilde } = checkAcParams(p);
  const { X, T, N } = p;
  return {
    expectedCost: (p.gamma * X * X) / 2 + p.epsilon * X + (etaTilde * X * X) / T,
    variance: (p.sigma * p.sigma * X * X * T * (1 - 1 / N) * (1 - 1 / (2 * N))) / 3,
  };
}

/** Selling everything in the first interval: E = εX + ηX²/τ, V = 0. */
export function sellNowMoments(p: AcParams): { expectedCost: number; variance: number } {
  const { tau } = checkAcParams(p);
  const X = p.X;
  return { expectedCost: p.epsilon * X + (p.eta * X * X) / tau, variance: 0 };
}
