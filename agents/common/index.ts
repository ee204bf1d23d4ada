/**
 * Machinery shared by the learning agents: GAE, the rollout and replay buffers, running
 * statistics, reward scaling, schedules, Polyak averaging, explained variance, preset lookup, the
 * training API and the checkpoint format.
 *
 * Everything exported here is pure (no Node APIs), so it bundles for the browser. Checkpoints on
 * disk (directories, atomic writes, the latest-checkpoint resolver, clean-up after a crash) are
 * Node-only and live in checkpoint-fs.ts, which callers import by its own path.
 */
export { computeGae } from './gae.ts';
export { RolloutBuffer } from './rollout-buffer.ts';
export { ReplayBuffer, ReplayError } from './replay-buffer.ts';
export type { ReplayBatch } from './replay-buffer.ts';
export { RewardScaler, RewardScalerError } from './reward-scaler.ts';
export type { RewardScalerState } from './reward-scaler.ts';
// The one RunningMeanStd (env/wrappers uses it too), imported from its own file: env/wrappers'
// index also pulls in file IO.
export { RunningMeanStd, RunningMeanStdError } from '../../env/wrappers/running-mean-std.ts';
export type { RunningMeanStdJSON } from '../../env/wrappers/running-mean-std.ts';
export { linearSchedule } from './schedule.ts';
export { polyakUpdate } from './polyak.ts';
export { explainedVariance } from './explained-variance.ts';
export { presetFor } from './presets.ts';
export { RunInfoSchema, TrainOptionsError, checkTrainOptions, runInfo } from './train-api.ts';
export type { TrainOptions, TrainHooks, TrainProgress, TrainResult, LoadPolicyOptions, RunInfo } from './train-api.ts';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CHECKPOINT_FILES,
  ALL_CHECKPOINT_FILES,
  MANIFEST_FILE,
  WEIGHTS_FILE,
  STATE_FILE,
  CONFIG_FILE,
  SUMS_FILE,
  CheckpointError,
  encodeCheckpoint,
  decodeCheckpoint,
  checkTensors,
  checkKind,
  parseCheckpointPart,
  sha256Hex,
} from './checkpoint.ts';
export type { Checkpoint, CheckpointTensor, CheckpointFiles, CheckpointExpectation } from './checkpoint.ts';
