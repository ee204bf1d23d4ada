/**
 * Worker-thread entry of the evaluation harness: runs one EpisodeBatch (workerData) and posts
 * { type: 'progress' } after each episode, then { type: 'done', records } or
 * { type: 'error', name, message }. Started by evaluate.ts under tsx (`--import tsx`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBatch, type EpisodeBatch } from './run.ts';

const port = parentPort;
if (port === null) throw new Error('experiments/evaluate/worker.ts must run in a worker thread');

try {
  const records = await runBatch(workerData as EpisodeBatch, () => port.postMessage({ type: 'progress' }));
  port.postMessage({ type: 'done', records });
} catch (err) {
  const e = err as Error;
  port.postMessage({ type: 'error', name: e?.name ?? 'Error', message: e?.message ?? String(err), stack: e?.stack });
}
