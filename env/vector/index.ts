export type { AutoresetMode, VectorEnv, VectorStepResult } from './types.ts';
export { SyncVectorEnv } from './sync.ts';
export { WorkerVectorEnv, tsxWorkerBootstrap, type WorkerVectorEnvOptions, type InfoMode } from './worker-env.ts';
export { EnvBatch, ActionReader, actionDimOf } from './batch.ts';
