/**
 * Worker-thread entry of the evaluation harness. A worker serves batches until it is terminated:
 * for each { type: 'batch', id, batch } it runs `runBatch` and posts { type: 'progress', id } after
 * each episode, then { type: 'done', id, records } or { type: 'error', id, name, message }.
 * Started by pool.ts under tsx; modules a batch lists are imported once (Node caches them).
 */
import { parentPort } from 'node:worker_threads';
import { runBatch, type EpisodeBatch } from './run.ts';

const port = parentPort;
if (port === null) throw new Error('experiments/evaluate/worker.ts must run in a worker thread');

port.on('message', async (msg: { type: string; id: number; batch: EpisodeBatch }) => {
  if (msg.type !== 'batch') return;
  try {
    const records = await runBatch(msg.batch, () => port.postMessage({ type: 'progress', id: msg.id }));
    port.postMessage({ type: 'done', id: msg.id, records });
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', id: msg.id, name: e?.name ?? 'Error', message: e?.message ?? String(err), stack: e?.stack });
  }
});
port.postMessage({ type: 'ready' });
