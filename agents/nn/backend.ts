/**
 * TensorFlow.js backend selection.
 *
 * `initBackend(kind)` must be awaited before the first tensor op. It loads backends only by
 * dynamic import, so a missing optional package (`@tensorflow/tfjs-node-gpu`, `@tensorflow/tfjs-node`)
 * never breaks an install or an import of this module.
 *
 * - `auto`: tfjs-node-gpu when installed and a GPU is visible, else tfjs-node when installed,
 *   else WebGPU when its adapter is a real GPU (never a fallback/software adapter), else
 *   WebAssembly, else cpu. A missing package is not an error; the reason names what was tried.
 * - `tensorflow`: tfjs-node-gpu, else tfjs-node; neither installed is a `BackendError`.
 * - `webgpu`: TensorFlow.js's WebGPU backend on Dawn's Node bindings (backend-webgpu.ts); a
 *   fallback (software) adapter is used because it was asked for, and the reason says so. A
 *   missing package or no adapter is a `BackendError` that says what to install or set.
 * - `wasm`, `cpu`: exactly that backend (failure is a `BackendError`).
 *
 * It also makes sure kernel gradients are registered (tf.grads / tf.variableGrads work after it).
 * Idempotent: asking again for the backend already active returns the first answer. Library code
 * must not print, so the console hints of TensorFlow.js are silenced (`PROD` flag) and the WASM
 * backend runs single-threaded (its thread pool needs blob workers, which Node lacks).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

import { BackendError, importOptional, probeWebgpu, useWebgpu, WEBGPU_INSTALL, type WebgpuProbe } from './backend-webgpu.ts';

export { BackendError } from './backend-webgpu.ts';

export type BackendKind = 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_KINDS: readonly BackendKind[] = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'];

export interface BackendChoice {
  /** The TensorFlow.js backend name now active: 'tensorflow', 'webgpu', 'wasm' or 'cpu'. */
  name: string;
  /** Why it was chosen (what was tried and missing), for logs. */
  reason: string;
  /** webgpu only: the adapter in use (vendor, architecture, description; fallback = software). */
  adapter?: { vendor: string; architecture: string; description: string; fallback: boolean };
}

const chosen = new Map<BackendKind, BackendChoice>();
let flagsSet = false;

/** Silences TensorFlow.js console hints; must run before the first backend is created. */
function setQuietFlags(): void {
  if (flagsSet) return;
  flagsSet = true;
  // PROD turns off backend_util.warn (e.g. "looks like you are running TensorFlow.js in Node.js")
  // and the per-op debug checks.
  tf.env().set('PROD', true);
}

/**
 * Gradients of the kernels: the Node bundle of tfjs-core registers none; tfjs-layers' bundle
 * registers them all on import (tfjs-core's ESM `register_all_gradients` cannot load in Node).
 */
async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Mean') === undefined) await import('@tensorflow/tfjs-layers');
}

function gpuVisible(): boolean {
  return existsSync('/proc/driver/nvidia/version') || existsSync('/dev/nvidia0');
}

async function useTensorflow(): Promise<BackendChoice | string> {
  const tried: string[] = [];
  if (gpuVisible()) {
    const gpu = await importOptional('@tensorflow/tfjs-node-gpu');
    if (gpu !== undefined && (await tf.setBackend('tensorflow'))) {
      return { name: 'tensorflow', reason: '@tensorflow/tfjs-node-gpu is installed and a GPU is visible' };
    }
    tried.push('@tensorflow/tfjs-node-gpu is not installed');
  } else {
    tried.push('no GPU visible (no /proc/driver/nvidia/version)');
  }
  const node = await importOptional('@tensorflow/tfjs-node');
  if (node !== undefined && (await tf.setBackend('tensorflow'))) {
    return { name: 'tensorflow', reason: `${tried.join('; ')}; using @tensorflow/tfjs-node (CPU)` };
  }
  tried.push('@tensorflow/tfjs-node is not installed');
  return tried.join('; ');
}

async function useWasm(): Promise<boolean> {
  const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
  // The .wasm binaries sit next to the package's dist/ files; resolve them from this module so any cwd works.
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
  wasm.setWasmPaths(dir);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  return tf.setBackend('wasm');
}

async function useCpu(): Promise<boolean> {
  await import('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}

/**
 * Selects and initializes a backend (see the file header). Resolves with the backend's name and
 * the reason for the choice. Throws `BackendError` for an unknown kind or when the requested
 * backend cannot start.
 */
export async function initBackend(kind: BackendKind = 'auto'): Promise<BackendChoice> {
  if (!(BACKEND_KINDS as readonly string[]).includes(kind)) {
    throw new BackendError(`backend must be one of ${BACKEND_KINDS.join(', ')}, got ${String(kind)}`);
  }
  const prev = chosen.get(kind);
  if (prev !== undefined && tf.getBackend() === prev.name) return prev;
  setQuietFlags();
  let choice: BackendChoice;
  switch (kind) {
    case 'tensorflow': {
      const r = await useTensorflow();
      if (typeof r === 'string') {
        throw new BackendError(
          `backend 'tensorflow' needs @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, which are not available here (${r}); ` +
            `install one (it downloads a native library) or use --backend wasm`,
        );
      }
      choice = r;
      break;
    }
    case 'webgpu': {
      const probe = await probeWebgpu({ allowFallback: true });
      choice = await webgpuChoiceOrThrow(probe);
      break;
    }
    case 'wasm':
      if (!(await useWasm())) throw new BackendError(`backend 'wasm' failed to initialize`);
      choice = { name: 'wasm', reason: 'requested wasm' };
      break;
    case 'cpu':
      if (!(await useCpu())) throw new BackendError(`backend 'cpu' failed to initialize`);
      choice = { name: 'cpu', reason: 'requested cpu' };
      break;
    case 'auto': {
      const r = await useTensorflow();
      if (typeof r !== 'string') {
        choice = r;
        break;
      }
      // A real GPU through WebGPU; a fallback (software) adapter only when asked for by name.
      const probe = await probeWebgpu({ allowFallback: false });
      let tried = `${r}; ${probe.reason}`;
      if (probe.usable) {
        const started = await useWebgpu(probe);
        if (started) {
          choice = { name: 'webgpu', reason: `${r}; ${probe.reason}`, adapter: probe.adapter };
          break;
        }
        tried += '; but the TensorFlow.js WebGPU backend failed to start';
      }
      if (await useWasm().catch(() => false)) {
        choice = { name: 'wasm', reason: `${tried}; using WebAssembly` };
      } else if (await useCpu()) {
        choice = { name: 'cpu', reason: `${tried}; WebAssembly failed to start; using cpu` };
      } else {
        throw new BackendError(`no TensorFlow.js backend could start (${tried}; wasm and cpu failed)`);
      }
      break;
    }
  }
  await ensureGradients();
  chosen.set(kind, choice);
  return choice;
}

/** The error of `--backend webgpu` when the packages are not installed. */
export function webgpuMissingMessage(): string {
  return `backend 'webgpu' needs ${WEBGPU_INSTALL.packages}, which are not installed here; install them with: ${WEBGPU_INSTALL.command}`;
}

/** `--backend webgpu`: the probe's adapter, or a BackendError that says what to install or set. */
async function webgpuChoiceOrThrow(probe: WebgpuProbe): Promise<BackendChoice> {
  if (probe.missing) throw new BackendError(webgpuMissingMessage());
  if (!probe.usable) throw new BackendError(`backend 'webgpu' cannot start: ${probe.reason}`);
  if (!(await useWebgpu(probe))) {
    throw new BackendError(`backend 'webgpu' cannot start: the adapter (${probe.reason}) was found but TensorFlow.js's WebGPU backend failed to initialize on it`);
  }
  return { name: 'webgpu', reason: `requested webgpu; ${probe.reason}`, adapter: probe.adapter };
}

/** The name of the active backend, or undefined before `initBackend`. */
export function activeBackend(): string | undefined {
  return chosen.size === 0 ? undefined : tf.getBackend();
}
