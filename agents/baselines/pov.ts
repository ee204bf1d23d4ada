/**
 * POV (percentage of volume): at each decision, sell ρ of the market volume of the last interval.
 * Counting its own volume, a participation ρ means child = ρ/(1 − ρ) × others' volume
 * (docs/reference.md); the env reports others' traded volume over the last interval. At the first
 * decision nothing is observed yet, so the policy uses the env's expected volume per interval
 * when it publishes one (else it waits). It does not chase the deadline: the env sweeps the rest.
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext, Policy } from '../policy.ts';
import { actionBounds, BASELINE_ENV_OPTIONS, optionalNumber, readDecision, requireNumber, sliceMultiple } from './context.ts';
import { BaselineError } from './errors.ts';

export interface PovOptions {
  /** Target participation ρ in (0, 1) of total market volume (default 0.1). */
  rho?: number;
}

export class PovPolicy implements Policy<Float64Array, Float64Array> {
  readonly name = 'pov';
  readonly actionMode = 'market' as const;
  /** Its slice multiples must not be clipped by the env's default aMax (see BASELINE_ENV_OPTIONS). */
  readonly envOptions = BASELINE_ENV_OPTIONS;
  readonly rho: number;
  private low = 0;
  private high = Infinity;
  private first = true;

  constructor(options: PovOptions = {}) {
    const rho = options.rho ?? 0.1;
    if (typeof rho !== 'number' || !(rho > 0 && rho < 1)) throw new BaselineError(`pov rho must be in (0, 1), got ${String(rho)}`);
    this.rho = rho;
  }

  reset(_info: Info, context?: EpisodeContext): void {
    ({ low: this.low, high: this.high } = actionBounds(context, 0, 0, Infinity));
    this.first = true;
  }

  act(_observation: Float64Array, info?: Info): Float64Array {
    const d = readDecision(info, 'pov');
    let others: number;
    if (this.first) {
      others = optionalNumber(info, 'expectedVolumePerStep') ?? 0;
      this.first = false;
    } else {
      others = requireNumber(info, 'othersVolumeLastStep', 'pov');
    }
    const child = (this.rho / (1 - this.rho)) * others;
    return Float64Array.of(sliceMultiple(child, d, this.low, this.high));
  }
}
