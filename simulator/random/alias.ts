/**
 * Walker's alias method for a fixed categorical distribution (Vose's stable construction).
 *
 * Layout: `prob[i]` is the probability of keeping column i, `alias[i]` the outcome used otherwise.
 * Construction is O(n) and allocates; `sample(rng)` is O(1): one uniform draw, no allocation.
 */
import type { Rng } from './rng.ts';
import { RandomError } from './errors.ts';

export class AliasTable {
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    if (n === 0) throw new RandomError('categorical weights must be non-empty');
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      if (!Number.isFinite(w) || w < 0) throw new RandomError(`categorical weight ${i} must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (!(total > 0)) throw new RandomError('categorical weights must have a positive sum');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] * n) / total;
      if (scaled[i] < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns];
      const l = large[--nl];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    while (nl > 0) {
      const l = large[--nl];
      this.prob[l] = 1;
      this.alias[l] = l;
    }
    while (ns > 0) {
      const s = small[--ns];
      this.prob[s] = 1;
      this.alias[s] = s;
    }
  }

  /** One outcome index in [0, size). */
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = Math.floor(u);
    return u - i < this.prob[i] ? i : this.alias[i];
  }
}
