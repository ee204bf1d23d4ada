/**
 * TensorFlow.js in the browser: the lab picks the backend here (agents/nn/backend.ts is Node's
 * picker). 'auto' tries WebGPU, then WebGL, then WebAssembly, then plain JavaScript (cpu). The
 * WebAssembly binaries are bundled as local assets (Vite's ?url imports), so nothing is fetched
 * from a CDN. Gradients of every kernel are registered (the training update needs them).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendChoice } from '../../../agents/nn/backend.ts';

import { LAB_BACKENDS, type LabBackend } from '../core/choices.ts';

export { LAB_BACKENDS, type LabBackend };

async function tryBackend(name: Exclude<LabBackend, 'auto'>): Promise<string | null> {
  try {
    switch (name) {
      case 'webgpu':
        if (!('gpu' in navigator) || (await (navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu.requestAdapter()) === null) return 'no WebGPU adapter';
        await import('@tensorflow/tfjs-backend-webgpu');
        break;
      case 'webgl':
        if (typeof OffscreenCanvas === 'undefined' || new OffscreenCanvas(1, 1).getContext('webgl2') === null) return 'no WebGL2 context';
        await import('@tensorflow/tfjs-backend-webgl');
        break;
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
        // The threaded build needs cross-origin isolation; a static host usually lacks it.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        break;
      }
      case 'cpu':
        break;
    }
    if (!(await tf.setBackend(name))) return `${name} failed to start`;
    await tf.ready();
    return null;
  } catch (err) {
    return `${name}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** Starts `asked` (or the best available for 'auto'); the reason names what was tried. */
export async function startBackend(asked: LabBackend): Promise<BackendChoice> {
  if (!(LAB_BACKENDS as readonly string[]).includes(asked)) throw new Error(`backend must be one of ${LAB_BACKENDS.join(', ')}, got ${JSON.stringify(asked)}`);
  tf.env().set('PROD', true);
  const order: Exclude<LabBackend, 'auto'>[] = asked === 'auto' ? ['webgpu', 'webgl', 'wasm', 'cpu'] : [asked];
  const tried: string[] = [];
  for (const name of order) {
    const why = await tryBackend(name);
    if (why === null) return { name: tf.getBackend(), reason: tried.length === 0 ? `${asked === 'auto' ? 'best available' : 'requested'}: ${name}` : `${tried.join('; ')}; using ${name}` };
    tried.push(why);
  }
  throw new Error(`no TensorFlow.js backend could start (${tried.join('; ')})`);
}
