/**
 * MultiDiscrete(nvec, start): a vector of independent Discrete values, element i in
 * {start_i, ..., start_i + nvec_i - 1}. Samples are Int32Array; `contains` accepts any numeric
 * array of integers of the right length.
 */
import type { Rng } from '../../simulator/random/index.ts';
import { type Space, SpaceError, spaceRng, isNumericArray, show } from './space.ts';

export class MultiDiscrete implements Space<Int32Array> {
  readonly shape: readonly number[];
  readonly nvec: Int32Array;
  readonly start: Int32Array;
  private rng: Rng = spaceRng(0);

  /** @throws SpaceError unless nvec is a non-empty array of positive int32 and start (if given) matches. */
  constructor(nvec: ArrayLike<number>, start?: ArrayLike<number>) {
    if (!isNumericArray(nvec) || nvec.length === 0) throw new SpaceError(`MultiDiscrete nvec must be a non-empty array of positive integers, got ${show(nvec)}`);
    const n = nvec.length;
    this.nvec = new Int32Array(n);
    this.start = new Int32Array(n);
    if (start !== undefined && (!isNumericArray(start) || start.length !== n)) {
      throw new SpaceError(`MultiDiscrete start must be an array of ${n} integers, got ${show(start)}`);
    }
    for (let i = 0; i < n; i++) {
      const k = nvec[i];
      if (!Number.isInteger(k) || k < 1 || k > 2 ** 31 - 1) throw new SpaceError(`MultiDiscrete nvec[${i}] must be a positive int32, got ${show(k)}`);
      this.nvec[i] = k;
      const s = start === undefined ? 0 : start[i];
      if (!Number.isInteger(s) || s < -(2 ** 31) || s + k - 1 > 2 ** 31 - 1) throw new SpaceError(`MultiDiscrete start[${i}] must be an int32 (with start + nvec - 1 in int32), got ${show(s)}`);
      this.start[i] = s;
    }
    this.shape = Object.freeze([n]);
  }

  seed(seed: number): void {
    this.rng = spaceRng(seed);
  }

  sample(rng?: Rng): Int32Array {
    const r = rng ?? this.rng;
    const out = new Int32Array(this.nvec.length);
    for (let i = 0; i < out.length; i++) out[i] = r.int(this.start[i], this.start[i] + this.nvec[i] - 1);
    return out;
  }

  contains(value: unknown): boolean {
    return this.explain(value) === null;
  }

  explain(value: unknown): string | null {
    if (!isNumericArray(value) || value.length !== this.nvec.length) return `expected an array of ${this.nvec.length} integers, got ${show(value)}`;
    for (let i = 0; i < value.length; i++) {
      const x = value[i];
      if (!Number.isInteger(x) || x < this.start[i] || x >= this.start[i] + this.nvec[i]) {
        return `element ${i} = ${x} is not an integer in [${this.start[i]}, ${this.start[i] + this.nvec[i] - 1}]`;
      }
    }
    return null;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'MultiDiscrete', nvec: Array.from(this.nvec), start: Array.from(this.start) };
  }
}
