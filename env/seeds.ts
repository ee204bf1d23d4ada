/**
 * Seed ranges: training and evaluation episodes never share a seed, by construction. The one
 * place these ranges are declared: trainers (agents/) and the evaluation harness (experiments/)
 * both read them here.
 *
 *   training seeds    [0, 1e9)      every episode a learner trains on
 *   evaluation seeds  [1e9, 2e9)    every episode a policy is scored on
 *
 * Training code derives its episode seeds with `trainingEpisodeSeed(runSeed, episode)` (a hash of
 * the run seed and the episode index, reduced into the training range); evaluation uses the
 * consecutive list `evaluationSeeds(count, offset)` = 1e9 + offset, 1e9 + offset + 1, … so every
 * policy in a comparison sees the same markets (common random numbers) and a report names its
 * seeds by (count, offset) alone.
 */
import { deriveSeed } from '../simulator/random/index.ts';

/** First training seed (inclusive). */
export const TRAINING_SEED_MIN = 0;
/** End of the training range (exclusive). */
export const TRAINING_SEED_END = 1_000_000_000;
/** First evaluation seed (inclusive). */
export const EVALUATION_SEED_MIN = 1_000_000_000;
/** End of the evaluation range (exclusive). */
export const EVALUATION_SEED_END = 2_000_000_000;

/** Bad seed-range arguments; the message names the value and the allowed range. */
export class SeedRangeError extends Error {
  override name = 'SeedRangeError';
}

export function isTrainingSeed(seed: number): boolean {
  return Number.isInteger(seed) && seed >= TRAINING_SEED_MIN && seed < TRAINING_SEED_END;
}

export function isEvaluationSeed(seed: number): boolean {
  return Number.isInteger(seed) && seed >= EVALUATION_SEED_MIN && seed < EVALUATION_SEED_END;
}

/** Throws SeedRangeError unless `seed` is an evaluation seed (for harnesses that take seed lists). */
export function assertEvaluationSeed(seed: number): void {
  if (!isEvaluationSeed(seed)) {
    throw new SeedRangeError(`evaluation seeds must be integers in [${EVALUATION_SEED_MIN}, ${EVALUATION_SEED_END}), got ${String(seed)}`);
  }
}

/** Throws SeedRangeError unless `seed` is a training seed. */
export function assertTrainingSeed(seed: number): void {
  if (!isTrainingSeed(seed)) {
    throw new SeedRangeError(`training seeds must be integers in [${TRAINING_SEED_MIN}, ${TRAINING_SEED_END}), got ${String(seed)}`);
  }
}

/** `count` consecutive evaluation seeds starting at EVALUATION_SEED_MIN + offset. */
export function evaluationSeeds(count: number, offset = 0): number[] {
  if (!Number.isInteger(count) || count < 1) throw new SeedRangeError(`count must be an integer >= 1, got ${String(count)}`);
  if (!Number.isInteger(offset) || offset < 0 || EVALUATION_SEED_MIN + offset + count > EVALUATION_SEED_END) {
    throw new SeedRangeError(
      `offset must be an integer >= 0 with offset + count <= ${EVALUATION_SEED_END - EVALUATION_SEED_MIN}, got offset=${String(offset)}, count=${count}`,
    );
  }
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = EVALUATION_SEED_MIN + offset + i;
  return out;
}

/**
 * The seed of training episode `episode` of a run seeded `runSeed`: deriveSeed(runSeed, episode)
 * reduced into [0, 1e9). Any integer runSeed >= 0 is fine; the result is always a training seed.
 */
export function trainingEpisodeSeed(runSeed: number, episode: number): number {
  if (!Number.isInteger(episode) || episode < 0) throw new SeedRangeError(`episode must be an integer >= 0, got ${String(episode)}`);
  return deriveSeed(runSeed, `train/${episode}`) % TRAINING_SEED_END;
}
