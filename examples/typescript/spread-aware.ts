/**
 * Your own policy in TypeScript, benchmarked against the baselines on the same held-out seeds:
 *
 *   npm run cli -- evaluate --modules examples/typescript/spread-aware.ts \
 *     --policy spread-aware,twap,passive-twap,ac --episodes 1000
 *
 * `--modules` imports this file first (in every evaluation worker); registering a name makes it a
 * policy like the shipped ones. A policy reads the observation (the 11 features of the README's
 * table) and the env's info (typed: ExecutionInfo), and returns an action in the env's action
 * mode: here `market`, a multiple of the TWAP slice.
 */
import type { ExecutionInfo } from '../../env/index.ts';
import type { EpisodeContext, Policy } from '../../agents/policy.ts';
import { registerPolicy } from '../../agents/baselines/registry.ts';

/** Trades more of the TWAP slice when the spread is one tick, less when it is wider. */
export class SpreadAwarePolicy implements Policy<Float64Array, Float64Array, ExecutionInfo> {
  readonly name = 'spread-aware';
  readonly actionMode = 'market' as const;
  private readonly action = new Float64Array(1);

  constructor(private readonly tilt = 0.25) {}

  reset(_info: ExecutionInfo, _context?: EpisodeContext): void {}

  act(observation: Float64Array): Float64Array {
    const spreadTicks = observation[2] * 20; // feature 2 is min(spread ticks, 20) / 20
    this.action[0] = spreadTicks <= 1 ? 1 + this.tilt : 1 - this.tilt;
    return this.action;
  }
}

registerPolicy('spread-aware', (options) => new SpreadAwarePolicy(typeof options.tilt === 'number' ? options.tilt : undefined));
