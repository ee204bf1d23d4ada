/**
 * Adam with PyTorch's update rule (the one CleanRL's hyperparameters were tuned with), a learning
 * rate given per step (for annealing) and state that round-trips through a checkpoint exactly:
 *
 *   m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  t ← t + 1
 *   θ ← θ − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 *
 * Plus `clipByGlobalNorm` (torch.nn.utils.clip_grad_norm_): scales all gradients by
 * min(1, maxNorm / ‖g‖₂) over the concatenation of every gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor } from './weights.ts';
import { NnError } from './mlp.ts';

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  /** Added to the bias-corrected √v (CleanRL's PPO uses 1e-5). */
  epsilon?: number;
}

export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied so far (t). */
  step = 0;
  private readonly params: tf.Variable[];
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(params: tf.Variable[], options: AdamOptions = {}) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    for (const [k, x] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(x >= 0 && x < 1)) throw new NnError(`Adam ${k} must be in [0, 1), got ${x}`);
    }
    if (!(this.epsilon > 0)) throw new NnError(`Adam epsilon must be > 0, got ${this.epsilon}`);
    this.params = params;
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
  }

  /** One update with gradients `grads` (same order as the params) and learning rate `lr`. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    if (grads.length !== this.params.length) throw new NnError(`Adam.apply: ${grads.length} gradients for ${this.params.length} parameters`);
    if (!(lr >= 0) || !Number.isFinite(lr)) throw new NnError(`Adam learning rate must be finite and ≥ 0, got ${lr}`);
    this.step += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.step);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(this.beta2, this.step));
    const stepSize = lr / bc1;
    tf.tidy(() => {
      for (let i = 0; i < this.params.length; i++) {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.epsilon);
        this.params[i].assign(tf.sub(this.params[i], tf.mul(tf.div(m, denom), stepSize)));
      }
    });
  }

  /** The moment variables [m0, v0, m1, v1, ...] (to make them readable before `exportState`, see readback.ts). */
  get slots(): tf.Variable[] {
    return this.m.flatMap((m, i) => [m, this.v[i]]);
  }

  /** The moments as named tensors plus the step count, for a checkpoint. */
  exportState(prefix: string): { step: number; tensors: NamedTensor[] } {
    const tensors: NamedTensor[] = [];
    for (let i = 0; i < this.params.length; i++) {
      tensors.push({ name: `${prefix}/m${i}`, shape: [...this.m[i].shape], data: Float32Array.from(this.m[i].dataSync()) });
      tensors.push({ name: `${prefix}/v${i}`, shape: [...this.v[i].shape], data: Float32Array.from(this.v[i].dataSync()) });
    }
    return { step: this.step, tensors };
  }

  /** Names and shapes `exportState(prefix)` produces (for checkpoint validation). */
  stateShapes(prefix: string): { name: string; shape: number[] }[] {
    const out: { name: string; shape: number[] }[] = [];
    for (let i = 0; i < this.params.length; i++) {
      out.push({ name: `${prefix}/m${i}`, shape: [...this.params[i].shape] });
      out.push({ name: `${prefix}/v${i}`, shape: [...this.params[i].shape] });
    }
    return out;
  }

  importState(prefix: string, step: number, tensors: readonly NamedTensor[]): void {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (let i = 0; i < this.params.length; i++) {
      for (const [kind, vars] of [['m', this.m], ['v', this.v]] as const) {
        const t = byName.get(`${prefix}/${kind}${i}`);
        if (t === undefined) throw new NnError(`optimizer state ${prefix}/${kind}${i} is missing`);
        tf.tidy(() => vars[i].assign(tf.tensor(t.data, vars[i].shape)));
      }
    }
    this.step = step;
  }

  dispose(): void {
    for (const x of this.m) x.dispose();
    for (const x of this.v) x.dispose();
  }
}

/**
 * Scales `grads` so that their global L2 norm is at most `maxNorm`; returns the clipped gradients
 * and the norm before clipping. Call inside tf.tidy.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: tf.Scalar } {
  let sq: tf.Tensor = tf.scalar(0);
  for (const g of grads) sq = tf.add(sq, tf.sum(tf.square(g)));
  const norm = tf.sqrt(sq) as tf.Scalar;
  // torch: clip_coef = max_norm / (norm + 1e-6), clamped to ≤ 1.
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  return { grads: grads.map((g) => tf.mul(g, coef)), norm };
}
