export { type EpisodeRecord, type RunEpisodeOptions, EvaluationError, runEpisode } from './episode.ts';
export { RECORD_COLUMNS, recordsToCsv, recordsToJsonl, writeRecords } from './records.ts';
export { type EpisodeBatch, runBatch, makeEnvForPolicy, importModules } from './run.ts';
export { type EvaluateOptions, evaluate } from './evaluate.ts';
export { type PairedComparison, type PolicySummary, type SummaryOptions, summarize, pairBySeed, formatSummaryTable } from './summary.ts';
export {
  TRAINING_SEED_MIN,
  TRAINING_SEED_END,
  EVALUATION_SEED_MIN,
  EVALUATION_SEED_END,
  SeedRangeError,
  isTrainingSeed,
  isEvaluationSeed,
  assertTrainingSeed,
  assertEvaluationSeed,
  evaluationSeeds,
  trainingEpisodeSeed,
} from '../../env/seeds.ts';
export { EvaluationPool } from './pool.ts';
export { type CrossSeedOptions, crossSeedRow, formatCrossSeedTable } from './cross-seed.ts';
