/**
 * Imbalance (a desk's microstructure rule): work the order passively while the order book leans
 * the order's way and take liquidity when it turns against it and the order is behind schedule.
 *
 * The signal is the best-level imbalance of the observation, (bid₁ − ask₁)/(bid₁ + ask₁), signed
 * so that positive favours the order (a heavy bid side for a seller: the price is likelier to
 * tick up, so resting at the ask is likely to fill at a good price; a heavy ask side warns that
 * the bid is about to be taken out). At decision k of N, with schedule s = X·k/N:
 * - signal >= −threshold: post s_{k+1} − executed (this slice and any shortfall) at the own-side
 *   touch, re-pegged as the touch moves;
 * - signal < −threshold: cross the spread now for what is behind the schedule s_{k+1} (a market
 *   order) and keep the rest resting;
 * - in the last `urgentDecisions` decisions, any shortfall against s_{k+1} is crossed at once.
 * Actions in the execution env's `hybrid` mode: [limit size, 0, market size] (slice multiples).
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, readDecision, sliceMultiple } from './context.ts';
import { BaselineError, checkNumber } from './errors.ts';

export interface ImbalanceOptions {
  /** How far the signal must lean against the order before it crosses (in [0, 1], default 0.3). */
  threshold?: number;
  /** Decisions before the deadline from which any shortfall is crossed at once (default 1). */
  urgentDecisions?: number;
}

/** Index of the best-level imbalance in the execution env's observation (env/execution/features.ts). */
const IMBALANCE1 = 4;

export class ImbalancePolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'imbalance';
  readonly actionMode = 'hybrid' as const;
  readonly envOptions = BASELINE_ENV_OPTIONS;
  readonly threshold: number;
  readonly urgentDecisions: number;
  private low = 0;
  private high = Infinity;
  private sideSign = -1;

  constructor(options: ImbalanceOptions = {}) {
    this.threshold = checkNumber('imbalance threshold', options.threshold ?? 0.3, 'nonnegative');
    if (this.threshold > 1) throw new BaselineError(`imbalance threshold must be in [0, 1], got ${this.threshold}`);
    this.urgentDecisions = checkNumber('imbalance urgentDecisions', options.urgentDecisions ?? 1, 'nonnegative');
  }

  reset(info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
    const side = info.side;
    if (side !== 'sell' && side !== 'buy') throw new BaselineError(`imbalance needs info.side ('sell' or 'buy') from the env, got ${String(side)}`);
    this.sideSign = side === 'sell' ? -1 : 1;
  }

  act(observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'imbalance');
    const X = d.initialQty;
    const N = d.decisionCount;
    const executed = X - d.remainingQty;
    const target = (X * (d.decisionIndex + 1)) / N;
    const short = target - executed;
    // Positive: the book leans the order's way (bids heavier for a seller).
    const signal = -this.sideSign * observation[IMBALANCE1];
    const urgent = d.decisionsLeft <= this.urgentDecisions;
    if ((signal < -this.threshold || urgent) && short > 0) {
      return Float64Array.of(0, 0, sliceMultiple(short, d, this.low, this.high));
    }
    return Float64Array.of(sliceMultiple(short, d, this.low, this.high), 0, 0);
  }
}
