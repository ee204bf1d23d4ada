/** Messages between WorkerVectorEnv (main thread) and its workers (./worker.ts). */
import type { Info } from '../core.ts';

export interface InitMessage {
  type: 'init';
  id: string;
  options: Record<string, unknown>;
  /** Absolute module URLs imported before building envs (custom registrations). */
  modules: string[];
  firstIndex: number;
  count: number;
}

/** Shared batch buffers (whole batch; the worker writes its own rows). */
export interface BuffersMessage {
  type: 'buffers';
  actions: SharedArrayBuffer;
  observations: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  terminated: SharedArrayBuffer;
  truncated: SharedArrayBuffer;
  sendInfos: boolean;
}

export interface ResetMessage {
  type: 'reset';
  seed: number | undefined;
  options: Record<string, unknown> | undefined;
}

export type ToWorker = InitMessage | BuffersMessage | ResetMessage | { type: 'step' } | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; observationSpace: Record<string, unknown>; actionSpace: Record<string, unknown>; obsDim: number; actionDim: number }
  | { type: 'done'; infos: Info[] | null }
  | { type: 'error'; name: string; message: string };
