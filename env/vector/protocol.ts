/**
 * The protocol between WorkerVectorEnv (main thread) and its workers (./worker.ts).
 *
 * Start-up uses ordinary messages on the worker's parentPort: `init` (build the envs) answered by
 * `ready` or `error`, then `attach` (shared buffers + a private MessagePort), after which the
 * worker serves commands in a blocking loop and never returns to its event loop until `close`.
 *
 * Commands then go through one shared Int32Array, the control block (no message, no clone):
 *
 *   [PENDING]                  workers still busy with the current command; the last worker to
 *                              finish brings it to 0 and notifies the main thread (one wake-up
 *                              per batch, whatever the number of workers).
 *   [slotBase(w) + DOORBELL]   incremented by the main thread to start a command on worker w
 *                              (the worker sleeps in Atomics.wait on it).
 *   [slotBase(w) + OP]         the command: OP_STEP, OP_RESET or OP_CLOSE.
 *   [slotBase(w) + REPLY]      1 when the worker posted a reply (infos or its error) on its
 *                              private port for this command.
 *
 * Actions, observations, rewards and flags live in SharedArrayBuffers written in place (each
 * worker owns its rows). Atomics order the plain writes: the main thread writes actions before
 * ringing a doorbell, a worker writes its rows before decrementing PENDING.
 *
 * Rare payloads go on the private MessagePort and are read synchronously with
 * `receiveMessageOnPort` (nobody listens on those ports): a reset's seed and options; a worker's
 * error; infos (see InfoMode).
 */
import type { Info } from '../core.ts';

/**
 * Which per-env infos a worker vector env returns from `step`:
 * - 'all': every env's full info every step, exactly as SyncVectorEnv (each one structured-cloned
 *   from its worker: the slowest mode);
 * - 'final' (the default): the full info of the step on which an env's episode ended (terminated
 *   or truncated: what trainers read, e.g. `isBps`), `{}` on other steps;
 * - 'none': `{}` every step.
 * In 'final' and 'none' an autoreset step's info is `{ autoreset: true }`. `reset()` returns the
 * full reset infos in 'all' and 'final', `{}` in 'none'.
 */
export type InfoMode = 'all' | 'final' | 'none';

export const PENDING = 0;
export const DOORBELL = 0;
export const OP = 1;
export const REPLY = 2;
const SLOT_WORDS = 3;

export const OP_STEP = 1;
export const OP_RESET = 2;
export const OP_CLOSE = 3;

/** Index of worker w's first word in the control block. */
export function slotBase(w: number): number {
  return 1 + w * SLOT_WORDS;
}

/** Int32 words in the control block of `numWorkers` workers. */
export function controlWords(numWorkers: number): number {
  return slotBase(numWorkers);
}

export interface InitMessage {
  type: 'init';
  id: string;
  options: Record<string, unknown>;
  /** Absolute module URLs imported before building envs (custom registrations). */
  modules: string[];
  firstIndex: number;
  count: number;
}

/** Shared buffers (whole batch; the worker writes its own rows) and the worker's private port. */
export interface AttachMessage {
  type: 'attach';
  slot: number;
  control: SharedArrayBuffer;
  actions: SharedArrayBuffer;
  observations: SharedArrayBuffer;
  rewards: SharedArrayBuffer;
  terminated: SharedArrayBuffer;
  truncated: SharedArrayBuffer;
  infoMode: InfoMode;
  /** A MessagePort (transferred). */
  port: unknown;
}

export type ToWorker = InitMessage | AttachMessage;

export type FromWorker =
  | { type: 'ready'; observationSpace: Record<string, unknown>; actionSpace: Record<string, unknown>; obsDim: number; actionDim: number }
  | { type: 'error'; name: string; message: string };

/** Payload of OP_RESET, posted on the worker's private port before the doorbell. */
export interface ResetPayload {
  seed: number | undefined;
  options: Record<string, unknown> | undefined;
}

/**
 * A worker's reply on its private port (REPLY = 1): the infos of its slice, as pairs of
 * (index within the slice, info); in 'all' mode and after a reset, every env of the slice.
 */
export type InfoReply = { kind: 'infos'; index: number[]; infos: Info[] } | { kind: 'error'; name: string; message: string };
