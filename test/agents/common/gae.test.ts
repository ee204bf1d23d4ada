import { describe, expect, it } from 'vitest';
import { computeGae, RolloutBuffer, linearSchedule } from '../../../agents/common/index.ts';

describe('GAE(λ)', () => {
  // γ = 0.9, λ = 0.8 (γλ = 0.72); values hand-computed in the comments.
  // env 0: t0 normal, t1 truncated (bootstrap V(final obs) = 7, stored at the autoreset step t2),
  //        t2 autoreset (not a transition), t3 normal, t4 terminated.
  // env 1: no episode end; bootstrap from lastValues = 10.
  const numSteps = 5;
  const numEnvs = 2;
  const interleave = (a: number[], b: number[]): number[] => a.flatMap((x, t) => [x, b[t]]);
  const rewards = interleave([1, 2, 0, 3, 4], [1, 1, 1, 1, 1]);
  const values = interleave([0.5, 1.0, 7.0, 0.2, 0.3], [0, 0, 0, 0, 0]);
  const terminated = interleave([0, 0, 0, 0, 1], [0, 0, 0, 0, 0]);
  const truncated = interleave([0, 1, 0, 0, 0], [0, 0, 0, 0, 0]);
  const valid = interleave([1, 1, 0, 1, 1], [1, 1, 1, 1, 1]);
  const expected0 = [
    1 + 0.9 * 1.0 - 0.5 + 0.72 * 7.3, // t0: δ = 1.4, then + γλ·A1 = 6.656
    2 + 0.9 * 7.0 - 1.0, // t1: truncated, bootstrap on V(final) = 7: 7.3, recursion stops
    0, // t2: autoreset step
    3 + 0.9 * 0.3 - 0.2 + 0.72 * 3.7, // t3: 3.07 + 0.72·3.7 = 5.734
    4 - 0.3, // t4: terminated: 3.7
  ];
  const expected1 = [5.2990336, 5.97088, 6.904, 8.2, 10];

  it('matches hand-computed advantages with truncation bootstrap, termination and autoreset steps', () => {
    const advantages = new Float64Array(numSteps * numEnvs);
    const returns = new Float64Array(numSteps * numEnvs);
    computeGae({ numSteps, numEnvs, gamma: 0.9, lambda: 0.8, rewards, values, terminated, truncated, valid, lastValues: [99, 10], advantages, returns });
    expect(expected0[0]).toBeCloseTo(6.656, 12);
    expect(expected0[3]).toBeCloseTo(5.734, 12);
    for (let t = 0; t < numSteps; t++) {
      expect(advantages[t * 2]).toBeCloseTo(expected0[t], 12);
      expect(advantages[t * 2 + 1]).toBeCloseTo(expected1[t], 12);
      expect(returns[t * 2 + 1]).toBeCloseTo(expected1[t] + values[t * 2 + 1], 12);
    }
    expect(returns[2]).toBeCloseTo(7.3 + 1.0, 12);
  });

  it('λ = 1, γ = 1 gives Monte-Carlo returns minus values', () => {
    const advantages = new Float64Array(3);
    const returns = new Float64Array(3);
    computeGae({
      numSteps: 3,
      numEnvs: 1,
      gamma: 1,
      lambda: 1,
      rewards: [1, 2, 3],
      values: [5, 6, 7],
      terminated: [0, 0, 1],
      truncated: [0, 0, 0],
      valid: [1, 1, 1],
      lastValues: [100],
      advantages,
      returns,
    });
    expect(Array.from(returns)).toEqual([6, 5, 3]);
    expect(Array.from(advantages)).toEqual([1, -1, -4]);
  });

  it('the rollout buffer computes the same and lists only valid rows', () => {
    const buf = new RolloutBuffer(numSteps, numEnvs, 1, 1);
    buf.rewards.set(rewards);
    buf.values.set(values);
    buf.terminated.set(terminated);
    buf.truncated.set(truncated);
    buf.valid.set(valid);
    buf.computeReturnsAndAdvantages([99, 10], 0.9, 0.8);
    expect(buf.advantages[6]).toBeCloseTo(expected0[3], 12);
    expect(Array.from(buf.validIndices())).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(() => new RolloutBuffer(0, 1, 1, 1)).toThrow(/numSteps must be a positive integer, got 0/);
  });
});

describe('linearSchedule', () => {
  it('interpolates and clamps', () => {
    expect(linearSchedule(3e-4, 0, 0)).toBe(3e-4);
    expect(linearSchedule(3e-4, 0, 0.5)).toBeCloseTo(1.5e-4, 15);
    expect(linearSchedule(3e-4, 0, 2)).toBe(0);
    expect(linearSchedule(1, 3, -1)).toBe(1);
  });
});
