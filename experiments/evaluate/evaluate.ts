/**
 * `evaluate(policySpec, envId, envOptions, seeds, options)`: runs one episode per seed — the same
 * explicit seed list for every policy, so policies are compared on the same markets (common random
 * numbers) — in parallel on worker threads, and returns the per-episode records in seed order.
 *
 * Workers come from an `EvaluationPool` (started for the call, or passed in and reused). Each
 * worker builds its own env (`make(envId, envOptions)`, with the policy's action mode) and
 * policy (`loadPolicy(spec)`) and runs a contiguous share of the seeds. An episode depends only on
 * (policy, env, seed), so the records are identical for any number of workers.
 * Workers run TypeScript through tsx, whether the caller runs under tsx or vitest.
 */
import { availableParallelism } from 'node:os';
import { parsePolicySpec, type PolicySpec } from '../../agents/index.ts';
import { EvaluationError, type EpisodeRecord } from './episode.ts';
import { runBatch, type EpisodeBatch } from './run.ts';
import { EvaluationPool } from './pool.ts';

export interface EvaluateOptions {
  /** Worker threads (default: available parallelism, at most the number of seeds); 0 = run in this thread. */
  workers?: number;
  /** Modules every worker imports first (paths or URLs), e.g. ones that register extra envs or policies. */
  modules?: string[];
  /** Called after each finished episode with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Safety cap on decisions per episode. */
  maxSteps?: number;
  /** Workers started once and reused across calls (then `workers` is ignored). */
  pool?: EvaluationPool;
}

function checkSeeds(seeds: readonly number[]): void {
  if (!Array.isArray(seeds) || seeds.length === 0) throw new EvaluationError(`seeds must be a non-empty array of integers, got ${String(seeds)}`);
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i];
    if (!Number.isInteger(s) || s < 0 || s > Number.MAX_SAFE_INTEGER) throw new EvaluationError(`seeds[${i}] must be an integer in [0, 2^53), got ${String(s)}`);
  }
}

export async function evaluate(
  policySpec: PolicySpec,
  envId: string,
  envOptions: Record<string, unknown>,
  seeds: readonly number[],
  options: EvaluateOptions = {},
): Promise<EpisodeRecord[]> {
  parsePolicySpec(policySpec);
  checkSeeds(seeds);
  if (typeof envId !== 'string' || envId.length === 0) throw new EvaluationError(`envId must be a non-empty string, got ${String(envId)}`);
  const workers = Math.min(options.workers ?? availableParallelism(), seeds.length);
  if (!Number.isInteger(workers) || workers < 0) throw new EvaluationError(`workers must be an integer >= 0, got ${String(options.workers)}`);
  const total = seeds.length;
  let done = 0;
  const tick = (): void => {
    done++;
    options.onProgress?.(done, total);
  };
  const batch: EpisodeBatch = { policy: policySpec, envId, envOptions, seeds: [...seeds], modules: options.modules, maxSteps: options.maxSteps };
  if (options.pool !== undefined) return options.pool.run(batch, tick);
  if (workers === 0) return runBatch(batch, tick);
  const pool = new EvaluationPool(workers);
  try {
    return await pool.run(batch, tick);
  } finally {
    await pool.close();
  }
}
