/**
 * The contract of a space (as in Gymnasium): a set of valid values with a seeded sampler.
 * Implementations: Box, Discrete, MultiDiscrete, Dict.
 */
import type { Rng } from '../../simulator/random/index.ts';

export interface Space<T> {
  /** The shape of one value (`[]` for a scalar such as Discrete). */
  readonly shape: readonly number[];
  /** Seeds the space's own sampler (a seed reseeds; the default stream is seeded with 0). */
  seed(seed: number): void;
  /** A uniformly random element (Box: uniform on bounded dims, normal/exponential where unbounded). */
  sample(rng?: Rng): T;
  /** True when `value` is an element of the space (right type, shape and bounds; no NaN). */
  contains(value: unknown): boolean;
  /** A JSON-serializable description, enough to rebuild the space. */
  toJSON(): Record<string, unknown>;
}
