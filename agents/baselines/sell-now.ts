/**
 * Sell-now (immediate): everything at the first decision with one market order: the action is
 * the number of decisions left (that many TWAP slices = all that is left), clipped to the action
 * space; what a clip leaves goes at the next decisions. It asks the harness for aMax = 1e6 (BASELINE_ENV_OPTIONS).
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision } from './context.ts';

export class SellNowPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'sell-now';
  readonly actionMode = 'market' as const;
  /** The execution envs cap the action at aMax (default 10 slices); selling all at once needs aMax >= decisions. */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  private high = Infinity;
  private low = 0;

  reset(_info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'sell-now');
    return Float64Array.of(Math.min(this.high, Math.max(this.low, d.decisionsLeft)));
  }
}
