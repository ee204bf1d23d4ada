/** Machinery shared by the learning agents: GAE, the rollout buffer, reward scaling, schedules, the training API. */
export { computeGae } from './gae.ts';
export { RolloutBuffer } from './rollout-buffer.ts';
export { RewardScaler, RewardScalerError } from './reward-scaler.ts';
export type { RewardScalerState } from './reward-scaler.ts';
export { RunningMeanStd } from './running-mean-std.ts';
export { linearSchedule } from './schedule.ts';
export type { TrainOptions, TrainHooks, TrainProgress, TrainResult, LoadPolicyOptions } from './train-api.ts';
