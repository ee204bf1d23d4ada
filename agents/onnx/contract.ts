/**
 * The observation/action contract of an ONNX policy (docs/policy-contract.md is its prose twin):
 *
 * - One input, float32 (or float64), shape [batch, D]: raw env observations, D = the env's
 *   observation size, features in the env's order (`metadata.features`), unnormalized (a policy
 *   that normalizes does it inside the graph). The batch dimension is symbolic (free) or 1.
 * - The action output: the one named `action`, else the first output.
 *   - Box action space of size A: float32/float64 [batch, A], the env action itself (the harness
 *     clips it into the Box bounds, as Gymnasium's ClipAction; non-finite values are an error).
 *   - Discrete(n, start): an integer [batch] or [batch, 1] (the action itself), or float logits
 *     [batch, n] (the harness takes the argmax, first index on ties, plus `start`).
 * - Optional metadata (`metadata_props`) under `execution_gym.*` (META below); the harness reads
 *   `execution_gym.action_mode` to build the env in that mode (market / limit / discrete).
 *
 * `checkSignature` checks a decoded model against an env's spaces and says exactly what it
 * expected and what it found. Pure (no Node APIs).
 */
import { DataType, OnnxError, dataTypeName, type Dim, type Model, type ValueInfo } from './proto.ts';

export const CONTRACT = 'execution-gym/onnx-policy/1';
/** The input name our exporter writes (any name is accepted). */
export const INPUT_NAME = 'observation';
/** The output the harness reads when present. */
export const ACTION_OUTPUT = 'action';
/** Discrete policies also expose their logits under this name. */
export const LOGITS_OUTPUT = 'logits';
/** The symbolic batch dimension our exporter writes. */
export const BATCH_DIM = 'batch';

/** Metadata keys (ModelProto.metadata_props) our exporter writes; values are strings (JSON where noted). */
export const META = {
  contract: 'execution_gym.contract',
  envId: 'execution_gym.env_id',
  /** JSON object. */
  envOptions: 'execution_gym.env_options',
  /** JSON array of the observation feature names, in input order. */
  features: 'execution_gym.observation_features',
  /** JSON of the env's observation space (env/spaces toJSON). */
  observationSpace: 'execution_gym.observation_space',
  /** JSON of the env's action space. */
  actionSpace: 'execution_gym.action_space',
  actionMode: 'execution_gym.action_mode',
  /** What the action output means, in words. */
  actionOutput: 'execution_gym.action_output',
  /** How observations are normalized inside the graph (JSON: mean, var, eps, clip), or "none". */
  normalization: 'execution_gym.observation_normalization',
  algo: 'execution_gym.algo',
  trainingSteps: 'execution_gym.training_steps',
  seed: 'execution_gym.seed',
  /** The execution-gym version that wrote the file. */
  version: 'execution_gym.version',
} as const;

/** An action space the contract covers. */
export type ActionShape = { kind: 'box'; dim: number; low: number[]; high: number[] } | { kind: 'discrete'; n: number; start: number };

function bound(x: unknown, what: string): number {
  if (x === 'inf' || x === 'Infinity') return Infinity;
  if (x === '-inf' || x === '-Infinity') return -Infinity;
  if (typeof x === 'number') return x;
  throw new OnnxError(`${what} must be a number or 'inf'/'-inf', got ${JSON.stringify(x)}`);
}

/** Reads an action space's JSON (env/spaces toJSON): a 1-D Box or a Discrete. */
export function actionShapeFromJson(json: Record<string, unknown>): ActionShape {
  const type = String(json.type ?? '');
  if (type === 'Box') {
    const shape = json.shape;
    if (!Array.isArray(shape) || shape.length !== 1 || !Number.isInteger(shape[0]) || (shape[0] as number) < 1) {
      throw new OnnxError(`an ONNX policy needs a 1-D Box action space, got shape ${JSON.stringify(shape)}`);
    }
    const dim = shape[0] as number;
    const expand = (b: unknown, what: string): number[] => (Array.isArray(b) ? b.map((x, i) => bound(x, `${what}[${i}]`)) : new Array<number>(dim).fill(bound(b, what)));
    const low = expand(json.low, 'Box low');
    const high = expand(json.high, 'Box high');
    if (low.length !== dim || high.length !== dim) throw new OnnxError(`Box bounds must have ${dim} entries, got ${low.length} and ${high.length}`);
    return { kind: 'box', dim, low, high };
  }
  if (type === 'Discrete') {
    const n = json.n;
    if (!Number.isInteger(n) || (n as number) < 1) throw new OnnxError(`Discrete action space needs n ≥ 1, got ${JSON.stringify(n)}`);
    return { kind: 'discrete', n: n as number, start: typeof json.start === 'number' ? json.start : 0 };
  }
  throw new OnnxError(`an ONNX policy needs a Box or Discrete action space, got ${JSON.stringify(json).slice(0, 200)}`);
}

/** "Box(1) in [0, 10]" / "Discrete(4)". */
export function describeAction(a: ActionShape): string {
  if (a.kind === 'discrete') return `Discrete(${a.n}${a.start !== 0 ? `, start ${a.start}` : ''})`;
  return `Box(${a.dim}) in [${a.low.join(', ')}]..[${a.high.join(', ')}]`;
}

/** "[batch, 11]"; an unknown dimension is "?", a missing shape "(no shape)". */
export function describeShape(shape: readonly Dim[] | null): string {
  if (shape === null) return '(no shape)';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** What `checkSignature` found: the tensors to feed and read, and how to read the action. */
export interface Signature {
  input: ValueInfo;
  output: ValueInfo;
  /** `box`: the env action; `index`: a discrete action; `logits`: take the argmax. */
  outputKind: 'box' | 'index' | 'logits';
  /** null: the batch dimension is free; 1: one observation per run. */
  fixedBatch: 1 | null;
  /** The input's element type: float32 or float64. */
  inputType: 'float32' | 'float64';
}

/** The graph's real inputs (those that are not initializers: older exporters list weights as inputs too). */
export function graphInputs(model: Model): ValueInfo[] {
  const weights = new Set(model.graph.initializers.map((t) => t.name));
  return model.graph.inputs.filter((i) => !weights.has(i.name));
}

const FLOATS: readonly number[] = [DataType.FLOAT, DataType.DOUBLE];
const INTEGERS: readonly number[] = [DataType.INT64, DataType.INT32];

function isBatch(d: Dim): boolean {
  return d === null || typeof d === 'string' || d === 1 || d === -1;
}

/**
 * Checks `model` against an env with `obsDim` observation features and action space `action`.
 * `where` names the model and `env` the env in messages ("expected … found …").
 * @throws OnnxError when the input or the action output does not fit.
 */
export function checkSignature(model: Model, obsDim: number, action: ActionShape, where: string, env: string): Signature {
  const inputs = graphInputs(model);
  const wantIn = `[${BATCH_DIM}, ${obsDim}]`;
  if (inputs.length !== 1) {
    throw new OnnxError(`${where}: the model has ${inputs.length} inputs (${inputs.map((i) => `'${i.name}' ${describeShape(i.shape)}`).join(', ') || 'none'}); the contract is one input, the observation ${wantIn} of ${env}`);
  }
  const input = inputs[0];
  const inShape = input.shape;
  if (inShape === null || inShape.length !== 2 || inShape[1] !== obsDim || !isBatch(inShape[0])) {
    throw new OnnxError(`${where}: input '${input.name}' has shape ${describeShape(inShape)}; ${env} needs ${wantIn} (${obsDim} observation features, batch dimension free or 1)`);
  }
  if (!FLOATS.includes(input.elemType)) throw new OnnxError(`${where}: input '${input.name}' is ${dataTypeName(input.elemType)}; the contract needs float32 (or float64) observations`);
  const outputs = model.graph.outputs;
  if (outputs.length === 0) throw new OnnxError(`${where}: the model has no outputs`);
  const output = outputs.find((o) => o.name === ACTION_OUTPUT) ?? outputs[0];
  const s = output.shape;
  const found = `output '${output.name}' is ${dataTypeName(output.elemType)} ${describeShape(s)}`;
  const fixedBatch = inShape[0] === 1 ? 1 : null;
  const inputType = input.elemType === DataType.DOUBLE ? 'float64' : 'float32';
  const batchOk = s !== null && s.length >= 1 && isBatch(s[0]);
  if (action.kind === 'box') {
    if (!(batchOk && s.length === 2 && s[1] === action.dim) || !FLOATS.includes(output.elemType)) {
      throw new OnnxError(`${where}: ${found}; the action space ${describeAction(action)} of ${env} needs float32 [${BATCH_DIM}, ${action.dim}]`);
    }
    return { input, output, outputKind: 'box', fixedBatch, inputType };
  }
  if (batchOk && INTEGERS.includes(output.elemType) && (s.length === 1 || (s.length === 2 && s[1] === 1))) return { input, output, outputKind: 'index', fixedBatch, inputType };
  if (batchOk && FLOATS.includes(output.elemType) && s.length === 2 && s[1] === action.n) return { input, output, outputKind: 'logits', fixedBatch, inputType };
  throw new OnnxError(`${where}: ${found}; the action space ${describeAction(action)} of ${env} needs int64 [${BATCH_DIM}] (the action) or float32 [${BATCH_DIM}, ${action.n}] (logits)`);
}
