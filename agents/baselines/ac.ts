/**
 * The Almgren–Chriss policy: at each decision it re-solves the AC problem from (time left,
 * shares left) and sells the first interval of that schedule, 1 − sinh(κ(m−1)τ)/sinh(κmτ) of
 * what is left with m decisions left. Since κ does not depend on (t, x), this is the closed-form
 * schedule when the env follows it exactly, and it re-plans from the realized holdings otherwise.
 * In market mode the action is that amount as a multiple of the TWAP slice: m·fraction (1 when
 * λ = 0, i.e. TWAP).
 *
 * Parameters are in the env's units: for Liquidate-AC-v0 the paper's ($, days: pass the env's
 * sigma, eta, gamma, epsilon, lambda and tau = T/N); for the simulated market (ticks, seconds)
 * the calibration of agents/baselines/calibrate.ts, with τ = the env's decision interval.
 * Risk aversion is either `lambda` (1 / price unit) or `lambdaPerBps` (1/bps: the policy then
 * minimizes E + λ·V with costs in bps of arrival notional; converted per episode as
 * λ = lambdaPerBps · 1e4 / (X · arrival price)).
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { acKappa, acSellFraction } from '../../env/ac/closed-form.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision, requireNumber } from './context.ts';
import { BaselineError, checkNumber } from './errors.ts';

export interface AcPolicyOptions {
  /** σ: price units per √(time unit). */
  sigma: number;
  /** η: temporary impact, price units per (share per time unit); 0 (no impact beyond ε) makes κ infinite: sell at once. */
  eta: number;
  /** γ: permanent impact, price units per share. */
  gamma: number;
  /** ε: fixed cost per share, price units (does not change the schedule; kept for reports). */
  epsilon?: number;
  /** λ in 1 / price units. Give this or lambdaPerBps. */
  lambda?: number;
  /** λ in 1/bps of arrival notional. */
  lambdaPerBps?: number;
  /** τ: the decision interval in the parameters' time unit; default info.decisionSeconds. */
  tau?: number;
}

export class AlmgrenChrissPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'ac';
  readonly actionMode = 'market' as const;
  /** Its slice multiples must not be clipped by the env's default aMax (see BASELINE_ENV_OPTIONS). */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  readonly options: Readonly<AcPolicyOptions>;
  /** κ of the current episode (1 / time unit); Infinity when η − γτ/2 <= 0 (sell at once). */
  kappa = 0;
  private tau = 1;
  private low = 0;
  private high = Infinity;

  constructor(options: AcPolicyOptions) {
    if (typeof options !== 'object' || options === null) throw new BaselineError(`ac options must be an object, got ${String(options)}`);
    checkNumber('ac sigma', options.sigma, 'nonnegative');
    checkNumber('ac eta', options.eta, 'nonnegative');
    checkNumber('ac gamma', options.gamma, 'nonnegative');
    if (options.epsilon !== undefined) checkNumber('ac epsilon', options.epsilon, 'nonnegative');
    if ((options.lambda === undefined) === (options.lambdaPerBps === undefined)) {
      throw new BaselineError(`ac needs exactly one of lambda and lambdaPerBps, got lambda=${String(options.lambda)}, lambdaPerBps=${String(options.lambdaPerBps)}`);
    }
    if (options.lambda !== undefined) checkNumber('ac lambda', options.lambda, 'nonnegative');
    if (options.lambdaPerBps !== undefined) checkNumber('ac lambdaPerBps', options.lambdaPerBps, 'nonnegative');
    if (options.tau !== undefined) checkNumber('ac tau', options.tau, 'positive');
    this.options = Object.freeze({ ...options });
  }

  reset(info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
    const o = this.options;
    const tau = o.tau ?? requireNumber(info, 'decisionSeconds', 'ac (tau)');
    let lambda = o.lambda ?? 0;
    if (o.lambdaPerBps !== undefined) {
      const x = requireNumber(info, 'quantity', 'ac (lambdaPerBps)');
      const price = requireNumber(info, 'arrivalPrice', 'ac (lambdaPerBps)');
      lambda = (o.lambdaPerBps * 1e4) / (x * price);
    }
    const etaTilde = o.eta - (o.gamma * tau) / 2;
    this.tau = tau;
    // η̃ <= 0 (permanent impact outweighs temporary at this τ): the cost is concave in the trade
    // sizes and the optimum is to sell everything at once — the κ → ∞ limit.
    this.kappa = etaTilde > 0 ? acKappa(lambda, o.sigma, etaTilde, tau) : Infinity;
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'ac');
    const m = d.decisionsLeft;
    const a = this.kappa === 0 ? 1 : this.kappa === Infinity ? m : m * acSellFraction(this.kappa, this.tau, m);
    return Float64Array.of(Math.min(this.high, Math.max(this.low, a)));
  }
}
