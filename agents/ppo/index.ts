/**
 * PPO (clipped surrogate, GAE, CleanRL-style) on TensorFlow.js. The algorithm module interface
 * (agents/common/train-api.ts): `train(options, hooks)` and `loadPolicy(path, options)`.
 */
export { train, envSeed } from './ppo.ts';
export type { PpoState, IterationStats } from './ppo.ts';
export { PpoConfigSchema, parsePpoConfig, PpoConfigError } from './config.ts';
export type { PpoConfig } from './config.ts';
export { ActorCritic, PpoError, parseActionSpace } from './agent.ts';
export type { ActionSpec } from './agent.ts';
export { PpoPolicy, loadPolicy } from './policy.ts';
export { PPO_KIND, resolveCheckpointDir, loadRunCheckpoint, checkpointDirFor } from './io.ts';
