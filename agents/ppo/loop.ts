/**
 * The PPO training loop, free of Node (the web lab runs it in a worker): `runPpo` is the body of
 * `train` (train.ts, see its header for the algorithm and the determinism guarantees) with what
 * touches the outside passed in: the backend already started, the run and hyperparameters already
 * resolved (and the checkpoint to resume from, decoded), where a checkpoint goes (`save`), and how
 * the loop lets other work run between iterations (`yieldToEvents`).
 */
import { Rng, deriveSeed } from '../../simulator/random/index.ts';
import { TRAINING_SEED_END } from '../../env/seeds.ts';
import type { VectorEnv, VectorStepResult } from '../../env/vector/index.ts';
import { Adam } from '../nn/adam.ts';
import { makeReadable } from '../nn/readback.ts';
import { sampleGaussianJs, gaussianLogProbJs, sampleCategoricalJs, categoricalLogProbJs } from '../nn/distributions.ts';
import type { BackendChoice } from '../nn/backend.ts';
import { RolloutBuffer, RewardScaler, linearSchedule, explainedVariance } from '../common/index.ts';
import type { Checkpoint, RunInfo, TrainHooks, TrainResult } from '../common/index.ts';
import type { PpoConfig } from './config.ts';
import { ActorCritic, PpoError, PpoMinibatch, parseActionSpace, ppoUpdate, type PpoLosses, type PpoState } from './agent.ts';
import { encodePpo, restorePpo, type PpoCheckpoint } from './checkpoint.ts';

/** Env seeds of a run stay in the training range (env/seeds.ts). */
export function envSeed(runSeed: number, iteration: number): number {
  return deriveSeed(runSeed, `ppo/env/${iteration}`) % TRAINING_SEED_END;
}

/** Per-iteration figures with fixed names (CleanRL's). */
export interface IterationStats extends PpoLosses {
  'charts/learning_rate': number;
  'losses/explained_variance': number;
  'charts/action_std': number;
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

/** What `runPpo` needs (see the file header). */
export interface PpoLoopArgs {
  /** The envs (numEnvs of the config); closed when the loop ends. */
  vec: VectorEnv;
  config: PpoConfig;
  /** The run: seed, total steps, save cadence (and env, recorded in checkpoints). */
  run: RunInfo;
  /** A decoded checkpoint to resume from. */
  saved?: PpoCheckpoint;
  /** The TensorFlow.js backend already started. */
  backend: BackendChoice;
  /** Stores a checkpoint taken at env step `step`; returns where it went (a directory, a name). */
  save(ckpt: Checkpoint, step: number): string | Promise<string>;
  /** Resolves when other work has had a turn (Node: setImmediate; a worker: a message or timer turn). */
  yieldToEvents(): Promise<void>;
  /** Called once before the first iteration with a function that encodes the current state as a checkpoint (call it there: on webgpu the state is readable synchronously only at that moment and after each save). */
  onState?(snapshot: () => Checkpoint): void;
}

/** The training loop (train.ts's body): iterations of collect, GAE, update until run.totalSteps; checkpoints through `args.save`. */
export async function runPpo(args: PpoLoopArgs, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { vec, config, run, saved, backend } = args;
  let state: PpoState | undefined;
  try {
    if (vec.numEnvs !== config.numEnvs) throw new PpoError(`makeVecEnv(${config.numEnvs}) returned ${vec.numEnvs} envs`);
    const actionSpec = parseActionSpace(vec.singleActionSpace);
    const agent = new ActorCritic(vec.obsDim, actionSpec, config, Rng.fromSeed(run.seed, 'ppo/init'));
    state = {
      config,
      agent,
      optimizer: new Adam(agent.variables, { epsilon: config.adamEpsilon }),
      rewardScaler: config.normReward ? new RewardScaler(config.numEnvs, config.gamma, config.rewardClip) : null,
      iteration: 0,
      globalStep: 0,
    };
    if (saved !== undefined) restorePpo(saved, state, vec.obsDim, vec.singleActionSpace);
    const batchSize = config.numEnvs * config.numSteps;
    const numIterations = Math.ceil(run.totalSteps / batchSize);
    hooks.onStart?.({
      backend,
      config: { ...run, backend: backend.name, backendReason: backend.reason, ppo: config },
      startStep: state.globalStep,
      totalSteps: run.totalSteps,
    });
    const snapshot = (): Checkpoint => encodePpo(state as PpoState, vec.obsDim, vec.singleActionSpace, run);
    if (args.onState !== undefined) {
      // On webgpu the optimizer's fresh slots live on the device: read them back first.
      await makeReadable([...state.agent.variables, ...state.optimizer.slots]);
      args.onState(snapshot);
    }
    const buf = new RolloutBuffer(config.numSteps, config.numEnvs, vec.obsDim, agent.actDim);
    const mb = new PpoMinibatch(Math.ceil(batchSize / Math.max(1, Math.min(config.numMinibatches, batchSize))) + 1, vec.obsDim, agent.actDim);
    const collector = new Collector(vec, agent);
    const baseRng = Rng.fromSeed(run.seed, 'ppo/run');
    await collector.reset(agent, envSeed(run.seed, state.iteration), state.rewardScaler);
    const t0 = performance.now();
    const stepsAtStart = state.globalStep;
    let lastSaveStep = state.globalStep;
    let lastCheckpoint = '';
    let stopped = false;
    const save = async (): Promise<void> => {
      const s = state as PpoState;
      // On webgpu the weights live on the device: read them back before the synchronous snapshot.
      await makeReadable([...s.agent.variables, ...s.optimizer.slots]);
      lastCheckpoint = await args.save(snapshot(), s.globalStep);
      lastSaveStep = s.globalStep;
      hooks.onCheckpoint?.(lastCheckpoint, s.globalStep);
    };
    while (state.iteration < numIterations) {
      // Let the event loop run once per iteration: a sync vector env resolves its promises at
      // once, and without this a Ctrl-C (SIGINT handler) would never get a turn.
      await args.yieldToEvents();
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
      const losses = await ppoUpdate(state, buf, mb, lr, baseRng.fork(`shuffle/${k}`));
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
        'losses/explained_variance': explainedVariance(buf.values, buf.returns, buf.valid),
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
      hooks.onProgress?.({ step: state.globalStep, totalSteps: run.totalSteps, sps, episodicReturn, isBps });

      if (run.saveEvery > 0 && state.globalStep - lastSaveStep >= run.saveEvery && state.iteration < numIterations) {
        await save();
        // Reset at every checkpoint so that resuming from it continues exactly (file header).
        await collector.reset(agent, envSeed(run.seed, state.iteration), state.rewardScaler);
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
