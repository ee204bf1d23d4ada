export { ExecutionTaskEnv, DISCRETE_ACTIONS, RESIDUAL_DISCRETE_ACTIONS, passiveTwapSize, type ExecutionAction, type ExecutionResetOptions } from './task.ts';
export { ExecutionEnv } from './env.ts';
export { SimulatedMarketSource } from './simulated.ts';
export type { ExecutionMarket, MarketPlan, MarketSource } from './market.ts';
export type { TaskInfo, ExecutionInfo, ExecutionResetInfo, Fill } from './info.ts';
export {
  TaskOptionsSchema,
  ExecutionOptionsSchema,
  parseExecutionOptions,
  parseTaskOptions,
  type TaskOptions,
  type ExecutionOptions,
  type ExecutionOptionsInput,
} from './options.ts';
export { FEATURES, FEATURE_LOW, FEATURE_HIGH, SPREAD_MAX_TICKS, MID_MOVE_MAX_BPS, DEPTH_MAX_RATIO, VOL_MAX_BPS } from './features.ts';
