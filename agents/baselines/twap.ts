/**
 * TWAP with market orders: at each decision, sell the TWAP slice of what is left
 * (remaining / decisions left), i.e. action 1 in the execution env's market mode.
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds } from './context.ts';

export class TwapPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'twap';
  readonly actionMode = 'market' as const;
  private value = 1;

  reset(_info: Info, context?: EpisodeContext): void {
    const b = actionBounds(context, 0, 0, Infinity);
    this.value = Math.min(b.high, Math.max(b.low, 1));
  }

  act(): Float64Array {
    return Float64Array.of(this.value);
  }
}
