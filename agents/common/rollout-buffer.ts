/**
 * The on-policy rollout buffer: `numSteps × numEnvs` transitions in typed arrays allocated once,
 * time-major (row k = t·numEnvs + i). Observations are stored as the policy saw them (normalized,
 * float32, ready for a tensor); actions are the raw policy samples (pre-squash u for Box actions,
 * the index for Discrete). `valid` is 0 on autoreset steps (see gae.ts); those rows are left out
 * of the minibatches by `validIndices`.
 */
import { computeGae } from './gae.ts';

export class RolloutBuffer {
  readonly numSteps: number;
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actDim: number;
  readonly size: number;
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly logProbs: Float32Array;
  readonly rewards: Float64Array;
  readonly values: Float64Array;
  readonly terminated: Uint8Array;
  readonly truncated: Uint8Array;
  readonly valid: Uint8Array;
  readonly advantages: Float64Array;
  readonly returns: Float64Array;
  private readonly indexScratch: Int32Array;

  constructor(numSteps: number, numEnvs: number, obsDim: number, actDim: number) {
    for (const [k, v] of Object.entries({ numSteps, numEnvs, obsDim, actDim })) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`RolloutBuffer ${k} must be a positive integer, got ${v}`);
    }
    this.numSteps = numSteps;
    this.numEnvs = numEnvs;
    this.obsDim = obsDim;
    this.actDim = actDim;
    const n = numSteps * numEnvs;
    this.size = n;
    this.obs = new Float32Array(n * obsDim);
    this.actions = new Float32Array(n * actDim);
    this.logProbs = new Float32Array(n);
    this.rewards = new Float64Array(n);
    this.values = new Float64Array(n);
    this.terminated = new Uint8Array(n);
    this.truncated = new Uint8Array(n);
    this.valid = new Uint8Array(n);
    this.advantages = new Float64Array(n);
    this.returns = new Float64Array(n);
    this.indexScratch = new Int32Array(n);
  }

  /** Computes advantages and returns in place (GAE(λ) with bootstrap on truncation). */
  computeReturnsAndAdvantages(lastValues: ArrayLike<number>, gamma: number, lambda: number): void {
    computeGae({
      numSteps: this.numSteps,
      numEnvs: this.numEnvs,
      gamma,
      lambda,
      rewards: this.rewards,
      values: this.values,
      terminated: this.terminated,
      truncated: this.truncated,
      valid: this.valid,
      lastValues,
      advantages: this.advantages,
      returns: this.returns,
    });
  }

  /** The row indices of real transitions (a view of an internal buffer, valid until the next call). */
  validIndices(): Int32Array {
    let m = 0;
    for (let k = 0; k < this.size; k++) if (this.valid[k] !== 0) this.indexScratch[m++] = k;
    return this.indexScratch.subarray(0, m);
  }
}
