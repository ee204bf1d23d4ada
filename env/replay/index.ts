export { ReplayDriver, ReplayDriverError, ReplayTape, REPLAY_OUTSIDE_OWNER_MIN } from './driver.ts';
export type { ReplayDriverOptions } from './driver.ts';
export { ReplayExecutionEnv, REPLAY_FEATURES, REPLAY_AGENT_OWNER } from './env.ts';
export type { ReplayEnvOptions } from './env.ts';
