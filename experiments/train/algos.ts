/**
 * The learning algorithms `execution-gym train --algo <name>` knows, each loaded lazily (they pull
 * in TensorFlow.js). Every entry resolves to a module with the interface of
 * agents/common/train-api.ts:
 *
 *   train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>
 *   loadPolicy(path: string, options?: LoadPolicyOptions): Promise<Policy>
 *
 * `sac` is listed already: it loads agents/sac/index.ts when that file exists (the SAC engineer's
 * module), and otherwise fails with a clear message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../../agents/index.ts';
import type { LoadPolicyOptions, TrainHooks, TrainOptions, TrainResult } from '../../agents/common/index.ts';

export interface AlgoModule {
  train(options: TrainOptions, hooks?: TrainHooks): Promise<TrainResult>;
  loadPolicy(path: string, options?: LoadPolicyOptions): Promise<Policy<Float64Array, Float64Array | number>>;
}

export class AlgoError extends Error {
  override name = 'AlgoError';
}

/** Imports a module of this repository only if its file exists (a runtime specifier keeps tsc from requiring it). */
async function importIfPresent(relative: string, what: string): Promise<AlgoModule> {
  const url = new URL(relative, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new AlgoError(`${what} is not available: ${fileURLToPath(url)} does not exist`);
  return (await import(url.href)) as AlgoModule;
}

export const ALGOS: Readonly<Record<string, () => Promise<AlgoModule>>> = {
  ppo: async () => (await import('../../agents/ppo/index.ts')) as AlgoModule,
  sac: () => importIfPresent('../../agents/sac/index.ts', 'SAC'),
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
