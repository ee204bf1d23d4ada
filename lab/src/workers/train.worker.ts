/**
 * The Train view's worker: starts a TensorFlow.js backend, trains PPO or SAC (lab/src/core/training.ts),
 * reports each iteration, pauses and resumes between iterations, evaluates against TWAP and
 * passive TWAP, hands out the checkpoint as a tar, and loads one (tar or the files of a
 * checkpoint directory).
 */
import type { Checkpoint } from '../../../agents/common/index.ts';
import type { AnyPolicy } from '../../../agents/index.ts';
import { checkpointFromFiles, checkpointTar } from '../core/checkpoint-archive.ts';
import { checkpointEnv, episodeOf, evaluateAgainstBaselines, maxWeightChange, policyFromCheckpoint, trainInMemory, trainPpoInMemory, type LabAlgo } from '../core/training.ts';
import { startBackend, type LabBackend } from './tf-backend.ts';
import type { BackendChoice } from '../../../agents/nn/backend.ts';

export type TrainRequest =
  | { type: 'backend'; backend: LabBackend }
  | { type: 'train'; algo: LabAlgo; envId: string; seed: number; totalSteps: number; config?: Record<string, unknown> }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'evaluate'; n: number }
  | { type: 'episode'; seed: number }
  | { type: 'download' }
  | { type: 'load'; files: [string, ArrayBuffer][] }
  | { type: 'bench-train'; backend: LabBackend; envId: string; steps: number; epochs: number };

let backend: BackendChoice | null = null;
let paused = false;
let stop = false;
let wake: (() => void) | null = null;
let current: { ckpt: Checkpoint; policy: AnyPolicy; label: string; envId: string; envOptions: Record<string, unknown> } | null = null;

function post(msg: unknown, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

/** A turn of the event loop (a message can arrive), then wait while paused. */
function yieldToEvents(): Promise<void> {
  return new Promise<void>((resolve) => {
    setTimeout(() => {
      if (!paused) resolve();
      else wake = resolve;
    }, 0);
  });
}

/** Makes `ckpt` the policy in use; the previous one is disposed only once the new one is built (a bad checkpoint leaves it in use). */
function usePolicyOf(ckpt: Checkpoint, label: string): void {
  const { envId, envOptions } = checkpointEnv(ckpt);
  const policy = policyFromCheckpoint(ckpt, label);
  const previous = current?.policy as { dispose?: () => void } | undefined;
  current = { ckpt, policy, label, envId, envOptions };
  previous?.dispose?.();
}

let training = false;

async function handle(req: TrainRequest): Promise<void> {
  switch (req.type) {
    case 'backend':
      backend = await startBackend(req.backend);
      post({ type: 'backend', ...backend });
      break;
    case 'train': {
      if (training) throw new Error('a training run is in progress: stop it before starting another');
      training = true;
      let r: Awaited<ReturnType<typeof trainInMemory>>;
      const t0 = performance.now();
      try {
        if (backend === null) backend = await startBackend('auto');
        paused = false;
        stop = false;
        r = await trainInMemory(
          req.algo,
          { envId: req.envId, seed: req.seed, totalSteps: req.totalSteps, config: req.config, backend },
          {
            onMetrics: (step, metrics) => post({ type: 'metrics', step, metrics }),
            onProgress: (p) => post({ type: 'progress', ...p }),
          },
          { yieldToEvents, shouldStop: () => stop },
        );
      } finally {
        training = false;
      }
      usePolicyOf(r.final, `${req.algo}-lab-${req.seed}`);
      post({ type: 'trained', label: current?.label, steps: r.steps, stopped: r.stopped, seconds: (performance.now() - t0) / 1000, weightChange: maxWeightChange(r.initial, r.final), envId: req.envId });
      break;
    }
    case 'bench-train': {
      // A timing for `execution-gym bench lab`: PPO on a fixed seed, the given update epochs.
      const b = await startBackend(req.backend);
      const t0 = performance.now();
      const r = await trainPpoInMemory({ envId: req.envId, seed: 0, totalSteps: req.steps, config: { updateEpochs: req.epochs }, backend: b }, {}, { yieldToEvents: () => Promise.resolve() });
      post({ type: 'bench-train', backend: b.name, seconds: (performance.now() - t0) / 1000, steps: r.steps });
      break;
    }
    case 'pause':
      paused = true;
      break;
    case 'resume':
      paused = false;
      wake?.();
      wake = null;
      break;
    case 'stop':
      stop = true;
      paused = false;
      wake?.();
      wake = null;
      break;
    case 'evaluate': {
      if (current === null) throw new Error('train or load a policy first');
      const s = await evaluateAgainstBaselines(current.policy, current.label, current.envId, current.envOptions, req.n, (done, total) => post({ type: 'eval-progress', done, total }));
      post({ type: 'eval', summaries: s, label: current.label });
      break;
    }
    case 'episode': {
      if (current === null) throw new Error('train or load a policy first');
      const r = episodeOf(current.policy, current.envId, current.envOptions, req.seed);
      post({ type: 'episode', seed: req.seed, isBps: r.isBps, label: current.label });
      break;
    }
    case 'download': {
      if (current === null) throw new Error('train or load a policy first');
      const bytes = checkpointTar(current.ckpt, current.label);
      post({ type: 'download', name: `${current.label}.tar`, bytes }, [bytes.buffer]);
      break;
    }
    case 'load': {
      if (backend === null) backend = await startBackend('auto');
      const files = new Map(req.files.map(([n, b]) => [n, new Uint8Array(b)]));
      const ckpt = checkpointFromFiles(files, req.files.length === 1 ? req.files[0][0] : 'picked files');
      usePolicyOf(ckpt, `${ckpt.kind}-step-${ckpt.step}`);
      post({ type: 'loaded', kind: ckpt.kind, step: ckpt.step, envId: current?.envId, label: current?.label });
      break;
    }
  }
}

self.onmessage = (ev: MessageEvent<TrainRequest>) => {
  // `of`: the request that failed (the view re-enables Train only when training failed).
  handle(ev.data).catch((err: unknown) => post({ type: 'error', of: ev.data.type, message: err instanceof Error ? err.message : String(err) }));
};
