/**
 * Worker-thread entry of `SessionPool` (pool.ts): for each { type: 'session', gen, id, job } it runs
 * `simulatedSession` and posts { type: 'done', gen, id, result } (the headline, or the whole session
 * when the message says `full`) or { type: 'error', gen, id, name, message }.
 */
import { parentPort } from 'node:worker_threads';
import { simulatedSession, type SessionJob } from '../../simulator/calibration/index.ts';

const port = parentPort;
if (port === null) throw new Error('experiments/calibrate/worker.ts must run in a worker thread');

port.on('message', (msg: { type: string; gen: number; id: number; job: SessionJob; full?: boolean }) => {
  if (msg.type !== 'session') return;
  try {
    const session = simulatedSession(msg.job.spec, msg.job.seed, msg.job.options);
    port.postMessage({ type: 'done', gen: msg.gen, id: msg.id, result: msg.full === true ? session : session.headline });
  } catch (err) {
    const e = err as Error;
    port.postMessage({ type: 'error', gen: msg.gen, id: msg.id, name: e?.name ?? 'Error', message: e?.message ?? String(err) });
  }
});
port.postMessage({ type: 'ready' });
