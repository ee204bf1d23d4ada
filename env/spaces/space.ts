/**
 * The contract of a space (as in Gymnasium): a set of valid values with a seeded sampler.
 * Implementations: Box, Discrete, MultiDiscrete, Dict.
 */
import { Rng } from '../../simulator/random/index.ts';

export interface Space<T> {
  /** The shape of one value (`[]` for a scalar such as Discrete). */
  readonly shape: readonly number[];
  /** Seeds the space's own sampler (a seed reseeds; the default stream is seeded with 0). */
  seed(seed: number): void;
  /** A uniformly random element (Box: uniform on bounded dims, normal/exponential where unbounded). */
  sample(rng?: Rng): T;
  /** True when `value` is an element of the space (right type, shape and bounds; no NaN). */
  contains(value: unknown): boolean;
  /** A JSON-serializable description, enough to rebuild the space (see `spaceFromJSON`). */
  toJSON(): Record<string, unknown>;
}

/** Invalid construction of a space, or a value that cannot be flattened/unflattened. */
export class SpaceError extends Error {
  override name = 'SpaceError';
}

/** The default sampler stream of a space seeded with `seed`. */
export function spaceRng(seed: number): Rng {
  return Rng.fromSeed(seed, 'space');
}

/** True for arrays and typed arrays of numbers (what Box and MultiDiscrete values may be). */
export function isNumericArray(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) return !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'number') return false;
  return true;
}

/** Short printable form of a value for error messages. */
export function show(value: unknown): string {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const a = Array.from(value as unknown as ArrayLike<number>).slice(0, 8);
    const more = (value as unknown as ArrayLike<number>).length > 8 ? ', ...' : '';
    return `${value.constructor.name}[${a.map(String).join(', ')}${more}]`;
  }
  if (Array.isArray(value)) return `[${value.slice(0, 8).map(String).join(', ')}${value.length > 8 ? ', ...' : ''}]`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value).slice(0, 200);
    } catch {
      return String(value);
    }
  }
  return String(value);
}
