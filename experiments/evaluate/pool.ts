/**
 * A pool of evaluation worker threads, started once and reused for every policy and phase of a
 * command (starting a tsx worker costs about a second; `benchmark` evaluates a dozen policies).
 * Each `run` splits its seeds into contiguous shares, one per worker; an episode depends only on
 * (policy, env, seed), so the records are identical for any number of workers and any reuse.
 */
import { Worker } from 'node:worker_threads';
import { tsxWorkerBootstrap } from '../../env/index.ts';
import { EvaluationError, type EpisodeRecord } from './episode.ts';
import type { EpisodeBatch } from './run.ts';

interface Pending {
  resolve: (records: EpisodeRecord[]) => void;
  reject: (err: Error) => void;
  onProgress: () => void;
}

export class EvaluationPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 1;
  private closed = false;
  private failure: Error | null = null;

  /** Starts `size` workers (>= 1). */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new EvaluationError(`an evaluation pool needs an integer number of workers >= 1, got ${String(size)}`);
    this.size = size;
    const bootstrap = tsxWorkerBootstrap(new URL('./worker.ts', import.meta.url));
    for (let i = 0; i < size; i++) {
      const w = new Worker(bootstrap, { eval: true });
      w.on('message', (msg: { type: string; id: number; records?: EpisodeRecord[]; name?: string; message?: string }) => {
        const p = this.pending.get(msg.id);
        if (p === undefined) return;
        if (msg.type === 'progress') p.onProgress();
        else if (msg.type === 'done') this.settle(w, msg.id, () => p.resolve(msg.records ?? []));
        else if (msg.type === 'error') this.settle(w, msg.id, () => p.reject(new EvaluationError(`evaluation worker failed: ${msg.name}: ${msg.message}`)));
      });
      w.on('error', (err) => this.fail(w, new EvaluationError(`evaluation worker crashed: ${err.message}`)));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(w, new EvaluationError(`evaluation worker exited with code ${code} before finishing`));
      });
      this.workers.push(w);
    }
  }

  private settle(w: Worker, id: number, done: () => void): void {
    this.pending.delete(id);
    this.busy.delete(w);
    done();
  }

  private fail(w: Worker, err: Error): void {
    this.failure ??= err;
    const id = this.busy.get(w);
    if (id !== undefined) {
      const p = this.pending.get(id);
      this.pending.delete(id);
      this.busy.delete(w);
      p?.reject(err);
    }
  }

  /** Runs the batch's seeds on the workers; `onProgress` after each episode. */
  async run(batch: EpisodeBatch, onProgress: () => void = () => undefined): Promise<EpisodeRecord[]> {
    if (this.closed) throw new EvaluationError('the evaluation pool is closed');
    if (this.failure !== null) throw this.failure;
    const seeds = batch.seeds;
    const n = Math.min(this.workers.length, seeds.length);
    const per = Math.ceil(seeds.length / n);
    const parts: Promise<EpisodeRecord[]>[] = [];
    for (let i = 0, w = 0; i < seeds.length; i += per, w++) {
      const worker = this.workers[w];
      const id = this.nextId++;
      parts.push(
        new Promise<EpisodeRecord[]>((resolve, reject) => {
          this.pending.set(id, { resolve, reject, onProgress });
          this.busy.set(worker, id);
          worker.postMessage({ type: 'batch', id, batch: { ...batch, seeds: seeds.slice(i, i + per) } });
        }),
      );
    }
    return (await Promise.all(parts)).flat();
  }

  /** Stops every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
