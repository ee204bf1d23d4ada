/**
 * PPO (clipped surrogate, GAE, CleanRL-style) on TensorFlow.js. The algorithm module interface
 * (agents/common/train-api.ts): `train(options, hooks)` and `loadPolicy(source, options)`.
 *
 * config.ts (hyperparameters, tuned presets), agent.ts (networks and the update), checkpoint.ts
 * (PPO's state in the shared checkpoint format) and policy.ts (the trained policy) need no Node;
 * train.ts (the training loop, loadPolicy from a directory) does.
 */
export { train, loadPolicy, envSeed } from './train.ts';
export type { IterationStats } from './train.ts';
export { PpoConfigSchema, parsePpoConfig, PpoConfigError, PPO_PRESETS, ppoPreset } from './config.ts';
export type { PpoConfig, PpoConfigInput } from './config.ts';
export { ActorCritic, PpoError, PpoMinibatch, parseActionSpace, ppoUpdate } from './agent.ts';
export type { ActionSpec, PpoState, PpoLosses } from './agent.ts';
export { PPO_KIND, encodePpo, decodePpo, ppoAgent, restorePpo } from './checkpoint.ts';
export type { PpoCheckpoint, PpoSavedState } from './checkpoint.ts';
export { PpoPolicy } from './policy.ts';
