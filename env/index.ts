/** The Gymnasium-compatible API: envs, spaces, wrappers, the checker, the registry and vector envs. */
export { type Env, type Info, type ResetArgs, type ResetResult, type StepResult, EnvError } from './core.ts';
export * from './spaces/index.ts';
export * from './wrappers/index.ts';
export { checkEnv, EnvCheckError, deepEqual, badActions, type CheckEnvOptions, type CheckEnvReport } from './checker.ts';
export { make, register, listEnvs, envDescription, type GymEnv, type EnvFactory } from './registry.ts';
export * from './vector/index.ts';
export * from './ac/index.ts';
export * from './execution/index.ts';
export * from './replay/index.ts';
export {
  benchmarkEnv,
  benchmarkVector,
  benchmarkVectorScaling,
  twapAction,
  type EnvBenchmarkOptions,
  type EnvBenchmarkResult,
  type VectorBenchmarkOptions,
  type VectorBenchmarkResult,
  type VectorScalingOptions,
  type VectorScalingResult,
} from './benchmark.ts';
export { parseOptions } from './options.ts';
export {
  TRAINING_SEED_MIN,
  TRAINING_SEED_END,
  EVALUATION_SEED_MIN,
  EVALUATION_SEED_END,
  SeedRangeError,
  isTrainingSeed,
  isEvaluationSeed,
  assertEvaluationSeed,
  assertTrainingSeed,
  evaluationSeeds,
  trainingEpisodeSeed,
} from './seeds.ts';
