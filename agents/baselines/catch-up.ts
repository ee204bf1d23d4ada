/**
 * Catch-up (passive-aggressive TWAP, the usual broker schedule): at each decision, post the TWAP
 * slice at the own-side touch (re-pegged each decision; kept with its queue priority when the
 * touch has not moved), and whenever the executed quantity has fallen behind the TWAP schedule by
 * more than one slice, cross the spread with a market order for the shortfall. The env's deadline
 * sweep takes what is left at the end.
 *
 * At decision k of N with X the parent order: schedule s_k = X·k/N, slice X/N, executed
 * e = X − remaining. Behind by b = s_k − e. If b > X/N: a market order of b and a limit order of
 * one slice; else a limit order of s_{k+1} − e (this slice plus what earlier slices left: passive
 * catch-up). Actions in the execution env's `hybrid` mode:
 * [limit size, offset 0, market size] as multiples of the env's slice (remaining / decisions left);
 * the env places the limit order first and caps the market order at what is neither executed nor
 * resting.
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision, sliceMultiple } from './context.ts';

export class CatchUpPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'catch-up';
  readonly actionMode = 'hybrid' as const;
  /** Its slice multiples must not be clipped by the env's default aMax (see BASELINE_ENV_OPTIONS). */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  private low = 0;
  private high = Infinity;

  reset(_info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'catch-up');
    const X = d.initialQty;
    const N = d.decisionCount;
    const k = d.decisionIndex;
    const executed = X - d.remainingQty;
    const slice = X / N;
    const behind = (X * k) / N - executed;
    if (behind > slice) {
      return Float64Array.of(sliceMultiple(slice, d, this.low, this.high), 0, sliceMultiple(behind, d, this.low, this.high));
    }
    const passive = (X * (k + 1)) / N - executed;
    return Float64Array.of(sliceMultiple(passive, d, this.low, this.high), 0, 0);
  }
}
