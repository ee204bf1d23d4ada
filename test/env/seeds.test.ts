import { describe, expect, it } from 'vitest';
import {
  assertEvaluationSeed,
  evaluationSeeds,
  isEvaluationSeed,
  isTrainingSeed,
  SeedRangeError,
  trainingEpisodeSeed,
} from '../../env/seeds.ts';

describe('seed ranges', () => {
  it('training and evaluation ranges are disjoint', () => {
    for (const s of [0, 1, 999_999_999, 1e9, 1_500_000_000, 1_999_999_999, 2e9]) {
      expect(isTrainingSeed(s) && isEvaluationSeed(s)).toBe(false);
    }
    expect(isTrainingSeed(999_999_999)).toBe(true);
    expect(isEvaluationSeed(1e9)).toBe(true);
    expect(isEvaluationSeed(2e9)).toBe(false);
  });

  it('evaluation seeds are consecutive from 1e9 + offset, all in the evaluation range', () => {
    expect(evaluationSeeds(3)).toEqual([1e9, 1e9 + 1, 1e9 + 2]);
    expect(evaluationSeeds(2, 10)).toEqual([1e9 + 10, 1e9 + 11]);
    expect(() => evaluationSeeds(0)).toThrow(SeedRangeError);
    expect(() => evaluationSeeds(2, 1e9 - 1)).toThrow(/offset \+ count/);
    expect(() => assertEvaluationSeed(5)).toThrow(/\[1000000000, 2000000000\), got 5/);
  });

  it('training episode seeds are deterministic, distinct and always in the training range', () => {
    const seen = new Set<number>();
    for (const run of [0, 1, 1e9 + 5, 2 ** 52]) {
      for (let e = 0; e < 200; e++) {
        const s = trainingEpisodeSeed(run, e);
        expect(isTrainingSeed(s)).toBe(true);
        expect(trainingEpisodeSeed(run, e)).toBe(s);
        seen.add(s);
      }
    }
    expect(seen.size).toBe(800);
    expect(() => trainingEpisodeSeed(0, -1)).toThrow(/episode/);
  });
});
