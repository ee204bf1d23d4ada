/**
 * TensorFlow.js registers the gradients of its kernels only in `@tensorflow/tfjs-layers` (the
 * Node bundle of tfjs-core has none, and its ESM `register_all_gradients` cannot load in Node:
 * it imports directories). `ensureGradients()` loads tfjs-layers once, lazily, when they are missing.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Makes sure tf.variableGrads works (idempotent; cheap after the first call). */
export async function ensureGradients(): Promise<void> {
  if (tf.getGradient('Mean') !== undefined) return;
  await import('@tensorflow/tfjs-layers');
}
