/**
 * Soft Actor-Critic (Haarnoja et al. 2018): the networks and one update, read top to bottom like
 * the paper and CleanRL's `sac_continuous_action.py`.
 *
 * Networks (all MLPs with ReLU, orthogonal init from our seeded Rng):
 *   actor  π(·|s): s → [μ(s), ρ(s)], log σ = logStdMin + ½(logStdMax − logStdMin)(tanh ρ + 1)
 *   critics Q1, Q2: [s, y] → scalar, with targets Q1', Q2' (Polyak copies)
 * Actions: u = μ + σ·ε (ε ~ N(0, I) drawn from our Rng), y = tanh u ∈ (−1, 1)^A, and the env
 * receives a = center + halfRange·y. The replay buffer and the critics use y (scale-free).
 * The reward is multiplied by `rewardScale` in the target. The density of the env action is
 * log π(a|s) = Σ_d [log N(u_d; μ_d, σ_d²) − log(1 − tanh² u_d) − log halfRange_d], with
 * log(1 − tanh² u) = 2(log 2 − u − softplus(−2u)) (stable for large |u|).
 *
 * Update (one critic step; every `policyFrequency`-th critic step, `policyFrequency` actor and α
 * steps; every `targetNetworkFrequency`-th, a Polyak step):
 *   y_target = r + γ(1 − terminated)·(min(Q1'(s', ã'), Q2'(s', ã')) − α log π(ã'|s')),  ã' ~ π(·|s')
 *   J_Q   = mean (Q1(s,a) − y_target)² + mean (Q2(s,a) − y_target)²   (CleanRL's sum of two MSEs)
 *   J_π   = mean (α log π(ã|s) − min(Q1(s,ã), Q2(s,ã))),  ã ~ π(·|s) (reparameterized)
 *   J_α   = mean (−α (log π(ã|s) + H_target)),  ã from the updated actor, held constant (gradient on log α)
 *   θ'    ← τθ + (1 − τ)θ'
 * All tensor work runs inside tf.tidy (or tf.variableGrads' own scope); nothing leaks per update.
 *
 * Backends: `learn` and `actAsync` read their results with `await data()` so they run on WebGPU
 * too (agents/nn/readback.ts); on the other backends they compute exactly what synchronous code
 * would. The synchronous `act` (a loaded policy) runs the actor in plain JS (float64) on WebGPU,
 * where a synchronous read-back is impossible, and through TensorFlow.js elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../simulator/random/index.ts';
import { RunningMeanStd, polyakUpdate } from '../common/index.ts';
import type { ReplayBatch } from '../common/index.ts';
// The nn files themselves, not nn/index.ts (which re-exports the Node-only backend selection):
// this module bundles for the browser.
import { Adam } from '../nn/adam.ts';
import { Mlp, forwardJs, type MlpSnapshot } from '../nn/mlp.ts';
import { readsAsync, runReadsAsync, runReadsSync, type ReadSteps } from '../nn/readback.ts';
import { tanhLogDetJacobian, LOG_2PI } from '../nn/distributions.ts';
import { type SacConfig, resolvedTargetEntropy } from './config.ts';

export class SacError extends Error {
  override name = 'SacError';
}

/** The shapes an agent is built for. Action bounds must be finite (a Box with low < high). */
export interface SacShapes {
  obsDim: number;
  actionLow: ArrayLike<number>;
  actionHigh: ArrayLike<number>;
}

/** Losses and statistics of the latest update (numbers; NaN until the first step of each kind). */
export interface SacLosses {
  qf1Loss: number;
  qf2Loss: number;
  qf1Value: number;
  qf2Value: number;
  actorLoss: number;
  alpha: number;
  alphaLoss: number;
  /** Mean −log π of the last actor batch (an entropy estimate, nats). */
  entropy: number;
}

/**
 * The reparameterized tanh-squashed Gaussian: u = μ + σε, y = tanh u, and the log-density of the
 * env action a = center + halfRange·y:
 *   log π(a) = Σ_d [log N(u_d; μ_d, σ_d²) − log(1 − tanh² u_d)] − Σ_d log halfRange_d,
 * with log N(u; μ, σ²) = −½ε² − log σ − ½ log 2π (exact, since (u − μ)/σ = ε) and
 * log(1 − tanh² u) = 2(log 2 − u − softplus(−2u)) (stable for large |u|).
 * `mean`, `logStd`, `eps`: [batch, A]. Returns y [batch, A] and log π [batch]. Call inside tf.tidy.
 */
export function squashedGaussianSample(
  mean: tf.Tensor2D,
  logStd: tf.Tensor2D,
  eps: tf.Tensor2D,
  sumLogHalfRange: number,
): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
  const u = tf.add(mean, tf.mul(tf.exp(logStd), eps)) as tf.Tensor2D;
  const gaussian = tf.sum(tf.sub(tf.sub(tf.mul(tf.square(eps), -0.5), logStd), 0.5 * LOG_2PI), 1);
  const logProb = tf.sub(tf.sub(gaussian, tanhLogDetJacobian(u)), sumLogHalfRange) as tf.Tensor1D;
  return { action: tf.tanh(u) as tf.Tensor2D, logProb };
}

/** The gradients of `variables`, in their order (tf.variableGrads returns them by variable name). */
function ordered(grads: tf.NamedTensorMap, variables: readonly tf.Variable[]): tf.Tensor[] {
  return variables.map((v) => {
    const g = grads[v.name];
    if (g === undefined) throw new SacError(`internal: no gradient for variable ${v.name}`);
    return g;
  });
}

/** Copies online weights into a target exactly (τ = 1 without rounding). */
function hardUpdate(online: readonly tf.Variable[], target: readonly tf.Variable[]): void {
  for (let i = 0; i < online.length; i++) target[i].assign(online[i]);
}

export class SacAgent {
  readonly config: SacConfig;
  readonly obsDim: number;
  readonly actionDim: number;
  /** Action map a = center + halfRange·tanh(u), per dimension. */
  readonly center: Float64Array;
  readonly halfRange: Float64Array;
  readonly sumLogHalfRange: number;
  readonly targetEntropy: number;
  readonly actor: Mlp;
  readonly qf1: Mlp;
  readonly qf2: Mlp;
  readonly qf1Target: Mlp;
  readonly qf2Target: Mlp;
  /** log α (trainable when autotune). */
  readonly logAlpha: tf.Variable;
  /** Running observation statistics, when `normObs`. */
  readonly obsRms: RunningMeanStd | undefined;
  /** Adam (PyTorch's rule, checkpointable) for the actor, both critics together, and log α. */
  readonly actorOptimizer: Adam;
  readonly qOptimizer: Adam;
  readonly alphaOptimizer: Adam | undefined;
  /** Exploration noise and minibatch noise: the agent's own stream. */
  rng: Rng;
  /** Gradient steps taken on the critics (drives the delayed actor and target schedules). */
  criticSteps = 0;
  readonly losses: SacLosses = { qf1Loss: NaN, qf2Loss: NaN, qf1Value: NaN, qf2Value: NaN, actorLoss: NaN, alpha: NaN, alphaLoss: NaN, entropy: NaN };
  private readonly qVars: tf.Variable[];
  private readonly logStdScale: number;
  private obsScratch: Float32Array = new Float32Array(0);
  private noiseScratch: Float32Array = new Float32Array(0);
  private batchObs: Float32Array = new Float32Array(0);
  private batchNextObs: Float32Array = new Float32Array(0);
  /** WebGPU only: the actor's weights for the synchronous `act` (dropped when the actor changes). */
  private actorSnap: MlpSnapshot | undefined;
  private headScratch: Float64Array = new Float64Array(0);

  /**
   * @param config a parsed SAC config.
   * @param shapes observation length and finite action bounds.
   * @param seed the agent's seed; networks come from `Rng.fromSeed(seed, 'sac/init')`, noise from 'sac/noise'.
   * @throws SacError on bad shapes or unbounded actions.
   */
  constructor(config: SacConfig, shapes: SacShapes, seed: number) {
    const { obsDim, actionLow, actionHigh } = shapes;
    if (!Number.isInteger(obsDim) || obsDim < 1) throw new SacError(`obsDim must be a positive integer, got ${String(obsDim)}`);
    if (actionLow.length !== actionHigh.length || actionLow.length < 1) {
      throw new SacError(`action bounds must have the same positive length, got low ${actionLow.length}, high ${actionHigh.length}`);
    }
    const A = actionLow.length;
    this.center = new Float64Array(A);
    this.halfRange = new Float64Array(A);
    let s = 0;
    for (let d = 0; d < A; d++) {
      const lo = actionLow[d];
      const hi = actionHigh[d];
      if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
        throw new SacError(`SAC needs a bounded Box action space with low < high; dimension ${d} is [${lo}, ${hi}]`);
      }
      this.center[d] = (hi + lo) / 2;
      this.halfRange[d] = (hi - lo) / 2;
      s += Math.log(this.halfRange[d]);
    }
    if (config.initAction !== null && config.initAction.length !== A) {
      throw new SacError(`initAction has ${config.initAction.length} values, the action space has ${A} dimensions`);
    }
    this.config = config;
    this.obsDim = obsDim;
    this.actionDim = A;
    this.sumLogHalfRange = s;
    this.targetEntropy = resolvedTargetEntropy(config, A);
    this.logStdScale = 0.5 * (config.logStdMax - config.logStdMin);
    const init = Rng.fromSeed(seed, 'sac/init');
    const h = config.hiddenSizes;
    this.actor = new Mlp('actor', { sizes: [obsDim, ...h, 2 * A], activation: 'relu', outputGain: 0.01 }, init.fork('actor'));
    const qSpec = { sizes: [obsDim + A, ...h, 1], activation: 'relu' as const, outputGain: 1 };
    if (config.initAction !== null) this.setInitialAction(config.initAction);
    this.qf1 = new Mlp('qf1', qSpec, init.fork('qf1'));
    this.qf2 = new Mlp('qf2', qSpec, init.fork('qf2'));
    this.qf1Target = new Mlp('qf1_target', qSpec, init.fork('qf1'));
    this.qf2Target = new Mlp('qf2_target', qSpec, init.fork('qf2'));
    hardUpdate(this.qf1.variables, this.qf1Target.variables);
    hardUpdate(this.qf2.variables, this.qf2Target.variables);
    this.qVars = [...this.qf1.variables, ...this.qf2.variables];
    this.logAlpha = tf.tidy(() => tf.variable(tf.scalar(Math.log(config.alpha)), config.autotune, undefined, 'float32'));
    this.actorOptimizer = new Adam(this.actor.variables);
    this.qOptimizer = new Adam(this.qVars);
    this.alphaOptimizer = config.autotune ? new Adam([this.logAlpha]) : undefined;
    this.obsRms = config.normObs ? new RunningMeanStd(obsDim) : undefined;
    this.rng = Rng.fromSeed(seed, 'sac/noise');
    this.losses.alpha = config.alpha;
  }

  /** Sets the actor's mean-output bias so that tanh(mean) maps to env action `a` at the start (see config.initAction). */
  private setInitialAction(a: readonly number[]): void {
    const A = this.actionDim;
    const bias = this.actor.variables[this.actor.variables.length - 1];
    const values = Float32Array.from(bias.dataSync());
    for (let d = 0; d < A; d++) {
      if (!Number.isFinite(a[d])) throw new SacError(`initAction[${d}] must be finite, got ${a[d]}`);
      const y = Math.max(-0.999, Math.min(0.999, (a[d] - this.center[d]) / this.halfRange[d]));
      values[d] = Math.atanh(y);
    }
    tf.tidy(() => bias.assign(tf.tensor1d(values)));
  }

  /** The current entropy coefficient α. */
  alpha(): number {
    return Math.exp(this.logAlpha.dataSync()[0]);
  }

  // ------------------------------------------------------------------ the policy

  /**
   * Policy head on a [batch, obsDim] (already normalized) input: mean and log-std, each [batch, A].
   * Call inside tf.tidy.
   */
  private meanLogStd(obs: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const out = this.actor.apply(obs);
    const A = this.actionDim;
    const mean = tf.slice(out, [0, 0], [-1, A]) as tf.Tensor2D;
    const raw = tf.slice(out, [0, A], [-1, A]);
    const logStd = tf.add(tf.mul(tf.add(tf.tanh(raw), 1), this.logStdScale), this.config.logStdMin) as tf.Tensor2D;
    return { mean, logStd };
  }

  /**
   * Reparameterized sample ã = tanh(μ + σε) in (−1, 1)^A and its log-density on the env's action
   * space (see the file header). `eps` is [batch, A] standard normal noise. Call inside tf.tidy.
   */
  sampleAction(obs: tf.Tensor2D, eps: tf.Tensor2D): { action: tf.Tensor2D; logProb: tf.Tensor1D } {
    const { mean, logStd } = this.meanLogStd(obs);
    return squashedGaussianSample(mean, logStd, eps, this.sumLogHalfRange);
  }

  private q(net: Mlp, obs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
    return tf.reshape(net.apply(tf.concat([obs, action], 1) as tf.Tensor2D), [-1]) as tf.Tensor1D;
  }

  /** Normalizes `n` rows of raw observations into a Float32Array (current statistics; no update). */
  private normalizedObs(raw: ArrayLike<number>, n: number, out: Float32Array): Float32Array {
    const D = this.obsDim;
    const rms = this.obsRms;
    if (rms === undefined) {
      for (let i = 0; i < n * D; i++) out[i] = raw[i];
      return out;
    }
    for (let i = 0; i < n; i++) rms.normalizeRow(raw, i * D, out, i * D, this.config.obsClip);
    return out;
  }

  private noise(n: number): Float32Array {
    const len = n * this.actionDim;
    if (this.noiseScratch.length !== len) this.noiseScratch = new Float32Array(len);
    const e = this.noiseScratch;
    for (let i = 0; i < len; i++) e[i] = this.rng.normal();
    return e;
  }

  /**
   * Acts for `n` observations (rows of `obs`, raw, obsDim each). Writes the env actions
   * (center + halfRange·tanh u) to `out` and, when given, the squashed actions y ∈ (−1, 1) to
   * `unit` (what the replay buffer stores). `deterministic` uses u = μ (evaluation: tanh(mean)).
   */
  act(obs: ArrayLike<number>, n: number, out: Float64Array, deterministic: boolean, unit?: Float64Array): void {
    if (readsAsync()) {
      this.actJs(obs, n, out, deterministic, unit);
      return;
    }
    const head = this.headTensor(obs, n, out);
    const v = head.dataSync();
    head.dispose();
    this.finishAct(v, n, out, deterministic, unit);
  }

  /** `act` with an asynchronous read-back (training on any backend; the same numbers as `act` off WebGPU). */
  async actAsync(obs: ArrayLike<number>, n: number, out: Float64Array, deterministic: boolean, unit?: Float64Array): Promise<void> {
    const head = this.headTensor(obs, n, out);
    const v = await head.data();
    head.dispose();
    this.finishAct(v, n, out, deterministic, unit);
  }

  /** [n, 2A]: the actor's mean and log-std for n raw observation rows. */
  private headTensor(obs: ArrayLike<number>, n: number, out: Float64Array): tf.Tensor {
    const D = this.obsDim;
    const A = this.actionDim;
    if (obs.length < n * D || out.length < n * A) throw new SacError(`act: need ${n} rows of ${D} observations and room for ${n * A} actions, got ${obs.length} and ${out.length}`);
    if (this.obsScratch.length !== n * D) this.obsScratch = new Float32Array(n * D);
    const x = this.normalizedObs(obs, n, this.obsScratch);
    return tf.tidy(() => {
      const { mean, logStd } = this.meanLogStd(tf.tensor2d(x, [n, D]));
      return tf.concat([mean, logStd], 1);
    });
  }

  /** The synchronous `act` on WebGPU: the actor in plain JS on a copy of its weights (readable after a load or `makeReadable`). */
  private actJs(obs: ArrayLike<number>, n: number, out: Float64Array, deterministic: boolean, unit?: Float64Array): void {
    const D = this.obsDim;
    const A = this.actionDim;
    if (obs.length < n * D || out.length < n * A) throw new SacError(`act: need ${n} rows of ${D} observations and room for ${n * A} actions, got ${obs.length} and ${out.length}`);
    if (this.obsScratch.length !== n * D) this.obsScratch = new Float32Array(n * D);
    const x = this.normalizedObs(obs, n, this.obsScratch);
    this.actorSnap ??= this.actor.snapshot();
    if (this.headScratch.length !== n * 2 * A) this.headScratch = new Float64Array(n * 2 * A);
    const v = this.headScratch;
    forwardJs(this.actorSnap, x, 0, n, v, 0);
    for (let i = 0; i < n; i++) {
      for (let d = A; d < 2 * A; d++) v[i * 2 * A + d] = (Math.tanh(v[i * 2 * A + d]) + 1) * this.logStdScale + this.config.logStdMin;
    }
    this.finishAct(v, n, out, deterministic, unit);
  }

  private finishAct(v: ArrayLike<number>, n: number, out: Float64Array, deterministic: boolean, unit?: Float64Array): void {
    const A = this.actionDim;
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < A; d++) {
        const mean = v[i * 2 * A + d];
        const u = deterministic ? mean : mean + Math.exp(v[i * 2 * A + A + d]) * this.rng.normal();
        const y = Math.tanh(u);
        if (unit !== undefined) unit[i * A + d] = y;
        out[i * A + d] = this.center[d] + this.halfRange[d] * y;
      }
    }
  }

  /** Maps squashed actions y ∈ [−1, 1] to env actions, row by row (for the random warm-up). */
  toEnvAction(unit: ArrayLike<number>, n: number, out: Float64Array): void {
    const A = this.actionDim;
    for (let i = 0; i < n; i++) for (let d = 0; d < A; d++) out[i * A + d] = this.center[d] + this.halfRange[d] * unit[i * A + d];
  }

  // ------------------------------------------------------------------ the update

  /** One SAC gradient step on a minibatch (critics; then actor, α and targets on their schedules). */
  learn(batch: ReplayBatch): SacLosses {
    return runReadsSync(this.learnSteps(batch));
  }

  /** `learn` with asynchronous read-backs: runs on every backend, WebGPU included, with the same numbers as `learn`. */
  learnAsync(batch: ReplayBatch): Promise<SacLosses> {
    return runReadsAsync(this.learnSteps(batch));
  }

  /** The update, yielding each tensor it must read (readback.ts: the driver answers with its values). */
  private *learnSteps(batch: ReplayBatch): ReadSteps<SacLosses> {
    const B = batch.size;
    const D = this.obsDim;
    const A = this.actionDim;
    const cfg = this.config;
    if (this.batchObs.length !== B * D) {
      this.batchObs = new Float32Array(B * D);
      this.batchNextObs = new Float32Array(B * D);
    }
    const obsArr = this.normalizedObs(batch.obs, B, this.batchObs);
    const nextObsArr = this.normalizedObs(batch.nextObs, B, this.batchNextObs);
    const [obs, nextObs, actions, rewards, notDone] = tf.tidy(() => [
      tf.tensor2d(obsArr, [B, D]),
      tf.tensor2d(nextObsArr, [B, D]),
      tf.tensor2d(batch.actions, [B, A]),
      tf.mul(tf.tensor1d(batch.rewards), cfg.rewardScale),
      tf.sub(1, tf.tensor1d(batch.dones)),
    ]) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    try {
      this.criticSteps++;
      const alpha = Math.exp((yield this.logAlpha)[0]);

      // 1. Soft Bellman target, no gradient: y = r + γ(1 − d)(min Q'(s', ã') − α log π(ã'|s')).
      const nextEps = this.noise(B);
      const target = tf.tidy(() => {
        const { action: nextAction, logProb: nextLogPi } = this.sampleAction(nextObs, tf.tensor2d(nextEps, [B, A]));
        const minQNext = tf.minimum(this.q(this.qf1Target, nextObs, nextAction), this.q(this.qf2Target, nextObs, nextAction));
        const softV = tf.sub(minQNext, tf.mul(nextLogPi, alpha));
        return tf.add(rewards, tf.mul(tf.mul(notDone, cfg.gamma), softV));
      });

      // 2. Critic step: both Q networks regress on the same target (J_Q = MSE1 + MSE2).
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          const q1 = this.q(this.qf1, obs, actions);
          const q2 = this.q(this.qf2, obs, actions);
          const l1 = tf.mean(tf.square(tf.sub(q1, target)));
          const l2 = tf.mean(tf.square(tf.sub(q2, target)));
          this.pendingStats = tf.keep(tf.stack([l1, l2, tf.mean(q1), tf.mean(q2)]));
          return tf.add(l1, l2) as tf.Scalar;
        }, this.qVars);
        this.qOptimizer.apply(ordered(grads, this.qVars), cfg.qLr);
      });
      target.dispose();
      const stats = this.takeStats();
      const st = Float32Array.from(yield stats);
      stats.dispose();
      this.losses.qf1Loss = st[0];
      this.losses.qf2Loss = st[1];
      this.losses.qf1Value = st[2];
      this.losses.qf2Value = st[3];

      // 3. Delayed actor and α steps (as many as the critic steps they waited for).
      if (this.criticSteps % cfg.policyFrequency === 0) {
        this.actorSnap = undefined;
        for (let k = 0; k < cfg.policyFrequency; k++) {
          const a = Math.exp((yield this.logAlpha)[0]);
          const eps = this.noise(B);
          const actorLoss = tf.tidy(() => {
            const { value, grads } = tf.variableGrads(() => {
              const { action: pi, logProb: logPi } = this.sampleAction(obs, tf.tensor2d(eps, [B, A]));
              const minQPi = tf.minimum(this.q(this.qf1, obs, pi), this.q(this.qf2, obs, pi));
              this.pendingStats = tf.keep(tf.stack([tf.neg(tf.mean(logPi))]));
              return tf.mean(tf.sub(tf.mul(logPi, a), minQPi)) as tf.Scalar;
            }, this.actor.variables);
            this.actorOptimizer.apply(ordered(grads, this.actor.variables), cfg.policyLr);
            return value;
          });
          this.losses.actorLoss = (yield actorLoss)[0];
          actorLoss.dispose();
          const entropy = this.takeStats();
          this.losses.entropy = (yield entropy)[0];
          entropy.dispose();

          if (cfg.autotune && this.alphaOptimizer !== undefined) {
            const eps2 = this.noise(B);
            const alphaLoss = tf.tidy(() => {
              // log π of the updated actor, held constant: only log α gets a gradient.
              const logPi = this.sampleAction(obs, tf.tensor2d(eps2, [B, A])).logProb;
              const { value, grads } = tf.variableGrads(
                () => tf.mean(tf.mul(tf.neg(tf.exp(this.logAlpha)), tf.add(logPi, this.targetEntropy))) as tf.Scalar,
                [this.logAlpha],
              );
              this.alphaOptimizer?.apply(ordered(grads, [this.logAlpha]), cfg.alphaLr ?? cfg.qLr);
              return value;
            });
            this.losses.alphaLoss = (yield alphaLoss)[0];
            alphaLoss.dispose();
          }
          this.losses.alpha = Math.exp((yield this.logAlpha)[0]);
        }
      }

      // 4. Targets follow the online critics slowly.
      if (this.criticSteps % cfg.targetNetworkFrequency === 0) {
        polyakUpdate(this.qf1.variables, this.qf1Target.variables, cfg.tau);
        polyakUpdate(this.qf2.variables, this.qf2Target.variables, cfg.tau);
      }
      return this.losses;
    } finally {
      obs.dispose();
      nextObs.dispose();
      actions.dispose();
      rewards.dispose();
      notDone.dispose();
    }
  }

  private pendingStats: tf.Tensor | undefined;

  /** The statistics tensor the last step recorded (the caller reads and disposes it). */
  private takeStats(): tf.Tensor {
    const t = this.pendingStats;
    if (t === undefined) throw new SacError('internal: no statistics were recorded by the last step');
    this.pendingStats = undefined;
    return t;
  }

  // ------------------------------------------------------------------ state

  /** Every variable of the agent by checkpoint name (networks, targets, log α). */
  namedVariables(): Map<string, tf.Variable> {
    const m = new Map<string, tf.Variable>();
    for (const net of [this.actor, this.qf1, this.qf2, this.qf1Target, this.qf2Target]) {
      for (let i = 0; i < net.variables.length; i++) m.set(net.names[i], net.variables[i]);
    }
    m.set('log_alpha', this.logAlpha);
    return m;
  }

  /** Every tensor a checkpoint reads (variables and optimizer slots), for `makeReadable` before saving. */
  checkpointTensors(): tf.Variable[] {
    return [...this.namedVariables().values(), ...this.actorOptimizer.slots, ...this.qOptimizer.slots, ...(this.alphaOptimizer?.slots ?? [])];
  }

  /** Frees every tensor the agent owns (variables and optimizer slots). */
  dispose(): void {
    for (const net of [this.actor, this.qf1, this.qf2, this.qf1Target, this.qf2Target]) net.dispose();
    this.logAlpha.dispose();
    this.actorOptimizer.dispose();
    this.qOptimizer.dispose();
    this.alphaOptimizer?.dispose();
  }
}
