/**
 * Proximal Policy Optimization (Schulman et al. 2017), clipped-surrogate variant, after CleanRL's
 * `ppo_continuous_action.py`. Each iteration reads like the paper:
 *
 *   1. anneal the learning rate;
 *   2. collect: run the policy for numSteps steps in numEnvs envs (normalized observations,
 *      scaled rewards, raw samples and their log-probs, values);
 *   3. compute returns and advantages: GAE(λ), bootstrapping the value on truncation;
 *   4. train: updateEpochs passes over shuffled minibatches of the clipped surrogate
 *      + value loss (optionally clipped) − entropy bonus, global gradient-norm clipping, Adam;
 *      stop the epochs early when the approximate KL exceeds targetKl.
 *
 * Determinism: the network init, the exploration noise of iteration k, the minibatch order of
 * iteration k and the env seeds all derive from the run seed, so a run is a function of
 * (seed, config, env). Resume is exact: a checkpoint holds weights, Adam moments, observation and
 * reward statistics and the iteration count, and at every checkpoint the trainer resets all envs
 * with a seed derived from (run seed, iteration) — so a run resumed from a checkpoint continues
 * bit for bit as the run that wrote it. (Episodes running at a checkpoint are cut there; they were
 * already bootstrapped as the rollout's last step.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng, deriveSeed } from '../../simulator/random/index.ts';
import { TRAINING_SEED_END, type VectorEnv, type VectorStepResult } from '../../env/index.ts';
import { initBackend, Adam, clipByGlobalNorm, sampleGaussianJs, gaussianLogProbJs, sampleCategoricalJs, categoricalLogProbJs } from '../nn/index.ts';
import { RolloutBuffer, RewardScaler, linearSchedule } from '../common/index.ts';
import type { TrainOptions, TrainHooks, TrainResult } from '../common/index.ts';
import { parsePpoConfig, type PpoConfig } from './config.ts';
import { ActorCritic, PpoError, parseActionSpace } from './agent.ts';
import { saveRunCheckpoint, loadRunCheckpoint, checkpointDirFor } from './io.ts';

/** Env seeds of a run stay in the training range (env/seeds.ts). */
export function envSeed(runSeed: number, iteration: number): number {
  return deriveSeed(runSeed, `ppo/env/${iteration}`) % TRAINING_SEED_END;
}

/** Everything one PPO run carries between iterations. */
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

/** Per-iteration figures with fixed names (CleanRL's). */
export interface IterationStats {
  'charts/learning_rate': number;
  'losses/value_loss': number;
  'losses/policy_loss': number;
  'losses/entropy': number;
  'losses/old_approx_kl': number;
  'losses/approx_kl': number;
  'losses/clipfrac': number;
  'losses/explained_variance': number;
  'losses/grad_norm': number;
  'charts/action_std': number;
  'charts/epochs': number;
}

/** Rollout-side state: the envs' current observations and the episodes in progress. */
class Collector {
  readonly vec: VectorEnv;
  readonly n: number;
  readonly obsDim: number;
  /** Current normalized observations (n × obsDim). */
  readonly obsNorm: Float32Array;
  /** 1 where the env's last step ended its episode: the next step is an autoreset step. */
  readonly prevDone: Uint8Array;
  readonly epReturn: Float64Array;
  readonly epLength: Float64Array;
  /** Episodes finished during the current iteration. */
  finished = { count: 0, returnSum: 0, lengthSum: 0, isCount: 0, isSum: 0 };
  private readonly head: Float64Array;
  private readonly values: Float64Array;
  private readonly raw: Float64Array;
  private readonly envActions: Float64Array;
  private readonly scaled: Float64Array;
  private readonly ended: Uint8Array;
  private readonly validNow: Uint8Array;

  constructor(vec: VectorEnv, agent: ActorCritic) {
    this.vec = vec;
    this.n = vec.numEnvs;
    this.obsDim = vec.obsDim;
    this.obsNorm = new Float32Array(this.n * this.obsDim);
    this.prevDone = new Uint8Array(this.n);
    this.epReturn = new Float64Array(this.n);
    this.epLength = new Float64Array(this.n);
    this.head = new Float64Array(this.n * agent.headDim);
    this.values = new Float64Array(this.n);
    this.raw = new Float64Array(this.n * agent.actDim);
    this.envActions = new Float64Array(this.n * vec.actionDim);
    this.scaled = new Float64Array(this.n);
    this.ended = new Uint8Array(this.n);
    this.validNow = new Uint8Array(this.n);
  }

  /** Resets every env with `seed`; episodes in progress are dropped. */
  async reset(agent: ActorCritic, seed: number, rewardScaler: RewardScaler | null): Promise<void> {
    const r = await this.vec.reset({ seed });
    agent.normalizeObs(r.observations, this.n, this.obsNorm, true);
    this.prevDone.fill(0);
    this.epReturn.fill(0);
    this.epLength.fill(0);
    rewardScaler?.returns.fill(0);
  }

  /** Phase 1: fills `buf` with numSteps steps of every env. Returns V(s) of the observations after the last step. */
  async collect(agent: ActorCritic, buf: RolloutBuffer, rewardScaler: RewardScaler | null, rng: Rng): Promise<Float64Array> {
    const { n, obsDim } = this;
    const actDim = agent.actDim;
    const logStd = agent.logStdValues();
    const box = agent.boxMap;
    const discrete = agent.action.kind === 'discrete' ? agent.action : null;
    this.finished = { count: 0, returnSum: 0, lengthSum: 0, isCount: 0, isSum: 0 };
    for (let t = 0; t < buf.numSteps; t++) {
      const k0 = t * n;
      buf.obs.set(this.obsNorm, k0 * obsDim);
      agent.forward(this.obsNorm, n, this.head, this.values);
      for (let i = 0; i < n; i++) {
        const k = k0 + i;
        this.validNow[i] = this.prevDone[i] === 0 ? 1 : 0;
        buf.valid[k] = this.validNow[i];
        buf.values[k] = this.values[i];
        if (discrete === null) {
          sampleGaussianJs(rng, this.head, i * actDim, logStd, this.raw, i * actDim, actDim);
          // Round to float32 first: the buffer (and so the loss) sees exactly this sample.
          for (let d = 0; d < actDim; d++) this.raw[i * actDim + d] = Math.fround(this.raw[i * actDim + d]);
          const map = box as NonNullable<typeof box>;
          buf.logProbs[k] = gaussianLogProbJs(this.head, i * actDim, logStd, this.raw, i * actDim, actDim) + map.logProbCorrection(this.raw, i * actDim);
          map.toEnv(this.raw, i * actDim, this.envActions, i * actDim);
          for (let d = 0; d < actDim; d++) buf.actions[k * actDim + d] = this.raw[i * actDim + d];
        } else {
          const a = sampleCategoricalJs(rng, this.head, i * discrete.n, discrete.n);
          buf.logProbs[k] = categoricalLogProbJs(this.head, i * discrete.n, discrete.n, a);
          buf.actions[k] = a;
          this.envActions[i] = a + discrete.start;
        }
      }
      const step: VectorStepResult = await this.vec.step(this.envActions);
      for (let i = 0; i < n; i++) this.ended[i] = step.terminated[i] !== 0 || step.truncated[i] !== 0 ? 1 : 0;
      if (rewardScaler !== null) rewardScaler.scale(step.rewards, this.validNow, this.ended, this.scaled);
      for (let i = 0; i < n; i++) {
        const k = k0 + i;
        const valid = this.validNow[i] !== 0;
        buf.rewards[k] = valid ? (rewardScaler !== null ? this.scaled[i] : step.rewards[i]) : 0;
        buf.terminated[k] = valid ? step.terminated[i] : 0;
        buf.truncated[k] = valid ? step.truncated[i] : 0;
        if (valid) {
          this.epReturn[i] += step.rewards[i];
          this.epLength[i] += 1;
          if (this.ended[i] !== 0) {
            const f = this.finished;
            f.count += 1;
            f.returnSum += this.epReturn[i];
            f.lengthSum += this.epLength[i];
            const is = step.infos[i]?.isBps;
            if (typeof is === 'number' && Number.isFinite(is)) {
              f.isCount += 1;
              f.isSum += is;
            }
            this.epReturn[i] = 0;
            this.epLength[i] = 0;
          }
        }
        this.prevDone[i] = valid ? this.ended[i] : 0;
      }
      agent.normalizeObs(step.observations, n, this.obsNorm, true);
    }
    agent.forward(this.obsNorm, n, this.head, this.values);
    return Float64Array.from(this.values);
  }
}

/** Minibatch scratch (allocated once per run). */
class Minibatch {
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
function gather(buf: RolloutBuffer, idx: Int32Array, mb: Minibatch, normAdv: boolean): void {
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
 * Phase 4: the PPO update on one rollout. Returns the loss statistics of the last minibatch (as
 * CleanRL logs them), the mean clip fraction and the number of epochs run.
 */
function update(s: PpoState, buf: RolloutBuffer, mb: Minibatch, lr: number, rng: Rng): Omit<IterationStats, 'charts/learning_rate' | 'losses/explained_variance' | 'charts/action_std'> {
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
      last = tf.tidy(() => {
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
        const out = tf.concat([kept, tf.reshape(clipped.norm, [1])]).dataSync() as Float32Array;
        kept.dispose();
        return Float32Array.from(out);
      });
      clipfracSum += last[5];
      clipfracCount += 1;
    }
    if (c.targetKl !== null && last[4] > c.targetKl) break;
  }
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

function explainedVariance(buf: RolloutBuffer): number {
  let n = 0;
  let my = 0;
  let md = 0;
  for (let k = 0; k < buf.size; k++) {
    if (buf.valid[k] === 0) continue;
    n++;
    my += buf.returns[k];
    md += buf.returns[k] - buf.values[k];
  }
  if (n < 2) return NaN;
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let k = 0; k < buf.size; k++) {
    if (buf.valid[k] === 0) continue;
    vy += (buf.returns[k] - my) ** 2;
    const d = buf.returns[k] - buf.values[k];
    vd += (d - md) ** 2;
  }
  return vy === 0 ? NaN : 1 - vd / vy;
}

function validateOptions(o: TrainOptions): void {
  if (typeof o !== 'object' || o === null) throw new PpoError(`train options must be an object, got ${String(o)}`);
  if (typeof o.makeVecEnv !== 'function') throw new PpoError(`train options need makeVecEnv(numEnvs), got ${String(o.makeVecEnv)}`);
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new PpoError(`totalSteps must be a positive integer, got ${String(o.totalSteps)}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new PpoError(`seed must be a non-negative integer, got ${String(o.seed)}`);
  if (o.saveEvery !== undefined && (!Number.isInteger(o.saveEvery) || o.saveEvery < 0)) throw new PpoError(`saveEvery must be a non-negative integer, got ${String(o.saveEvery)}`);
  if (typeof o.outDir !== 'string' || o.outDir.length === 0) throw new PpoError(`outDir must be a non-empty path, got ${String(o.outDir)}`);
}

/**
 * Trains PPO (see the file header and agents/common/train-api.ts). Writes checkpoints to
 * `<outDir>/checkpoints/step-<N>/` every `saveEvery` steps and at the end (also when stopped).
 */
export async function train(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  validateOptions(options);
  const backend = await initBackend(options.backend ?? 'auto');
  const resumed = options.resume !== undefined ? loadRunCheckpoint(options.resume) : undefined;
  const config = parsePpoConfig({ ...(resumed?.ppoConfig ?? {}), ...(options.config ?? {}) });
  if (resumed !== undefined && resumed.seed !== options.seed) {
    throw new PpoError(`resume: the checkpoint was trained with seed ${resumed.seed}, but seed ${options.seed} was given`);
  }
  const vec = await options.makeVecEnv(config.numEnvs);
  let state: PpoState | undefined;
  try {
    if (vec.numEnvs !== config.numEnvs) throw new PpoError(`makeVecEnv(${config.numEnvs}) returned ${vec.numEnvs} envs`);
    const actionSpec = parseActionSpace(vec.singleActionSpace);
    const agent = new ActorCritic(vec.obsDim, actionSpec, config, Rng.fromSeed(options.seed, 'ppo/init'));
    state = {
      config,
      agent,
      optimizer: new Adam(agent.variables, { epsilon: config.adamEpsilon }),
      rewardScaler: config.normReward ? new RewardScaler(config.numEnvs, config.gamma, config.rewardClip) : null,
      iteration: 0,
      globalStep: 0,
    };
    if (resumed !== undefined) resumed.restore(state, vec);
    const batchSize = config.numEnvs * config.numSteps;
    const numIterations = Math.ceil(options.totalSteps / batchSize);
    const runInfo = { envId: options.envId, envOptions: options.envOptions ?? {}, seed: options.seed, totalSteps: options.totalSteps };
    hooks.onStart?.({
      backend,
      config: { algo: 'ppo', ...runInfo, backend: backend.name, ppo: config },
      startStep: state.globalStep,
      totalSteps: options.totalSteps,
    });
    const buf = new RolloutBuffer(config.numSteps, config.numEnvs, vec.obsDim, agent.actDim);
    const mb = new Minibatch(Math.ceil(batchSize / Math.max(1, Math.min(config.numMinibatches, batchSize))) + 1, vec.obsDim, agent.actDim);
    const collector = new Collector(vec, agent);
    const baseRng = Rng.fromSeed(options.seed, 'ppo/run');
    await collector.reset(agent, envSeed(options.seed, state.iteration), state.rewardScaler);
    const t0 = performance.now();
    const stepsAtStart = state.globalStep;
    let lastSaveStep = state.globalStep;
    let lastCheckpoint = '';
    let stopped = false;
    const save = async (): Promise<void> => {
      const s = state as PpoState;
      lastCheckpoint = checkpointDirFor(options.outDir, s.globalStep);
      saveRunCheckpoint(lastCheckpoint, s, vec, runInfo);
      lastSaveStep = s.globalStep;
      hooks.onCheckpoint?.(lastCheckpoint, s.globalStep);
    };
    while (state.iteration < numIterations) {
      // Let the event loop run once per iteration: a sync vector env resolves its promises at
      // once, and without this a Ctrl-C (SIGINT handler) would never get a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (hooks.shouldStop?.() === true) {
        stopped = true;
        break;
      }
      const k = state.iteration;
      // 1. Anneal the learning rate.
      const lr = config.annealLr ? linearSchedule(config.learningRate, 0, k / numIterations) : config.learningRate;
      // 2. Collect a rollout.
      const lastValues = await collector.collect(agent, buf, state.rewardScaler, baseRng.fork(`act/${k}`));
      // 3. Returns and advantages.
      buf.computeReturnsAndAdvantages(lastValues, config.gamma, config.gaeLambda);
      // 4. Train.
      const losses = update(state, buf, mb, lr, baseRng.fork(`shuffle/${k}`));
      state.iteration += 1;
      state.globalStep += batchSize;

      const elapsed = (performance.now() - t0) / 1000;
      const sps = (state.globalStep - stepsAtStart) / Math.max(elapsed, 1e-9);
      const f = collector.finished;
      const episodicReturn = f.count > 0 ? f.returnSum / f.count : NaN;
      const isBps = f.isCount > 0 ? f.isSum / f.isCount : NaN;
      const std = agent.logStd === null ? NaN : agent.logStdValues().reduce((a, b) => a + Math.exp(b), 0) / agent.actDim;
      const metrics: Record<string, number> = {
        'charts/learning_rate': lr,
        ...losses,
        'losses/explained_variance': explainedVariance(buf),
        'charts/action_std': std,
        'charts/sps': sps,
        'charts/iteration': state.iteration,
      };
      if (f.count > 0) {
        metrics['charts/episodic_return'] = episodicReturn;
        metrics['charts/episodic_length'] = f.lengthSum / f.count;
        metrics['charts/episodes'] = f.count;
      }
      if (f.isCount > 0) metrics['charts/is_bps'] = isBps;
      hooks.onMetrics?.(state.globalStep, metrics);
      hooks.onProgress?.({ step: state.globalStep, totalSteps: options.totalSteps, sps, episodicReturn, isBps });

      const saveEvery = options.saveEvery ?? 0;
      if (saveEvery > 0 && state.globalStep - lastSaveStep >= saveEvery && state.iteration < numIterations) {
        await save();
        // Reset at every checkpoint so that resuming from it continues exactly (file header).
        await collector.reset(agent, envSeed(options.seed, state.iteration), state.rewardScaler);
      }
    }
    if (lastSaveStep !== state.globalStep || lastCheckpoint === '') await save();
    return { steps: state.globalStep, checkpoint: lastCheckpoint, stopped };
  } finally {
    state?.optimizer.dispose();
    state?.agent.dispose();
    await vec.close();
  }
}
