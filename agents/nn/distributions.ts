/**
 * Action distributions: a diagonal Gaussian with a state-independent log-std (optionally squashed
 * by tanh into a Box), and a categorical over logits.
 *
 * Each has two faces: TensorFlow.js versions used inside the loss (differentiable, batched) and
 * plain-JS float64 versions used while acting (sampling from our seeded `Rng`, so a seed fixes the
 * actions bit for bit on every backend). Both compute the same closed forms:
 *
 *   Gaussian:   log p(x) = Σ_d [ −½((x_d − μ_d)/σ_d)² − log σ_d − ½ log 2π ],  H = Σ_d [ log σ_d + ½(1 + log 2π) ]
 *   tanh-squashed a = m + h·tanh(u), u ~ N(μ, σ²):  log p(a) = log p(u) − Σ_d [ log(1 − tanh² u_d) + log h_d ]
 *               with log(1 − tanh² u) = 2(log 2 − u − softplus(−2u)) (stable for large |u|)
 *   categorical: log p(k) = logits_k − logsumexp(logits),  H = −Σ_k p_k log p_k
 *
 * The squashed Gaussian's entropy has no closed form; PPO's entropy bonus uses the Gaussian
 * entropy of u (as Stable-Baselines3 does for its squashed policy without an estimate).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../simulator/random/index.ts';

export const LOG_2PI = Math.log(2 * Math.PI);
const LOG_2 = Math.log(2);

// ---------------------------------------------------------------- TensorFlow.js (loss side)

/** Σ_d log N(x_d; μ_d, σ_d²) per row: `mean`, `x` are [batch, dim]; `logStd` is [dim]. */
export function gaussianLogProb(mean: tf.Tensor2D, logStd: tf.Tensor1D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const z = tf.mul(tf.sub(x, mean), tf.exp(tf.neg(logStd)));
    const per = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logStd), 0.5 * LOG_2PI);
    return tf.sum(per, 1) as tf.Tensor1D;
  });
}

/** Entropy of the diagonal Gaussian (a scalar: it does not depend on the state). */
export function gaussianEntropy(logStd: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.add(logStd, 0.5 * (1 + LOG_2PI))) as tf.Scalar);
}

/** Σ_d log(1 − tanh² u_d) per row, computed stably. */
export function tanhLogDetJacobian(u: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const per = tf.mul(tf.sub(tf.sub(LOG_2, u), tf.softplus(tf.mul(u, -2))), 2);
    return tf.sum(per, 1) as tf.Tensor1D;
  });
}

/**
 * Log-density of a = center + halfRange·tanh(u) where u ~ N(mean, σ²): the Gaussian log-prob of the
 * pre-squash sample `u` minus the log-determinant of the map. `sumLogHalfRange` = Σ_d log h_d.
 */
export function squashedGaussianLogProb(mean: tf.Tensor2D, logStd: tf.Tensor1D, u: tf.Tensor2D, sumLogHalfRange: number): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.sub(gaussianLogProb(mean, logStd, u), tanhLogDetJacobian(u)), sumLogHalfRange) as tf.Tensor1D);
}

/** log p(action) per row: `logits` [batch, n], `actions` int32 [batch]. */
export function categoricalLogProb(logits: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(tf.cast(actions, 'int32'), logits.shape[1]);
    return tf.sum(tf.mul(logp, oneHot), 1) as tf.Tensor1D;
  });
}

/** Entropy per row of a categorical over `logits` [batch, n]. */
export function categoricalEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as tf.Tensor1D;
  });
}

// ---------------------------------------------------------------- plain JS (acting side)

/** Σ_d log N(x_d; μ_d, σ_d²) for one row: mean[mOff..], x[xOff..], logStd[0..dim). */
export function gaussianLogProbJs(
  mean: ArrayLike<number>,
  mOff: number,
  logStd: ArrayLike<number>,
  x: ArrayLike<number>,
  xOff: number,
  dim: number,
): number {
  let s = 0;
  for (let d = 0; d < dim; d++) {
    const z = (x[xOff + d] - mean[mOff + d]) * Math.exp(-logStd[d]);
    s += -0.5 * z * z - logStd[d] - 0.5 * LOG_2PI;
  }
  return s;
}

export function gaussianEntropyJs(logStd: ArrayLike<number>, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += logStd[d] + 0.5 * (1 + LOG_2PI);
  return s;
}

/** log(1 − tanh² u), stable for large |u|. */
export function log1mTanhSq(u: number): number {
  const t = -2 * u;
  // softplus(t) = log(1 + e^t), stable.
  const softplus = t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
  return 2 * (LOG_2 - u - softplus);
}

/** Writes `dim` draws of N(mean, exp(logStd)²) to out[oOff..]. */
export function sampleGaussianJs(
  rng: Rng,
  mean: ArrayLike<number>,
  mOff: number,
  logStd: ArrayLike<number>,
  out: Float64Array,
  oOff: number,
  dim: number,
): void {
  for (let d = 0; d < dim; d++) out[oOff + d] = mean[mOff + d] + Math.exp(logStd[d]) * rng.normal();
}

/** log p(k) for one row of logits[off..off+n). */
export function categoricalLogProbJs(logits: ArrayLike<number>, off: number, n: number, k: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[off + i] > max) max = logits[off + i];
  let z = 0;
  for (let i = 0; i < n; i++) z += Math.exp(logits[off + i] - max);
  return logits[off + k] - max - Math.log(z);
}

export function categoricalEntropyJs(logits: ArrayLike<number>, off: number, n: number): number {
  let h = 0;
  for (let k = 0; k < n; k++) {
    const lp = categoricalLogProbJs(logits, off, n, k);
    h -= Math.exp(lp) * lp;
  }
  return h;
}

/** A draw from the categorical over logits[off..off+n) (inverse CDF on one uniform). */
export function sampleCategoricalJs(rng: Rng, logits: ArrayLike<number>, off: number, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[off + i] > max) max = logits[off + i];
  let z = 0;
  for (let i = 0; i < n; i++) z += Math.exp(logits[off + i] - max);
  let u = rng.next() * z;
  for (let i = 0; i < n - 1; i++) {
    u -= Math.exp(logits[off + i] - max);
    if (u < 0) return i;
  }
  return n - 1;
}

/** Index of the largest logit (the deterministic action). */
export function argmaxJs(logits: ArrayLike<number>, off: number, n: number): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (logits[off + i] > logits[off + best]) best = i;
  return best;
}

// ---------------------------------------------------------------- Box action maps

export type BoxActionMode = 'clip' | 'tanh';

/**
 * Maps a raw Gaussian sample u to the action sent to a Box env.
 * - `clip` (CleanRL): the env receives clip(u, low, high); the stored log-prob is that of u.
 * - `tanh`: the env receives center + halfRange·tanh(u) and the log-prob carries the log-det term,
 *   so it is the density of exactly the action sent. Needs finite bounds.
 */
export class BoxActionMap {
  readonly mode: BoxActionMode;
  readonly dim: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly center: Float64Array;
  readonly halfRange: Float64Array;
  /** Σ_d log halfRange_d (0 for `clip`). */
  readonly sumLogHalfRange: number;

  constructor(low: ArrayLike<number>, high: ArrayLike<number>, mode: BoxActionMode) {
    if (low.length !== high.length) throw new RangeError(`Box bounds differ in length: ${low.length} vs ${high.length}`);
    this.mode = mode;
    this.dim = low.length;
    this.low = Float64Array.from(low);
    this.high = Float64Array.from(high);
    this.center = new Float64Array(this.dim);
    this.halfRange = new Float64Array(this.dim);
    let s = 0;
    for (let d = 0; d < this.dim; d++) {
      if (mode === 'tanh' && !(Number.isFinite(this.low[d]) && Number.isFinite(this.high[d]) && this.high[d] > this.low[d])) {
        throw new RangeError(`tanh squashing needs finite bounds low < high; dimension ${d} has [${this.low[d]}, ${this.high[d]}]`);
      }
      this.center[d] = (this.low[d] + this.high[d]) / 2;
      this.halfRange[d] = (this.high[d] - this.low[d]) / 2;
      if (mode === 'tanh') s += Math.log(this.halfRange[d]);
    }
    this.sumLogHalfRange = s;
  }

  /** Writes the env action for the raw sample u[uOff..] to out[oOff..]. */
  toEnv(u: ArrayLike<number>, uOff: number, out: Float64Array, oOff: number): void {
    for (let d = 0; d < this.dim; d++) {
      const x = u[uOff + d];
      if (this.mode === 'tanh') {
        out[oOff + d] = this.center[d] + this.halfRange[d] * Math.tanh(x);
      } else {
        out[oOff + d] = x < this.low[d] ? this.low[d] : x > this.high[d] ? this.high[d] : x;
      }
    }
  }

  /** log p(env action) − log p_gauss(u): the change-of-variables term for one row. */
  logProbCorrection(u: ArrayLike<number>, uOff: number): number {
    if (this.mode !== 'tanh') return 0;
    let s = 0;
    for (let d = 0; d < this.dim; d++) s -= log1mTanhSq(u[uOff + d]);
    return s - this.sumLogHalfRange;
  }
}
