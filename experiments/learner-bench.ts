/**
 * The learners' update steps on synthetic data, for `bench learner` and the backend parity tests.
 *
 * - PPO: an actor-critic (Box action, `hidden` units per layer) and a rollout of `batch` rows with
 *   seeded observations, actions, log-probs, rewards and values; one `ppoUpdate` with one epoch of
 *   one minibatch = one gradient step on `batch` rows, plus what every update does once: the
 *   statistics read-back and the refresh of the acting copies of the weights.
 * - SAC: an agent and a replay buffer of seeded transitions; one `learnAsync` with
 *   policyFrequency 1 = one critic, one actor and one α step and a Polyak step on `batch` rows.
 *
 * Everything comes from seeded streams, so two backends run exactly the same arithmetic.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../simulator/random/index.ts';
import { Adam, makeReadable } from '../agents/nn/index.ts';
import { RolloutBuffer, ReplayBuffer } from '../agents/common/index.ts';
import { ActorCritic, PpoMinibatch, ppoUpdate, type PpoLosses, type PpoState } from '../agents/ppo/agent.ts';
import { parsePpoConfig } from '../agents/ppo/config.ts';
import { SacAgent, type SacLosses } from '../agents/sac/agent.ts';
import { parseSacConfig } from '../agents/sac/config.ts';

export interface LearnerShape {
  /** Rows per gradient step. */
  batch: number;
  /** Units per hidden layer. */
  hidden: number;
  /** Hidden layers (default 2). */
  layers?: number;
  /** Observation width (default 11, as Liquidate-v0). */
  obsDim?: number;
  seed?: number;
}

export interface PpoLearner {
  state: PpoState;
  /** One update (see the file header); resolves with its losses. */
  step(): Promise<PpoLosses>;
  /** Weights and Adam moments, read back. */
  weights(): Promise<Float32Array[]>;
  dispose(): void;
}

export interface SacLearner {
  agent: SacAgent;
  step(): Promise<SacLosses>;
  weights(): Promise<Float32Array[]>;
  dispose(): void;
}

async function readAll(vars: readonly tf.Tensor[]): Promise<Float32Array[]> {
  await makeReadable(vars);
  return Promise.all(vars.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
}

export function ppoLearner(shape: LearnerShape): PpoLearner {
  const { batch, hidden } = shape;
  const D = shape.obsDim ?? 11;
  const seed = shape.seed ?? 1;
  const config = parsePpoConfig({ hiddenSizes: new Array<number>(shape.layers ?? 2).fill(hidden), numEnvs: 1, numSteps: batch, numMinibatches: 1, updateEpochs: 1, targetKl: null });
  const agent = new ActorCritic(D, { kind: 'box', dim: 1, low: [0], high: [10] }, config, Rng.fromSeed(seed, 'learner/ppo/init'));
  const state: PpoState = { config, agent, optimizer: new Adam(agent.variables, { epsilon: config.adamEpsilon }), rewardScaler: null, iteration: 0, globalStep: 0 };
  const buf = new RolloutBuffer(batch, 1, D, 1);
  const rng = Rng.fromSeed(seed, 'learner/ppo/data');
  for (let i = 0; i < batch * D; i++) buf.obs[i] = rng.normal();
  for (let i = 0; i < batch; i++) {
    buf.actions[i] = 1 + 0.3 * rng.normal();
    // The log-density of that action under a policy near the initial one (mean ≈ 0, log σ = initLogStd).
    buf.logProbs[i] = -0.5 * ((buf.actions[i] / Math.exp(config.initLogStd)) ** 2) - config.initLogStd - 0.5 * Math.log(2 * Math.PI) + 0.1 * rng.normal();
    buf.rewards[i] = rng.normal();
    buf.values[i] = 0.5 * rng.normal();
    buf.valid[i] = 1;
  }
  buf.computeReturnsAndAdvantages([0], 0.99, 0.95);
  const mb = new PpoMinibatch(batch + 1, D, 1);
  let k = 0;
  const shuffle = Rng.fromSeed(seed, 'learner/ppo/shuffle');
  return {
    state,
    step: () => ppoUpdate(state, buf, mb, config.learningRate, shuffle.fork(`${k++}`)),
    weights: () => readAll([...agent.variables, ...state.optimizer.slots]),
    dispose: () => {
      state.optimizer.dispose();
      agent.dispose();
    },
  };
}

export function sacLearner(shape: LearnerShape): SacLearner {
  const { batch, hidden } = shape;
  const D = shape.obsDim ?? 11;
  const seed = shape.seed ?? 1;
  const config = parseSacConfig({ hiddenSizes: new Array<number>(shape.layers ?? 2).fill(hidden), batchSize: batch, bufferSize: Math.max(batch, 1024), policyFrequency: 1, targetNetworkFrequency: 1 });
  const agent = new SacAgent(config, { obsDim: D, actionLow: [0], actionHigh: [10] }, seed);
  const n = Math.max(batch, 1024);
  const rb = new ReplayBuffer(n, D, 1);
  const rng = Rng.fromSeed(seed, 'learner/sac/data');
  const o = new Float64Array(D);
  const o2 = new Float64Array(D);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) {
      o[j] = rng.normal();
      o2[j] = rng.normal();
    }
    rb.add(o, [rng.uniform(-1, 1)], rng.normal(), o2, i % 60 === 59, false);
  }
  const sampler = Rng.fromSeed(seed, 'learner/sac/batches');
  return {
    agent,
    step: () => agent.learnAsync(rb.sample(batch, sampler)),
    weights: () => readAll(agent.checkpointTensors()),
    dispose: () => agent.dispose(),
  };
}

export interface LearnerTiming {
  algo: 'ppo' | 'sac';
  batch: number;
  hidden: number;
  /** Median wall milliseconds of one step (see the file header), after one warm-up step. */
  ms: number;
  /** Median CPU milliseconds of this process per step (all its threads; steadier than wall time on a busy machine). */
  cpuMs: number;
  /** Timed steps. */
  reps: number;
}

/**
 * Times one step of each algorithm for every (batch, hidden) pair: one warm-up step (kernel
 * compilation, buffer allocation), then steps until `minMs` have passed or `maxReps` were run
 * (at least `minReps`), reporting the median. Each step ends with a read-back of its losses, so
 * asynchronous backends are timed to completion. For each algorithm and width the batch sizes run
 * in increasing order, and once a step took more than `capMs` the larger batches are skipped
 * (reported through `onSkip`): the step time grows with the batch.
 */
export async function benchLearner(
  grid: { batches: readonly number[]; hidden: readonly number[]; algos: readonly ('ppo' | 'sac')[] },
  options: { minMs?: number; minReps?: number; maxReps?: number; capMs?: number; layers?: number; obsDim?: number; onCell?: (t: LearnerTiming) => void; onSkip?: (algo: 'ppo' | 'sac', hidden: number, batch: number) => void } = {},
): Promise<LearnerTiming[]> {
  const minMs = options.minMs ?? 1000;
  const minReps = options.minReps ?? 3;
  const maxReps = options.maxReps ?? 50;
  const capMs = options.capMs ?? Infinity;
  const out: LearnerTiming[] = [];
  for (const algo of grid.algos) {
    for (const hidden of grid.hidden) {
      let tooSlow = false;
      for (const batch of [...grid.batches].sort((a, b) => a - b)) {
        if (tooSlow) {
          options.onSkip?.(algo, hidden, batch);
          continue;
        }
        const shape = { batch, hidden, layers: options.layers, obsDim: options.obsDim };
        const learner = algo === 'ppo' ? ppoLearner(shape) : sacLearner(shape);
        try {
          await learner.step();
          const times: number[] = [];
          const cpu: number[] = [];
          const t0 = performance.now();
          while (times.length < minReps || (times.length < maxReps && performance.now() - t0 < minMs)) {
            const c = process.cpuUsage();
            const s = performance.now();
            await learner.step();
            times.push(performance.now() - s);
            const dc = process.cpuUsage(c);
            cpu.push((dc.user + dc.system) / 1000);
          }
          const ms = median(times);
          if (ms > capMs) tooSlow = true;
          const t: LearnerTiming = { algo, batch, hidden, ms, cpuMs: median(cpu), reps: times.length };
          out.push(t);
          options.onCell?.(t);
        } finally {
          learner.dispose();
        }
      }
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
