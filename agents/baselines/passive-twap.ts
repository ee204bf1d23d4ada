/**
 * Passive TWAP: at each decision, post at the own-side touch (offset 0 ticks: join the best bid
 * for a sell) the shares needed to be back on the linear TWAP schedule by the next decision —
 * X·(k + 1)/N − executed, i.e. this slice plus whatever earlier slices left unfilled — as a limit
 * order in the execution env's limit mode. The env re-pegs (replaces) the resting order at each
 * decision as the new action says, and sweeps what is left with a market order at the deadline.
 *
 * Action: [size as a multiple of the TWAP slice of what is left, price offset in ticks].
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { passiveTwapSize } from '../../env/execution/task.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision } from './context.ts';
import { checkNumber } from './errors.ts';

export interface PassiveTwapOptions {
  /** Price offset from the own-side touch in ticks (0 = join the best; positive = deeper). Default 0. */
  offsetTicks?: number;
}

export class PassiveTwapPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'passive-twap';
  readonly actionMode = 'limit' as const;
  /** Its slice multiples must not be clipped by the env's default aMax (see BASELINE_ENV_OPTIONS). */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  readonly offsetTicks: number;
  private sizeLow = 0;
  private sizeHigh = Infinity;
  private offsetLow = -Infinity;
  private offsetHigh = Infinity;

  constructor(options: PassiveTwapOptions = {}) {
    this.offsetTicks = checkNumber('passive-twap offsetTicks', options.offsetTicks ?? 0);
  }

  reset(_info: Info, context?: EpisodeContext): void {
    ({ low: this.sizeLow, high: this.sizeHigh } = actionBounds(context, 0, 0, Infinity));
    ({ low: this.offsetLow, high: this.offsetHigh } = actionBounds(context, 1, -Infinity, Infinity));
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'passive-twap');
    // The env's own formula (its twin baseline and residual actions use it), so the whole shares
    // posted agree to the bit with the env's passive TWAP.
    const a = passiveTwapSize(d.initialQty, d.decisionCount, d.decisionIndex, d.remainingQty);
    const size = Math.min(this.sizeHigh, Math.max(this.sizeLow, a));
    const offset = Math.min(this.offsetHigh, Math.max(this.offsetLow, this.offsetTicks));
    return Float64Array.of(size, offset);
  }
}
