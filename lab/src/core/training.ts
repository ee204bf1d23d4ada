/**
 * The Train view's work, free of the DOM (a worker runs it; Node tests check it against the
 * command line): PPO through agents/ppo's own loop (`runPpo`, the body of `train`), with the
 * preset and hyperparameters `train` resolves, on a sync vector env; the evaluation against
 * TWAP and passive TWAP on held-out seeds with `evaluate`'s episode harness and `summarize`'s
 * paired statistics; trained policies from checkpoints. The TensorFlow.js backend is started by
 * the caller (lab/src/workers/tf-backend.ts in the browser).
 */
import { SyncVectorEnv, evaluationSeeds } from '../../../env/index.ts';
import { loadPolicy, type AnyPolicy, type PolicySpec } from '../../../agents/index.ts';
import type { Checkpoint, RunInfo, TrainHooks, TrainResult } from '../../../agents/common/index.ts';
import { PPO_KIND, parsePpoConfig, ppoPreset, PpoPolicy } from '../../../agents/ppo/index.ts';
import { runPpo } from '../../../agents/ppo/loop.ts';
import { SAC_KIND } from '../../../agents/sac/checkpoint.ts';
import { SacPolicy } from '../../../agents/sac/policy.ts';
import type { BackendChoice } from '../../../agents/nn/backend.ts';
import { runEpisode, type EpisodeRecord } from '../../../experiments/evaluate/episode.ts';
import { makeEnvForPolicy } from '../../../experiments/evaluate/run.ts';
import { summarize, type PolicySummary } from '../../../experiments/evaluate/summary.ts';
import { baselineSpec } from '../../../experiments/evaluate/baselines.ts';
import { DEFAULT_LAMBDA_PER_BPS } from '../../../experiments/evaluate/defaults.ts';

export interface LabTrainOptions {
  envId: string;
  envOptions?: Record<string, unknown>;
  seed: number;
  totalSteps: number;
  /** Hyperparameter overrides over the env's preset (validated by PPO's schema). */
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

/** Trains PPO as `execution-gym train --algo ppo` does (same preset, loop and checkpoints), without files. */
export async function trainPpoInMemory(o: LabTrainOptions, hooks: TrainHooks, control: TrainControl): Promise<LabTrainResult> {
  const envOptions = o.envOptions ?? {};
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error(`seed must be an integer >= 0, got ${String(o.seed)}`);
  if (!Number.isInteger(o.totalSteps) || o.totalSteps < 1) throw new Error(`totalSteps must be a positive integer, got ${String(o.totalSteps)}`);
  const config = parsePpoConfig({ ...ppoPreset(o.envId, envOptions), ...(o.config ?? {}) });
  const run: RunInfo = { algo: PPO_KIND, envId: o.envId, envOptions, seed: o.seed, totalSteps: o.totalSteps, saveEvery: 0 };
  const vec = SyncVectorEnv.fromId(o.envId, config.numEnvs, envOptions);
  let initial: Checkpoint | undefined;
  let final: Checkpoint | undefined;
  const r = await runPpo(
    {
      vec,
      config,
      run,
      backend: o.backend,
      save: (ckpt, step) => {
        final = ckpt;
        return `step-${String(step).padStart(12, '0')}`;
      },
      yieldToEvents: control.yieldToEvents,
      onState: (snapshot) => {
        initial = snapshot();
      },
    },
    { ...hooks, shouldStop: control.shouldStop },
  );
  return { ...r, initial: initial as Checkpoint, final: final as Checkpoint };
}

/** Largest |difference| between the network weights of two checkpoints of the same network (0: unchanged; the optimizer's `adam/` moments are left out). */
export function maxWeightChange(a: Checkpoint, b: Checkpoint): number {
  let m = 0;
  const byName = new Map(b.tensors.map((t) => [t.name, t]));
  for (const t of a.tensors) {
    if (t.name.startsWith('adam/')) continue;
    const u = byName.get(t.name);
    if (u === undefined || u.data.length !== t.data.length) throw new Error(`checkpoints differ in tensor ${t.name}`);
    for (let i = 0; i < t.data.length; i++) m = Math.max(m, Math.abs(t.data[i] - u.data[i]));
  }
  return m;
}

/** The deterministic policy of a checkpoint (PPO or SAC), as `evaluate --policy <run>` builds it. */
export function policyFromCheckpoint(ckpt: Checkpoint, where: string): AnyPolicy {
  if (ckpt.kind === PPO_KIND) return PpoPolicy.fromCheckpoint(ckpt, { where });
  if (ckpt.kind === SAC_KIND) return SacPolicy.fromCheckpoint(ckpt, { where });
  throw new Error(`checkpoint kind ${JSON.stringify(ckpt.kind)} is not one the lab can run (ppo, sac)`);
}

/** The env a checkpoint was trained on (its run record). */
export function checkpointEnv(ckpt: Checkpoint): { envId: string; envOptions: Record<string, unknown> } {
  // Checkpoints keep the run's fields at the top of their config (beside the algorithm's hyperparameters).
  const run = ckpt.config as { envId?: unknown; envOptions?: unknown };
  const envId = typeof run?.envId === 'string' ? run.envId : '';
  const envOptions = typeof run?.envOptions === 'object' && run.envOptions !== null ? (run.envOptions as Record<string, unknown>) : {};
  if (envId === '') throw new Error(`the checkpoint (${ckpt.kind}, step ${ckpt.step}) does not name the env it was trained on`);
  return { envId, envOptions };
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
