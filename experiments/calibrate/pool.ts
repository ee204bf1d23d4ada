/**
 * A pool of worker threads for the simulated sessions of `calibrate`'s stage 2 (and `realism`):
 * started once, reused for every batch. A batch's jobs go out one at a time to whichever worker is
 * free (sessions of different presets differ in cost), and the headlines (`run`) or whole sessions
 * (`runSessions`, with the samples `realism` compares) come back in the jobs' order. A session depends only on its job (preset, seed, view), so the result is the same bit for
 * bit for any number of workers, and the same as `inProcessSessions`.
 */
import { Worker } from 'node:worker_threads';
import { tsxWorkerBootstrap } from '../../env/index.ts';
import { ReplayError } from '../../simulator/lobster/index.ts';
import type { RealismHeadline, RealismSession, SessionJob } from '../../simulator/calibration/index.ts';

interface FromWorker {
  type: 'ready' | 'done' | 'error';
  gen?: number;
  id?: number;
  result?: RealismHeadline | RealismSession;
  name?: string;
  message?: string;
}

interface Batch {
  /** Generation number: a result of an abandoned (failed) batch is recognised and dropped. */
  gen: number;
  jobs: SessionJob[];
  /** Whole sessions back, not only headlines. */
  full: boolean;
  out: unknown[];
  next: number;
  left: number;
  resolve: (h: unknown[]) => void;
  reject: (e: Error) => void;
}

export class SessionPool {
  readonly size: number;
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  /** Job index each busy worker runs. */
  private readonly running = new Map<Worker, number>();
  private batch: Batch | null = null;
  private gen = 0;
  private closed = false;
  private failure: Error | null = null;

  /** Starts `size` workers (an integer >= 1). */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new ReplayError(`a session pool needs an integer number of workers >= 1, got ${String(size)}`);
    this.size = size;
    const bootstrap = tsxWorkerBootstrap(new URL('./worker.ts', import.meta.url));
    for (let i = 0; i < size; i++) {
      const w = new Worker(bootstrap, { eval: true });
      w.on('message', (msg: FromWorker) => this.onMessage(w, msg));
      w.on('error', (err) => this.fail(new ReplayError(`calibration worker crashed: ${err.message}`)));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new ReplayError(`calibration worker exited with code ${code} before it was closed`));
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Runs the jobs on the workers; headlines in the jobs' order. One batch at a time. */
  run(jobs: SessionJob[]): Promise<RealismHeadline[]> {
    return this.start(jobs, false) as Promise<RealismHeadline[]>;
  }

  /** Runs the jobs on the workers; whole sessions (headline and samples) in the jobs' order. One batch at a time. */
  runSessions(jobs: SessionJob[]): Promise<RealismSession[]> {
    return this.start(jobs, true) as Promise<RealismSession[]>;
  }

  private start(jobs: SessionJob[], full: boolean): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new ReplayError('the session pool is closed'));
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.batch !== null) return Promise.reject(new ReplayError('the session pool runs one batch at a time'));
    if (jobs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.batch = { gen: ++this.gen, jobs, full, out: new Array<unknown>(jobs.length), next: 0, left: jobs.length, resolve, reject };
      while (this.idle.length > 0 && this.batch.next < jobs.length) this.dispatch(this.idle.pop() as Worker);
    });
  }

  private dispatch(w: Worker): void {
    const b = this.batch as Batch;
    const id = b.next++;
    this.running.set(w, id);
    w.postMessage({ type: 'session', gen: b.gen, id, job: b.jobs[id], full: b.full });
  }

  private onMessage(w: Worker, msg: FromWorker): void {
    if (msg.type === 'ready') return;
    this.running.delete(w);
    const b = this.batch;
    // A result of a batch that already failed: the worker is free again.
    if (b === null || msg.gen !== b.gen) {
      this.release(w);
      return;
    }
    if (msg.type === 'error') {
      // The batch fails now; its other running sessions report later and are dropped.
      this.batch = null;
      this.idle.push(w);
      b.reject(new ReplayError(`simulated session ${String(msg.id)} failed in a worker: ${msg.name}: ${msg.message}`));
      return;
    }
    b.out[msg.id as number] = msg.result;
    b.left--;
    if (b.next < b.jobs.length) this.dispatch(w);
    else this.idle.push(w);
    if (b.left === 0) {
      this.batch = null;
      b.resolve(b.out);
    }
  }

  /** A worker that finished: it takes the current batch's next job, or waits. */
  private release(w: Worker): void {
    const b = this.batch;
    if (b !== null && b.next < b.jobs.length) this.dispatch(w);
    else this.idle.push(w);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const b = this.batch;
    this.batch = null;
    b?.reject(err);
  }

  /** Stops every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
