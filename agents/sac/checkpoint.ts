/**
 * SAC checkpoints in the shared format of agents/nn (manifest.json, weights.bin, state.json,
 * config.yaml; written atomically, verified on load).
 *
 * Tensors: every network (actor, qf1, qf2, qf1_target, qf2_target: `<net>/l<i>/{w,b}`), `log_alpha`,
 * the Adam moments (`opt/actor/*`, `opt/q/*`, `opt/alpha/*`) and, when asked, the replay buffer
 * (`replay/*`, only the filled rows), so that training resumes with the same data.
 * State: kind 'sac', shapes (obs dim, action bounds), critic steps, Adam step counts, the
 * observation statistics, the replay buffer's position and count, and the trainer's counters.
 * Config: the resolved SAC config plus the run's env id, env options and seed.
 */
import { loadCheckpoint, saveCheckpoint, variablesToTensors, assignFromTensors, CheckpointError } from '../nn/index.ts';
import type { Checkpoint, CheckpointTensor } from '../nn/index.ts';
import { parseSacConfig, type SacConfig } from './config.ts';
import { SacAgent, type SacShapes } from './sac.ts';
import { ReplayBuffer } from './replay.ts';

export const SAC_KIND = 'sac';

/** What a SAC checkpoint's state.json holds. */
export interface SacState {
  obsDim: number;
  actionLow: number[];
  actionHigh: number[];
  seed: number;
  criticSteps: number;
  optimizerSteps: { actor: number; q: number; alpha: number };
  /** RunningMeanStd JSON (agents/common), or null without observation normalization. */
  obsRms: unknown;
  replay: { pos: number; count: number; capacity: number } | null;
  /** Trainer counters and anything else the caller wants back (env steps, episodes, ...). */
  extra: Record<string, unknown>;
}

/** The run-level fields stored beside the SAC config in config.yaml. */
export interface SacRunInfo {
  env?: string;
  envOptions?: Record<string, unknown>;
  seed?: number;
  [k: string]: unknown;
}

function replayTensors(rb: ReplayBuffer): CheckpointTensor[] {
  const n = rb.size;
  const f = (a: Uint8Array): Float32Array => Float32Array.from(a.subarray(0, n));
  return [
    { name: 'replay/obs', shape: [n, rb.obsDim], data: rb.obs.slice(0, n * rb.obsDim) },
    { name: 'replay/next_obs', shape: [n, rb.obsDim], data: rb.nextObs.slice(0, n * rb.obsDim) },
    { name: 'replay/actions', shape: [n, rb.actionDim], data: rb.actions.slice(0, n * rb.actionDim) },
    { name: 'replay/rewards', shape: [n], data: rb.rewards.slice(0, n) },
    { name: 'replay/terminated', shape: [n], data: f(rb.terminated) },
    { name: 'replay/truncated', shape: [n], data: f(rb.truncated) },
  ];
}

/**
 * Writes the agent (and optionally its replay buffer) to the checkpoint directory `dir`.
 * `step` is the number of env steps taken.
 */
export function saveSac(dir: string, agent: SacAgent, step: number, seed: number, run: SacRunInfo = {}, replay?: ReplayBuffer, extra: Record<string, unknown> = {}): void {
  const named = agent.namedVariables();
  const tensors: CheckpointTensor[] = variablesToTensors([...named.keys()], [...named.values()]);
  const actorOpt = agent.actorOptimizer.exportState('opt/actor');
  const qOpt = agent.qOptimizer.exportState('opt/q');
  const alphaOpt = agent.alphaOptimizer?.exportState('opt/alpha');
  tensors.push(...actorOpt.tensors, ...qOpt.tensors, ...(alphaOpt?.tensors ?? []));
  if (replay !== undefined) tensors.push(...replayTensors(replay));
  const state: SacState = {
    obsDim: agent.obsDim,
    actionLow: Array.from(agent.center, (c, d) => c - agent.halfRange[d]),
    actionHigh: Array.from(agent.center, (c, d) => c + agent.halfRange[d]),
    seed,
    criticSteps: agent.criticSteps,
    optimizerSteps: { actor: actorOpt.step, q: qOpt.step, alpha: alphaOpt?.step ?? 0 },
    obsRms: agent.obsRms?.toJSON() ?? null,
    replay: replay === undefined ? null : { pos: replay.position, count: replay.size, capacity: replay.capacity },
    extra,
  };
  const ckpt: Checkpoint = { kind: SAC_KIND, step, tensors, state: state as unknown as Record<string, unknown>, config: { ...run, sac: agent.config } };
  saveCheckpoint(dir, ckpt);
}

/** A loaded SAC checkpoint: the agent with its weights, optimizers and statistics restored. */
export interface LoadedSac {
  agent: SacAgent;
  step: number;
  state: SacState;
  run: SacRunInfo;
  /** The replay buffer, when the checkpoint holds one and `withReplay` was asked. */
  replay?: ReplayBuffer;
}

function readState(dir: string, s: Record<string, unknown>): SacState {
  const st = s as unknown as SacState;
  const ok =
    Number.isInteger(st.obsDim) &&
    Array.isArray(st.actionLow) &&
    Array.isArray(st.actionHigh) &&
    st.actionLow.length === st.actionHigh.length &&
    Number.isInteger(st.criticSteps) &&
    typeof st.optimizerSteps === 'object' &&
    st.optimizerSteps !== null &&
    Number.isInteger(st.seed);
  if (!ok) throw new CheckpointError(`checkpoint ${dir} is not a valid SAC checkpoint: state.json lacks obsDim, action bounds, seed or counters`);
  return st;
}

/**
 * Loads a SAC checkpoint written by `saveSac`. `expectShapes`, when given, must match the
 * checkpoint's (a policy for another env is refused with a clear message).
 * @throws CheckpointError for a missing, damaged or mismatched checkpoint.
 */
export function loadSac(dir: string, opts: { withReplay?: boolean; expectShapes?: SacShapes; configOverride?: SacConfig } = {}): LoadedSac {
  const ckpt = loadCheckpoint(dir, { kind: SAC_KIND });
  const state = readState(dir, ckpt.state);
  const { sac, ...run } = ckpt.config as { sac?: unknown } & SacRunInfo;
  let config: SacConfig;
  try {
    config = opts.configOverride ?? parseSacConfig(sac);
  } catch (err) {
    throw new CheckpointError(`checkpoint ${dir} has an invalid SAC config: ${(err as Error).message}`);
  }
  if (opts.expectShapes !== undefined) {
    const e = opts.expectShapes;
    const same =
      e.obsDim === state.obsDim &&
      e.actionLow.length === state.actionLow.length &&
      state.actionLow.every((x, d) => Math.abs(x - e.actionLow[d]) <= 1e-9 * Math.max(1, Math.abs(x)) && Math.abs(state.actionHigh[d] - e.actionHigh[d]) <= 1e-9 * Math.max(1, Math.abs(state.actionHigh[d])));
    if (!same) {
      throw new CheckpointError(
        `checkpoint ${dir} does not match the env: it was trained with obsDim ${state.obsDim} and actions [${state.actionLow.join(', ')}]..[${state.actionHigh.join(', ')}], ` +
          `the env has obsDim ${e.obsDim} and actions [${Array.from(e.actionLow).join(', ')}]..[${Array.from(e.actionHigh).join(', ')}]`,
      );
    }
  }
  const agent = new SacAgent(config, { obsDim: state.obsDim, actionLow: state.actionLow, actionHigh: state.actionHigh }, state.seed);
  try {
    const named = agent.namedVariables();
    assignFromTensors([...named.keys()], [...named.values()], ckpt.tensors);
    agent.actorOptimizer.importState('opt/actor', state.optimizerSteps.actor, ckpt.tensors);
    agent.qOptimizer.importState('opt/q', state.optimizerSteps.q, ckpt.tensors);
    agent.alphaOptimizer?.importState('opt/alpha', state.optimizerSteps.alpha, ckpt.tensors);
    if (agent.obsRms !== undefined) {
      if (state.obsRms === null) throw new CheckpointError(`checkpoint ${dir} normalizes observations but holds no statistics`);
      agent.obsRms.load(state.obsRms);
    }
  } catch (err) {
    agent.dispose();
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`checkpoint ${dir} does not match the SAC model: ${(err as Error).message}`);
  }
  agent.criticSteps = state.criticSteps;
  agent.losses.alpha = agent.alpha();
  const out: LoadedSac = { agent, step: ckpt.step, state, run };
  if (opts.withReplay === true && state.replay !== null) {
    const r = state.replay;
    const rb = new ReplayBuffer(Math.max(config.bufferSize, r.count), state.obsDim, state.actionLow.length);
    const byName = new Map(ckpt.tensors.map((t) => [t.name, t]));
    const get = (name: string, len: number): Float32Array => {
      const t = byName.get(name);
      if (t === undefined || t.data.length !== len) throw new CheckpointError(`checkpoint ${dir} is damaged: ${name} is missing or has the wrong length`);
      return t.data;
    };
    rb.obs.set(get('replay/obs', r.count * state.obsDim));
    rb.nextObs.set(get('replay/next_obs', r.count * state.obsDim));
    rb.actions.set(get('replay/actions', r.count * rb.actionDim));
    rb.rewards.set(get('replay/rewards', r.count));
    const term = get('replay/terminated', r.count);
    const trunc = get('replay/truncated', r.count);
    for (let i = 0; i < r.count; i++) {
      rb.terminated[i] = term[i];
      rb.truncated[i] = trunc[i];
    }
    rb.restore(r.capacity === rb.capacity ? r.pos : r.count % rb.capacity, r.count);
    out.replay = rb;
  }
  return out;
}
