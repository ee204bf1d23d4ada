/**
 * The Gymnasium-style contract every environment in this project follows.
 *
 * Rules (as in Gymnasium): `reset({ seed })` reseeds every random stream of the env from `seed`;
 * `reset()` without a seed continues the current streams. `step` returns `terminated` when the
 * task itself ended (inventory done or deadline reached) and `truncated` when it was cut off from
 * outside (e.g. `TimeLimit`). Stepping a finished episode before `reset` throws `EnvError`.
 * A rejected call (bad action, bad options) throws a typed error and leaves the env untouched.
 */
import type { Space } from './spaces/space.ts';

/** The info of reset and step: the base type every env's info satisfies (envs narrow it, e.g. `ExecutionInfo`). */
export type Info = Record<string, unknown>;

export interface ResetArgs {
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs, I extends Info = Info> {
  observation: Obs;
  info: I;
}

export interface StepResult<Obs, I extends Info = Info> {
  observation: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: I;
}

/**
 * An environment. `StepInfo` types the info of `step`, `ResetInfo` that of `reset` (by default
 * the same); both default to the untyped `Info`.
 */
export interface Env<Obs = Float64Array, Act = Float64Array | number, StepInfo extends Info = Info, ResetInfo extends Info = StepInfo> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  /** Free-form metadata: the env id, render modes, the observation feature names. */
  readonly metadata: Record<string, unknown>;
  reset(args?: ResetArgs): ResetResult<Obs, ResetInfo>;
  step(action: Act): StepResult<Obs, StepInfo>;
  close(): void;
}

/** Misuse of an env: step before reset, step after the end, invalid action or options. */
export class EnvError extends Error {
  override name = 'EnvError';
}
