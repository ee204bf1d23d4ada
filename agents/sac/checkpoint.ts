/**
 * SAC's state in the shared checkpoint format (agents/common/checkpoint.ts). Pure: checkpoint
 * objects in and out; checkpoint-fs.ts puts them on disk.
 *
 * Tensors: every network (actor, qf1, qf2, qf1_target, qf2_target: `<net>/l<i>/{w,b}`), `log_alpha`,
 * the Adam moments (`opt/actor/*`, `opt/q/*`, `opt/alpha/*`) and, when asked, the replay buffer
 * (`replay/*`, only the filled rows), so that training resumes with the same data.
 * State (state.json): the shapes (obs dim, action bounds), the seed, critic steps, Adam step
 * counts, the observation statistics, the replay buffer's position and count, and the trainer's
 * counters. Config (config.yaml): the run (`RunInfo`: algo, envId, envOptions, seed, totalSteps,
 * saveEvery) and the hyperparameters under `sac`. Decoding validates all three with zod and checks
 * that they agree, so a hand-edited checkpoint is refused even with consistent checksums.
 */
import { z } from 'zod';
import { CheckpointError, CONFIG_FILE, STATE_FILE, ReplayBuffer, RunInfoSchema, checkKind, checkTensors, parseCheckpointPart } from '../common/index.ts';
import type { Checkpoint, CheckpointTensor, RunInfo } from '../common/index.ts';
import { assignFromTensors, variablesToTensors } from '../nn/weights.ts';
import { SacConfigSchema, type SacConfig } from './config.ts';
import { SacAgent, type SacShapes } from './agent.ts';

export const SAC_KIND = 'sac';

const count = z.number().int().min(0);

const SacSavedStateSchema = z
  .object({
    obsDim: z.number().int().min(1),
    actionLow: z.array(z.number()).min(1),
    actionHigh: z.array(z.number()).min(1),
    seed: count,
    criticSteps: count,
    optimizerSteps: z.object({ actor: count, q: count, alpha: count }).strict(),
    /** RunningMeanStd JSON, or null without observation normalization. */
    obsRms: z.unknown(),
    replay: z.object({ pos: count, count, capacity: z.number().int().min(1) }).strict().nullable(),
    /** Trainer counters (env episodes, fractional update debt). */
    extra: z.object({ episodes: count, updateDebt: z.number().min(0) }).strict(),
  })
  .strict();

/** What a SAC checkpoint's state.json holds. */
export type SacSavedState = z.infer<typeof SacSavedStateSchema>;
/** The trainer's counters a checkpoint keeps. */
export type SacCounters = SacSavedState['extra'];

const SacRunSchema = RunInfoSchema.extend({ algo: z.literal(SAC_KIND), sac: z.unknown() }).strict();

/** A verified SAC checkpoint: its run, hyperparameters, state and tensors (no TensorFlow.js objects yet). */
export interface SacCheckpoint {
  /** Where it came from (for messages). */
  where: string;
  step: number;
  run: RunInfo;
  config: SacConfig;
  state: SacSavedState;
  checkpoint: Checkpoint;
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

function replayShapes(n: number, obsDim: number, actionDim: number): { name: string; shape: number[] }[] {
  return [
    { name: 'replay/obs', shape: [n, obsDim] },
    { name: 'replay/next_obs', shape: [n, obsDim] },
    { name: 'replay/actions', shape: [n, actionDim] },
    { name: 'replay/rewards', shape: [n] },
    { name: 'replay/terminated', shape: [n] },
    { name: 'replay/truncated', shape: [n] },
  ];
}

/**
 * The checkpoint of `agent` after `step` env steps, with its replay buffer when given.
 * `run.seed` is the agent's seed.
 */
export function encodeSac(agent: SacAgent, step: number, run: RunInfo, replay: ReplayBuffer | undefined, counters: SacCounters): Checkpoint {
  const named = agent.namedVariables();
  const tensors = variablesToTensors([...named.keys()], [...named.values()]);
  const actorOpt = agent.actorOptimizer.exportState('opt/actor');
  const qOpt = agent.qOptimizer.exportState('opt/q');
  const alphaOpt = agent.alphaOptimizer?.exportState('opt/alpha');
  tensors.push(...actorOpt.tensors, ...qOpt.tensors, ...(alphaOpt?.tensors ?? []));
  if (replay !== undefined) tensors.push(...replayTensors(replay));
  const state: SacSavedState = {
    obsDim: agent.obsDim,
    actionLow: Array.from(agent.center, (c, d) => c - agent.halfRange[d]),
    actionHigh: Array.from(agent.center, (c, d) => c + agent.halfRange[d]),
    seed: run.seed,
    criticSteps: agent.criticSteps,
    optimizerSteps: { actor: actorOpt.step, q: qOpt.step, alpha: alphaOpt?.step ?? 0 },
    obsRms: agent.obsRms?.toJSON() ?? null,
    replay: replay === undefined ? null : { pos: replay.position, count: replay.size, capacity: replay.capacity },
    extra: counters,
  };
  return { kind: SAC_KIND, step, tensors, state: state as unknown as Record<string, unknown>, config: { ...run, sac: agent.config } };
}

/**
 * Validates a SAC checkpoint's config, state and their agreement.
 * @throws CheckpointError naming the file at fault.
 */
export function decodeSac(ckpt: Checkpoint, where = 'checkpoint'): SacCheckpoint {
  checkKind(ckpt, SAC_KIND, where);
  const { sac, ...run } = parseCheckpointPart(SacRunSchema, ckpt.config, CONFIG_FILE, where);
  const config = parseCheckpointPart(SacConfigSchema, sac, CONFIG_FILE, where);
  const state = parseCheckpointPart(SacSavedStateSchema, ckpt.state, STATE_FILE, where);
  const bad = (why: string): never => {
    throw new CheckpointError(`${where}/${STATE_FILE} is invalid: ${why}`, STATE_FILE);
  };
  if (state.actionLow.length !== state.actionHigh.length) bad(`actionLow has ${state.actionLow.length} bounds, actionHigh ${state.actionHigh.length}`);
  if (state.seed !== run.seed) bad(`seed ${state.seed} differs from the run's seed ${run.seed} (${CONFIG_FILE})`);
  if (config.normObs !== (state.obsRms !== null)) bad(`normObs is ${config.normObs} but obsRms is ${state.obsRms === null ? 'null' : 'present'}`);
  const steps = state.optimizerSteps;
  // The critics' Adam steps once per critic step; an autotuned α at most once per actor step, a fixed one never.
  if (steps.q !== state.criticSteps) bad(`the critics' optimizer took ${steps.q} steps, criticSteps says ${state.criticSteps}`);
  if (config.autotune ? steps.alpha > steps.actor : steps.alpha !== 0) bad(`autotune is ${config.autotune} but α took ${steps.alpha} steps to the actor's ${steps.actor}`);
  const r = state.replay;
  if (r !== null && (r.count > r.capacity || r.pos >= r.capacity || (r.count < r.capacity && r.pos !== r.count))) bad(`replay position ${r.pos} and count ${r.count} do not fit capacity ${r.capacity}`);
  return { where, step: ckpt.step, run: { ...run, algo: SAC_KIND }, config, state, checkpoint: ckpt };
}

/** Does `d` match an env of these shapes? @throws CheckpointError saying how it differs. */
export function checkSacShapes(d: SacCheckpoint, e: SacShapes): void {
  const s = d.state;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  const same = e.obsDim === s.obsDim && e.actionLow.length === s.actionLow.length && s.actionLow.every((x, i) => close(x, e.actionLow[i]) && close(s.actionHigh[i], e.actionHigh[i]));
  if (!same) {
    throw new CheckpointError(
      `checkpoint ${d.where} does not match the env: it was trained with obsDim ${s.obsDim} and actions [${s.actionLow.join(', ')}]..[${s.actionHigh.join(', ')}], ` +
        `the env has obsDim ${e.obsDim} and actions [${Array.from(e.actionLow).join(', ')}]..[${Array.from(e.actionHigh).join(', ')}]`,
    );
  }
}

/**
 * The agent of a checkpoint with everything restored (networks, targets, log α, Adam moments,
 * observation statistics, critic steps). `config` replaces the saved hyperparameters (a resumed
 * run's overrides). Call after the backend is initialized.
 * @throws CheckpointError when a tensor or the statistics do not fit the model.
 */
export function sacAgent(d: SacCheckpoint, config: SacConfig = d.config): SacAgent {
  const s = d.state;
  const agent = new SacAgent(config, { obsDim: s.obsDim, actionLow: s.actionLow, actionHigh: s.actionHigh }, s.seed);
  try {
    const named = agent.namedVariables();
    const expected = [...named].map(([name, v]) => ({ name, shape: v.shape }));
    expected.push(...agent.actorOptimizer.stateShapes('opt/actor'), ...agent.qOptimizer.stateShapes('opt/q'), ...(agent.alphaOptimizer?.stateShapes('opt/alpha') ?? []));
    if (s.replay !== null) expected.push(...replayShapes(s.replay.count, s.obsDim, s.actionLow.length));
    checkTensors(d.checkpoint, expected, d.where);
    assignFromTensors([...named.keys()], [...named.values()], d.checkpoint.tensors);
    agent.actorOptimizer.importState('opt/actor', s.optimizerSteps.actor, d.checkpoint.tensors);
    agent.qOptimizer.importState('opt/q', s.optimizerSteps.q, d.checkpoint.tensors);
    agent.alphaOptimizer?.importState('opt/alpha', s.optimizerSteps.alpha, d.checkpoint.tensors);
    agent.obsRms?.load(s.obsRms);
  } catch (err) {
    agent.dispose();
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`${d.where} does not fit the SAC model: ${(err as Error).message}`, STATE_FILE);
  }
  agent.criticSteps = s.criticSteps;
  agent.losses.alpha = agent.alpha();
  return agent;
}

/**
 * The replay buffer a checkpoint holds (undefined when it holds none), in a buffer of
 * `capacity` rows (at least the saved count).
 */
export function sacReplay(d: SacCheckpoint, capacity: number): ReplayBuffer | undefined {
  const r = d.state.replay;
  if (r === null) return undefined;
  const rb = new ReplayBuffer(Math.max(capacity, r.count), d.state.obsDim, d.state.actionLow.length);
  const byName = new Map(d.checkpoint.tensors.map((t) => [t.name, t.data]));
  const get = (name: string): Float32Array => {
    const t = byName.get(name);
    if (t === undefined) throw new CheckpointError(`${d.where} holds no ${name} (state.json says it has a replay buffer)`, STATE_FILE);
    return t;
  };
  rb.obs.set(get('replay/obs'));
  rb.nextObs.set(get('replay/next_obs'));
  rb.actions.set(get('replay/actions'));
  rb.rewards.set(get('replay/rewards'));
  const term = get('replay/terminated');
  const trunc = get('replay/truncated');
  for (let i = 0; i < r.count; i++) {
    rb.terminated[i] = term[i];
    rb.truncated[i] = trunc[i];
  }
  rb.restore(r.capacity === rb.capacity ? r.pos : r.count % rb.capacity, r.count);
  return rb;
}
