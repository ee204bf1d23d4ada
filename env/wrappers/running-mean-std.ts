/**
 * Running mean and variance of a stream of vectors (Chan et al.'s parallel merge of Welford
 * moments, as Gymnasium's and Stable-Baselines3's `RunningMeanStd`). The one class of the
 * project: NormalizeObservation, NormalizeReward, and the agents (observation statistics, reward
 * scaling; agents/common re-exports it) all use it, and checkpoints store its `toJSON()`.
 *
 * As in Gymnasium the statistics start at mean 0, var 1 with a pseudo-count `epsilon` (1e-4), so
 * normalizing before any update is the identity and one sample never divides by zero.
 *
 * Batched callers (the agents) keep many rows in one flat buffer: `updateRows` folds in rows at an
 * offset and `normalizeRow` writes one normalized row into another buffer, allocating nothing.
 * No Node APIs here (the agents bundle for the browser); file IO is in normalize.ts.
 */

export class RunningMeanStdError extends Error {
  override name = 'RunningMeanStdError';
}

export interface RunningMeanStdJSON {
  type: 'RunningMeanStd';
  dim: number;
  count: number;
  mean: number[];
  var: number[];
}

export class RunningMeanStd {
  readonly dim: number;
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count: number;
  /** Frozen statistics ignore `update` (evaluation mode). */
  frozen = false;

  /** @param dim vector length (positive integer). @param epsilon initial pseudo-count (> 0). */
  constructor(dim: number, epsilon = 1e-4) {
    if (!Number.isInteger(dim) || dim < 1) throw new RunningMeanStdError(`RunningMeanStd dim must be a positive integer, got ${String(dim)}`);
    if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RunningMeanStdError(`RunningMeanStd epsilon must be a finite number > 0, got ${String(epsilon)}`);
    this.dim = dim;
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
    this.count = epsilon;
  }

  /** Adds one vector `x` (length dim). Ignored when frozen. @throws on wrong length or non-finite values. */
  update(x: ArrayLike<number>): void {
    this.updateBatch(x, 1);
  }

  /**
   * Adds a batch of `n` vectors stored row-major in `xs` (length n * dim), merging the batch's
   * moments into the running ones. Ignored when frozen. The statistics are untouched on error.
   */
  updateBatch(xs: ArrayLike<number>, n: number): void {
    if (this.frozen) return;
    const d = this.dim;
    if (!Number.isInteger(n) || n < 1 || xs.length !== n * d) throw new RunningMeanStdError(`RunningMeanStd.updateBatch needs n >= 1 rows of ${d} (length ${n * d}), got n = ${String(n)} and length ${xs.length}`);
    for (let i = 0; i < n * d; i++) if (!Number.isFinite(xs[i])) throw new RunningMeanStdError(`RunningMeanStd.update: element ${i} is not finite (${xs[i]})`);
    const total = this.count + n;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += xs[i * d + j];
      m /= n;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const e = xs[i * d + j] - m;
        m2 += e * e;
      }
      const delta = m - this.mean[j];
      const mA = this.var[j] * this.count;
      const mTot = mA + m2 + (delta * delta * this.count * n) / total;
      this.mean[j] += (delta * n) / total;
      this.var[j] = mTot / total;
    }
    this.count = total;
  }

  /**
   * Folds in `rows` rows of `dim` values stored row-major from xs[offset] on (a flat buffer of
   * many rows). `rows` = 0 does nothing. Same arithmetic as `updateBatch`.
   * @throws RunningMeanStdError when the rows do not fit `xs` or a value is not finite (state untouched).
   */
  updateRows(xs: Float64Array | Float32Array | number[], rows: number, offset = 0): void {
    if (rows === 0) return;
    const end = offset + rows * this.dim;
    if (!Number.isInteger(offset) || offset < 0 || end > xs.length) {
      throw new RunningMeanStdError(`RunningMeanStd.updateRows: ${String(rows)} rows of ${this.dim} from offset ${String(offset)} do not fit a buffer of ${xs.length}`);
    }
    const view = Array.isArray(xs) ? xs.slice(offset, end) : offset === 0 && end === xs.length ? xs : xs.subarray(offset, end);
    this.updateBatch(view, rows);
  }

  /** Merges another running statistic of the same dim into this one (parallel workers). */
  merge(other: RunningMeanStd): void {
    if (this.frozen) return;
    if (other.dim !== this.dim) throw new RunningMeanStdError(`cannot merge RunningMeanStd of dim ${other.dim} into dim ${this.dim}`);
    const total = this.count + other.count;
    for (let j = 0; j < this.dim; j++) {
      const delta = other.mean[j] - this.mean[j];
      const mTot = this.var[j] * this.count + other.var[j] * other.count + (delta * delta * this.count * other.count) / total;
      this.mean[j] += (delta * other.count) / total;
      this.var[j] = mTot / total;
    }
    this.count = total;
  }

  /**
   * out[j] = clip((x[j] - mean[j]) / sqrt(var[j] + eps), -clip, clip). `out` may be `x`.
   * Returns `out` (a new Float64Array when not given).
   */
  normalize(x: ArrayLike<number>, out?: Float64Array, eps = 1e-8, clip = Infinity): Float64Array {
    const o = out ?? new Float64Array(this.dim);
    this.normalizeRow(x, 0, o, 0, clip, eps);
    return o;
  }

  /** out[oOff + j] = clip((x[xOff + j] − mean[j]) / √(var[j] + eps), ±clip) for one row; allocates nothing. */
  normalizeRow(x: ArrayLike<number>, xOff: number, out: Float32Array | Float64Array, oOff: number, clip = Infinity, eps = 1e-8): void {
    const { mean, dim } = this;
    const v = this.var;
    for (let j = 0; j < dim; j++) {
      let z = (x[xOff + j] - mean[j]) / Math.sqrt(v[j] + eps);
      if (z > clip) z = clip;
      else if (z < -clip) z = -clip;
      out[oOff + j] = z;
    }
  }

  /** Standard deviations sqrt(var + eps). */
  std(eps = 1e-8): Float64Array {
    return this.var.map((v) => Math.sqrt(v + eps));
  }

  toJSON(): RunningMeanStdJSON {
    return { type: 'RunningMeanStd', dim: this.dim, count: this.count, mean: Array.from(this.mean), var: Array.from(this.var) };
  }

  /** Replaces the statistics with saved ones (same dim). @throws RunningMeanStdError on malformed input; state untouched. */
  load(json: unknown): void {
    const j = RunningMeanStd.parse(json);
    if (j.dim !== this.dim) throw new RunningMeanStdError(`saved RunningMeanStd has dim ${j.dim}, expected ${this.dim}`);
    this.mean.set(j.mean);
    this.var.set(j.var);
    this.count = j.count;
  }

  static fromJSON(json: unknown): RunningMeanStd {
    const j = RunningMeanStd.parse(json);
    const r = new RunningMeanStd(j.dim);
    r.load(j);
    return r;
  }

  private static parse(json: unknown): RunningMeanStdJSON {
    const bad = (why: string): never => {
      throw new RunningMeanStdError(`invalid RunningMeanStd JSON: ${why}`);
    };
    if (typeof json !== 'object' || json === null) return bad(`expected an object, got ${String(json)}`);
    const j = json as Partial<RunningMeanStdJSON>;
    if (j.type !== 'RunningMeanStd') bad(`type must be 'RunningMeanStd', got ${String(j.type)}`);
    if (!Number.isInteger(j.dim) || (j.dim as number) < 1) bad(`dim must be a positive integer, got ${String(j.dim)}`);
    if (typeof j.count !== 'number' || !(j.count > 0) || !Number.isFinite(j.count)) bad(`count must be a finite number > 0, got ${String(j.count)}`);
    const dim = j.dim as number;
    for (const key of ['mean', 'var'] as const) {
      const a = j[key];
      if (!Array.isArray(a) || a.length !== dim) bad(`${key} must be an array of ${dim} numbers`);
      for (let i = 0; i < dim; i++) {
        const x = (a as number[])[i];
        if (typeof x !== 'number' || !Number.isFinite(x) || (key === 'var' && x < 0)) bad(`${key}[${i}] = ${String(x)} is not a finite${key === 'var' ? ' non-negative' : ''} number`);
      }
    }
    return j as RunningMeanStdJSON;
  }
}
