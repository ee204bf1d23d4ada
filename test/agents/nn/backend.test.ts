import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, BackendError } from '../../../agents/nn/index.ts';

describe('initBackend', () => {
  it('starts wasm silently and is idempotent', async () => {
    const a = await initBackend('wasm');
    expect(a.name).toBe('wasm');
    const b = await initBackend('wasm');
    expect(b).toBe(a);
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });

  it('starts cpu silently (no Node.js hint on the console)', async () => {
    const c = await initBackend('cpu');
    expect(c.name).toBe('cpu');
    const y = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    expect(y).toBe(6);
  });

  it('auto says what it chose and why', async () => {
    const c = await initBackend('auto');
    expect(['tensorflow', 'wasm', 'cpu']).toContain(c.name);
    expect(c.reason.length).toBeGreaterThan(0);
    expect(tf.getBackend()).toBe(c.name);
  });

  it('tensorflow without tfjs-node fails with a clear message, and unknown kinds are rejected', async () => {
    let installed = true;
    try {
      await import('@tensorflow/' + 'tfjs-node');
    } catch {
      installed = false;
    }
    if (!installed) await expect(initBackend('tensorflow')).rejects.toThrow(/tfjs-node/);
    else expect((await initBackend('tensorflow')).name).toBe('tensorflow');
    await expect(initBackend('gpu' as never)).rejects.toThrow(BackendError);
    await expect(initBackend('gpu' as never)).rejects.toThrow(/auto, tensorflow, webgpu, wasm, cpu, got gpu/);
  });
});
