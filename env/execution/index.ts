export { ExecutionEnv, DISCRETE_ACTIONS, type Fill } from './env.ts';
export { ExecutionOptionsSchema, parseExecutionOptions, type ExecutionOptions, type ExecutionOptionsInput } from './options.ts';
export { FEATURES, FEATURE_LOW, FEATURE_HIGH, SPREAD_MAX_TICKS, MID_MOVE_MAX_BPS, DEPTH_MAX_RATIO, VOL_MAX_BPS } from './features.ts';
