/**
 * Box: the Cartesian product of n closed intervals [low_i, high_i] (bounds may be infinite).
 * Values are Float64Array of length prod(shape) in row-major order (float32 spaces sample values
 * representable in float32). As Gymnasium's `spaces.Box`, except that values must be finite even
 * where a bound is infinite (this project rejects NaN and infinities everywhere).
 */
import type { Rng } from '../../simulator/random/index.ts';
import { type Space, SpaceError, spaceRng, isNumericArray, show } from './space.ts';

export type BoxDtype = 'float32' | 'float64';

export class Box implements Space<Float64Array> {
  readonly shape: readonly number[];
  readonly dtype: BoxDtype;
  /** Number of elements (prod(shape)). */
  readonly size: number;
  /** Lower bounds, one per element (may be -Infinity). Do not mutate. */
  readonly low: Float64Array;
  /** Upper bounds, one per element (may be +Infinity). Do not mutate. */
  readonly high: Float64Array;
  private rng: Rng = spaceRng(0);

  /**
   * @param low a number (broadcast) or one bound per element; never NaN, low <= high.
   * @param high a number (broadcast) or one bound per element.
   * @param shape positive integer dimensions; inferred as [length] from an array bound when absent.
   * @param dtype float32 or float64 (default float64).
   * @throws SpaceError naming the offending argument.
   */
  constructor(low: number | ArrayLike<number>, high: number | ArrayLike<number>, shape?: readonly number[], dtype: BoxDtype = 'float64') {
    if (dtype !== 'float32' && dtype !== 'float64') throw new SpaceError(`Box dtype must be 'float32' or 'float64', got ${show(dtype)}`);
    let sh: number[];
    if (shape !== undefined) {
      if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1)) {
        throw new SpaceError(`Box shape must be an array of positive integers, got ${show(shape)}`);
      }
      sh = [...shape];
    } else if (typeof low !== 'number' && isNumericArray(low)) {
      sh = [low.length];
    } else if (typeof high !== 'number' && isNumericArray(high)) {
      sh = [high.length];
    } else {
      throw new SpaceError(`Box needs a shape when low and high are scalars (low ${show(low)}, high ${show(high)})`);
    }
    const size = sh.reduce((a, b) => a * b, 1);
    const lo = Box.bounds(low, size, 'low');
    const hi = Box.bounds(high, size, 'high');
    for (let i = 0; i < size; i++) {
      if (dtype === 'float32') {
        lo[i] = Math.fround(lo[i]);
        hi[i] = Math.fround(hi[i]);
      }
      if (!(lo[i] <= hi[i])) throw new SpaceError(`Box low[${i}] = ${lo[i]} must be <= high[${i}] = ${hi[i]}`);
      if (lo[i] === Infinity || hi[i] === -Infinity) throw new SpaceError(`Box bounds at ${i} are empty: [${lo[i]}, ${hi[i]}]`);
    }
    this.shape = Object.freeze(sh);
    this.size = size;
    this.low = lo;
    this.high = hi;
    this.dtype = dtype;
  }

  private static bounds(b: number | ArrayLike<number>, size: number, what: string): Float64Array {
    const out = new Float64Array(size);
    if (typeof b === 'number') {
      if (Number.isNaN(b)) throw new SpaceError(`Box ${what} must not be NaN`);
      out.fill(b);
      return out;
    }
    if (!isNumericArray(b)) throw new SpaceError(`Box ${what} must be a number or an array of numbers, got ${show(b)}`);
    if (b.length !== size) throw new SpaceError(`Box ${what} has length ${b.length}, expected ${size} (the shape's size)`);
    for (let i = 0; i < size; i++) {
      if (Number.isNaN(b[i])) throw new SpaceError(`Box ${what}[${i}] is NaN`);
      out[i] = b[i];
    }
    return out;
  }

  seed(seed: number): void {
    this.rng = spaceRng(seed);
  }

  /** True when every dimension has finite bounds on both sides. */
  isBounded(): boolean {
    for (let i = 0; i < this.size; i++) if (!Number.isFinite(this.low[i]) || !Number.isFinite(this.high[i])) return false;
    return true;
  }

  /** Uniform on bounded dims; low + Exp(1) / high - Exp(1) on half-bounded; N(0, 1) on unbounded. */
  sample(rng?: Rng): Float64Array {
    const r = rng ?? this.rng;
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) {
      const lo = this.low[i];
      const hi = this.high[i];
      const loF = Number.isFinite(lo);
      const hiF = Number.isFinite(hi);
      let x: number;
      if (loF && hiF) x = lo === hi ? lo : r.uniform(lo, hi);
      else if (loF) x = lo + r.exponential(1);
      else if (hiF) x = hi - r.exponential(1);
      else x = r.normal(0, 1);
      if (this.dtype === 'float32') {
        x = Math.fround(x);
        if (x < lo) x = lo;
        if (x > hi) x = hi;
      }
      out[i] = x;
    }
    return out;
  }

  /** Numeric array (or typed array) of length `size`, every element finite (no NaN, no ±Infinity) and within its bounds. */
  contains(value: unknown): boolean {
    if (!isNumericArray(value) || value.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const x = value[i];
      if (!Number.isFinite(x) || x < this.low[i] || x > this.high[i]) return false;
    }
    return true;
  }

  /** Why `value` is not in the space (for error messages), or null when it is. */
  explain(value: unknown): string | null {
    if (!isNumericArray(value)) return `expected an array of ${this.size} numbers, got ${show(value)}`;
    if (value.length !== this.size) return `expected length ${this.size} (shape [${this.shape.join(', ')}]), got length ${value.length}: ${show(value)}`;
    for (let i = 0; i < this.size; i++) {
      const x = value[i];
      if (!Number.isFinite(x)) return `element ${i} is ${x} (values must be finite) in ${show(value)}`;
      if (!(x >= this.low[i] && x <= this.high[i])) return `element ${i} = ${x} is outside [${this.low[i]}, ${this.high[i]}]`;
    }
    return null;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Box', shape: [...this.shape], dtype: this.dtype, low: boundsToJSON(this.low), high: boundsToJSON(this.high) };
  }
}

/** JSON has no Infinity: infinite bounds are written as the strings "inf" / "-inf". */
function boundsToJSON(b: Float64Array): (number | string)[] {
  return Array.from(b, (x) => (x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x));
}

export function boundsFromJSON(b: unknown, what: string): number[] {
  if (!Array.isArray(b)) throw new SpaceError(`Box JSON ${what} must be an array, got ${show(b)}`);
  return b.map((x, i) => {
    if (x === 'inf') return Infinity;
    if (x === '-inf') return -Infinity;
    if (typeof x !== 'number') throw new SpaceError(`Box JSON ${what}[${i}] must be a number, "inf" or "-inf", got ${show(x)}`);
    return x;
  });
}
