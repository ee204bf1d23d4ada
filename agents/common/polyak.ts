/** Polyak averaging of target networks (SAC's critics; any algorithm with slow-moving targets). */
import * as tf from '@tensorflow/tfjs-core';
import { NnError } from '../nn/mlp.ts';

/**
 * target ← τ·online + (1 − τ)·target, variable by variable (same order, same shapes).
 * @throws NnError when the lists differ in length or τ is not in [0, 1].
 */
export function polyakUpdate(online: readonly tf.Variable[], target: readonly tf.Variable[], tau: number): void {
  if (online.length !== target.length) throw new NnError(`polyakUpdate: ${online.length} online variables vs ${target.length} target variables`);
  if (!(tau >= 0 && tau <= 1)) throw new NnError(`polyakUpdate: tau must be in [0, 1], got ${tau}`);
  tf.tidy(() => {
    for (let i = 0; i < online.length; i++) {
      target[i].assign(tf.add(tf.mul(online[i], tau), tf.mul(target[i], 1 - tau)));
    }
  });
}
