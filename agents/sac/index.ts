/**
 * Soft Actor-Critic for Box actions: twin Q networks with Polyak-averaged targets, a tanh-squashed
 * Gaussian policy, automatic entropy tuning, a typed-array replay buffer that bootstraps through
 * time-limit truncations, checkpoints in the shared format, and a `Policy` for evaluation.
 */
export { SacConfigSchema, SacConfigError, parseSacConfig, resolvedTargetEntropy } from './config.ts';
export type { SacConfig, SacConfigInput } from './config.ts';
export { ReplayBuffer, ReplayError } from './replay.ts';
export type { ReplayBatch } from './replay.ts';
export { SacAgent, SacError, polyakUpdate, squashedGaussianSample } from './sac.ts';
export type { SacShapes, SacLosses } from './sac.ts';
export { train, trainSac, envSeed } from './train.ts';
export type { SacTrainOptions, SacTrainResult } from './train.ts';
export { saveSac, loadSac, SAC_KIND } from './checkpoint.ts';
export type { SacState, SacRunInfo, LoadedSac } from './checkpoint.ts';
export { SacPolicy, loadPolicy, loadSacPolicy } from './policy.ts';
export { resolveCheckpointDir, checkpointDirFor, CHECKPOINTS_SUBDIR } from './paths.ts';
export { ensureGradients } from './gradients.ts';
export { SAC_PRESETS, sacPreset } from './presets.ts';
