/**
 * ONNX Runtime (onnxruntime-node, CPU) behind a synchronous `run`, because `Policy.act` is
 * synchronous. onnxruntime-node's public `InferenceSession.run` returns a Promise, but only wraps
 * its native binding's `run`, which is synchronous, in a `setImmediate`; we create the binding's
 * session directly (`dist/binding.js`, the same calls onnxruntime-node's own backend.js makes:
 * `initOrt()`, `new binding.InferenceSession()`, `await loadModel(bytes, offset, length, options)`,
 * `run(feeds, fetches, runOptions)`). The package version is pinned (~1.31) and a test runs a model
 * through it, so a change of that internal surface fails the tests, not a user's evaluation.
 *
 * One intra-op and one inter-op thread: evaluation already runs one worker thread per core, and a
 * small MLP gains nothing from more. Node only (a native addon), loaded on first use.
 */
import { createRequire } from 'node:module';
import { OnnxError } from './proto.ts';

/** The onnxruntime-common Tensor as far as we use it. */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: Float32Array | Float64Array | BigInt64Array | Int32Array | ArrayLike<number | bigint>;
}

type TensorCtor = new (type: string, data: Float32Array | Float64Array, dims: readonly number[]) => OrtTensor;

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: Record<string, unknown>): Promise<void> | void;
  readonly inputMetadata: { name: string }[];
  readonly outputMetadata: { name: string }[];
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, OrtTensor>;
  dispose(): void;
}

interface Ort {
  Tensor: TensorCtor;
  env: { logLevel?: string };
  binding: { InferenceSession: new () => NativeSession };
  initOrt: () => void;
  version: string;
}

let ort: Ort | undefined;

/** onnxruntime-node, loaded once. @throws OnnxError when it is not installed or its binding is not what we expect. */
export function onnxRuntime(): Ort {
  if (ort !== undefined) return ort;
  const require = createRequire(import.meta.url);
  let pub: { Tensor: TensorCtor; env: { logLevel?: string; versions?: Record<string, string> } };
  let bind: { binding: Ort['binding']; initOrt: () => void };
  let version = 'unknown';
  try {
    pub = require('onnxruntime-node');
    bind = require('onnxruntime-node/dist/binding.js');
    version = (require('onnxruntime-node/package.json') as { version: string }).version;
  } catch (err) {
    throw new OnnxError(`ONNX Runtime (onnxruntime-node) cannot be loaded: ${(err as Error).message.split('\n')[0]}. It is a dependency of execution-gym: run npm ci.`);
  }
  if (typeof bind.initOrt !== 'function' || typeof bind.binding?.InferenceSession !== 'function' || typeof pub.Tensor !== 'function') {
    throw new OnnxError(`onnxruntime-node ${version} does not expose the binding this project uses (dist/binding.js: initOrt, binding.InferenceSession); install the version in package-lock.json`);
  }
  // Errors only: ONNX Runtime's warnings go to stderr directly, past our quiet-library rule.
  pub.env.logLevel = 'error';
  bind.initOrt();
  ort = { Tensor: pub.Tensor, env: pub.env, binding: bind.binding, initOrt: bind.initOrt, version };
  return ort;
}

/** A loaded model with a synchronous run. */
export class OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly session: NativeSession;
  private readonly Tensor: TensorCtor;
  private disposed = false;

  private constructor(session: NativeSession, Tensor: TensorCtor) {
    this.session = session;
    this.Tensor = Tensor;
    this.inputNames = session.inputMetadata.map((m) => m.name);
    this.outputNames = session.outputMetadata.map((m) => m.name);
  }

  /**
   * Loads ONNX bytes into ONNX Runtime (CPU, one thread). `where` names the model in errors.
   * @throws OnnxError when ONNX Runtime refuses the model (its message is kept).
   */
  static async create(bytes: Uint8Array, where: string): Promise<OrtSession> {
    const rt = onnxRuntime();
    const session = new rt.binding.InferenceSession();
    try {
      await session.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
        executionProviders: ['cpu'],
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (err) {
      throw new OnnxError(`${where}: ONNX Runtime cannot load the model: ${(err as Error).message}`);
    }
    return new OrtSession(session, rt.Tensor);
  }

  /** A float32 or float64 tensor over `data` (no copy) with `dims`. */
  tensor(data: Float32Array | Float64Array, dims: readonly number[]): OrtTensor {
    return new this.Tensor(data instanceof Float64Array ? 'float64' : 'float32', data, dims);
  }

  /** Runs the model synchronously; returns the requested outputs. */
  run(feeds: Record<string, OrtTensor>, outputs: readonly string[]): Record<string, OrtTensor> {
    if (this.disposed) throw new OnnxError('the ONNX Runtime session was disposed');
    const fetches: Record<string, null> = {};
    for (const o of outputs) fetches[o] = null;
    return this.session.run(feeds, fetches, {});
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.session.dispose();
  }
}
