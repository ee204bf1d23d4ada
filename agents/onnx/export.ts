/**
 * A trained PPO or SAC policy as an ONNX model that follows the contract (contract.ts): input the
 * raw observation [batch, D], output the deterministic action `evaluate` takes.
 *
 *   observation ─ Sub(mean) ─ Div(√(var + 1e-8)) ─ Clip(±obsClip) ─┐   (only when the policy normalizes)
 *   ┌────────────────────────────────────────────────────────────┘
 *   └ Gemm ─ Tanh|Relu ─ … ─ Gemm ─ head
 *   head, PPO Box 'clip':  Min(Max(μ, low), high)                      → action [batch, A]
 *   head, PPO Box 'tanh':  center + halfRange·Tanh(μ)                  → action [batch, A]
 *   head, SAC:             center + halfRange·Tanh(μ), μ = the first A actor outputs
 *   head, PPO Discrete:    logits → ArgMax (+ start)                   → action int64 [batch], logits [batch, n]
 *
 * The observation statistics are those saved in the checkpoint (frozen, as evaluation uses them),
 * so the file is self-contained. The SAC actor's log-std half is not exported (the deterministic
 * action does not use it): its last layer is cut to the mean columns. Weights are the checkpoint's
 * float32 values, unchanged. Works from a decoded checkpoint alone: no TensorFlow.js backend, no
 * Node APIs.
 */
import { checkTensors, type Checkpoint, type RunningMeanStdJSON } from '../common/index.ts';
import { decodePpo, PPO_KIND } from '../ppo/checkpoint.ts';
import { decodeSac, SAC_KIND } from '../sac/checkpoint.ts';
import { ACTION_OUTPUT, BATCH_DIM, CONTRACT, INPUT_NAME, LOGITS_OUTPUT, META, actionShapeFromJson, describeAction, type ActionShape } from './contract.ts';
import { GraphBuilder, tensorInfo, type DenseLayer } from './graph.ts';
import { DataType, OnnxError, encodeModel, type Model } from './proto.ts';

/** What the exporter needs to know of the env the policy acts in (from `make(envId, envOptions)`). */
export interface EnvDescription {
  envId: string;
  envOptions: Record<string, unknown>;
  /** Observation feature names in order (the env's `metadata.features`); length D. */
  features: readonly string[];
  /** `observationSpace.toJSON()`. */
  observationSpace: Record<string, unknown>;
  /** `actionSpace.toJSON()`. */
  actionSpace: Record<string, unknown>;
  /** The env's action mode (`metadata.actionMode`), when it has one. */
  actionMode?: string;
}

export interface ExportOptions {
  /** The project version recorded in the metadata. */
  projectVersion: string;
  /** Where the checkpoint came from (for messages and the doc string). */
  where?: string;
}

/** The network and maps of a policy, independent of the algorithm that trained it. */
export interface PolicyGraphSpec {
  obsDim: number;
  /** Frozen observation normalization, or null. `eps` is added to the variance. */
  normalization: { mean: ArrayLike<number>; var: ArrayLike<number>; eps: number; clip: number } | null;
  layers: DenseLayer[];
  activation: 'tanh' | 'relu';
  /** How the last layer's output becomes the action. */
  head: { kind: 'clip'; low: number[]; high: number[] } | { kind: 'tanh'; low: number[]; high: number[] } | { kind: 'discrete'; n: number; start: number };
}

export interface ExportedPolicy {
  bytes: Uint8Array;
  model: Model;
  spec: PolicyGraphSpec;
}

/** The float32 model of `spec` with `metadata` (see the file header for the graph). */
export function buildPolicyModel(spec: PolicyGraphSpec, metadata: Record<string, string>, producerVersion: string, docString = ''): Model {
  const D = spec.obsDim;
  const g = new GraphBuilder('execution_gym_policy');
  let x = g.input(INPUT_NAME);
  const norm = spec.normalization;
  if (norm !== null) {
    if (norm.mean.length !== D || norm.var.length !== D) throw new OnnxError(`normalization has ${norm.mean.length} means and ${norm.var.length} variances for ${D} features`);
    const std = Array.from(norm.var, (v) => Math.sqrt(v + norm.eps));
    x = g.node('Sub', [x, g.float('obs/mean', norm.mean, [D])], 'obs/centered');
    x = g.node('Div', [x, g.float('obs/std', std, [D])], 'obs/scaled');
    x = g.node('Clip', [x, g.float('obs/clip_min', [-norm.clip], []), g.float('obs/clip_max', [norm.clip], [])], 'obs/normalized');
  }
  const head = spec.head;
  const last = spec.layers[spec.layers.length - 1];
  if (spec.layers[0]?.rows !== D) throw new OnnxError(`the network takes ${spec.layers[0]?.rows} inputs, the observation has ${D}`);
  const outputs = [];
  if (head.kind === 'discrete') {
    if (last.cols !== head.n) throw new OnnxError(`the network gives ${last.cols} logits for Discrete(${head.n})`);
    const logits = g.mlp(x, spec.layers, spec.activation, 'actor', LOGITS_OUTPUT);
    const index = g.node('ArgMax', [logits], head.start === 0 ? ACTION_OUTPUT : 'argmax', { axis: 1, keepdims: 0, select_last_index: 0 });
    if (head.start !== 0) g.node('Add', [index, g.int64('action/start', [head.start], [])], ACTION_OUTPUT);
    outputs.push(tensorInfo(ACTION_OUTPUT, DataType.INT64, [BATCH_DIM]), tensorInfo(LOGITS_OUTPUT, DataType.FLOAT, [BATCH_DIM, head.n]));
  } else {
    const A = head.low.length;
    if (last.cols !== A || head.high.length !== A) throw new OnnxError(`the network gives ${last.cols} outputs for a Box of ${A} dimensions`);
    const mean = g.mlp(x, spec.layers, spec.activation, 'actor', 'action/mean');
    if (head.kind === 'tanh') {
      const center = head.low.map((l, i) => (l + head.high[i]) / 2);
      const half = head.low.map((l, i) => (head.high[i] - l) / 2);
      if (![...center, ...half].every(Number.isFinite)) throw new OnnxError(`tanh squashing needs finite bounds, got [${head.low.join(', ')}]..[${head.high.join(', ')}]`);
      const t = g.node('Tanh', [mean], 'action/tanh');
      const scaled = g.node('Mul', [t, g.float('action/half_range', half, [A])], 'action/scaled');
      g.node('Add', [scaled, g.float('action/center', center, [A])], ACTION_OUTPUT);
    } else if (head.low.every((l) => l === -Infinity) && head.high.every((h) => h === Infinity)) {
      g.node('Identity', [mean], ACTION_OUTPUT);
    } else {
      const lo = g.node('Max', [mean, g.float('action/low', head.low, [A])], 'action/above_low');
      g.node('Min', [lo, g.float('action/high', head.high, [A])], ACTION_OUTPUT);
    }
    outputs.push(tensorInfo(ACTION_OUTPUT, DataType.FLOAT, [BATCH_DIM, A]));
  }
  return g.build([tensorInfo(INPUT_NAME, DataType.FLOAT, [BATCH_DIM, D])], outputs, { producerName: 'execution-gym', producerVersion, docString, metadata });
}

function actorLayers(ckpt: Checkpoint, sizes: readonly number[], where: string): DenseLayer[] {
  const expected = [];
  for (let i = 0; i + 1 < sizes.length; i++) expected.push({ name: `actor/l${i}/w`, shape: [sizes[i], sizes[i + 1]] }, { name: `actor/l${i}/b`, shape: [sizes[i + 1]] });
  checkTensors(ckpt, expected, where, { allowExtra: true });
  const byName = new Map(ckpt.tensors.map((t) => [t.name, t.data]));
  const layers: DenseLayer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push({ w: byName.get(`actor/l${i}/w`) as Float32Array, b: byName.get(`actor/l${i}/b`) as Float32Array, rows: sizes[i], cols: sizes[i + 1] });
  }
  return layers;
}

function normalization(json: unknown, clip: number): PolicyGraphSpec['normalization'] {
  if (json === null || json === undefined) return null;
  const j = json as RunningMeanStdJSON;
  // RunningMeanStd.normalizeRow's default eps.
  return { mean: j.mean, var: j.var, eps: 1e-8, clip };
}

/** Keeps the first `keep` output columns of a layer (the SAC actor's means). */
function firstColumns(l: DenseLayer, keep: number): DenseLayer {
  const w = new Float32Array(l.rows * keep);
  for (let r = 0; r < l.rows; r++) for (let c = 0; c < keep; c++) w[r * keep + c] = l.w[r * l.cols + c];
  return { w, b: Float32Array.from({ length: keep }, (_, c) => l.b[c]), rows: l.rows, cols: keep };
}

function sameAction(a: ActionShape, b: ActionShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The policy graph of a PPO or SAC checkpoint, with the run it came from.
 * @throws CheckpointError for an invalid checkpoint; OnnxError for an algorithm without an exporter.
 */
export function policyGraphSpec(ckpt: Checkpoint, where = 'checkpoint'): { spec: PolicyGraphSpec; action: ActionShape; run: { algo: string; envId: string; envOptions: Record<string, unknown>; seed: number; step: number } } {
  if (ckpt.kind === PPO_KIND) {
    const d = decodePpo(ckpt, where);
    const c = d.config;
    const sizes = [d.state.obsDim, ...c.hiddenSizes, d.action.kind === 'box' ? d.action.dim : d.action.n];
    const layers = actorLayers(ckpt, sizes, where);
    const action: ActionShape = d.action.kind === 'box' ? { kind: 'box', dim: d.action.dim, low: [...d.action.low], high: [...d.action.high] } : { kind: 'discrete', n: d.action.n, start: d.action.start };
    const head: PolicyGraphSpec['head'] = action.kind === 'discrete' ? action : { kind: c.actionMode, low: action.low, high: action.high };
    return {
      spec: { obsDim: d.state.obsDim, normalization: c.normObs ? normalization(d.state.obsRms, c.obsClip) : null, layers, activation: c.activation, head },
      action,
      run: { algo: PPO_KIND, envId: d.run.envId, envOptions: d.run.envOptions, seed: d.run.seed, step: d.step },
    };
  }
  if (ckpt.kind === SAC_KIND) {
    const d = decodeSac(ckpt, where);
    const c = d.config;
    const A = d.state.actionLow.length;
    const layers = actorLayers(ckpt, [d.state.obsDim, ...c.hiddenSizes, 2 * A], where);
    layers[layers.length - 1] = firstColumns(layers[layers.length - 1], A);
    const action: ActionShape = { kind: 'box', dim: A, low: [...d.state.actionLow], high: [...d.state.actionHigh] };
    return {
      spec: { obsDim: d.state.obsDim, normalization: c.normObs ? normalization(d.state.obsRms, c.obsClip) : null, layers, activation: 'relu', head: { kind: 'tanh', low: action.low, high: action.high } },
      action,
      run: { algo: SAC_KIND, envId: d.run.envId, envOptions: d.run.envOptions, seed: d.run.seed, step: d.step },
    };
  }
  throw new OnnxError(`${where}: no ONNX exporter for checkpoints of kind '${ckpt.kind}' (known: ${PPO_KIND}, ${SAC_KIND})`);
}

/**
 * A checkpoint's deterministic policy as ONNX bytes, checked against the env it will act in
 * (`env`: the observation size and the action space must be the ones the policy was trained on).
 * @throws OnnxError when the env does not match; CheckpointError for an invalid checkpoint.
 */
export function exportPolicy(ckpt: Checkpoint, env: EnvDescription, options: ExportOptions): ExportedPolicy {
  const where = options.where ?? 'checkpoint';
  const { spec, action, run } = policyGraphSpec(ckpt, where);
  const obsShape = env.observationSpace.shape;
  const envDim = Array.isArray(obsShape) && obsShape.length === 1 ? (obsShape[0] as number) : NaN;
  if (envDim !== spec.obsDim) throw new OnnxError(`${where} was trained on ${spec.obsDim} observation features; ${env.envId}'s observation space has shape ${JSON.stringify(obsShape)}`);
  if (env.features.length !== spec.obsDim) throw new OnnxError(`${env.envId} names ${env.features.length} features for ${spec.obsDim} observations`);
  const envAction = actionShapeFromJson(env.actionSpace);
  if (!sameAction(envAction, action)) throw new OnnxError(`${where} was trained for the action space ${describeAction(action)}; ${env.envId} has ${describeAction(envAction)}`);
  const n = spec.normalization;
  const actionOutput =
    spec.head.kind === 'discrete'
      ? `int64 [batch]: argmax of the logits${spec.head.start !== 0 ? ` + ${spec.head.start}` : ''} (output 'logits' [batch, ${spec.head.n}])`
      : spec.head.kind === 'clip'
        ? `float32 [batch, ${action.kind === 'box' ? action.dim : 1}]: the Gaussian mean clipped to the Box bounds`
        : `float32 [batch, ${action.kind === 'box' ? action.dim : 1}]: center + halfRange·tanh(mean), inside the Box bounds`;
  const metadata: Record<string, string> = {
    [META.contract]: CONTRACT,
    [META.envId]: env.envId,
    [META.envOptions]: JSON.stringify(env.envOptions),
    [META.features]: JSON.stringify(env.features),
    [META.observationSpace]: JSON.stringify(env.observationSpace),
    [META.actionSpace]: JSON.stringify(env.actionSpace),
    [META.actionOutput]: actionOutput,
    [META.normalization]: n === null ? 'none' : JSON.stringify({ formula: 'clip((x - mean) / sqrt(var + eps), -clip, clip)', mean: Array.from(n.mean), var: Array.from(n.var), eps: n.eps, clip: n.clip }),
    [META.algo]: run.algo,
    [META.trainingSteps]: String(run.step),
    [META.seed]: String(run.seed),
    [META.version]: options.projectVersion,
  };
  if (env.actionMode !== undefined) metadata[META.actionMode] = env.actionMode;
  const doc = `execution-gym ${run.algo} policy for ${env.envId} (${run.step} training steps, seed ${run.seed}): input '${INPUT_NAME}' float32 [batch, ${spec.obsDim}] = raw observations (${env.features.join(', ')}); output '${ACTION_OUTPUT}' ${actionOutput}. See docs/policy-contract.md.`;
  const model = buildPolicyModel(spec, metadata, options.projectVersion, doc);
  return { bytes: encodeModel(model), model, spec };
}
