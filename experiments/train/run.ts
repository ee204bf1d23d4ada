/**
 * One training run, as `execution-gym train` drives it: builds the vector env (sync, or worker
 * threads with --workers), dispatches to the algorithm module (algos.ts), and owns the run
 * directory's shared files:
 *
 *   <out>/config.yaml      the resolved config (algo, env, seed, steps, backend, hyperparameters), atomic
 *   <out>/metrics.jsonl    one JSON object per iteration: { step, <metric>: value, ... } with fixed names
 *                          (charts/episodic_return, charts/is_bps, charts/sps, charts/learning_rate,
 *                          losses/value_loss, losses/policy_loss, losses/entropy, losses/approx_kl,
 *                          losses/clipfrac, ...); appended line by line (an interrupted run keeps every
 *                          complete line; a resumed run appends)
 *   <out>/checkpoints/step-<N>/   written by the algorithm (atomic directories)
 */
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeYamlAtomic, readYamlFile } from '../../configs/index.ts';
import type { VectorEnv } from '../../env/index.ts';
import type { BackendKind } from '../../agents/nn/index.ts';
import type { TrainHooks, TrainProgress, TrainResult } from '../../agents/common/index.ts';
import { loadAlgo } from './algos.ts';

export interface RunTrainingOptions {
  algo: string;
  envId: string;
  envOptions?: Record<string, unknown>;
  steps: number;
  seed: number;
  out: string;
  backend?: BackendKind;
  saveEvery?: number;
  resume?: string;
  /** Overrides numEnvs of the algorithm's config. */
  numEnvs?: number;
  /** Worker threads for the envs (0 or undefined: step them in this thread). */
  workers?: number;
  /** Hyperparameter overrides (from --config <yaml> and flags). */
  config?: Record<string, unknown>;
}

export interface RunTrainingIo {
  onProgress?(p: TrainProgress): void;
  onStart?(info: { backend: { name: string; reason: string }; startStep: number }): void;
  /** Polled between iterations (Ctrl-C). */
  shouldStop?(): boolean;
}

export interface RunTrainingResult extends TrainResult {
  backend: string;
  /** The last metrics logged (fixed names). */
  lastMetrics: Record<string, number>;
  /** Env steps per second of this process. */
  sps: number;
}

export class TrainRunError extends Error {
  override name = 'TrainRunError';
}

/** Reads --config: a YAML (or JSON) file of hyperparameter overrides. */
export function readConfigFile(path: string): Record<string, unknown> {
  const v = readYamlFile(path);
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new TrainRunError(`--config ${path} must hold a mapping of hyperparameters, got ${JSON.stringify(v).slice(0, 100)}`);
  return v as Record<string, unknown>;
}

export async function runTraining(o: RunTrainingOptions, io: RunTrainingIo = {}): Promise<RunTrainingResult> {
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new TrainRunError(`--steps must be a positive integer, got ${String(o.steps)}`);
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new TrainRunError(`--seed must be a non-negative integer, got ${String(o.seed)}`);
  if (o.workers !== undefined && (!Number.isInteger(o.workers) || o.workers < 0)) throw new TrainRunError(`--workers must be an integer >= 0, got ${String(o.workers)}`);
  const metricsPath = join(o.out, 'metrics.jsonl');
  if (o.resume === undefined && existsSync(metricsPath)) {
    throw new TrainRunError(`${o.out} already holds a run (metrics.jsonl); pass --resume ${o.out} to continue it, or choose another --out`);
  }
  const algo = await loadAlgo(o.algo);
  // Validate the env id before any work (and load the optional execution envs' registrations).
  const env = await import('../../env/index.ts');
  if (!env.listEnvs().includes(o.envId)) throw new TrainRunError(`unknown --env ${JSON.stringify(o.envId)}; registered: ${env.listEnvs().join(', ')}`);
  const envOptions = o.envOptions ?? {};
  const makeVecEnv = async (numEnvs: number): Promise<VectorEnv> => {
    if (o.workers !== undefined && o.workers > 0) {
      return env.WorkerVectorEnv.create({ id: o.envId, numEnvs, options: envOptions, numWorkers: Math.min(o.workers, numEnvs) });
    }
    return env.SyncVectorEnv.fromId(o.envId, numEnvs, envOptions);
  };
  mkdirSync(o.out, { recursive: true });
  const config = { ...(o.config ?? {}), ...(o.numEnvs !== undefined ? { numEnvs: o.numEnvs } : {}) };
  let backendName = '';
  let lastMetrics: Record<string, number> = {};
  let sps = 0;
  const hooks: TrainHooks = {
    onStart: (info) => {
      backendName = info.backend.name;
      writeYamlAtomic(join(o.out, 'config.yaml'), { ...info.config, resumedFrom: o.resume ?? null, startStep: info.startStep });
      io.onStart?.({ backend: info.backend, startStep: info.startStep });
    },
    onMetrics: (step, metrics) => {
      lastMetrics = metrics;
      // JSON has no NaN: non-finite figures are written as null.
      const row: Record<string, number | null> = { step };
      for (const [k, v] of Object.entries(metrics)) row[k] = Number.isFinite(v) ? v : null;
      appendFileSync(metricsPath, JSON.stringify(row) + '\n');
    },
    onProgress: (p) => {
      sps = p.sps;
      io.onProgress?.(p);
    },
    shouldStop: io.shouldStop,
  };
  const result = await algo.train(
    {
      envId: o.envId,
      envOptions,
      makeVecEnv,
      totalSteps: o.steps,
      seed: o.seed,
      outDir: o.out,
      backend: o.backend,
      saveEvery: o.saveEvery,
      resume: o.resume,
      config,
    },
    hooks,
  );
  return { ...result, backend: backendName, lastMetrics, sps };
}
