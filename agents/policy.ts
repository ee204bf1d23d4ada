/**
 * The Policy interface shared by baselines and learned agents.
 *
 * `reset(info, context?)` is called once per episode with the `info` of `env.reset`, before the
 * first `act`; `context` carries the episode seed (for policies with their own randomness, which
 * must come from it) and the env's action space (so a policy can stay inside its bounds).
 * `act(observation, info?)` returns one action; `info` is the latest info from the env
 * (baselines that need market context, e.g. POV's observed volume, read it there).
 * `actBatch` (optional) acts for a vector env: observations are rows of a flat Float64Array.
 *
 * `actionMode` says which action mode of the execution env the policy speaks (`market`: a
 * multiple of the TWAP slice; `limit`: [size multiple, price offset]; `discrete`: a menu index).
 * An evaluation harness builds the env with that mode, on the same seeds for every policy.
 */
import type { Info } from '../env/core.ts';
import type { Space } from '../env/spaces/space.ts';

export type ActionMode = 'market' | 'limit' | 'hybrid' | 'discrete';

export interface EpisodeContext {
  /** The episode's seed (as passed to env.reset). */
  seed?: number;
  /** The env's action space. */
  actionSpace?: Space<unknown>;
}

/**
 * A policy. `I` types the info it reads: execution baselines read the `TaskInfo` fields every
 * execution task reports (env/execution/info.ts), e.g. `Policy<Float64Array, Float64Array, ExecutionInfo>`.
 */
export interface Policy<Obs = Float64Array, Act = Float64Array | number, I extends Info = Info> {
  readonly name: string;
  /** The env action mode this policy needs; undefined = whatever the env id defaults to. */
  readonly actionMode?: ActionMode;
  /**
   * Env options the policy needs, which do not change the market (e.g. sell-now's `aMax`, large
   * enough to sell everything at once); a harness applies them over the user's env options.
   */
  readonly envOptions?: Readonly<Record<string, unknown>>;
  /**
   * The env id a learned policy was trained on. Without an `actionMode`, a harness runs the policy
   * in that env id's default mode (a PPO trained on Liquidate-v0 speaks market orders on any env
   * of the same market).
   */
  readonly envId?: string;
  reset?(info: I, context?: EpisodeContext): void;
  act(observation: Obs, info?: I): Act;
}

/**
 * The execution-task options that define a learned policy's interface (what its observation
 * means and what its action does). A trained policy carries these from its run, and a harness
 * applies them; everything else (the market, its randomization, latency, quantity, horizon,
 * reward shaping) is the evaluator's choice, so a policy can be evaluated on other markets.
 */
export const INTERFACE_OPTION_KEYS = ['side', 'actionMode', 'actionBase', 'aMax', 'maxOffsetTicks', 'features', 'volatilityWindowSeconds'] as const;

/** `envOptions` restricted to INTERFACE_OPTION_KEYS. */
export function interfaceOptions(envOptions: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of INTERFACE_OPTION_KEYS) if (envOptions?.[k] !== undefined) out[k] = envOptions[k];
  return out;
}

export interface BatchPolicy {
  readonly name: string;
  /** Writes numEnvs actions (actionDim each) into `out` for numEnvs observations (obsDim each). */
  actBatch(observations: Float64Array, numEnvs: number, out: Float64Array): void;
}
