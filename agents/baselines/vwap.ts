/**
 * VWAP: follows the market's expected volume profile. With U(t) the expected cumulative share of
 * the horizon's volume traded by time t (U = 0 at the first decision, 1 at the deadline), the
 * target holdings are x(t) = X(1 − U(t)) (docs/reference.md); at decision k the policy sells down to
 * the target of the next decision, x_k − X(1 − U_{k+1}), with market orders (catching up on any
 * shortfall). With a flat profile this is TWAP.
 *
 * U comes from `options.cumulative` (N+1 values U_0 = 0 … U_N = 1) or, per episode, from the env's
 * `info.expectedCumulativeVolume` (same shape; the execution env computes it from the preset's
 * intraday profile and the episode's start time in the session).
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision, sliceMultiple } from './context.ts';
import { BaselineError } from './errors.ts';

export interface VwapOptions {
  /** Expected cumulative volume fractions at the decision times, U_0 = 0 … U_N = 1 (non-decreasing). */
  cumulative?: readonly number[];
}

export function checkCumulative(u: unknown, what: string): Float64Array {
  if (!Array.isArray(u) && !(u instanceof Float64Array)) throw new BaselineError(`${what} must be an array of numbers, got ${String(u)}`);
  const arr = Float64Array.from(u as ArrayLike<number>);
  if (arr.length < 2) throw new BaselineError(`${what} needs at least 2 values (U_0 … U_N), got ${arr.length}`);
  for (let i = 0; i < arr.length; i++) {
    if (!Number.isFinite(arr[i]) || arr[i] < 0 || arr[i] > 1 + 1e-9 || (i > 0 && arr[i] < arr[i - 1] - 1e-12)) {
      throw new BaselineError(`${what} must be non-decreasing values in [0, 1], got ${arr[i]} at index ${i}`);
    }
  }
  const first = arr[0];
  const span = arr[arr.length - 1] - first;
  if (!(span > 0)) throw new BaselineError(`${what} must increase from U_0 to U_N, got ${first} … ${arr[arr.length - 1]}`);
  // Normalize so that U_0 = 0 and U_N = 1 exactly.
  for (let i = 0; i < arr.length; i++) arr[i] = (arr[i] - first) / span;
  return arr;
}

export class VwapPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'vwap';
  readonly actionMode = 'market' as const;
  /** Its slice multiples must not be clipped by the env's default aMax (see BASELINE_ENV_OPTIONS). */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  private readonly fixed: Float64Array | undefined;
  private curve: Float64Array | undefined;
  private low = 0;
  private high = Infinity;

  constructor(options: VwapOptions = {}) {
    this.fixed = options.cumulative === undefined ? undefined : checkCumulative(options.cumulative, 'vwap cumulative');
  }

  reset(info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
    if (this.fixed !== undefined) {
      this.curve = this.fixed;
      return;
    }
    const u = info.expectedCumulativeVolume;
    if (u === undefined) throw new BaselineError('vwap needs options.cumulative or info.expectedCumulativeVolume from the env, got neither');
    this.curve = checkCumulative(u, 'info.expectedCumulativeVolume');
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'vwap');
    const u = this.curve;
    if (u === undefined) throw new BaselineError('vwap: act before reset');
    if (u.length !== d.decisionCount + 1) throw new BaselineError(`vwap curve has ${u.length} values, the env has N+1 = ${d.decisionCount + 1}`);
    const target = d.initialQty * (1 - u[Math.min(d.decisionIndex + 1, d.decisionCount)]);
    return Float64Array.of(sliceMultiple(d.remainingQty - target, d, this.low, this.high));
  }
}
