/**
 * Generalized advantage estimation, GAE(λ) (Schulman et al. 2016), for a rollout of `numSteps`
 * steps of `numEnvs` envs stored time-major (index t·numEnvs + i), collected from a vector env in
 * next-step autoreset mode:
 *
 * - `valid[k] = 0` marks an autoreset step (the env was reset, its action ignored): it is not a
 *   transition; its advantage is 0 and it cuts the recursion.
 * - `terminated[k] = 1`: the episode ended for real; no bootstrap: δ = r − V(s).
 * - `truncated[k] = 1`: cut off from outside; bootstrap with the value of the final observation,
 *   which is `values[k + numEnvs]` (the autoreset step that follows stores V(final obs)) or
 *   `lastValues[i]` at the end of the rollout: δ = r + γV(s_final) − V(s). The recursion stops.
 * - otherwise δ = r + γV(s') − V(s) and A = δ + γλA'.
 *
 * returns = advantages + values (the value-function targets).
 */
export function computeGae(args: {
  numSteps: number;
  numEnvs: number;
  gamma: number;
  lambda: number;
  rewards: ArrayLike<number>;
  values: ArrayLike<number>;
  terminated: ArrayLike<number>;
  truncated: ArrayLike<number>;
  valid: ArrayLike<number>;
  /** V of the observation after the last step, per env. */
  lastValues: ArrayLike<number>;
  advantages: Float64Array;
  returns: Float64Array;
}): void {
  const { numSteps, numEnvs, gamma, lambda, rewards, values, terminated, truncated, valid, lastValues, advantages, returns } = args;
  for (let i = 0; i < numEnvs; i++) {
    let lastGae = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const k = t * numEnvs + i;
      if (valid[k] === 0) {
        advantages[k] = 0;
        returns[k] = values[k];
        lastGae = 0;
        continue;
      }
      const nextValue = t === numSteps - 1 ? lastValues[i] : values[k + numEnvs];
      let delta: number;
      if (terminated[k] !== 0) {
        delta = rewards[k] - values[k];
        lastGae = delta;
      } else if (truncated[k] !== 0) {
        delta = rewards[k] + gamma * nextValue - values[k];
        lastGae = delta;
      } else {
        delta = rewards[k] + gamma * nextValue - values[k];
        lastGae = delta + gamma * lambda * lastGae;
      }
      advantages[k] = lastGae;
      returns[k] = lastGae + values[k];
    }
  }
}
