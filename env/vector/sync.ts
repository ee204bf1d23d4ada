/**
 * SyncVectorEnv: numEnvs envs stepped one after the other in this thread (Gymnasium's
 * SyncVectorEnv, next-step autoreset; see ./types.ts for the contract). Batch buffers are
 * allocated once and returned by reference.
 */
import { EnvError, type Env } from '../core.ts';
import { make } from '../registry.ts';
import { EnvBatch } from './batch.ts';
import type { AutoresetMode, VectorEnv, VectorStepResult } from './types.ts';

type AnyEnv = Env<unknown, unknown>;

export class SyncVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly autoresetMode: AutoresetMode = 'next-step';
  readonly singleObservationSpace: Record<string, unknown>;
  readonly singleActionSpace: Record<string, unknown>;
  /** The envs (index i is env i). */
  readonly envs: readonly AnyEnv[];
  private readonly batch: EnvBatch;
  private readonly result: VectorStepResult;

  /** @param envs env instances or factories (called once each). */
  constructor(envs: (AnyEnv | (() => AnyEnv))[]) {
    if (!Array.isArray(envs) || envs.length === 0) throw new EnvError(`SyncVectorEnv needs a non-empty array of envs or env factories, got ${String(envs)}`);
    const built = envs.map((e) => (typeof e === 'function' ? e() : e));
    this.envs = built;
    this.batch = new EnvBatch(built, 0);
    this.numEnvs = built.length;
    this.obsDim = this.batch.obsDim;
    this.actionDim = this.batch.actions.dim;
    this.singleObservationSpace = built[0].observationSpace.toJSON();
    this.singleActionSpace = built[0].actionSpace.toJSON();
    this.result = {
      observations: new Float64Array(this.numEnvs * this.obsDim),
      rewards: new Float64Array(this.numEnvs),
      terminated: new Uint8Array(this.numEnvs),
      truncated: new Uint8Array(this.numEnvs),
      infos: [],
    };
  }

  /** numEnvs copies of the registered env `id` built with `options`. */
  static fromId(id: string, numEnvs: number, options: Record<string, unknown> = {}): SyncVectorEnv {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new EnvError(`numEnvs must be a positive integer, got ${String(numEnvs)}`);
    const envs: AnyEnv[] = [];
    for (let i = 0; i < numEnvs; i++) envs.push(make(id, options) as AnyEnv);
    return new SyncVectorEnv(envs);
  }

  async reset(args: { seed?: number; options?: Record<string, unknown> } = {}): Promise<{ observations: Float64Array; infos: Record<string, unknown>[] }> {
    return this.resetSync(args);
  }

  /** Synchronous reset (the same result as `reset`). */
  resetSync(args: { seed?: number; options?: Record<string, unknown> } = {}): { observations: Float64Array; infos: Record<string, unknown>[] } {
    const infos = this.batch.reset(args.seed, args.options, this.result.observations);
    return { observations: this.result.observations, infos };
  }

  async step(actions: Float64Array): Promise<VectorStepResult> {
    return this.stepSync(actions);
  }

  /** Synchronous step (the same result as `step`). @throws EnvError on a bad action, before any env moves. */
  stepSync(actions: Float64Array): VectorStepResult {
    checkActionBuffer(actions, this.numEnvs, this.actionDim);
    this.batch.validate(actions);
    const r = this.result;
    r.infos = this.batch.step(actions, r.observations, r.rewards, r.terminated, r.truncated);
    return r;
  }

  async close(): Promise<void> {
    this.batch.close();
  }
}

export function checkActionBuffer(actions: unknown, numEnvs: number, actionDim: number): asserts actions is Float64Array {
  if (!(actions instanceof Float64Array)) throw new EnvError(`vector env actions must be a Float64Array of numEnvs × actionDim = ${numEnvs * actionDim}, got ${String(actions)}`);
  if (actions.length !== numEnvs * actionDim) throw new EnvError(`vector env actions must have length numEnvs × actionDim = ${numEnvs} × ${actionDim} = ${numEnvs * actionDim}, got ${actions.length}`);
}
