/**
 * Test helpers for ONNX: PPO and SAC checkpoints with random (seeded) weights and observation
 * statistics, the env descriptions the exporter needs, and SAC's float64 forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Checkpoint, RunInfo } from '../../../agents/common/index.ts';
import { forwardJs } from '../../../agents/nn/mlp.ts';
import { Adam } from '../../../agents/nn/adam.ts';
import { ActorCritic, encodePpo, parsePpoConfig, type ActionSpec, type PpoConfigInput } from '../../../agents/ppo/index.ts';
import { SacAgent, encodeSac, parseSacConfig, type SacConfigInput, type SacPolicy } from '../../../agents/sac/index.ts';
import type { EnvDescription } from '../../../agents/onnx/index.ts';
import { make } from '../../../env/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

/** Replaces each variable's values with N(0, scale²/fanIn) draws (fanIn = the first dimension of a matrix; 1 for a vector). */
function randomize(vars: readonly tf.Variable[], rng: Rng, scale: number): void {
  for (const v of vars) {
    const n = v.size;
    const fanIn = v.shape.length === 2 ? v.shape[0] : 1;
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (rng.normal() * scale) / Math.sqrt(fanIn);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape)));
  }
}

/**
 * Observation statistics like those of the PPO trained on Liquidate-v0 (policies/ppo-liquidate):
 * means in [−0.5, 0.5], variances in [4e−3, 0.5] (its smallest variance of a feature that moves
 * is the spread's, 4.4e−3), and feature 9 (`hasOrder`, never set with market orders) at mean 0,
 * variance 1.67e−10, so that any non-zero value of it is normalized beyond ±obsClip and clipped.
 */
function randomStats(dim: number, rng: Rng): { type: 'RunningMeanStd'; dim: number; count: number; mean: number[]; var: number[] } {
  const mean = Array.from({ length: dim }, (_, i) => (i === 9 ? 0 : rng.uniform(-0.5, 0.5)));
  const variance = Array.from({ length: dim }, (_, i) => (i === 9 ? 1.67e-10 : rng.uniform(4e-3, 0.5)));
  return { type: 'RunningMeanStd', dim, count: 1000, mean, var: variance };
}

function run(algo: string, envId: string, envOptions: Record<string, unknown>): RunInfo {
  return { algo, envId, envOptions, seed: 5, totalSteps: 1, saveEvery: 0 };
}

/**
 * A PPO checkpoint with random actor weights (outputs of order ±scale around `bias`) and random
 * observation statistics. `actionSpace` is the env's action space JSON.
 */
export function randomPpoCheckpoint(opts: {
  obsDim: number;
  action: ActionSpec;
  actionSpace: Record<string, unknown>;
  envId: string;
  envOptions?: Record<string, unknown>;
  config?: PpoConfigInput;
  seed: number;
  bias?: number;
}): Checkpoint {
  const config = parsePpoConfig({ normReward: false, ...opts.config });
  const rng = Rng.fromSeed(opts.seed, 'onnx-test/ppo');
  const agent = new ActorCritic(opts.obsDim, opts.action, config, rng.fork('init'));
  const optimizer = new Adam(agent.variables);
  try {
    randomize(agent.actor.variables, rng.fork('weights'), 1.5);
    const lastBias = agent.actor.variables[agent.actor.variables.length - 1];
    tf.tidy(() => lastBias.assign(tf.add(lastBias, opts.bias ?? 0)));
    agent.refresh();
    if (agent.obsRms !== null) agent.obsRms.load(randomStats(opts.obsDim, rng.fork('stats')));
    return encodePpo({ config, agent, optimizer, rewardScaler: null, iteration: 0, globalStep: 0 }, opts.obsDim, opts.actionSpace, run('ppo', opts.envId, opts.envOptions ?? {}));
  } finally {
    agent.dispose();
    optimizer.dispose();
  }
}

/** A SAC checkpoint with random actor weights and (with normObs) random observation statistics. */
export function randomSacCheckpoint(opts: { obsDim: number; low: number[]; high: number[]; envId: string; envOptions?: Record<string, unknown>; config?: SacConfigInput; seed: number }): Checkpoint {
  const config = parseSacConfig({ ...opts.config });
  const agent = new SacAgent(config, { obsDim: opts.obsDim, actionLow: opts.low, actionHigh: opts.high }, opts.seed);
  try {
    const rng = Rng.fromSeed(opts.seed, 'onnx-test/sac');
    randomize(agent.actor.variables, rng.fork('weights'), 1.5);
    agent.obsRms?.load(randomStats(opts.obsDim, rng.fork('stats')));
    return encodeSac(agent, 0, run('sac', opts.envId, opts.envOptions ?? {}), undefined, { episodes: 0, updateDebt: 0 });
  } finally {
    agent.dispose();
  }
}

/** What the exporter needs of `envId` with `envOptions` (as the export command builds it). */
export function describeEnv(envId: string, envOptions: Record<string, unknown> = {}): EnvDescription {
  const env = make(envId, envOptions);
  try {
    const mode = env.metadata.actionMode;
    return {
      envId,
      envOptions,
      features: env.metadata.features as string[],
      observationSpace: env.observationSpace.toJSON(),
      actionSpace: env.actionSpace.toJSON(),
      ...(typeof mode === 'string' ? { actionMode: mode } : {}),
    };
  } finally {
    env.close();
  }
}

/**
 * SAC's deterministic action in float64 (the project's forward pass, forwardJs, on the actor's
 * weights): normalize as the agent does (into float32), μ = the first A actor outputs,
 * a = center + halfRange·tanh(μ). SacPolicy.act runs the same through TensorFlow.js in float32.
 */
export function sacFloat64Actor(policy: SacPolicy): (obs: Float64Array) => Float64Array {
  const agent = policy.agent;
  const snap = agent.actor.snapshot();
  const A = agent.actionDim;
  const D = agent.obsDim;
  const x = new Float32Array(D);
  const head = new Float64Array(2 * A);
  return (obs) => {
    if (agent.obsRms !== undefined) agent.obsRms.normalizeRow(obs, 0, x, 0, agent.config.obsClip);
    else x.set(obs);
    forwardJs(snap, x, 0, 1, head, 0);
    return Float64Array.from({ length: A }, (_, d) => agent.center[d] + agent.halfRange[d] * Math.tanh(head[d]));
  };
}
