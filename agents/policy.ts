/**
 * The Policy interface shared by baselines and learned agents.
 *
 * `reset(info)` is called once per episode with the `info` of `env.reset`, before the first
 * `act`. `act(observation, info?)` returns one action; `info` is the latest info from the env
 * (baselines that need market context, e.g. POV's observed volume, read it there).
 * `actBatch` (optional) acts for a vector env: observations are rows of a flat Float64Array.
 */
import type { Info } from '../env/core.ts';

export interface Policy<Obs = Float64Array, Act = Float64Array | number> {
  readonly name: string;
  reset?(info: Info): void;
  act(observation: Obs, info?: Info): Act;
}

export interface BatchPolicy {
  readonly name: string;
  /** Writes numEnvs actions (actionDim each) into `out` for numEnvs observations (obsDim each). */
  actBatch(observations: Float64Array, numEnvs: number, out: Float64Array): void;
}
