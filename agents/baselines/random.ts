/**
 * The random policy: each action drawn from the action space (market mode: uniform on
 * [low, min(high, 2)], so the mean pace is about TWAP's; other modes: the space's own sampler) from
 * the stream `Rng.fromSeed(episode seed, 'policy/random')`: the same seed, the same actions.
 */
import type { Info } from '../../env/core.ts';
import { Rng } from '../../simulator/random/index.ts';
import type { ActionMode, EpisodeContext, Policy } from '../policy.ts';
import { actionBounds } from './context.ts';
import { BaselineError } from './errors.ts';

export interface RandomOptions {
  /** The action mode to ask the env for (default market). */
  actionMode?: ActionMode;
  /** Seed used when reset gets none (default 0). */
  seed?: number;
}

export class RandomPolicy implements Policy<Float64Array, Float64Array | number> {
  readonly name = 'random';
  readonly actionMode: ActionMode;
  private rng: Rng;
  private readonly defaultSeed: number;
  private context: EpisodeContext | undefined;
  private low = 0;
  private high = 2;

  constructor(options: RandomOptions = {}) {
    const mode = options.actionMode ?? 'market';
    if (mode !== 'market' && mode !== 'limit' && mode !== 'hybrid' && mode !== 'discrete') throw new BaselineError(`random actionMode must be market, limit, hybrid or discrete, got ${String(mode)}`);
    this.actionMode = mode;
    this.defaultSeed = options.seed ?? 0;
    this.rng = Rng.fromSeed(this.defaultSeed, 'policy/random');
  }

  reset(_info: Info, context?: EpisodeContext): void {
    this.context = context;
    this.rng = Rng.fromSeed(context?.seed ?? this.defaultSeed, 'policy/random');
    const b = actionBounds(context, 0, 0, Infinity);
    this.low = b.low;
    this.high = Math.max(b.low, Math.min(b.high, 2));
  }

  act(): Float64Array | number {
    const space = this.context?.actionSpace;
    if (this.actionMode === 'market' || space === undefined) return Float64Array.of(this.rng.uniform(this.low, this.high));
    return space.sample(this.rng) as Float64Array | number;
  }
}
