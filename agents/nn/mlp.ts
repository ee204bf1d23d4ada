/**
 * Multi-layer perceptrons on TensorFlow.js with CleanRL's initialization: orthogonal weights
 * (gain √2 on hidden layers; the output gain is the caller's: 0.01 for a policy mean, 1 for a
 * value head) and zero biases. Weights are drawn from our seeded `Rng`, so the same seed gives the
 * same network on every backend.
 *
 * Layout: layer i has a weight `[sizes[i], sizes[i+1]]` (row-major, `y = x·W + b`) and a bias
 * `[sizes[i+1]]`; their checkpoint names are `<name>/l<i>/w` and `<name>/l<i>/b`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../simulator/random/index.ts';

export type Activation = 'tanh' | 'relu';

export interface MlpSpec {
  /** Layer widths including input and output, e.g. [obsDim, 64, 64, actDim]. */
  sizes: readonly number[];
  activation: Activation;
  /** Orthogonal gain of the output layer (CleanRL: 0.01 actor mean, 1 critic). */
  outputGain: number;
  /** Orthogonal gain of hidden layers (default √2). */
  hiddenGain?: number;
}

export class NnError extends Error {
  override name = 'NnError';
}

/**
 * A `rows × cols` matrix (row-major) with orthonormal columns (rows ≥ cols) or orthonormal rows
 * (rows < cols), times `gain`: Gram–Schmidt on a standard normal matrix, which equals
 * QR with the sign fix of `torch.nn.init.orthogonal_`.
 */
export function orthogonal(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new NnError(`orthogonal: rows and cols must be positive integers, got ${rows}×${cols}`);
  }
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  // q holds `short` vectors of length `long`, each orthonormalized against the earlier ones.
  const q = new Float64Array(short * long);
  for (let k = 0; k < short; k++) {
    const v = q.subarray(k * long, (k + 1) * long);
    for (let i = 0; i < long; i++) v[i] = rng.normal();
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < k; j++) {
        const u = q.subarray(j * long, (j + 1) * long);
        let dot = 0;
        for (let i = 0; i < long; i++) dot += u[i] * v[i];
        for (let i = 0; i < long; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) v[i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // rows ≥ cols: column c is vector c; otherwise row r is vector r.
      out[r * cols + c] = gain * (rows >= cols ? q[c * long + r] : q[r * long + c]);
    }
  }
  return out;
}

export class Mlp {
  readonly name: string;
  readonly spec: MlpSpec;
  /** [w0, b0, w1, b1, ...], trainable. */
  readonly variables: tf.Variable[];
  /** Checkpoint names of `variables` (TensorFlow.js's own names stay unique per process). */
  readonly names: string[] = [];

  constructor(name: string, spec: MlpSpec, rng: Rng) {
    const { sizes } = spec;
    if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new NnError(`MLP ${name}: sizes must be ≥ 2 positive integers, got [${sizes.join(', ')}]`);
    }
    if (spec.activation !== 'tanh' && spec.activation !== 'relu') {
      throw new NnError(`MLP ${name}: activation must be 'tanh' or 'relu', got ${String(spec.activation)}`);
    }
    this.name = name;
    this.spec = { ...spec, sizes: [...sizes] };
    const hiddenGain = spec.hiddenGain ?? Math.SQRT2;
    this.variables = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const last = i + 2 === sizes.length;
      const w = orthogonal(sizes[i], sizes[i + 1], last ? spec.outputGain : hiddenGain, rng.fork(`l${i}`));
      // tidy frees the initial values; the variables keep their own reference to the data.
      this.variables.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [sizes[i], sizes[i + 1]]), true)));
      this.names.push(`${name}/l${i}/w`);
      // Zeros from a CPU array (not tf.zeros, a kernel): the values are then readable on every backend.
      this.variables.push(tf.tidy(() => tf.variable(tf.tensor1d(new Float32Array(sizes[i + 1])), true)));
      this.names.push(`${name}/l${i}/b`);
    }
  }

  /** Forward pass on a `[batch, sizes[0]]` input; the output layer is linear. Call inside tf.tidy. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    const n = this.variables.length / 2;
    for (let i = 0; i < n; i++) {
      const w = this.variables[2 * i] as tf.Tensor2D;
      const b = this.variables[2 * i + 1];
      const last = i === n - 1;
      h = tf.add(tf.matMul(h, w), b);
      if (!last) h = this.spec.activation === 'tanh' ? tf.tanh(h) : tf.relu(h);
    }
    return h;
  }

  /** A float64 copy of the weights for `forwardJs` (one read-back per variable). */
  snapshot(): MlpSnapshot {
    const layers: { w: Float64Array; b: Float64Array; rows: number; cols: number }[] = [];
    const { sizes } = this.spec;
    for (let i = 0; i + 1 < sizes.length; i++) {
      layers.push({
        w: Float64Array.from(this.variables[2 * i].dataSync()),
        b: Float64Array.from(this.variables[2 * i + 1].dataSync()),
        rows: sizes[i],
        cols: sizes[i + 1],
      });
    }
    const width = Math.max(...sizes);
    return { layers, activation: this.spec.activation, bufA: new Float64Array(width), bufB: new Float64Array(width) };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Weights of an `Mlp` as plain float64 arrays, with scratch rows (not shared between threads). */
export interface MlpSnapshot {
  layers: { w: Float64Array; b: Float64Array; rows: number; cols: number }[];
  activation: Activation;
  bufA: Float64Array;
  bufB: Float64Array;
}

/**
 * The MLP's forward pass in plain JS (float64) for `n` rows of x (row-major, from xOff), writing
 * n × outDim values to out[oOff..]. No allocation; much faster than TensorFlow.js for single rows.
 */
export function forwardJs(net: MlpSnapshot, x: ArrayLike<number>, xOff: number, n: number, out: Float64Array | Float32Array, oOff: number): void {
  const { layers, activation } = net;
  const inDim = layers[0].rows;
  const outDim = layers[layers.length - 1].cols;
  for (let r = 0; r < n; r++) {
    let src: ArrayLike<number> = x;
    let srcOff = xOff + r * inDim;
    let dst = net.bufA;
    for (let l = 0; l < layers.length; l++) {
      const { w, b, rows, cols } = layers[l];
      const last = l === layers.length - 1;
      for (let c = 0; c < cols; c++) {
        let z = b[c];
        for (let k = 0; k < rows; k++) z += src[srcOff + k] * w[k * cols + c];
        if (last) out[oOff + r * outDim + c] = z;
        else dst[c] = activation === 'tanh' ? Math.tanh(z) : z > 0 ? z : 0;
      }
      src = dst;
      srcOff = 0;
      dst = dst === net.bufA ? net.bufB : net.bufA;
    }
  }
}
