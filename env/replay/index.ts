export { ReplayExecutionEnv, ReplayMarketSource, ReplayOptionsSchema, REPLAY_ENV_ID, type ReplayOptions, type ReplayOptionsInput } from './env.ts';
