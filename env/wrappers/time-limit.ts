/**
 * TimeLimit: sets `truncated` once `maxEpisodeSteps` steps have been taken since the last reset
 * (Gymnasium's TimeLimit). Stepping a truncated episode before `reset` throws EnvError, as for
 * an episode the env itself ended.
 */
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../core.ts';
import { Wrapper } from './wrapper.ts';

export class TimeLimit<O, A> extends Wrapper<O, A> {
  readonly maxEpisodeSteps: number;
  private elapsed = 0;
  private ended = false;

  /** @throws EnvError unless maxEpisodeSteps is a positive integer. */
  constructor(env: Env<O, A>, maxEpisodeSteps: number) {
    super(env);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) throw new EnvError(`TimeLimit maxEpisodeSteps must be a positive integer, got ${String(maxEpisodeSteps)}`);
    this.maxEpisodeSteps = maxEpisodeSteps;
  }

  /** Steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.elapsed;
  }

  override reset(args?: ResetArgs): ResetResult<O> {
    const r = super.reset(args);
    this.elapsed = 0;
    this.ended = false;
    return r;
  }

  override step(action: A): StepResult<O> {
    if (this.ended) throw new EnvError(`step() after the episode was truncated at ${this.maxEpisodeSteps} steps: call reset() first`);
    const r = super.step(action);
    this.elapsed++;
    if (this.elapsed >= this.maxEpisodeSteps && !r.terminated) r.truncated = true;
    if (r.terminated || r.truncated) this.ended = true;
    return r;
  }
}
