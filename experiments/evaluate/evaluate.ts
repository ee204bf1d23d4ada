/**
 * `evaluate(policySpec, envId, envOptions, seeds, options)`: runs one episode per seed — the same
 * explicit seed list for every policy, so policies are compared on the same markets (common random
 * numbers) — in parallel on worker threads, and returns the per-episode records in seed order.
 *
 * Each worker builds its own env (`make(envId, envOptions)`, with the policy's action mode) and
 * policy (`loadPolicy(spec)`) and runs a contiguous share of the seeds. An episode depends only on
 * (policy, env, seed), so the records are identical for any number of workers.
 * Workers run TypeScript through tsx, whether the caller runs under tsx or vitest.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parsePolicySpec, type PolicySpec } from '../../agents/index.ts';
import { EvaluationError, type EpisodeRecord } from './episode.ts';
import { runBatch, type EpisodeBatch } from './run.ts';
import { tsxWorkerBootstrap } from '../../env/index.ts';

export interface EvaluateOptions {
  /** Worker threads (default: available parallelism, at most the number of seeds); 0 = run in this thread. */
  workers?: number;
  /** Modules every worker imports first (paths or URLs), e.g. ones that register extra envs or policies. */
  modules?: string[];
  /** Called after each finished episode with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Safety cap on decisions per episode. */
  maxSteps?: number;
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
  const base: Omit<EpisodeBatch, 'seeds'> = { policy: policySpec, envId, envOptions, modules: options.modules, maxSteps: options.maxSteps };
  if (workers === 0) return runBatch({ ...base, seeds: [...seeds] }, tick);

  const chunks: number[][] = [];
  const per = Math.ceil(total / workers);
  for (let i = 0; i < total; i += per) chunks.push(seeds.slice(i, i + per));
  const started: Worker[] = [];
  const bootstrap = tsxWorkerBootstrap(new URL('./worker.ts', import.meta.url));
  try {
    const parts = await Promise.all(
      chunks.map(
        (chunk) =>
          new Promise<EpisodeRecord[]>((resolvePart, rejectPart) => {
            const worker = new Worker(bootstrap, { eval: true, workerData: { ...base, seeds: chunk } satisfies EpisodeBatch });
            started.push(worker);
            let settled = false;
            worker.on('message', (msg: { type: string; records?: EpisodeRecord[]; name?: string; message?: string }) => {
              if (msg.type === 'progress') tick();
              else if (msg.type === 'done') {
                settled = true;
                resolvePart(msg.records ?? []);
              } else if (msg.type === 'error') {
                settled = true;
                const e = new EvaluationError(`evaluation worker failed: ${msg.name}: ${msg.message}`);
                rejectPart(e);
              }
            });
            worker.on('error', (err) => {
              settled = true;
              rejectPart(new EvaluationError(`evaluation worker crashed: ${err.message}`));
            });
            worker.on('exit', (code) => {
              if (!settled) rejectPart(new EvaluationError(`evaluation worker exited with code ${code} before finishing`));
            });
          }),
      ),
    );
    return parts.flat();
  } finally {
    await Promise.all(started.map((w) => w.terminate()));
  }
}
