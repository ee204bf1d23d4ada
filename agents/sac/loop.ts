/**
 * The SAC training loop (CleanRL's `sac_continuous_action.py` main loop) on a vector env with
 * Gymnasium's next-step autoreset, free of files so that it runs in Node (train.ts, which writes
 * checkpoints into a run directory) and in a browser worker (the lab):
 *
 *   for each vector step:
 *     act: uniform random actions before `learningStarts`, else a ~ π(·|s)
 *     step the envs; store (s, y, r, s', terminated, truncated) for every env that did not
 *       autoreset on this step (an autoreset step carries no transition: its action was ignored)
 *     every env step earns `updateToDataRatio` gradient steps once learning has started
 *
 * Metrics (fixed names), one `onMetrics` call per `logEvery` env steps: charts/sps and, over the
 * episodes that ended since the previous call, charts/episodic_return, charts/episodic_length,
 * charts/is_bps (when the env reports info.isBps) and charts/episodes (the running count); then
 * the latest losses/qf1_loss, losses/qf2_loss, losses/qf1_values, losses/qf2_values,
 * losses/actor_loss, losses/alpha, losses/alpha_loss, losses/entropy (a −log π estimate).
 *
 * Resume restores the learner exactly (networks, targets, Adam moments, α, observation statistics,
 * replay buffer, counters) and keeps the run's save cadence unless another is given; the env
 * episodes restart, seeded with envSeed(seed, step), and the noise stream continues from a stream
 * derived from (seed, step).
 */
import { Rng, deriveSeed } from '../../simulator/random/index.ts';
import type { VectorEnv } from '../../env/vector/index.ts';
import { TRAINING_SEED_END } from '../../env/seeds.ts';
import { makeReadable, type BackendChoice } from '../nn/index.ts';
import { ReplayBuffer } from '../common/index.ts';
import type { Checkpoint, RunInfo, TrainHooks, TrainResult } from '../common/index.ts';
import type { SacConfig } from './config.ts';
import { SacAgent, SacError } from './agent.ts';
import { checkSacShapes, encodeSac, sacAgent, sacReplay, type SacCheckpoint } from './checkpoint.ts';

/** What `runSac` needs. */
export interface SacLoopArgs {
  /** The envs (numEnvs of the config); closed when the loop ends. */
  vec: VectorEnv;
  config: SacConfig;
  /** The run: seed, total steps, save cadence (and env, recorded in checkpoints). */
  run: RunInfo;
  /** A decoded checkpoint to resume from. */
  saved?: SacCheckpoint;
  /** The TensorFlow.js backend already started. */
  backend: BackendChoice;
  /** Stores a checkpoint taken at env step `step`; returns where it went (a directory, a name). */
  save(ckpt: Checkpoint, step: number): string | Promise<string>;
  /** Resolves when other work has had a turn (Node: setImmediate; a worker: a message or timer turn). */
  yieldToEvents(): Promise<void>;
  /** Keep the replay buffer in checkpoints (needed to resume with the same data). Default true. */
  saveReplay?: boolean;
  /** Emit losses and SPS every this many env steps (one "iteration"). Default 1,000. */
  logEvery?: number;
  /** Called once before the first step with a function that encodes the learner as a checkpoint (without its replay buffer; call it there: on webgpu the learner is readable synchronously only at that moment and after each save). */
  onState?(snapshot: () => Checkpoint): void;
}

/** What `runSac` returns: the shared result plus the live agent (the caller disposes it). */
export interface SacTrainResult extends TrainResult {
  agent: SacAgent;
  backend: BackendChoice;
  config: SacConfig;
  episodes: number;
  /** Every episodic return, in the order the episodes ended. */
  returns: number[];
  /** Env steps per second over the run (this process). */
  sps: number;
  /** The replay buffer at the end (for inspection and tests). */
  replay: ReplayBuffer;
}

function readBox(space: Record<string, unknown>): { low: number[]; high: number[] } {
  if (space.type !== 'Box' || !Array.isArray(space.low) || !Array.isArray(space.high)) {
    throw new SacError(`SAC needs a Box action space, got ${JSON.stringify(space).slice(0, 200)}`);
  }
  const num = (x: unknown): number => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x));
  return { low: space.low.map(num), high: space.high.map(num) };
}

/** The env seed of a run segment starting at env step `startStep` (in the training range [0, 1e9)). */
export function envSeed(runSeed: number, startStep: number): number {
  return deriveSeed(runSeed, `sac/env/${startStep}`) % TRAINING_SEED_END;
}

function meanOf(a: Float64Array, n: number): number {
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return s / n;
}

/** Trains SAC on `args.vec` (see the file header); checkpoints through `args.save` every run.saveEvery steps and at the end. */
export async function runSac(args: SacLoopArgs, hooks: TrainHooks = {}): Promise<SacTrainResult> {
  // The agent goes to the caller on success; a run that throws disposes it here (its tensors).
  const owned: { agent?: SacAgent } = {};
  try {
    return await loop(args, hooks, owned);
  } catch (err) {
    owned.agent?.dispose();
    throw err;
  } finally {
    await args.vec.close();
  }
}

async function loop(args: SacLoopArgs, hooks: TrainHooks, owned: { agent?: SacAgent }): Promise<SacTrainResult> {
  const { vec: env, config, run, saved, backend } = args;
  const seed = run.seed;
  const { low, high } = readBox(env.singleActionSpace);
  const n = env.numEnvs;
  const D = env.obsDim;
  const A = env.actionDim;
  if (low.length !== A) throw new SacError(`action space has ${low.length} bounds but the vector env's actionDim is ${A}`);
  const shapes = { obsDim: D, actionLow: low, actionHigh: high };
  const saveReplay = args.saveReplay ?? true;
  const logEvery = args.logEvery ?? 1000;
  const total = run.totalSteps;

  let agent: SacAgent;
  let rb: ReplayBuffer;
  let startStep = 0;
  let episodes = 0;
  let updateDebt = 0;
  if (saved !== undefined) {
    checkSacShapes(saved, shapes);
    agent = sacAgent(saved, config);
    rb = sacReplay(saved, config.bufferSize) ?? new ReplayBuffer(config.bufferSize, D, A);
    startStep = saved.step;
    episodes = saved.state.extra.episodes;
    updateDebt = saved.state.extra.updateDebt;
    agent.rng = Rng.fromSeed(seed, `sac/noise/resume-${startStep}`);
  } else {
    agent = new SacAgent(config, shapes, seed);
    rb = new ReplayBuffer(config.bufferSize, D, A);
  }
  owned.agent = agent;
  hooks.onStart?.({ backend, config: { ...run, backend: backend.name, backendReason: backend.reason, sac: config }, startStep, totalSteps: total });

  let lastCheckpoint = '';
  const snapshot = (step: number, withReplay: boolean): Checkpoint => encodeSac(agent, step, run, withReplay ? rb : undefined, { episodes, updateDebt });
  const save = async (step: number): Promise<void> => {
    // On webgpu the weights live on the device: read them back before the synchronous encoding.
    await makeReadable(agent.checkpointTensors());
    lastCheckpoint = await args.save(snapshot(step, saveReplay), step);
    hooks.onCheckpoint?.(lastCheckpoint, step);
  };
  if (args.onState !== undefined) {
    // On webgpu the learner lives on the device: read it back before the synchronous encoding.
    await makeReadable(agent.checkpointTensors());
    args.onState(() => snapshot(startStep, false));
  }

  // Buffers allocated once.
  const obs = new Float64Array(n * D);
  const envActions = new Float64Array(n * A);
  const unit = new Float64Array(n * A);
  const epReturn = new Float64Array(n);
  const epLength = new Float64Array(n);
  const justEnded = new Uint8Array(n);
  const recentReturns = new Float64Array(1024);
  const recentLengths = new Float64Array(1024);
  const recentIs = new Float64Array(1024);
  let nRecent = 0;
  let nRecentIs = 0;
  const returns: number[] = [];
  const warmRng = Rng.fromSeed(seed, `sac/warmup/${startStep}`);

  // Training seeds stay in the training range [0, 1e9) (evaluation uses [1e9, 2e9)).
  const first = await env.reset({ seed: envSeed(seed, startStep) });
  obs.set(first.observations);
  agent.obsRms?.updateRows(obs, n);

  let step = startStep;
  const t0 = performance.now();
  let lastLogStep = step;
  let lastLogTime = t0;
  let lastSave = step;
  const saveEvery = run.saveEvery;
  let stopped = false;

  // One metrics line: SPS since the last line, episode means since the last line, latest losses.
  const logLine = (): void => {
    const now = performance.now();
    const m: Record<string, number> = { 'charts/sps': ((step - lastLogStep) * 1000) / Math.max(1e-9, now - lastLogTime) };
    lastLogStep = step;
    lastLogTime = now;
    // Episode figures: means over the episodes that ended since the last line.
    if (nRecent > 0) {
      m['charts/episodic_return'] = meanOf(recentReturns, nRecent);
      m['charts/episodic_length'] = meanOf(recentLengths, nRecent);
      m['charts/episodes'] = episodes;
    }
    if (nRecentIs > 0) m['charts/is_bps'] = meanOf(recentIs, nRecentIs);
    const l = agent.losses;
    if (agent.criticSteps > 0) {
      m['losses/qf1_loss'] = l.qf1Loss;
      m['losses/qf2_loss'] = l.qf2Loss;
      m['losses/qf1_values'] = l.qf1Value;
      m['losses/qf2_values'] = l.qf2Value;
      if (Number.isFinite(l.actorLoss)) m['losses/actor_loss'] = l.actorLoss;
      m['losses/alpha'] = l.alpha;
      if (Number.isFinite(l.alphaLoss)) m['losses/alpha_loss'] = l.alphaLoss;
      if (Number.isFinite(l.entropy)) m['losses/entropy'] = l.entropy;
    }
    hooks.onMetrics?.(step, m);
    hooks.onProgress?.({
      step,
      totalSteps: total,
      sps: ((step - startStep) * 1000) / Math.max(1e-9, now - t0),
      episodicReturn: meanOf(recentReturns, nRecent),
      isBps: meanOf(recentIs, nRecentIs),
    });
    nRecent = 0;
    nRecentIs = 0;
  };

  let lastYield = performance.now();
  while (step < total) {
    // A sync vector env resolves its promises at once, so the loop would never give signal
    // handlers (Ctrl-C → shouldStop) or a worker's messages (pause) a turn: yield every 100 ms.
    if (performance.now() - lastYield > 100) {
      await args.yieldToEvents();
      lastYield = performance.now();
    }
    if (hooks.shouldStop?.() === true) {
      stopped = true;
      break;
    }
    // 1. Act: uniform random warm-up (unless warmup = 'policy'), then the stochastic policy.
    if (step < config.learningStarts && config.warmup === 'uniform') {
      for (let i = 0; i < n * A; i++) unit[i] = warmRng.uniform(-1, 1);
      agent.toEnvAction(unit, n, envActions);
    } else {
      await agent.actAsync(obs, n, envActions, false, unit);
    }

    // 2. Step and store (no transition for envs that autoreset on this step).
    const res = await env.step(envActions);
    for (let i = 0; i < n; i++) {
      if (justEnded[i] === 1) {
        justEnded[i] = 0;
        epReturn[i] = 0;
        epLength[i] = 0;
        continue;
      }
      const term = res.terminated[i] === 1;
      const trunc = res.truncated[i] === 1;
      rb.add(obs, unit, res.rewards[i], res.observations, term, trunc, i);
      epReturn[i] += res.rewards[i];
      epLength[i] += 1;
      if (term || trunc) {
        justEnded[i] = 1;
        episodes++;
        returns.push(epReturn[i]);
        if (nRecent < recentReturns.length) {
          recentReturns[nRecent] = epReturn[i];
          recentLengths[nRecent++] = epLength[i];
        }
        const is = res.infos[i]?.isBps;
        if (typeof is === 'number' && Number.isFinite(is) && nRecentIs < recentIs.length) recentIs[nRecentIs++] = is;
      }
    }
    obs.set(res.observations);
    agent.obsRms?.updateRows(obs, n);
    step += n;

    // 3. Learn: updateToDataRatio gradient steps per env step once learning has started.
    if (step > config.learningStarts) {
      updateDebt += n * config.updateToDataRatio;
      while (updateDebt >= 1) {
        await agent.learnAsync(rb.sample(config.batchSize, agent.rng));
        updateDebt -= 1;
      }
    }

    // 4. Log, report, save.
    if (step - lastLogStep >= logEvery || step >= total) logLine();
    if (saveEvery > 0 && step - lastSave >= saveEvery && step < total) {
      await save(step);
      lastSave = step;
    }
  }
  if (step > lastLogStep) logLine();
  await save(step);
  const elapsed = (performance.now() - t0) / 1000;
  return {
    steps: step,
    checkpoint: lastCheckpoint,
    stopped,
    agent,
    backend,
    config,
    episodes,
    returns,
    sps: (step - startStep) / Math.max(1e-9, elapsed),
    replay: rb,
  };
}

