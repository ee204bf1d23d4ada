/**
 * WorkerVectorEnv: numEnvs envs spread over worker threads, each worker stepping a contiguous
 * slice with the same EnvBatch code as SyncVectorEnv, so results are identical for the same seeds.
 *
 * Actions, observations, rewards and flags live in SharedArrayBuffers allocated once and written
 * in place. A step sends no message: the main thread rings each worker's doorbell in a shared
 * control block (Atomics.notify) and awaits one wake-up when the last worker is done
 * (Atomics.waitAsync, so the event loop stays free and a dying worker is noticed); see
 * ./protocol.ts. Infos are structured-cloned only where asked (`infos`, default 'final': only at
 * episode ends). Actions are validated in the main thread before any worker moves, so a bad
 * action leaves every env untouched. Workers build their envs from (id, options) through the
 * registry; `modules` are imported first (for envs registered outside env/). Call `close()`:
 * live workers keep the process running.
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { EnvError, type Info } from '../core.ts';
import { spaceFromJSON } from '../spaces/index.ts';
import { ActionReader } from './batch.ts';
import { checkActionBuffer } from './sync.ts';
import {
  DOORBELL,
  OP,
  OP_CLOSE,
  OP_RESET,
  OP_STEP,
  PENDING,
  REPLY,
  controlWords,
  slotBase,
  type AttachMessage,
  type FromWorker,
  type InfoMode,
  type InfoReply,
  type InitMessage,
  type ResetPayload,
} from './protocol.ts';
import type { AutoresetMode, VectorEnv, VectorStepResult } from './types.ts';

export type { InfoMode } from './protocol.ts';

export interface WorkerVectorEnvOptions {
  id: string;
  numEnvs: number;
  /** Options passed to `make(id, options)` in each worker (must be structured-cloneable). */
  options?: Record<string, unknown>;
  /** Worker threads (default min(numEnvs, 2)); envs are split into contiguous slices. */
  numWorkers?: number;
  /** Module URLs or absolute paths each worker imports before `make` (custom registrations). */
  modules?: string[];
  /**
   * Which infos `step` returns (see InfoMode): 'final' (default: full infos only on the step an
   * episode ends), 'all' (every step, as SyncVectorEnv; slower), 'none'. `true` means 'all',
   * `false` 'none'.
   */
  infos?: boolean | InfoMode;
}

type WaitAsync = (a: Int32Array, index: number, value: number) => { async: false; value: string } | { async: true; value: Promise<string> };
/** Atomics.waitAsync (Node >= 16; not in the ES2022 lib typings). */
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

interface Slot {
  worker: Worker;
  first: number;
  count: number;
  /** The pending start-up request (init). */
  resolve: ((m: FromWorker) => void) | undefined;
  reject: ((e: Error) => void) | undefined;
  /** Called when the worker crashes or exits. */
  gone: ((e: EnvError) => void) | undefined;
  /** Main thread's end of the worker's private channel. */
  port: MessagePort | undefined;
}

/**
 * Worker bootstrap for a TypeScript entry module: evaluated code (`new Worker(code, { eval: true })`)
 * that registers tsx's ESM hooks inside the worker, then imports `entry`. (On Node 20,
 * `--import tsx` does not register tsx's hooks in worker threads, so the entry is a tiny eval
 * script that registers them with tsx's `register()` API; tsx is resolved here, so this works
 * from any cwd, under tsx and under vitest.) Also used by the evaluation harness's workers.
 */
export function tsxWorkerBootstrap(entry: URL): string {
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); }).catch((e) => { setTimeout(() => { throw e; }); });`;
}

function infoModeOf(v: unknown): InfoMode {
  if (v === undefined) return 'final';
  if (v === true) return 'all';
  if (v === false) return 'none';
  if (v === 'all' || v === 'final' || v === 'none') return v;
  throw new EnvError(`WorkerVectorEnv infos must be 'all', 'final', 'none' or a boolean, got ${JSON.stringify(v)}`);
}

export class WorkerVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly numWorkers: number;
  readonly autoresetMode: AutoresetMode = 'next-step';
  readonly singleObservationSpace: Record<string, unknown>;
  readonly singleActionSpace: Record<string, unknown>;
  /** Which infos `step` returns. */
  readonly infoMode: InfoMode;
  private readonly slots: Slot[];
  private readonly ctrl: Int32Array;
  private readonly actions: Float64Array;
  private readonly result: VectorStepResult;
  private readonly reader: ActionReader;
  private readonly needsReset: Uint8Array;
  private started = false;
  private busy = false;
  private closed = false;
  /** Set when a worker crashed or exited: the vector env is unusable from then on. */
  private failure: EnvError | undefined;

  private constructor(slots: Slot[], numEnvs: number, ready: Extract<FromWorker, { type: 'ready' }>, infoMode: InfoMode) {
    this.slots = slots;
    this.numEnvs = numEnvs;
    this.numWorkers = slots.length;
    this.obsDim = ready.obsDim;
    this.actionDim = ready.actionDim;
    this.singleObservationSpace = ready.observationSpace;
    this.singleActionSpace = ready.actionSpace;
    this.reader = new ActionReader(spaceFromJSON(ready.actionSpace));
    this.infoMode = infoMode;
    const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(Math.max(bytes, 8));
    const control = sab(controlWords(slots.length) * 4);
    const buffers = {
      actions: sab(numEnvs * this.actionDim * 8),
      observations: sab(numEnvs * this.obsDim * 8),
      rewards: sab(numEnvs * 8),
      terminated: sab(numEnvs),
      truncated: sab(numEnvs),
    };
    this.ctrl = new Int32Array(control);
    this.actions = new Float64Array(buffers.actions, 0, numEnvs * this.actionDim);
    this.result = {
      observations: new Float64Array(buffers.observations, 0, numEnvs * this.obsDim),
      rewards: new Float64Array(buffers.rewards, 0, numEnvs),
      terminated: new Uint8Array(buffers.terminated, 0, numEnvs),
      truncated: new Uint8Array(buffers.truncated, 0, numEnvs),
      infos: [],
    };
    this.needsReset = new Uint8Array(numEnvs);
    for (let w = 0; w < slots.length; w++) {
      const s = slots[w];
      s.gone = (e) => this.fail(e);
      const { port1, port2 } = new MessageChannel();
      s.port = port1;
      const m: AttachMessage = { type: 'attach', slot: w, control, ...buffers, infoMode, port: port2 };
      s.worker.postMessage(m, [port2]);
    }
  }

  /** Spawns the workers and builds the envs. @throws EnvError for bad options or when a worker fails to build its envs. */
  static async create(opts: WorkerVectorEnvOptions): Promise<WorkerVectorEnv> {
    const { id, numEnvs } = opts;
    if (typeof id !== 'string') throw new EnvError(`WorkerVectorEnv id must be a string, got ${String(id)}`);
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new EnvError(`WorkerVectorEnv numEnvs must be a positive integer, got ${String(numEnvs)}`);
    const numWorkers = opts.numWorkers ?? Math.min(numEnvs, 2);
    if (!Number.isInteger(numWorkers) || numWorkers < 1 || numWorkers > numEnvs) throw new EnvError(`WorkerVectorEnv numWorkers must be an integer in [1, numEnvs = ${numEnvs}], got ${String(numWorkers)}`);
    const infoMode = infoModeOf(opts.infos);
    if (waitAsync === undefined) throw new EnvError(`WorkerVectorEnv needs Atomics.waitAsync (Node >= 16), not available in Node ${process.version}`);
    const modules = (opts.modules ?? []).map((m) => (m.startsWith('file:') ? m : pathToFileURL(m).href));
    const bootstrap = tsxWorkerBootstrap(new URL('./worker.ts', import.meta.url));
    const slots: Slot[] = [];
    let first = 0;
    for (let w = 0; w < numWorkers; w++) {
      const count = Math.floor(numEnvs / numWorkers) + (w < numEnvs % numWorkers ? 1 : 0);
      const worker = new Worker(bootstrap, { eval: true });
      const slot: Slot = { worker, first, count, resolve: undefined, reject: undefined, gone: undefined, port: undefined };
      const lost = (e: EnvError): void => {
        const { reject, gone } = slot;
        slot.resolve = undefined;
        slot.reject = undefined;
        slot.gone = undefined;
        reject?.(e);
        gone?.(e);
      };
      worker.on('message', (m: FromWorker) => {
        const { resolve, reject } = slot;
        slot.resolve = undefined;
        slot.reject = undefined;
        if (m.type === 'error') reject?.(new EnvError(`worker ${w} (envs ${slot.first}..${slot.first + slot.count - 1}): ${m.name}: ${m.message}`));
        else resolve?.(m);
      });
      worker.on('error', (err) => lost(new EnvError(`worker ${w} crashed: ${err.message}`)));
      worker.on('exit', (code) => lost(new EnvError(`worker ${w} exited (code ${code})`)));
      slots.push(slot);
      first += count;
    }
    const waits = slots.map(
      (s) =>
        new Promise<FromWorker>((resolve, reject) => {
          s.resolve = resolve;
          s.reject = reject;
          s.worker.postMessage({ type: 'init', id, options: opts.options ?? {}, modules, firstIndex: s.first, count: s.count } satisfies InitMessage);
        }),
    );
    let readies: FromWorker[];
    try {
      readies = await Promise.all(waits);
    } catch (err) {
      await Promise.all(slots.map((s) => s.worker.terminate()));
      throw err;
    }
    const ready = readies[0] as Extract<FromWorker, { type: 'ready' }>;
    return new WorkerVectorEnv(slots, numEnvs, ready, infoMode);
  }

  /** A worker crashed or exited: remember why and wake a waiting command. */
  private fail(e: EnvError): void {
    this.failure ??= this.closed ? new EnvError('vector env used after close()') : e;
    Atomics.notify(this.ctrl, PENDING);
  }

  /** Waits (without blocking the event loop) until every worker finished the current command. */
  private async waitWorkers(): Promise<void> {
    const ctrl = this.ctrl;
    for (;;) {
      const v = Atomics.load(ctrl, PENDING);
      if (v === 0) return;
      if (this.failure !== undefined) throw this.failure;
      const r = (waitAsync as WaitAsync)(ctrl, PENDING, v);
      if (r.async) await r.value;
    }
  }

  /** @throws EnvError when the env is closed, broken or busy with a previous call (checked before touching any buffer). */
  private guard(): void {
    if (this.closed) throw new EnvError('vector env used after close()');
    if (this.failure !== undefined) throw this.failure;
    if (this.busy) throw new EnvError('vector env called again before the previous reset/step finished (await it)');
  }

  /**
   * Runs one command on every worker and collects their replies into `infos` (rows of the
   * whole batch). @throws EnvError naming the worker when one failed.
   */
  private async command(op: number, infos: Info[], payload?: ResetPayload): Promise<void> {
    this.guard();
    this.busy = true;
    try {
      const ctrl = this.ctrl;
      Atomics.store(ctrl, PENDING, this.slots.length);
      for (let w = 0; w < this.slots.length; w++) {
        const base = slotBase(w);
        if (payload !== undefined) (this.slots[w].port as MessagePort).postMessage(payload);
        Atomics.store(ctrl, base + OP, op);
        Atomics.add(ctrl, base + DOORBELL, 1);
        Atomics.notify(ctrl, base + DOORBELL);
      }
      await this.waitWorkers();
      let error: string | undefined;
      for (let w = 0; w < this.slots.length; w++) {
        const base = slotBase(w);
        if (Atomics.load(ctrl, base + REPLY) !== 1) continue;
        const s = this.slots[w];
        const got = receiveMessageOnPort(s.port as MessagePort);
        if (got === undefined) throw new EnvError(`worker ${w} announced a reply but none arrived`);
        const m = got.message as InfoReply;
        if (m.kind === 'error') {
          error ??= `worker ${w} (envs ${s.first}..${s.first + s.count - 1}): ${m.name}: ${m.message}`;
          continue;
        }
        for (let k = 0; k < m.index.length; k++) infos[s.first + m.index[k]] = m.infos[k];
      }
      if (error !== undefined) throw new EnvError(error);
    } finally {
      this.busy = false;
    }
  }

  async reset(args: { seed?: number; options?: Record<string, unknown> } = {}): Promise<{ observations: Float64Array; infos: Record<string, unknown>[] }> {
    const infos: Info[] = new Array(this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) infos[i] = {};
    await this.command(OP_RESET, infos, { seed: args.seed, options: args.options });
    this.needsReset.fill(0);
    this.started = true;
    return { observations: this.result.observations, infos };
  }

  /** @throws EnvError on a bad action (before any env moves) or a worker failure. */
  async step(actions: Float64Array): Promise<VectorStepResult> {
    checkActionBuffer(actions, this.numEnvs, this.actionDim);
    this.guard();
    if (!this.started) throw new EnvError('vector env step() before reset(): call reset() first');
    const needsReset = this.needsReset;
    for (let i = 0; i < this.numEnvs; i++) {
      if (needsReset[i] === 1) continue;
      const why = this.reader.check(actions, i);
      if (why !== null) throw new EnvError(`invalid action for env ${i}: ${why}`);
    }
    if (actions !== this.actions) this.actions.set(actions);
    const infos: Info[] = new Array(this.numEnvs);
    for (let i = 0; i < this.numEnvs; i++) infos[i] = needsReset[i] === 1 ? { autoreset: true } : {};
    await this.command(OP_STEP, infos);
    const r = this.result;
    for (let i = 0; i < this.numEnvs; i++) needsReset[i] = r.terminated[i] | r.truncated[i];
    r.infos = infos;
    return r;
  }

  /** The shared action buffer: write actions here and pass it to `step` to skip a copy. */
  get actionBuffer(): Float64Array {
    return this.actions;
  }

  /** Stops the workers (asks them to close their envs first when they are idle). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    const idle = !this.busy && this.failure === undefined;
    if (idle) {
      try {
        await this.command(OP_CLOSE, []);
      } catch {
        // A worker that fails to close its envs is terminated below all the same.
      }
    }
    this.closed = true;
    for (const s of this.slots) s.port?.close();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
