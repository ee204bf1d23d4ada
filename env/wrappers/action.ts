/**
 * Action wrappers. ClipAction clips each action into the inner Box (its outer space is unbounded);
 * RescaleAction maps an outer Box [min, max] affinely onto the inner bounded Box (e.g. [-1, 1]
 * for agents with tanh outputs). The raw envs never clip: these wrappers are where it happens.
 */
import { EnvError, type Env } from '../core.ts';
import { Box, type Space } from '../spaces/index.ts';
import { Wrapper } from './wrapper.ts';

type BoxAction = Float64Array;

function innerBox(env: Env<unknown, unknown>, who: string): Box {
  const s = env.actionSpace;
  if (!(s instanceof Box)) throw new EnvError(`${who} needs a Box action space, got ${JSON.stringify(s.toJSON())}`);
  return s;
}

export class ClipAction<O> extends Wrapper<O, BoxAction> {
  private readonly inner: Box;
  private readonly outer: Box;

  constructor(env: Env<O, BoxAction>) {
    super(env);
    this.inner = innerBox(env as Env<unknown, unknown>, 'ClipAction');
    this.outer = new Box(-Infinity, Infinity, this.inner.shape, this.inner.dtype);
  }

  override get actionSpace(): Space<BoxAction> {
    return this.outer;
  }

  /** Clips element-wise into [low, high]. @throws EnvError on a wrong shape, NaN or infinity (only finite values are clipped). */
  protected override action(action: BoxAction): BoxAction {
    const n = this.inner.size;
    const why = this.outer.explain(action);
    if (why !== null) throw new EnvError(`ClipAction: invalid action: ${why}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = action[i];
      out[i] = x < this.inner.low[i] ? this.inner.low[i] : x > this.inner.high[i] ? this.inner.high[i] : x;
    }
    return out;
  }
}

export class RescaleAction<O> extends Wrapper<O, BoxAction> {
  private readonly inner: Box;
  private readonly outer: Box;

  /**
   * @param minAction lower bound of the outer space (number or one per element), default -1.
   * @param maxAction upper bound, default 1; must be > minAction everywhere.
   * @throws EnvError when the inner Box is unbounded or the bounds are invalid.
   */
  constructor(env: Env<O, BoxAction>, minAction: number | ArrayLike<number> = -1, maxAction: number | ArrayLike<number> = 1) {
    super(env);
    this.inner = innerBox(env as Env<unknown, unknown>, 'RescaleAction');
    if (!this.inner.isBounded()) throw new EnvError(`RescaleAction needs a bounded inner Box, got ${JSON.stringify(this.inner.toJSON())}`);
    this.outer = new Box(minAction, maxAction, this.inner.shape, 'float64');
    for (let i = 0; i < this.outer.size; i++) {
      if (!(this.outer.low[i] < this.outer.high[i]) || !Number.isFinite(this.outer.low[i]) || !Number.isFinite(this.outer.high[i])) {
        throw new EnvError(`RescaleAction needs finite min < max, got [${this.outer.low[i]}, ${this.outer.high[i]}] at ${i}`);
      }
    }
  }

  override get actionSpace(): Space<BoxAction> {
    return this.outer;
  }

  /** low + (high - low) * (a - min) / (max - min). @throws EnvError when `a` is outside [min, max]. */
  protected override action(action: BoxAction): BoxAction {
    const why = this.outer.explain(action);
    if (why !== null) throw new EnvError(`RescaleAction: invalid action: ${why}`);
    const n = this.inner.size;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lo = this.inner.low[i];
      const hi = this.inner.high[i];
      let x = lo + ((hi - lo) * (action[i] - this.outer.low[i])) / (this.outer.high[i] - this.outer.low[i]);
      // Rounding can land one ulp outside the inner bounds.
      if (x < lo) x = lo;
      if (x > hi) x = hi;
      out[i] = x;
    }
    return out;
  }
}
