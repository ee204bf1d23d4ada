/**
 * Reading tensors back on every backend. TensorFlow.js's WebGPU backend cannot read a tensor
 * synchronously in Node (its `dataSync` needs an `OffscreenCanvas`), but `await tensor.data()`
 * works and leaves the values cached on the CPU, after which `dataSync` on that same tensor
 * returns them. So the training loops `await makeReadable(...)` before code that reads variables
 * synchronously (acting copies of the weights, checkpoints), and read per-step statistics with
 * `await t.data()`. On cpu, wasm and tensorflow this is a no-op: the values and the order of
 * operations are exactly those of the synchronous code (the wasm results stay bit-identical).
 *
 * Browser-safe: plain TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs-core';

/** True when the active backend cannot read tensors synchronously (webgpu). */
export function readsAsync(): boolean {
  return tf.getBackend() === 'webgpu';
}

/** Downloads the values of `tensors` to the CPU where `dataSync` could not (see the file header). */
export async function makeReadable(tensors: Iterable<tf.Tensor>): Promise<void> {
  if (!readsAsync()) return;
  const pending: Promise<unknown>[] = [];
  for (const t of tensors) if (!t.isDisposed) pending.push(t.data());
  await Promise.all(pending);
}

/**
 * A computation that needs values of tensors along the way: it yields each tensor to read and is
 * resumed with its values (read-only; valid until the tensor is disposed). One body, two drivers:
 * `runReadsSync` (dataSync) and `runReadsAsync` (await data(), any backend) do the same arithmetic.
 */
export type ReadSteps<R> = Generator<tf.Tensor, R, ArrayLike<number>>;

/** Runs `steps`, answering each read with `dataSync()` (not on webgpu). */
export function runReadsSync<R>(steps: ReadSteps<R>): R {
  let r = steps.next();
  while (r.done !== true) {
    let values: ArrayLike<number>;
    try {
      values = r.value.dataSync() as ArrayLike<number>;
    } catch (err) {
      // Resume with the error so that the computation's finally blocks free its tensors.
      r = steps.throw(err);
      continue;
    }
    r = steps.next(values);
  }
  return r.value;
}

/** Runs `steps`, answering each read with `await data()` (every backend). */
export async function runReadsAsync<R>(steps: ReadSteps<R>): Promise<R> {
  let r = steps.next();
  while (r.done !== true) {
    let values: ArrayLike<number>;
    try {
      values = (await r.value.data()) as ArrayLike<number>;
    } catch (err) {
      r = steps.throw(err);
      continue;
    }
    r = steps.next(values);
  }
  return r.value;
}
