/**
 * Options of the Liquidate-AC-v0 env: the discrete Almgren–Chriss model's parameters (Almgren and
 * Chriss, "Optimal Execution of Portfolio Transactions", 2000; the closed form is closed-form.ts).
 *
 * Units follow the paper's example: shares, dollars, days. σ is in $/(share·√day), ε in $/share,
 * η in $·day/share², γ in $/share², λ in 1/$. τ = T / N.
 */
import { z } from 'zod';
import { EnvError } from '../core.ts';
import { parseOptions } from '../options.ts';
import type { AcParams } from './closed-form.ts';

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

/** The Liquidate-AC-v0 env's parameters: the model's (closed-form.ts) plus the price and action bound. */
export interface AcEnvParams extends AcParams {
  S0: number;
  aMax: number;
  /** τ = T / N, days. */
  tau: number;
}

/** Parses options into parameters. @throws EnvError naming the field and value. */
export function parseAcOptions(options: unknown): AcEnvParams {
  const o = parseOptions(AcOptionsSchema, options, 'Liquidate-AC-v0');
  const tau = o.T / o.N;
  const p: AcEnvParams = { ...o, aMax: o.aMax ?? o.N, tau };
  if (!(p.eta - (p.gamma * tau) / 2 > 0)) throw new EnvError(`invalid Liquidate-AC-v0 options: need eta - gamma*tau/2 > 0, got eta = ${p.eta}, gamma = ${p.gamma}, tau = ${tau}`);
  return p;
}
