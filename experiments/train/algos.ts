/**
 * The learning algorithms `execution-gym train --algo <name>` knows, each loaded lazily (they pull
 * in TensorFlow.js). Every entry resolves to a module with the interface of
 * agents/common/train-api.ts:
 *
 *   train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>
 *   loadPolicy(source: string | Checkpoint, options?: LoadPolicyOptions): Promise<Policy>
 *
 * The name is also the checkpoint's `kind`, which the policy loader dispatches on.
 */
import type { Policy } from '../../agents/index.ts';
import type { Checkpoint, LoadPolicyOptions, TrainHooks, TrainOptions, TrainResult } from '../../agents/common/index.ts';

export interface AlgoModule {
  train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>;
  loadPolicy(source: string | Checkpoint, options?: LoadPolicyOptions): Promise<Policy<Float64Array, Float64Array | number>>;
}

export class AlgoError extends Error {
  override name = 'AlgoError';
}

export const ALGOS: Readonly<Record<string, () => Promise<AlgoModule>>> = {
  ppo: async () => (await import('../../agents/ppo/index.ts')) as AlgoModule,
  sac: async () => (await import('../../agents/sac/index.ts')) as AlgoModule,
};

export function listAlgos(): string[] {
  return Object.keys(ALGOS).sort();
}

/** The module of `name`. @throws AlgoError for an unknown name. */
export async function loadAlgo(name: string): Promise<AlgoModule> {
  const f = ALGOS[name];
  if (f === undefined) throw new AlgoError(`unknown --algo ${JSON.stringify(name)}; known: ${listAlgos().join(', ')}`);
  return f();
}
