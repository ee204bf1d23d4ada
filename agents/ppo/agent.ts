/**
 * The PPO actor-critic and its update. Separate actor and critic MLPs (CleanRL's
 * continuous-action agent), a state-independent learned log-std for Box actions or logits for
 * Discrete ones, and the running observation statistics that belong to the model (saved with it,
 * applied by the loaded policy).
 *
 * Acting (`forward`) runs both nets on a batch of normalized observations and reads the result
 * back once; sampling and log-probs happen in JS from our seeded streams (distributions.ts). The
 * loss side (`evaluate`) recomputes log-probs, entropies and values as tensors; `ppoUpdate` is
 * phase 4 of an iteration (train.ts): the clipped-surrogate epochs over shuffled minibatches.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../simulator/random/index.ts';
// The nn files themselves, not nn/index.ts (which re-exports the Node-only backend selection):
// this module bundles for the browser.
import { Mlp, forwardJs, type MlpSnapshot } from '../nn/mlp.ts';
import { BoxActionMap, gaussianLogProb, gaussianEntropy, squashedGaussianLogProb, categoricalLogProb, categoricalEntropy } from '../nn/distributions.ts';
import { clipByGlobalNorm, type Adam } from '../nn/adam.ts';
import { variablesToTensors, assignFromTensors, type NamedTensor } from '../nn/weights.ts';
import { makeReadable } from '../nn/readback.ts';
import { RunningMeanStd } from '../common/index.ts';
import type { RewardScaler, RolloutBuffer } from '../common/index.ts';
import type { PpoConfig } from './config.ts';

export type ActionSpec =
  | { kind: 'box'; dim: number; low: number[]; high: number[] }
  | { kind: 'discrete'; n: number; start: number };

export class PpoError extends Error {
  override name = 'PpoError';
}

function bound(x: unknown): number {
  if (x === 'inf' || x === 'Infinity') return Infinity;
  if (x === '-inf' || x === '-Infinity') return -Infinity;
  if (typeof x === 'number') return x;
  throw new PpoError(`Box bound must be a number or 'inf'/'-inf', got ${JSON.stringify(x)}`);
}

/** Reads a single action space's JSON description (env/spaces toJSON): Box or Discrete. */
export function parseActionSpace(json: Record<string, unknown>): ActionSpec {
  const type = String(json.type ?? '').toLowerCase();
  if (type === 'box') {
    const shape = json.shape as number[] | undefined;
    const dim = Array.isArray(shape) ? shape.reduce((a, b) => a * b, 1) : NaN;
    if (!(dim >= 1)) throw new PpoError(`Box action space needs a non-empty shape, got ${JSON.stringify(json.shape)}`);
    const expand = (b: unknown): number[] => (Array.isArray(b) ? b.map(bound) : new Array<number>(dim).fill(bound(b)));
    const low = expand(json.low);
    const high = expand(json.high);
    if (low.length !== dim || high.length !== dim) throw new PpoError(`Box bounds must have ${dim} entries, got ${low.length} and ${high.length}`);
    return { kind: 'box', dim, low, high };
  }
  if (type === 'discrete') {
    const n = json.n as number;
    if (!Number.isInteger(n) || n < 1) throw new PpoError(`Discrete action space needs n ≥ 1, got ${JSON.stringify(json.n)}`);
    return { kind: 'discrete', n, start: typeof json.start === 'number' ? json.start : 0 };
  }
  throw new PpoError(`PPO supports Box and Discrete action spaces, got ${JSON.stringify(json).slice(0, 200)}`);
}

export class ActorCritic {
  readonly obsDim: number;
  readonly action: ActionSpec;
  /** Floats per stored action: the Box dimension, or 1 (the index) for Discrete. */
  readonly actDim: number;
  /** Actor outputs per row: the Box dimension (means) or n (logits). */
  readonly headDim: number;
  readonly actor: Mlp;
  readonly critic: Mlp;
  /** Box only: the learned log standard deviation [dim]. */
  readonly logStd: tf.Variable | null;
  readonly boxMap: BoxActionMap | null;
  readonly obsRms: RunningMeanStd | null;
  readonly obsClip: number;
  /** Float64 copies of the nets for acting (see `refresh`). */
  private actorSnap!: MlpSnapshot;
  private criticSnap!: MlpSnapshot;
  private logStdSnap: Float64Array = new Float64Array(0);

  constructor(obsDim: number, action: ActionSpec, config: PpoConfig, rng: Rng) {
    if (!Number.isInteger(obsDim) || obsDim < 1) throw new PpoError(`obsDim must be a positive integer, got ${obsDim}`);
    if (config.actionMode === 'tanh' && action.kind === 'box' && !(action.low.every(Number.isFinite) && action.high.every(Number.isFinite))) {
      throw new PpoError(`actionMode 'tanh' needs a Box action space with finite bounds, got [${action.low.join(', ')}]..[${action.high.join(', ')}]; use actionMode 'clip'`);
    }
    this.obsDim = obsDim;
    this.action = action;
    this.actDim = action.kind === 'box' ? action.dim : 1;
    this.headDim = action.kind === 'box' ? action.dim : action.n;
    const hidden = config.hiddenSizes;
    this.actor = new Mlp('actor', { sizes: [obsDim, ...hidden, this.headDim], activation: config.activation, outputGain: 0.01 }, rng.fork('actor'));
    const bias = config.initActionBias;
    if (Array.isArray(bias)) {
      if (bias.length !== this.headDim) throw new PpoError(`initActionBias has ${bias.length} values, the action has ${this.headDim} dimensions`);
      const b = this.actor.variables[this.actor.variables.length - 1];
      tf.tidy(() => b.assign(tf.tensor1d(bias)));
    } else if (bias !== 0) {
      const b = this.actor.variables[this.actor.variables.length - 1];
      // From CPU arrays, not tf.fill: readable on every backend (readback.ts), same float32 values.
      tf.tidy(() => b.assign(tf.tensor1d(new Float32Array(b.shape[0]).fill(bias))));
    }
    this.critic = new Mlp('critic', { sizes: [obsDim, ...hidden, 1], activation: config.activation, outputGain: 1 }, rng.fork('critic'));
    if (action.kind === 'box') {
      this.logStd = tf.tidy(() => tf.variable(tf.tensor1d(new Float32Array(action.dim).fill(config.initLogStd)), true));
      // Clip mode with unbounded dims clips nothing there (±Infinity bounds).
      this.boxMap = new BoxActionMap(action.low, action.high, config.actionMode);
    } else {
      this.logStd = null;
      this.boxMap = null;
    }
    this.obsRms = config.normObs ? new RunningMeanStd(obsDim) : null;
    this.obsClip = config.obsClip;
    this.refresh();
  }

  /** Re-reads the weights into the acting copies; call after every change of the variables. */
  refresh(): void {
    this.actorSnap = this.actor.snapshot();
    this.criticSnap = this.critic.snapshot();
    this.logStdSnap = this.logStd === null ? new Float64Array(0) : Float64Array.from(this.logStd.dataSync());
  }

  /** Trainable variables in checkpoint order, with their names. */
  get variables(): tf.Variable[] {
    return [...this.actor.variables, ...this.critic.variables, ...(this.logStd ? [this.logStd] : [])];
  }

  get names(): string[] {
    return [...this.actor.names, ...this.critic.names, ...(this.logStd ? ['logStd'] : [])];
  }

  /** Writes normalized rows of `raw` (n × obsDim) into `out` (float32); `update` folds them into the statistics first. */
  normalizeObs(raw: Float64Array, n: number, out: Float32Array, update: boolean): void {
    const d = this.obsDim;
    if (this.obsRms === null) {
      for (let k = 0; k < n * d; k++) out[k] = raw[k];
      return;
    }
    if (update) this.obsRms.updateRows(raw, n);
    for (let i = 0; i < n; i++) this.obsRms.normalizeRow(raw, i * d, out, i * d, this.obsClip);
  }

  /**
   * Runs actor and critic on n normalized rows; writes the actor head (means or logits, n × headDim)
   * to `head` and the values to `values`. Plain JS on the acting copies of the weights (float64,
   * identical on every backend, and far faster than TensorFlow.js calls for a few rows).
   */
  forward(obs: Float32Array, n: number, head: Float32Array | Float64Array, values: Float64Array): void {
    forwardJs(this.actorSnap, obs, 0, n, head, 0);
    forwardJs(this.criticSnap, obs, 0, n, values, 0);
  }

  /** `forward` through TensorFlow.js (float32); one read-back. For tests and cross-checks. */
  forwardTf(obs: Float32Array, n: number, head: Float32Array | Float64Array, values: Float64Array): void {
    const packed = tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * this.obsDim), [n, this.obsDim]);
      return tf.concat([this.actor.apply(x), this.critic.apply(x)], 1).dataSync();
    });
    const w = this.headDim + 1;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < this.headDim; j++) head[i * this.headDim + j] = packed[i * w + j];
      values[i] = packed[i * w + this.headDim];
    }
  }

  /** The current log-std as numbers (Box only; empty for Discrete). */
  logStdValues(): Float64Array {
    return this.logStdSnap;
  }

  /**
   * Loss side: log-probs of `actions` (raw samples; indices for Discrete), entropies and values for
   * the rows `obs`. Call inside tf.tidy / variableGrads.
   */
  evaluate(obs: tf.Tensor2D, actions: tf.Tensor2D): { logProb: tf.Tensor1D; entropy: tf.Tensor1D | tf.Scalar; value: tf.Tensor1D } {
    const head = this.actor.apply(obs);
    const value = tf.reshape(this.critic.apply(obs), [-1]) as tf.Tensor1D;
    if (this.action.kind === 'box') {
      const logStd = this.logStd as tf.Variable as unknown as tf.Tensor1D;
      const map = this.boxMap as BoxActionMap;
      const logProb = map.mode === 'tanh' ? squashedGaussianLogProb(head, logStd, actions, map.sumLogHalfRange) : gaussianLogProb(head, logStd, actions);
      return { logProb, entropy: gaussianEntropy(logStd), value };
    }
    const idx = tf.reshape(actions, [-1]) as tf.Tensor1D;
    return { logProb: categoricalLogProb(head, idx), entropy: categoricalEntropy(head), value };
  }

  /** Weights as named tensors (for a checkpoint). */
  exportWeights(): NamedTensor[] {
    return variablesToTensors(this.names, this.variables);
  }

  /** Names and shapes of `exportWeights()` (for checkpoint validation). */
  weightShapes(): { name: string; shape: number[] }[] {
    return this.variables.map((v, i) => ({ name: this.names[i], shape: [...v.shape] }));
  }

  importWeights(tensors: readonly NamedTensor[]): void {
    assignFromTensors(this.names, this.variables, tensors);
    this.refresh();
  }

  dispose(): void {
    this.actor.dispose();
    this.critic.dispose();
    this.logStd?.dispose();
  }
}

/** Everything one PPO run carries between iterations (what a checkpoint stores). */
export interface PpoState {
  config: PpoConfig;
  agent: ActorCritic;
  optimizer: Adam;
  rewardScaler: RewardScaler | null;
  /** Completed iterations. */
  iteration: number;
  /** Env steps done (iteration × batch size). */
  globalStep: number;
}

/** Loss statistics of one update, with CleanRL's names. */
export interface PpoLosses {
  'losses/value_loss': number;
  'losses/policy_loss': number;
  'losses/entropy': number;
  'losses/old_approx_kl': number;
  'losses/approx_kl': number;
  'losses/clipfrac': number;
  'losses/grad_norm': number;
  'charts/epochs': number;
}

/** Minibatch scratch (allocated once per run). */
export class PpoMinibatch {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  readonly values: Float32Array;
  constructor(maxRows: number, obsDim: number, actDim: number) {
    this.obs = new Float32Array(maxRows * obsDim);
    this.actions = new Float32Array(maxRows * actDim);
    this.logProbs = new Float32Array(maxRows);
    this.advantages = new Float32Array(maxRows);
    this.returns = new Float32Array(maxRows);
    this.values = new Float32Array(maxRows);
  }
}

/** Copies the rows `idx` of the buffer into `mb`, normalizing advantages when asked. */
function gather(buf: RolloutBuffer, idx: Int32Array, mb: PpoMinibatch, normAdv: boolean): void {
  const { obsDim, actDim } = buf;
  let mean = 0;
  for (let r = 0; r < idx.length; r++) mean += buf.advantages[idx[r]];
  mean /= idx.length;
  let sq = 0;
  for (let r = 0; r < idx.length; r++) sq += (buf.advantages[idx[r]] - mean) ** 2;
  // torch's .std() is the unbiased one.
  const sd = idx.length > 1 ? Math.sqrt(sq / (idx.length - 1)) : 1;
  for (let r = 0; r < idx.length; r++) {
    const k = idx[r];
    mb.obs.set(buf.obs.subarray(k * obsDim, (k + 1) * obsDim), r * obsDim);
    mb.actions.set(buf.actions.subarray(k * actDim, (k + 1) * actDim), r * actDim);
    mb.logProbs[r] = buf.logProbs[k];
    mb.advantages[r] = normAdv && idx.length > 1 ? (buf.advantages[k] - mean) / (sd + 1e-8) : buf.advantages[k];
    mb.returns[r] = buf.returns[k];
    mb.values[r] = buf.values[k];
  }
}

/**
 * The PPO update on one rollout: updateEpochs passes over shuffled minibatches of the clipped
 * surrogate + value loss (optionally clipped) − entropy bonus, global gradient-norm clipping,
 * Adam; the epochs stop early when the approximate KL exceeds targetKl. Returns the loss
 * statistics of the last minibatch (as CleanRL logs them), the mean clip fraction and the number
 * of epochs run. Async for the WebGPU backend (statistics read with `await data()`, readback.ts);
 * on the other backends the arithmetic and its order are those of a synchronous loop.
 */
export async function ppoUpdate(s: PpoState, buf: RolloutBuffer, mb: PpoMinibatch, lr: number, rng: Rng): Promise<PpoLosses> {
  const c = s.config;
  const { agent, optimizer } = s;
  const vars = agent.variables;
  const valid = Int32Array.from(buf.validIndices());
  const m = valid.length;
  const numMb = Math.min(c.numMinibatches, m);
  let last = new Float32Array(7);
  let clipfracSum = 0;
  let clipfracCount = 0;
  let epochs = 0;
  for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
    epochs += 1;
    rng.shuffle(valid);
    for (let b = 0; b < numMb; b++) {
      // Split the m valid rows into numMb nearly equal minibatches.
      const start = Math.floor((b * m) / numMb);
      const end = Math.floor(((b + 1) * m) / numMb);
      const idx = valid.subarray(start, end);
      const rows = idx.length;
      gather(buf, idx, mb, c.normAdv);
      const packed = tf.tidy(() => {
        const obs = tf.tensor2d(mb.obs.subarray(0, rows * buf.obsDim), [rows, buf.obsDim]);
        const act = tf.tensor2d(mb.actions.subarray(0, rows * buf.actDim), [rows, buf.actDim]);
        const oldLogProb = tf.tensor1d(mb.logProbs.subarray(0, rows));
        const adv = tf.tensor1d(mb.advantages.subarray(0, rows));
        const ret = tf.tensor1d(mb.returns.subarray(0, rows));
        const oldValue = tf.tensor1d(mb.values.subarray(0, rows));
        let stats: tf.Tensor | null = null;
        const { grads } = tf.variableGrads(() => {
          const { logProb, entropy, value } = agent.evaluate(obs, act);
          const logRatio = tf.sub(logProb, oldLogProb);
          const ratio = tf.exp(logRatio);
          // Policy loss: the clipped surrogate, as a loss (negated).
          const pg1 = tf.mul(tf.neg(adv), ratio);
          const pg2 = tf.mul(tf.neg(adv), tf.clipByValue(ratio, 1 - c.clipCoef, 1 + c.clipCoef));
          const pgLoss = tf.mean(tf.maximum(pg1, pg2));
          // Value loss, optionally clipped around the rollout's values.
          let vLoss: tf.Tensor;
          if (c.clipVloss) {
            const unclipped = tf.square(tf.sub(value, ret));
            const vClipped = tf.add(oldValue, tf.clipByValue(tf.sub(value, oldValue), -c.clipCoef, c.clipCoef));
            vLoss = tf.mul(tf.mean(tf.maximum(unclipped, tf.square(tf.sub(vClipped, ret)))), 0.5);
          } else {
            vLoss = tf.mul(tf.mean(tf.square(tf.sub(value, ret))), 0.5);
          }
          const entropyLoss = tf.mean(entropy);
          const loss = tf.add(tf.sub(pgLoss, tf.mul(entropyLoss, c.entCoef)), tf.mul(vLoss, c.vfCoef)) as tf.Scalar;
          // Diagnostics (no gradient): old and new approximate KL (Schulman's k1 and k3), clip fraction.
          const oldApproxKl = tf.mean(tf.neg(logRatio));
          const approxKl = tf.mean(tf.sub(tf.sub(ratio, 1), logRatio));
          const clipfrac = tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), c.clipCoef), 'float32'));
          stats = tf.keep(tf.stack([pgLoss, vLoss, entropyLoss, oldApproxKl, approxKl, clipfrac]));
          return loss;
        }, vars);
        const clipped = clipByGlobalNorm(vars.map((v) => grads[v.name]), c.maxGradNorm);
        optimizer.apply(clipped.grads, lr);
        const kept = stats as unknown as tf.Tensor;
        const out = tf.concat([kept, tf.reshape(clipped.norm, [1])]);
        kept.dispose();
        return out;
      });
      last = Float32Array.from((await packed.data()) as Float32Array);
      packed.dispose();
      clipfracSum += last[5];
      clipfracCount += 1;
    }
    if (c.targetKl !== null && last[4] > c.targetKl) break;
  }
  await makeReadable(agent.variables);
  agent.refresh();
  return {
    'losses/policy_loss': last[0],
    'losses/value_loss': last[1],
    'losses/entropy': last[2],
    'losses/old_approx_kl': last[3],
    'losses/approx_kl': last[4],
    'losses/clipfrac': clipfracCount > 0 ? clipfracSum / clipfracCount : 0,
    'losses/grad_norm': last[6],
    'charts/epochs': epochs,
  };
}
