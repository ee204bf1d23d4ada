/**
 * Soft Actor-Critic for Box actions: twin Q networks with Polyak-averaged targets, a tanh-squashed
 * Gaussian policy, automatic entropy tuning, a replay buffer that bootstraps through time-limit
 * truncations (agents/common), checkpoints in the shared format, and a `Policy` for evaluation.
 * The algorithm module interface (agents/common/train-api.ts): `train(options, hooks)` and
 * `loadPolicy(source, options)`.
 *
 * config.ts (hyperparameters, tuned presets), agent.ts (networks and the update), checkpoint.ts
 * (SAC's state in the shared checkpoint format) and policy.ts (the trained policy) need no Node;
 * loop.ts (the training loop) neither; train.ts (the run directory, loadPolicy from one) does.
 */
export { train, trainSac, loadPolicy, envSeed } from './train.ts';
export { runSac, type SacLoopArgs } from './loop.ts';
export type { SacTrainOptions, SacTrainResult } from './train.ts';
export { SacConfigSchema, SacConfigError, parseSacConfig, resolvedTargetEntropy, SAC_PRESETS, sacPreset } from './config.ts';
export type { SacConfig, SacConfigInput } from './config.ts';
export { SacAgent, SacError, squashedGaussianSample } from './agent.ts';
export type { SacShapes, SacLosses } from './agent.ts';
export { SAC_KIND, encodeSac, decodeSac, sacAgent, sacReplay, checkSacShapes } from './checkpoint.ts';
export type { SacCheckpoint, SacSavedState, SacCounters } from './checkpoint.ts';
export { SacPolicy } from './policy.ts';
