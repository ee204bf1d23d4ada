/**
 * Worker thread of WorkerVectorEnv: builds its slice of envs from (id, options) through the
 * registry, then serves commands from the shared control block (./protocol.ts) in a blocking loop,
 * stepping its envs with EnvBatch straight into the shared batch buffers. Between commands it
 * sleeps in Atomics.wait: no event loop, no message, no clone per step.
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Env, Info } from '../core.ts';
import { EnvBatch } from './batch.ts';
import {
  DOORBELL,
  OP,
  OP_CLOSE,
  OP_RESET,
  OP_STEP,
  PENDING,
  REPLY,
  slotBase,
  type AttachMessage,
  type FromWorker,
  type InfoMode,
  type InfoReply,
  type ResetPayload,
  type ToWorker,
} from './protocol.ts';

if (parentPort === null) throw new Error('env/vector/worker.ts must run in a worker thread');
const parent = parentPort;

let batch: EnvBatch | undefined;
let first = 0;
let count = 0;

function describe(err: unknown): { name: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
}

/** Serves commands until OP_CLOSE. Runs inside the `attach` message handler and blocks this thread's event loop. */
function serve(b: EnvBatch, m: AttachMessage): void {
  const ctrl = new Int32Array(m.control);
  const base = slotBase(m.slot);
  const port = m.port as MessagePort;
  const obsDim = b.obsDim;
  const actionDim = b.actions.dim;
  const actions = new Float64Array(m.actions, first * actionDim * 8, count * actionDim);
  const observations = new Float64Array(m.observations, first * obsDim * 8, count * obsDim);
  const rewards = new Float64Array(m.rewards, first * 8, count);
  const terminated = new Uint8Array(m.terminated, first, count);
  const truncated = new Uint8Array(m.truncated, first, count);
  const mode: InfoMode = m.infoMode;
  const allIndex = Array.from({ length: count }, (_, i) => i);
  // The doorbell starts at 0 and may already have rung before this worker attached.
  let seen = 0;
  for (;;) {
    Atomics.wait(ctrl, base + DOORBELL, seen);
    const bell = Atomics.load(ctrl, base + DOORBELL);
    if (bell === seen) continue;
    seen = bell;
    const op = Atomics.load(ctrl, base + OP);
    let reply: InfoReply | null = null;
    try {
      if (op === OP_STEP) {
        const infos = b.step(actions, observations, rewards, terminated, truncated);
        if (mode === 'all') reply = { kind: 'infos', index: allIndex, infos };
        else if (mode === 'final') reply = finalInfos(infos, terminated, truncated);
      } else if (op === OP_RESET) {
        const got = receiveMessageOnPort(port);
        if (got === undefined) throw new Error('reset command without its payload');
        const p = got.message as ResetPayload;
        const infos = b.reset(p.seed, p.options, observations);
        if (mode !== 'none') reply = { kind: 'infos', index: allIndex, infos };
      } else if (op === OP_CLOSE) {
        b.close();
      } else {
        throw new Error(`unknown vector env command ${op}`);
      }
    } catch (err) {
      reply = { kind: 'error', ...describe(err) };
    }
    // The reply (if any) is queued on the port before PENDING drops, so the main thread finds it.
    if (reply !== null) {
      try {
        port.postMessage(reply);
      } catch (err) {
        // e.g. an info that cannot be structured-cloned
        port.postMessage({ kind: 'error', ...describe(err) } satisfies InfoReply);
      }
    }
    Atomics.store(ctrl, base + REPLY, reply !== null ? 1 : 0);
    if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
    if (op === OP_CLOSE) break;
  }
  port.close();
  parent.close();
}

/** The infos of the envs of the slice whose episode ended on this step, or null when none did. */
function finalInfos(infos: Info[], terminated: Uint8Array, truncated: Uint8Array): InfoReply | null {
  let reply: { kind: 'infos'; index: number[]; infos: Info[] } | null = null;
  for (let i = 0; i < count; i++) {
    if ((terminated[i] | truncated[i]) === 0) continue;
    reply ??= { kind: 'infos', index: [], infos: [] };
    reply.index.push(i);
    reply.infos.push(infos[i]);
  }
  return reply;
}

parent.on('message', (m: ToWorker) => {
  if (m.type === 'attach') {
    if (batch === undefined) throw new Error('worker attached before init');
    serve(batch, m);
    return;
  }
  void (async () => {
    try {
      for (const url of m.modules) await import(url);
      const { make } = await import('../registry.ts');
      first = m.firstIndex;
      count = m.count;
      const envs: Env<unknown, unknown>[] = [];
      for (let i = 0; i < count; i++) envs.push(make(m.id, m.options) as Env<unknown, unknown>);
      batch = new EnvBatch(envs, first);
      const ready: FromWorker = { type: 'ready', observationSpace: envs[0].observationSpace.toJSON(), actionSpace: envs[0].actionSpace.toJSON(), obsDim: batch.obsDim, actionDim: batch.actions.dim };
      parent.postMessage(ready);
    } catch (err) {
      parent.postMessage({ type: 'error', ...describe(err) } satisfies FromWorker);
    }
  })();
});
