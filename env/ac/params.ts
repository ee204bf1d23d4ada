/**
 * Parameters and closed forms of the discrete Almgren–Chriss model (REFERENCE.md; Almgren and
 * Chriss, "Optimal Execution of Portfolio Transactions", 2000).
 *
 * Units follow the paper's example: shares, dollars, days. σ is in $/(share·√day), ε in $/share,
 * η in $·day/share², γ in $/share², λ in 1/$. τ = T / N.
 */
import { z } from 'zod';
import { EnvError } from '../core.ts';
import { parseOptions } from '../options.ts';

const positive = (what: string) => z.number({ error: `${what} must be a number` }).refine((x) => Number.isFinite(x) && x > 0, { error: `${what} must be a finite number > 0` });
const nonNegative = (what: string) => z.number({ error: `${what} must be a number` }).refine((x) => Number.isFinite(x) && x >= 0, { error: `${what} must be a finite number >= 0` });

export const AcOptionsSchema = z
  .object({
    /** Shares to sell, X. */
    X: positive('X').default(1e6),
    /** Initial (arrival) price S0, $. */
    S0: positive('S0').default(50),
    /** Horizon T, days. */
    T: positive('T').default(5),
    /** Number of trading intervals (decisions) N. */
    N: z.number().int({ error: 'N must be an integer' }).min(1, { error: 'N must be >= 1' }).max(1_000_000, { error: 'N must be <= 1e6' }).default(5),
    /** Volatility σ, $/(share·√day). */
    sigma: nonNegative('sigma').default(0.95),
    /** Fixed cost ε (half spread plus fees), $/share. */
    epsilon: nonNegative('epsilon').default(0.0625),
    /** Temporary impact η, $·day/share². */
    eta: positive('eta').default(2.5e-6),
    /** Permanent impact γ, $/share². */
    gamma: nonNegative('gamma').default(2.5e-7),
    /** Risk aversion λ, 1/$ (the reward's per-step variance penalty). */
    lambda: nonNegative('lambda').default(1e-6),
    /** Largest action (multiple of the TWAP slice); default N, so that selling everything at once is reachable. */
    aMax: positive('aMax').optional(),
  })
  .strict();

export type AcOptionsInput = z.input<typeof AcOptionsSchema>;

export interface AcParams {
  X: number;
  S0: number;
  T: number;
  N: number;
  sigma: number;
  epsilon: number;
  eta: number;
  gamma: number;
  lambda: number;
  aMax: number;
  /** τ = T / N, days. */
  tau: number;
}

/** Parses options into parameters. @throws EnvError naming the field and value. */
export function parseAcOptions(options: unknown): AcParams {
  const o = parseOptions(AcOptionsSchema, options, 'Liquidate-AC-v0');
  const tau = o.T / o.N;
  const p: AcParams = { ...o, aMax: o.aMax ?? o.N, tau };
  if (!(p.eta - (p.gamma * tau) / 2 > 0)) throw new EnvError(`invalid Liquidate-AC-v0 options: need eta - gamma*tau/2 > 0, got eta = ${p.eta}, gamma = ${p.gamma}, tau = ${tau}`);
  return p;
}

export interface AcClosedForm {
  /** Urgency κ, 1/day (0 for λ = 0: TWAP). */
  kappa: number;
  /** Holdings x_0 = X, ..., x_N = 0 (shares). */
  holdings: Float64Array;
  /** Expected implementation shortfall E, $. */
  E: number;
  /** Variance of the implementation shortfall V, $². */
  V: number;
}

/** E and V of an arbitrary deterministic schedule of holdings x_0 = X ... x_N = 0 (exact discrete sums). */
export function scheduleCost(p: AcParams, holdings: ArrayLike<number>): { E: number; V: number } {
  let E = 0;
  let V = 0;
  for (let k = 1; k <= p.N; k++) {
    const n = holdings[k - 1] - holdings[k];
    // Permanent impact: every later-held share loses γ n; temporary: n (ε + η n / τ).
    E += p.gamma * n * holdings[k] + (n > 0 ? p.epsilon * n : n < 0 ? -p.epsilon * n : 0) + (p.eta * n * n) / p.tau;
    V += p.sigma * p.sigma * p.tau * holdings[k] * holdings[k];
  }
  return { E, V };
}

/** The optimal schedule for risk aversion `lambda` (default the params' λ) and its E and V (REFERENCE.md). */
export function acOptimal(p: AcParams, lambda = p.lambda): AcClosedForm {
  const { X, T, N, tau, sigma, epsilon, gamma } = p;
  const etaT = p.eta - (gamma * tau) / 2;
  if (lambda === 0) return twapClosedForm(p);
  const kt2 = (lambda * sigma * sigma) / etaT;
  const kappa = Math.acosh(1 + (kt2 * tau * tau) / 2) / tau;
  const holdings = new Float64Array(N + 1);
  const sKT = Math.sinh(kappa * T);
  for (let j = 0; j <= N; j++) holdings[j] = (Math.sinh(kappa * (T - j * tau)) / sKT) * X;
  holdings[N] = 0;
  const E =
    (gamma * X * X) / 2 +
    epsilon * X +
    (etaT * X * X * Math.tanh((kappa * tau) / 2) * (tau * Math.sinh(2 * kappa * T) + 2 * T * Math.sinh(kappa * tau))) / (2 * tau * tau * sKT * sKT);
  const V = ((sigma * sigma * X * X) / 2) * ((tau * sKT * Math.cosh(kappa * (T - tau)) - T * Math.sinh(kappa * tau)) / (sKT * sKT * Math.sinh(kappa * tau)));
  return { kappa, holdings, E, V };
}

/** TWAP (λ = 0): E = γX²/2 + εX + (η − γτ/2)X²/T, V = σ²X²T(1 − 1/N)(1 − 1/(2N))/3. */
export function twapClosedForm(p: AcParams): AcClosedForm {
  const { X, T, N, tau, sigma, epsilon, gamma } = p;
  const holdings = new Float64Array(N + 1);
  for (let j = 0; j <= N; j++) holdings[j] = X * (1 - j / N);
  holdings[N] = 0;
  const E = (gamma * X * X) / 2 + epsilon * X + ((p.eta - (gamma * tau) / 2) * X * X) / T;
  const V = (sigma * sigma * X * X * T * (1 - 1 / N) * (1 - 1 / (2 * N))) / 3;
  return { kappa: 0, holdings, E, V };
}
