/** Moving variables in and out of named float32 tensors (what checkpoints store). */
import * as tf from '@tensorflow/tfjs-core';
import { NnError } from './mlp.ts';

/** A tensor's values with its name and shape (agents/common/checkpoint.ts stores a list of them). */
export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Copies each variable's values out (one read-back per variable) under the given names. */
export function variablesToTensors(names: readonly string[], variables: readonly tf.Variable[]): NamedTensor[] {
  if (names.length !== variables.length) throw new NnError(`${names.length} names for ${variables.length} variables`);
  return variables.map((v, i) => ({ name: names[i], shape: [...v.shape], data: Float32Array.from(v.dataSync()) }));
}

/** Assigns each variable the tensor of the same name; a missing name or wrong shape throws NnError. */
export function assignFromTensors(names: readonly string[], variables: readonly tf.Variable[], tensors: readonly NamedTensor[]): void {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (let i = 0; i < variables.length; i++) {
    const t = byName.get(names[i]);
    if (t === undefined) throw new NnError(`tensor ${names[i]} is missing`);
    if (t.shape.length !== variables[i].shape.length || t.shape.some((s, j) => s !== variables[i].shape[j])) {
      throw new NnError(`tensor ${names[i]} has shape [${t.shape.join(', ')}], the variable needs [${variables[i].shape.join(', ')}]`);
    }
  }
  tf.tidy(() => {
    for (let i = 0; i < variables.length; i++) {
      const t = byName.get(names[i]) as NamedTensor;
      variables[i].assign(tf.tensor(t.data, variables[i].shape, 'float32'));
    }
  });
}
