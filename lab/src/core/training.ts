/**
 * The Train view's work, free of the DOM (a worker runs it; Node tests check it against the
 * command line): PPO and SAC through their own loops (`runPpo` and `runSac`, the bodies of
 * `train --algo ppo|sac`), with the preset and hyperparameters `train` resolves, on a sync vector env; the evaluation against
 * TWAP and passive TWAP on held-out seeds with `evaluate`'s episode harness and `summarize`'s
 * paired statistics; trained policies from checkpoints. The TensorFlow.js backend is started by
 * the caller (lab/src/workers/tf-backend.ts in the browser).
 */
import { SyncVectorEnv, evaluationSeeds } from '../../../env/index.ts';
import { loadPolicy, type AnyPolicy, type PolicySpec } from '../../../agents/index.ts';
import type { Checkpoint, RunInfo, TrainHooks, TrainResult } from '../../../agents/common/index.ts';
import { PPO_KIND, parsePpoConfig, ppoPreset } from '../../../agents/ppo/index.ts';
import { runPpo } from '../../../agents/ppo/loop.ts';
import { SAC_KIND } from '../../../agents/sac/checkpoint.ts';
import { checkpointEnv, policyFromCheckpoint } from './policies.ts';
import { parseSacConfig, sacPreset } from '../../../agents/sac/config.ts';
import { runSac } from '../../../agents/sac/loop.ts';
import type { BackendChoice } from '../../../agents/nn/backend.ts';
import { runEpisode, type EpisodeRecord } from '../../../experiments/evaluate/episode.ts';
import { makeEnvForPolicy } from '../../../experiments/evaluate/run.ts';
import { summarize, type PolicySummary } from '../../../experiments/evaluate/summary.ts';
import { baselineSpec } from '../../../experiments/evaluate/baselines.ts';
import { DEFAULT_LAMBDA_PER_BPS } from '../../../experiments/evaluate/defaults.ts';

import { LAB_ALGOS, type LabAlgo } from './choices.ts';

export { LAB_ALGOS, type LabAlgo };

export { checkpointEnv, policyFromCheckpoint };

export interface LabTrainOptions {
  envId: string;
  envOptions?: Record<string, unknown>;
  seed: number;
  totalSteps: number;
  /** Hyperparameter overrides over the env's preset (validated by the algorithm's schema). */
  config?: Record<string, unknown>;
  backend: BackendChoice;
}

export interface TrainControl {
  /** Awaited between iterations: resolve to go on (a paused trainer resolves on resume). */
  yieldToEvents(): Promise<void>;
  shouldStop?(): boolean;
}

export interface LabTrainResult extends TrainResult {
  /** The last checkpoint (taken at the end, or when stopped). */
  checkpoint: string;
  final: Checkpoint;
  initial: Checkpoint;
}

function checkRun(o: LabTrainOptions): void {
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error(`seed must be an integer >= 0, got ${String(o.seed)}`);
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new Error(`totalSteps must be a positive integer, got ${String(o.totalSteps)}`);
}

/**
 * What both in-memory runs share: the run (the preset with `o.config` over it, parsed by the
 * algorithm's schema), its envs, and the loop's edges that keep the first and last checkpoints in
 * memory instead of files.
 */
function memoryRun<C extends { numEnvs: number }>(kind: string, o: LabTrainOptions, preset: (envId: string, envOptions: Record<string, unknown>) => Record<string, unknown>, parse: (raw: unknown) => C) {
  checkRun(o);
  const envOptions = o.envOptions ?? {};
  const config = parse({ ...preset(o.envId, envOptions), ...(o.config ?? {}) });
  const run: RunInfo = { algo: kind, envId: o.envId, envOptions, seed: o.seed, totalSteps: o.totalSteps, saveEvery: 0 };
  const kept: { initial?: Checkpoint; final?: Checkpoint } = {};
  return {
    config,
    run,
    vec: SyncVectorEnv.fromId(o.envId, config.numEnvs, envOptions),
    backend: o.backend,
    kept,
    save: (ckpt: Checkpoint, step: number): string => {
      kept.final = ckpt;
      return `step-${String(step).padStart(12, '0')}`;
    },
    onState: (snapshot: () => Checkpoint): void => {
      kept.initial = snapshot();
    },
  };
}

/** Trains PPO as `execution-gym train --algo ppo` does (same preset, loop and checkpoints), without files. */
export async function trainPpoInMemory(o: LabTrainOptions, hooks: TrainHooks, control: TrainControl): Promise<LabTrainResult> {
  const { kept, ...m } = memoryRun(PPO_KIND, o, ppoPreset, parsePpoConfig);
  const r = await runPpo({ ...m, yieldToEvents: control.yieldToEvents }, { ...hooks, shouldStop: control.shouldStop });
  return { ...r, initial: kept.initial as Checkpoint, final: kept.final as Checkpoint };
}

/**
 * Trains SAC as `execution-gym train --algo sac` does (same preset, loop and weights), without
 * files; the checkpoint leaves out the replay buffer (`train --algo sac` keeps it so that a run
 * resumes on the same data; a policy does not need it). Metrics every `logEvery` env steps
 * (default 250, so the learning curve moves in the page).
 */
export async function trainSacInMemory(o: LabTrainOptions & { logEvery?: number }, hooks: TrainHooks, control: TrainControl): Promise<LabTrainResult> {
  const { kept, ...m } = memoryRun(SAC_KIND, o, sacPreset, parseSacConfig);
  const r = await runSac({ ...m, saveReplay: false, logEvery: o.logEvery ?? 250, yieldToEvents: control.yieldToEvents }, { ...hooks, shouldStop: control.shouldStop });
  r.agent.dispose();
  return { steps: r.steps, checkpoint: r.checkpoint, stopped: r.stopped, initial: kept.initial as Checkpoint, final: kept.final as Checkpoint };
}

/** Trains `algo` (see trainPpoInMemory and trainSacInMemory). */
export async function trainInMemory(algo: LabAlgo, o: LabTrainOptions, hooks: TrainHooks, control: TrainControl): Promise<LabTrainResult> {
  if (algo === 'ppo') return trainPpoInMemory(o, hooks, control);
  if (algo === 'sac') return trainSacInMemory(o, hooks, control);
  throw new Error(`algo must be one of ${LAB_ALGOS.join(', ')}, got ${JSON.stringify(algo)}`);
}

/** Optimizer moments and replay data in a checkpoint: PPO's `adam/`, SAC's `opt/` and `replay/`. */
const NOT_WEIGHTS = ['adam/', 'opt/', 'replay/'];

/** Largest |difference| between the network weights of two checkpoints of the same network (0: unchanged; optimizer moments and replay data are left out). */
export function maxWeightChange(a: Checkpoint, b: Checkpoint): number {
  let m = 0;
  const byName = new Map(b.tensors.map((t) => [t.name, t]));
  for (const t of a.tensors) {
    if (NOT_WEIGHTS.some((p) => t.name.startsWith(p))) continue;
    const u = byName.get(t.name);
    if (u === undefined || u.data.length !== t.data.length) throw new Error(`checkpoints differ in tensor ${t.name}`);
    for (let i = 0; i < t.data.length; i++) m = Math.max(m, Math.abs(t.data[i] - u.data[i]));
  }
  return m;
}

/** One episode of `policy` on `seed`, as `evaluate` runs it. */
export function episodeOf(policy: AnyPolicy, envId: string, envOptions: Record<string, unknown>, seed: number): EpisodeRecord {
  const env = makeEnvForPolicy(envId, envOptions, policy);
  try {
    return runEpisode(env, policy, seed);
  } finally {
    env.close();
  }
}

/**
 * The trained policy against TWAP and passive TWAP on the first `n` evaluation seeds (held out
 * from training by construction), with `evaluate`'s summary: mean IS with a bootstrap interval,
 * and paired differences with t and Wilcoxon p-values. `onEpisode` reports progress.
 */
export async function evaluateAgainstBaselines(policy: AnyPolicy, label: string, envId: string, envOptions: Record<string, unknown>, n: number, onEpisode?: (done: number, total: number) => void): Promise<Record<string, PolicySummary>> {
  const seeds = evaluationSeeds(n);
  const baselines = envId === 'Liquidate-AC-v0' ? ['twap'] : ['twap', 'passive-twap'];
  const total = seeds.length * (baselines.length + 1);
  let done = 0;
  const runs: Record<string, EpisodeRecord[]> = {};
  const runAll = (p: AnyPolicy, name: string): void => {
    runs[name] = seeds.map((s) => {
      const r = episodeOf(p, envId, envOptions, s);
      onEpisode?.(++done, total);
      return r;
    });
  };
  for (const b of baselines) runAll(await loadPolicy(baselineSpec(b, envId, envOptions).spec as PolicySpec), b);
  runAll(policy, label);
  return summarize(runs, { lambdaPerBps: DEFAULT_LAMBDA_PER_BPS });
}
