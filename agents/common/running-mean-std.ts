/**
 * Row-oriented running statistics for the agents: a thin face over env/wrappers' `RunningMeanStd`
 * (Chan's parallel update; mean 0, var 1, pseudo-count 1e-4 at the start; the same JSON state),
 * adding what batched agents need: update from rows at an offset of a flat buffer, and normalize
 * one row of a flat buffer into another without allocating.
 */
import { RunningMeanStd as Stats, type RunningMeanStdJSON } from '../../env/wrappers/index.ts';

export class RunningMeanStd {
  /** The underlying statistics (env/wrappers). */
  readonly stats: Stats;

  constructor(dim: number, epsilon = 1e-4) {
    this.stats = new Stats(dim, epsilon);
  }

  get dim(): number {
    return this.stats.dim;
  }
  get mean(): Float64Array {
    return this.stats.mean;
  }
  get var(): Float64Array {
    return this.stats.var;
  }
  get count(): number {
    return this.stats.count;
  }

  /** Folds in `rows` rows of `dim` values starting at x[offset]. Non-finite values throw, stats untouched. */
  update(x: Float64Array | Float32Array | number[], rows: number, offset = 0): void {
    if (rows <= 0) return;
    const end = offset + rows * this.stats.dim;
    const view = Array.isArray(x) ? x.slice(offset, end) : offset === 0 && end === x.length ? x : x.subarray(offset, end);
    this.stats.updateBatch(view, rows);
  }

  /** out[oOff + j] = clip((x[xOff + j] − mean_j)/√(var_j + eps), ±clip) for one row. */
  normalize(x: ArrayLike<number>, xOff: number, out: Float32Array | Float64Array, oOff: number, clip = Infinity, eps = 1e-8): void {
    const { mean, var: v, dim } = this.stats;
    for (let j = 0; j < dim; j++) {
      let z = (x[xOff + j] - mean[j]) / Math.sqrt(v[j] + eps);
      if (z > clip) z = clip;
      else if (z < -clip) z = -clip;
      out[oOff + j] = z;
    }
  }

  toJSON(): RunningMeanStdJSON {
    return this.stats.toJSON();
  }

  /** Restores `toJSON` output (same dim); malformed state throws and leaves the statistics untouched. */
  load(state: unknown): void {
    this.stats.load(state);
  }
}
