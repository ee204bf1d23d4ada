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

export type Info = Record<string, unknown>;

export interface ResetArgs {
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs> {
  observation: Obs;
  info: Info;
}

export interface StepResult<Obs> {
  observation: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

export interface Env<Obs = Float64Array, Act = Float64Array | number> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  /** Free-form metadata: the env id, render modes, the observation feature names. */
  readonly metadata: Record<string, unknown>;
  reset(args?: ResetArgs): ResetResult<Obs>;
  step(action: Act): StepResult<Obs>;
  close(): void;
}

/** Misuse of an env: step before reset, step after the end, invalid action or options. */
export class EnvError extends Error {
  override name = 'EnvError';
}
