/**
 * Checking an ONNX policy against the policy it was exported from: the same actions on many
 * observations drawn from the observation space. Pure (no Node APIs).
 */
import type { Rng } from '../../simulator/random/index.ts';

/**
 * `n` observations (rows of `low.length`) drawn uniformly in the Box [low, high]; an unbounded
 * dimension draws from N(0, 1) around its finite bound (or 0).
 */
export function sampleObservations(low: ArrayLike<number>, high: ArrayLike<number>, n: number, rng: Rng): Float64Array {
  const d = low.length;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const lo = low[j];
      const hi = high[j];
      let x: number;
      if (Number.isFinite(lo) && Number.isFinite(hi)) x = lo + (hi - lo) * rng.next();
      else if (Number.isFinite(lo)) x = lo + Math.abs(rng.normal());
      else if (Number.isFinite(hi)) x = hi - Math.abs(rng.normal());
      else x = rng.normal();
      out[i * d + j] = x;
    }
  }
  return out;
}

export interface ActionComparison {
  /** Observations compared. */
  count: number;
  /** max |a − b| over all observations and action components (Box), or NaN for discrete actions. */
  maxAbsDiff: number;
  /** Observations where the actions differ at all (discrete: a different index). */
  differing: number;
  /** The row of the largest difference (or of the first differing discrete action), −1 if none. */
  worstRow: number;
}

/** Compares two policies' actions on the rows of `observations` (obsDim each). */
export function compareActions(
  a: (obs: Float64Array) => Float64Array | number,
  b: (obs: Float64Array) => Float64Array | number,
  observations: Float64Array,
  obsDim: number,
): ActionComparison {
  const n = observations.length / obsDim;
  let max = 0;
  let differing = 0;
  let worstRow = -1;
  let discrete = false;
  for (let i = 0; i < n; i++) {
    const obs = observations.subarray(i * obsDim, (i + 1) * obsDim);
    const x = a(obs);
    const y = b(obs);
    if (typeof x === 'number' || typeof y === 'number') {
      discrete = true;
      if (x !== y) {
        if (worstRow < 0) worstRow = i;
        differing++;
      }
      continue;
    }
    let row = 0;
    for (let k = 0; k < Math.max(x.length, y.length); k++) row = Math.max(row, Math.abs(x[k] - y[k]));
    if (Number.isNaN(row) || x.length !== y.length) row = Infinity;
    if (row > 0) differing++;
    if (row > max || (worstRow < 0 && row > 0)) {
      max = Math.max(max, row);
      worstRow = i;
    }
  }
  return { count: n, maxAbsDiff: discrete ? NaN : max, differing, worstRow };
}
