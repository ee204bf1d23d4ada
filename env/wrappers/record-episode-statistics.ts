/**
 * RecordEpisodeStatistics: at the end of each episode (terminated or truncated) adds
 * `info.episode = { r, l, t }`: the undiscounted return, the length in steps and the wall-clock
 * seconds since the episode's reset (as Gymnasium; `t` is the only non-reproducible field).
 * The last `bufferLength` returns and lengths are kept in `returnQueue` / `lengthQueue`.
 */
import type { Env, ResetResult, StepResult } from '../core.ts';
import { Wrapper, withInfo } from './wrapper.ts';

export interface EpisodeStatistics {
  /** Sum of rewards. */
  r: number;
  /** Number of steps. */
  l: number;
  /** Wall-clock seconds since reset. */
  t: number;
}

export class RecordEpisodeStatistics<O, A> extends Wrapper<O, A> {
  readonly bufferLength: number;
  readonly returnQueue: number[] = [];
  readonly lengthQueue: number[] = [];
  private episodeReturn = 0;
  private episodeLength = 0;
  private startMs = 0;

  constructor(env: Env<O, A>, bufferLength = 100) {
    super(env);
    this.bufferLength = bufferLength;
  }

  protected override onReset(result: ResetResult<O>): ResetResult<O> {
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.startMs = performance.now();
    return result;
  }

  protected override onStep(result: StepResult<O>): StepResult<O> {
    this.episodeReturn += result.reward;
    this.episodeLength++;
    if (result.terminated || result.truncated) {
      const episode: EpisodeStatistics = { r: this.episodeReturn, l: this.episodeLength, t: (performance.now() - this.startMs) / 1000 };
      result.info = withInfo(result.info, { episode });
      this.returnQueue.push(episode.r);
      this.lengthQueue.push(episode.l);
      if (this.returnQueue.length > this.bufferLength) {
        this.returnQueue.shift();
        this.lengthQueue.shift();
      }
    }
    return result;
  }
}
