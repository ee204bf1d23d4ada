/**
 * Reward scaling as in Gymnasium's `NormalizeReward` / SB3's `VecNormalize` (what CleanRL's PPO
 * uses): each env keeps a discounted return G ← γG + r (reset to 0 when its episode ends); rewards
 * are divided by the running standard deviation of G (not centred), then clipped to ±clip.
 */
import { RunningMeanStd } from '../../env/wrappers/running-mean-std.ts';

export class RewardScalerError extends Error {
  override name = 'RewardScalerError';
}

export interface RewardScalerState {
  rms: unknown;
  returns: number[];
}

export class RewardScaler {
  readonly rms = new RunningMeanStd(1);
  readonly returns: Float64Array;
  readonly gamma: number;
  readonly clip: number;
  readonly epsilon: number;
  private readonly scratch: Float64Array;

  constructor(numEnvs: number, gamma: number, clip = 10, epsilon = 1e-8) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new RewardScalerError(`numEnvs must be a positive integer, got ${numEnvs}`);
    if (!(gamma >= 0 && gamma <= 1)) throw new RewardScalerError(`gamma must be in [0, 1], got ${gamma}`);
    this.returns = new Float64Array(numEnvs);
    this.scratch = new Float64Array(numEnvs);
    this.gamma = gamma;
    this.clip = clip;
    this.epsilon = epsilon;
  }

  /**
   * Folds this step's rewards of the envs with `valid[i] ≠ 0` into the statistics and writes the
   * scaled rewards to `out` (0 for invalid envs). `ended[i] ≠ 0` resets env i's return after use.
   */
  scale(rewards: ArrayLike<number>, valid: ArrayLike<number>, ended: ArrayLike<number>, out: Float64Array): void {
    const n = this.returns.length;
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      this.returns[i] = this.returns[i] * this.gamma + rewards[i];
      this.scratch[m++] = this.returns[i];
    }
    if (m > 0) this.rms.updateRows(this.scratch, m);
    const sd = Math.sqrt(this.rms.var[0] + this.epsilon);
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) {
        out[i] = 0;
        continue;
      }
      let r = rewards[i] / sd;
      if (r > this.clip) r = this.clip;
      else if (r < -this.clip) r = -this.clip;
      out[i] = r;
      if (ended[i] !== 0) this.returns[i] = 0;
    }
  }

  toJSON(): RewardScalerState {
    return { rms: this.rms.toJSON(), returns: Array.from(this.returns) };
  }

  /** Restores `toJSON` output; malformed state throws and leaves this scaler untouched. */
  load(state: RewardScalerState): void {
    if (!state || !Array.isArray(state.returns) || state.returns.length !== this.returns.length || !state.returns.every(Number.isFinite)) {
      throw new RewardScalerError(`reward scaler state needs ${this.returns.length} finite returns, got ${JSON.stringify(state?.returns)?.slice(0, 100)}`);
    }
    this.rms.load(state.rms);
    this.returns.set(state.returns);
  }
}
