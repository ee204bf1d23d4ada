/**
 * Any ONNX model that follows the observation/action contract (contract.ts,
 * docs/policy-contract.md) as a `Policy` and `BatchPolicy`, run by ONNX Runtime on the CPU.
 *
 *   const policy = await OnnxPolicy.load('policy.onnx');
 *   policy.bind(env.observationSpace, env.actionSpace, 'Liquidate-v0'); // checks shapes, or the first reset does
 *   const action = policy.act(observation);
 *
 * Observations (float64 from the env) are fed as float32 (or float64 when the model's input is);
 * Box actions come back as float64, clipped into the Box bounds (Gymnasium's ClipAction: the
 * contract lets a model output raw means), discrete ones as numbers. A non-finite action or an
 * index outside the space is an `OnnxError` naming the value. The model's
 * `execution_gym.action_mode` metadata, when present, becomes the policy's `actionMode`, so the
 * evaluation harness builds the env in that mode.
 *
 * Node only (onnxruntime-node is a native addon).
 */
import { readFileSync } from 'node:fs';
import type { Info } from '../../env/core.ts';
import type { Space } from '../../env/spaces/space.ts';
import { interfaceOptions, type ActionMode, type BatchPolicy, type EpisodeContext, type Policy } from '../policy.ts';
import { META, actionShapeFromJson, checkSignature, describeShape, graphInputs, type ActionShape, type Signature } from './contract.ts';
import { DataType, OnnxError, decodeModel, type Model } from './proto.ts';
import { OrtSession } from './runtime.ts';

export interface OnnxPolicyOptions {
  /** The policy's name in records (default: the path as given, or 'onnx' for bytes). */
  name?: string;
}

const MODES: readonly string[] = ['market', 'limit', 'discrete'];

export class OnnxPolicy implements Policy<Float64Array, Float64Array | number>, BatchPolicy {
  readonly name: string;
  /** Where the model came from (for messages). */
  readonly where: string;
  /** The model's `metadata_props`. */
  readonly metadata: Readonly<Record<string, string>>;
  readonly actionMode?: ActionMode;
  /** The env the model says it was made for (`execution_gym.env_id`), if any. */
  readonly envId?: string;
  /**
   * The interface options of the run it was exported from (`execution_gym.env_options`, restricted
   * to INTERFACE_OPTION_KEYS: action mode, features, ...), which a harness applies; none for a model
   * without them (or with metadata that is not a JSON object).
   */
  readonly envOptions?: Record<string, unknown>;
  /** The decoded model, without its weights (shapes, names, metadata). */
  readonly model: Model;
  private readonly session: OrtSession;
  private sig: Signature | null = null;
  private action: ActionShape | null = null;
  private obsDim = 0;
  private pendingActionSpace: Space<unknown> | null = null;
  private one: Float32Array | Float64Array = new Float32Array(0);

  private constructor(model: Model, session: OrtSession, where: string, name: string) {
    this.model = model;
    this.session = session;
    this.where = where;
    this.name = name;
    this.metadata = model.metadata;
    const mode = model.metadata[META.actionMode];
    if (mode !== undefined && MODES.includes(mode)) this.actionMode = mode as ActionMode;
    const envId = model.metadata[META.envId];
    if (envId !== undefined) this.envId = envId;
    const options = model.metadata[META.envOptions];
    if (options !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(options);
      } catch {
        parsed = undefined;
      }
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) this.envOptions = interfaceOptions(parsed as Record<string, unknown>);
    }
  }

  /**
   * Reads and loads a model: a file path or the bytes. The bytes are decoded first, so a file that
   * is not ONNX or is cut short fails with an `OnnxError` saying so before ONNX Runtime sees it.
   * @throws OnnxError for an unreadable, non-ONNX or truncated file, or one ONNX Runtime refuses.
   */
  static async load(source: string | Uint8Array, options: OnnxPolicyOptions = {}): Promise<OnnxPolicy> {
    let bytes: Uint8Array;
    let where: string;
    if (typeof source === 'string') {
      where = source;
      try {
        bytes = readFileSync(source);
      } catch (err) {
        throw new OnnxError(`cannot read the ONNX model ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    } else {
      where = options.name ?? 'ONNX model';
      bytes = source;
    }
    let model: Model;
    try {
      model = decodeModel(bytes);
    } catch (err) {
      throw new OnnxError(`${where} (${bytes.length} bytes): ${(err as Error).message}`);
    }
    const session = await OrtSession.create(bytes, where);
    // Keep shapes and metadata, drop the weight bytes.
    const light: Model = { ...model, graph: { ...model.graph, initializers: model.graph.initializers.map((t) => ({ ...t, raw: new Uint8Array(0) })) } };
    const name = options.name ?? (typeof source === 'string' ? source : 'onnx');
    return new OnnxPolicy(light, session, where, name);
  }

  /** The model's input and outputs as "name [dims]" (for messages and `describe`). */
  describe(): string {
    const ins = graphInputs(this.model).map((i) => `${i.name} ${describeShape(i.shape)}`);
    const outs = this.model.graph.outputs.map((o) => `${o.name} ${describeShape(o.shape)}`);
    return `inputs ${ins.join(', ')}; outputs ${outs.join(', ')}`;
  }

  /**
   * Checks the model against an env's spaces and prepares to act in it. `env` names it in errors.
   * @throws OnnxError naming the expected and the found shapes when the model does not fit.
   */
  bind(observationSpace: Space<unknown> | { toJSON(): Record<string, unknown> }, actionSpace: Space<unknown> | { toJSON(): Record<string, unknown> }, env = 'the env'): void {
    const obs = observationSpace.toJSON();
    const shape = obs.shape;
    if (!Array.isArray(shape) || shape.length !== 1 || !Number.isInteger(shape[0])) {
      throw new OnnxError(`${this.where}: an ONNX policy needs a 1-D observation space; ${env} has ${JSON.stringify(obs).slice(0, 200)}`);
    }
    let action: ActionShape;
    try {
      action = actionShapeFromJson(actionSpace.toJSON());
    } catch (err) {
      throw new OnnxError(`${this.where}: ${env}: ${(err as Error).message}`);
    }
    this.bindShapes(shape[0] as number, action, env);
  }

  private bindShapes(obsDim: number, action: ActionShape, env: string): void {
    let sig: Signature;
    try {
      sig = checkSignature(this.model, obsDim, action, this.where, env);
    } catch (err) {
      const out = this.model.graph.outputs[0];
      const hint =
        action.kind === 'box' && out !== undefined && (out.elemType === DataType.INT64 || out.elemType === DataType.INT32)
          ? ` (an integer output is a discrete policy: give the env actionMode 'discrete', or put ${META.actionMode} = discrete in the model's metadata)`
          : '';
      throw new OnnxError(`${(err as Error).message}${hint}`);
    }
    this.sig = sig;
    this.action = action;
    this.obsDim = obsDim;
    this.one = sig.inputType === 'float64' ? new Float64Array(obsDim) : new Float32Array(obsDim);
  }

  reset(_info: Info, context?: EpisodeContext): void {
    if (this.sig === null && context?.actionSpace !== undefined) this.pendingActionSpace = context.actionSpace;
  }

  private ensureBound(obsDim: number): void {
    if (this.sig !== null) return;
    if (this.pendingActionSpace === null) throw new OnnxError(`${this.name}: call bind(observationSpace, actionSpace) or reset with the env's action space before act`);
    let action: ActionShape;
    try {
      action = actionShapeFromJson(this.pendingActionSpace.toJSON());
    } catch (err) {
      throw new OnnxError(`${this.where}: ${(err as Error).message}`);
    }
    this.bindShapes(obsDim, action, this.envId === undefined ? 'the env' : `the env (the model names ${this.envId})`);
  }

  act(observation: Float64Array): Float64Array | number {
    this.ensureBound(observation.length);
    if (observation.length !== this.obsDim) throw new OnnxError(`${this.name}: observation has ${observation.length} features, the model takes ${this.obsDim}`);
    const action = this.action as ActionShape;
    const out = new Float64Array(action.kind === 'box' ? action.dim : 1);
    this.one.set(observation);
    this.runRows(this.one, 1, out, 0);
    return action.kind === 'box' ? out : out[0];
  }

  actBatch(observations: Float64Array, numEnvs: number, out: Float64Array): void {
    if (!Number.isInteger(numEnvs) || numEnvs < 1) throw new OnnxError(`${this.name}.actBatch: numEnvs must be a positive integer, got ${numEnvs}`);
    this.ensureBound(observations.length / numEnvs);
    const a = this.action as ActionShape;
    const width = a.kind === 'box' ? a.dim : 1;
    if (observations.length !== numEnvs * this.obsDim || out.length < numEnvs * width) {
      throw new OnnxError(`${this.name}.actBatch: need ${numEnvs}×${this.obsDim} observations and ${numEnvs}×${width} outputs, got ${observations.length} and ${out.length}`);
    }
    const sig = this.sig as Signature;
    if (sig.fixedBatch === 1) {
      for (let i = 0; i < numEnvs; i++) {
        this.one.set(observations.subarray(i * this.obsDim, (i + 1) * this.obsDim));
        this.runRows(this.one, 1, out, i * width);
      }
      return;
    }
    const x = sig.inputType === 'float64' ? Float64Array.from(observations) : Float32Array.from(observations);
    this.runRows(x, numEnvs, out, 0);
  }

  /** Runs `n` rows of `x` and writes the env actions to out[offset..]. */
  private runRows(x: Float32Array | Float64Array, n: number, out: Float64Array, offset: number): void {
    const sig = this.sig as Signature;
    const a = this.action as ActionShape;
    const result = this.session.run({ [sig.input.name]: this.session.tensor(x, [n, this.obsDim]) }, [sig.output.name])[sig.output.name];
    const data = result.data;
    if (a.kind === 'box') {
      const A = a.dim;
      if (data.length !== n * A) throw new OnnxError(`${this.name}: output '${sig.output.name}' has ${data.length} values for ${n} observations, expected ${n * A} (dims [${result.dims.join(', ')}])`);
      for (let i = 0; i < n * A; i++) {
        const v = Number(data[i]);
        if (!Number.isFinite(v)) throw new OnnxError(`${this.name}: action ${Math.floor(i / A)}[${i % A}] is ${v}`);
        const d = i % A;
        out[offset + i] = v < a.low[d] ? a.low[d] : v > a.high[d] ? a.high[d] : v;
      }
      return;
    }
    if (sig.outputKind === 'index') {
      if (data.length !== n) throw new OnnxError(`${this.name}: output '${sig.output.name}' has ${data.length} values for ${n} observations (dims [${result.dims.join(', ')}])`);
      for (let i = 0; i < n; i++) {
        const k = Number(data[i]);
        if (!Number.isInteger(k) || k < a.start || k >= a.start + a.n) throw new OnnxError(`${this.name}: action ${k} is outside Discrete(${a.n}) (${a.start}…${a.start + a.n - 1})`);
        out[offset + i] = k;
      }
      return;
    }
    // Logits: the first largest (argmaxJs's rule), plus start.
    if (data.length !== n * a.n) throw new OnnxError(`${this.name}: output '${sig.output.name}' has ${data.length} values for ${n}×${a.n} logits`);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let k = 1; k < a.n; k++) if (Number(data[i * a.n + k]) > Number(data[i * a.n + best])) best = k;
      if (!Number.isFinite(Number(data[i * a.n + best]))) throw new OnnxError(`${this.name}: logits of observation ${i} are not finite`);
      out[offset + i] = a.start + best;
    }
  }

  dispose(): void {
    this.session.dispose();
  }
}
