/**
 * Worker thread of WorkerVectorEnv: builds its slice of envs from (id, options) through the
 * registry and steps them with EnvBatch into the shared batch buffers. Runs under tsx (spawned
 * with `--import tsx`).
 */
import { parentPort } from 'node:worker_threads';
import type { Env } from '../core.ts';
import { EnvBatch } from './batch.ts';
import type { BuffersMessage, FromWorker, ToWorker } from './protocol.ts';

if (parentPort === null) throw new Error('env/vector/worker.ts must run in a worker thread');
const port = parentPort;

let batch: EnvBatch | undefined;
let first = 0;
let count = 0;
let obsDim = 0;
let actionDim = 0;
let sendInfos = true;
let views: { actions: Float64Array; observations: Float64Array; rewards: Float64Array; terminated: Uint8Array; truncated: Uint8Array } | undefined;

function post(m: FromWorker): void {
  port.postMessage(m);
}

function fail(err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'error', name: e.name, message: e.message });
}

function attach(m: BuffersMessage): void {
  sendInfos = m.sendInfos;
  views = {
    actions: new Float64Array(m.actions, first * actionDim * 8, count * actionDim),
    observations: new Float64Array(m.observations, first * obsDim * 8, count * obsDim),
    rewards: new Float64Array(m.rewards, first * 8, count),
    terminated: new Uint8Array(m.terminated, first, count),
    truncated: new Uint8Array(m.truncated, first, count),
  };
}

port.on('message', (m: ToWorker) => {
  void (async () => {
    try {
      switch (m.type) {
        case 'init': {
          for (const url of m.modules) await import(url);
          const { make } = await import('../registry.ts');
          first = m.firstIndex;
          count = m.count;
          const envs: Env<unknown, unknown>[] = [];
          for (let i = 0; i < count; i++) envs.push(make(m.id, m.options) as Env<unknown, unknown>);
          batch = new EnvBatch(envs, first);
          obsDim = batch.obsDim;
          actionDim = batch.actions.dim;
          post({ type: 'ready', observationSpace: envs[0].observationSpace.toJSON(), actionSpace: envs[0].actionSpace.toJSON(), obsDim, actionDim });
          break;
        }
        case 'buffers':
          attach(m);
          break;
        case 'reset': {
          if (batch === undefined || views === undefined) throw new Error('worker not initialized');
          const infos = batch.reset(m.seed, m.options, views.observations);
          post({ type: 'done', infos: sendInfos ? infos : null });
          break;
        }
        case 'step': {
          if (batch === undefined || views === undefined) throw new Error('worker not initialized');
          const v = views;
          const infos = batch.step(v.actions, v.observations, v.rewards, v.terminated, v.truncated);
          post({ type: 'done', infos: sendInfos ? infos : null });
          break;
        }
        case 'close':
          batch?.close();
          port.close();
          break;
      }
    } catch (err) {
      fail(err);
    }
  })();
});
