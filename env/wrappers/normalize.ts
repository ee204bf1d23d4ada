/**
 * NormalizeObservation and NormalizeReward (Gymnasium's wrappers of the same names).
 *
 * NormalizeObservation: each observation (a flat Box) updates a running mean/variance and is
 * returned as (obs - mean) / sqrt(var + epsilon). Freeze the statistics for evaluation
 * (`frozen = true`), save them with `save(path)` / `toJSON()` and restore them with `load(path)`
 * / `loadJSON(json)`.
 *
 * NormalizeReward: keeps the discounted return G <- gamma * G + r (reset at each episode start)
 * and divides each reward by the running standard deviation of G, which keeps the scale of
 * value targets stable.
 *
 * `saveRunningMeanStd` / `loadRunningMeanStd` keep statistics in a JSON file (written atomically).
 */
import { readFileSync } from 'node:fs';
import { writeJsonAtomic } from '../../configs/fs.ts';
import { EnvError, type Env, type ResetArgs, type ResetResult } from '../core.ts';
import { Box, type Space } from '../spaces/index.ts';
import { RunningMeanStd, RunningMeanStdError } from './running-mean-std.ts';
import { Wrapper } from './wrapper.ts';

/** Writes the statistics atomically to a JSON file. */
export function saveRunningMeanStd(path: string, rms: RunningMeanStd): void {
  writeJsonAtomic(path, rms.toJSON());
}

/** Reads statistics written by `saveRunningMeanStd`. @throws RunningMeanStdError naming the file. */
export function loadRunningMeanStd(path: string): RunningMeanStd {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RunningMeanStdError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RunningMeanStdError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  return RunningMeanStd.fromJSON(json);
}

export class NormalizeObservation<A> extends Wrapper<Float64Array, A> {
  readonly rms: RunningMeanStd;
  readonly epsilon: number;
  private readonly space: Box;

  /** @throws EnvError unless the observation space is a one-dimensional Box (flatten it first). */
  constructor(env: Env<Float64Array, A>, epsilon = 1e-8) {
    super(env);
    const s = env.observationSpace;
    if (!(s instanceof Box) || s.shape.length !== 1) throw new EnvError(`NormalizeObservation needs a 1-d Box observation space, got ${JSON.stringify(s.toJSON())} (wrap with FlattenObservation first)`);
    this.rms = new RunningMeanStd(s.size);
    this.epsilon = epsilon;
    this.space = new Box(-Infinity, Infinity, [s.size], s.dtype);
  }

  override get observationSpace(): Space<Float64Array> {
    return this.space;
  }

  /** While frozen the statistics are used but not updated. */
  get frozen(): boolean {
    return this.rms.frozen;
  }

  set frozen(value: boolean) {
    this.rms.frozen = value;
  }

  protected override observation(observation: Float64Array): Float64Array {
    this.rms.update(observation);
    return this.rms.normalize(observation, undefined, this.epsilon);
  }

  toJSON(): ReturnType<RunningMeanStd['toJSON']> {
    return this.rms.toJSON();
  }

  loadJSON(json: unknown): void {
    this.rms.load(json);
  }

  save(path: string): void {
    saveRunningMeanStd(path, this.rms);
  }

  load(path: string): void {
    this.rms.load(loadRunningMeanStd(path).toJSON());
  }
}

export class NormalizeReward<O, A> extends Wrapper<O, A> {
  readonly rms = new RunningMeanStd(1);
  readonly gamma: number;
  readonly epsilon: number;
  private discountedReturn = 0;
  private readonly one = new Float64Array(1);

  /** @throws EnvError unless 0 <= gamma <= 1. */
  constructor(env: Env<O, A>, gamma = 0.99, epsilon = 1e-8) {
    super(env);
    if (!(gamma >= 0 && gamma <= 1)) throw new EnvError(`NormalizeReward gamma must be in [0, 1], got ${String(gamma)}`);
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  get frozen(): boolean {
    return this.rms.frozen;
  }

  set frozen(value: boolean) {
    this.rms.frozen = value;
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    const r = super.reset(args);
    this.discountedReturn = 0;
    return r;
  }

  protected override reward(reward: number): number {
    this.discountedReturn = this.discountedReturn * this.gamma + reward;
    this.one[0] = this.discountedReturn;
    this.rms.update(this.one);
    return reward / Math.sqrt(this.rms.var[0] + this.epsilon);
  }

  toJSON(): ReturnType<RunningMeanStd['toJSON']> {
    return this.rms.toJSON();
  }

  loadJSON(json: unknown): void {
    this.rms.load(json);
  }

  save(path: string): void {
    saveRunningMeanStd(path, this.rms);
  }

  load(path: string): void {
    this.rms.load(loadRunningMeanStd(path).toJSON());
  }
}
