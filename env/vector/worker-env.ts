/**
 * WorkerVectorEnv: numEnvs envs spread over worker threads, each worker stepping a contiguous
 * slice with the same EnvBatch code as SyncVectorEnv, so results are identical for the same seeds.
 *
 * Observations, rewards, flags and actions live in SharedArrayBuffers allocated once; a step is
 * one small message to each worker and one reply (carrying the slice's infos, unless
 * `infos: false`). Actions are validated in the main thread before any worker moves, so a bad
 * action leaves every env untouched. Workers build their envs from (id, options) through the
 * registry; `modules` are imported first (for envs registered outside env/). Call `close()`:
 * live workers keep the process running.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { EnvError, type Info } from '../core.ts';
import { spaceFromJSON } from '../spaces/index.ts';
import { ActionReader } from './batch.ts';
import { checkActionBuffer } from './sync.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import type { AutoresetMode, VectorEnv, VectorStepResult } from './types.ts';

export interface WorkerVectorEnvOptions {
  id: string;
  numEnvs: number;
  /** Options passed to `make(id, options)` in each worker (must be structured-cloneable). */
  options?: Record<string, unknown>;
  /** Worker threads (default min(numEnvs, 2)); envs are split into contiguous slices. */
  numWorkers?: number;
  /** Module URLs or absolute paths each worker imports before `make` (custom registrations). */
  modules?: string[];
  /** Send per-env infos back each step (default true). With false, infos are `{}` (plus `autoreset`). */
  infos?: boolean;
}

interface Slot {
  worker: Worker;
  first: number;
  count: number;
  resolve: ((m: FromWorker) => void) | undefined;
  reject: ((e: Error) => void) | undefined;
}

/**
 * Worker bootstrap: registers tsx's ESM hooks inside the worker, then imports ./worker.ts.
 * (On Node 20, `--import tsx` does not register tsx's hooks in worker threads, so the entry is a
 * tiny eval script that registers them with tsx's `register()` API; tsx is resolved here, so
 * this works from any cwd, under tsx and under vitest.)
 */
function workerBootstrap(): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).catch((e) => { setTimeout(() => { throw e; }); });`;
}

export class WorkerVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly numWorkers: number;
  readonly autoresetMode: AutoresetMode = 'next-step';
  readonly singleObservationSpace: Record<string, unknown>;
  readonly singleActionSpace: Record<string, unknown>;
  private readonly slots: Slot[];
  private readonly actions: Float64Array;
  private readonly result: VectorStepResult;
  private readonly reader: ActionReader;
  private readonly needsReset: Uint8Array;
  private readonly sendInfos: boolean;
  private started = false;
  private busy = false;
  private closed = false;

  private constructor(slots: Slot[], numEnvs: number, ready: Extract<FromWorker, { type: 'ready' }>, sendInfos: boolean) {
    this.slots = slots;
    this.numEnvs = numEnvs;
    this.numWorkers = slots.length;
    this.obsDim = ready.obsDim;
    this.actionDim = ready.actionDim;
    this.singleObservationSpace = ready.observationSpace;
    this.singleActionSpace = ready.actionSpace;
    this.reader = new ActionReader(spaceFromJSON(ready.actionSpace));
    this.sendInfos = sendInfos;
    const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(bytes, 8));
    const buffers = {
      actions: sab(numEnvs * this.actionDim * 8),
      observations: sab(numEnvs * this.obsDim * 8),
      rewards: sab(numEnvs * 8),
      terminated: sab(numEnvs),
      truncated: sab(numEnvs),
    };
    this.actions = new Float64Array(buffers.actions, 0, numEnvs * this.actionDim);
    this.result = {
      observations: new Float64Array(buffers.observations, 0, numEnvs * this.obsDim),
      rewards: new Float64Array(buffers.rewards, 0, numEnvs),
      terminated: new Uint8Array(buffers.terminated, 0, numEnvs),
      truncated: new Uint8Array(buffers.truncated, 0, numEnvs),
      infos: [],
    };
    this.needsReset = new Uint8Array(numEnvs);
    for (const s of slots) s.worker.postMessage({ type: 'buffers', ...buffers, sendInfos } satisfies ToWorker);
  }

  /** Spawns the workers and builds the envs. @throws EnvError for bad options or when a worker fails to build its envs. */
  static async create(opts: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
    const { id, numEnvs } = opts;
    if (typeof id !== 'string') throw new EnvError(`WorkerVectorEnv id must be a string, got ${String(id)}`);
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new EnvError(`WorkerVectorEnv numEnvs must be a positive integer, got ${String(numEnvs)}`);
    const numWorkers = opts.numWorkers ?? Math.min(numEnvs, 2);
    if (!Number.isInteger(numWorkers) || numWorkers < 1 || numWorkers > numEnvs) throw new EnvError(`WorkerVectorEnv numWorkers must be an integer in [1, numEnvs = ${numEnvs}], got ${String(numWorkers)}`);
    const modules = (opts.modules ?? []).map((m) => (m.startsWith('file:') ? m : pathToFileURL(m).href));
    const bootstrap = workerBootstrap();
    const slots: Slot[] = [];
    let first = 0;
    for (let w = 0; w < numWorkers; w++) {
      const count = Math.floor(numEnvs / numWorkers) + (w < numEnvs % numWorkers ? 1 : 0);
      const worker = new Worker(bootstrap, { eval: true });
      const slot: Slot = { worker, first, count, resolve: undefined, reject: undefined };
      worker.on('message', (m: FromWorker) => {
        const { resolve, reject } = slot;
        slot.resolve = undefined;
        slot.reject = undefined;
        if (m.type === 'error') reject?.(new EnvError(`worker ${w} (envs ${slot.first}..${slot.first + slot.count - 1}): ${m.name}: ${m.message}`));
        else resolve?.(m);
      });
      worker.on('error', (err) => {
        const { reject } = slot;
        slot.resolve = undefined;
        slot.reject = undefined;
        reject?.(new EnvError(`worker ${w} crashed: ${err.message}`));
      });
      worker.on('exit', (code) => {
        const { reject } = slot;
        slot.resolve = undefined;
        slot.reject = undefined;
        reject?.(new EnvError(`worker ${w} exited (code ${code}) before answering`));
      });
      slots.push(slot);
      first += count;
    }
    const waits = slots.map((s) => WorkerVectorEnv.request(s, { type: 'init', id, options: opts.options ?? {}, modules, firstIndex: s.first, count: s.count }));
    let readies: FromWorker[];
    try {
      readies = await Promise.all(waits);
    } catch (err) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    const ready = readies[0] as Extract<FromWorker, { type: 'ready' }>;
    return new WorkerVectorEnv(slots, numEnvs, ready, opts.infos !== false);
  }

  private static request(slot: Slot, m: ToWorker): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      slot.resolve = resolve;
      slot.reject = reject;
      slot.worker.postMessage(m);
    });
  }

  private async roundTrip(m: ToWorker): Promise<Info[]> {
    if (this.closed) throw new EnvError('vector env used after close()');
    if (this.busy) throw new EnvError('vector env called again before the previous reset/step finished (await it)');
    this.busy = true;
    try {
      const replies = await Promise.all(this.slots.map((s) => WorkerVectorEnv.request(s, m)));
      const infos: Info[] = new Array(this.numEnvs);
      for (let w = 0; w < replies.length; w++) {
        const r = replies[w] as Extract<FromWorker, { type: 'done' }>;
        const s = this.slots[w];
        for (let i = 0; i < s.count; i++) infos[s.first + i] = r.infos !== null ? r.infos[i] : {};
      }
      return infos;
    } finally {
      this.busy = false;
    }
  }

  async reset(args: { seed?: number; options?: Record<string, unknown> } = {}): Promise<{ observations: Float64Array; infos: Record<string, unknown>[] }> {
    const infos = await this.roundTrip({ type: 'reset', seed: args.seed, options: args.options });
    this.needsReset.fill(0);
    this.started = true;
    return { observations: this.result.observations, infos };
  }

  /** @throws EnvError on a bad action (before any env moves) or a worker failure. */
  async step(actions: Float64Array): Promise<VectorStepResult> {
    checkActionBuffer(actions, this.numEnvs, this.actionDim);
    if (!this.started) throw new EnvError('vector env step() before reset(): call reset() first');
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.needsReset[i] === 1) continue;
      const why = this.reader.check(actions, i);
      if (why !== null) throw new EnvError(`invalid action for env ${i}: ${why}`);
    }
    if (actions !== this.actions) this.actions.set(actions);
    const r = this.result;
    const infos = await this.roundTrip({ type: 'step' });
    for (let i = 0; i < this.numEnvs; i++) {
      const autoreset = this.needsReset[i] === 1;
      this.needsReset[i] = r.terminated[i] | r.truncated[i];
      if (autoreset && !this.sendInfos) infos[i] = { autoreset: true };
    }
    r.infos = infos;
    return r;
  }

  /** The shared action buffer: write actions here and pass it to `step` to skip a copy. */
  get actionBuffer(): Float64Array {
    return this.actions;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) s.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
