/**
 * A small builder of ONNX graphs: float32 / int64 initializers, nodes with attributes, typed
 * inputs and outputs, and the model around them. Names must be unique across initializers and
 * node outputs (ONNX's single-assignment rule); a clash is an `OnnxError` naming it.
 *
 * Pure (no Node APIs).
 */
import { AttributeType, DataType, OnnxError, type AttributeValue, type Dim, type Model, type Node, type Tensor, type ValueInfo } from './proto.ts';

/** IR version 7 and opset 13 (ONNX 1.8, 2020): every op used here exists there, and any runtime since reads it. */
export const IR_VERSION = 7;
export const OPSET = 13;

/** A dense layer y = x·W + b with W row-major [rows (inputs), cols (outputs)], as agents/nn/mlp.ts stores it. */
export interface DenseLayer {
  w: ArrayLike<number>;
  b: ArrayLike<number>;
  rows: number;
  cols: number;
}

export type Attr = number | string | number[] | { float: number } | { floats: number[] };

function attribute(name: string, v: Attr): AttributeValue {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new OnnxError(`attribute ${name}: a plain number is an INT attribute and must be an integer, got ${v}; use { float: ${v} }`);
    return { type: AttributeType.INT, i: v };
  }
  if (typeof v === 'string') return { type: AttributeType.STRING, s: v };
  if (Array.isArray(v)) return { type: AttributeType.INTS, ints: v };
  if ('float' in v) return { type: AttributeType.FLOAT, f: v.float };
  return { type: AttributeType.FLOATS, floats: v.floats };
}

function checkDims(name: string, n: number, dims: readonly number[]): void {
  if (!dims.every((d) => Number.isInteger(d) && d >= 0)) throw new OnnxError(`initializer ${name}: dims must be non-negative integers, got [${dims.join(', ')}]`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (size !== n) throw new OnnxError(`initializer ${name}: ${n} values do not fill dims [${dims.join(', ')}] (${size} elements)`);
}

export class GraphBuilder {
  readonly name: string;
  private readonly nodes: Node[] = [];
  private readonly initializers: Tensor[] = [];
  private readonly used = new Set<string>();
  /** Graph inputs declared so far (a subset of `used`). */
  private readonly declared = new Set<string>();
  private counter = 0;

  constructor(name: string) {
    this.name = name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new OnnxError(`graph ${this.name}: the name ${JSON.stringify(name)} is defined twice`);
    this.used.add(name);
    return name;
  }

  /** A float32 initializer (values rounded to float32). Returns its name. */
  float(name: string, values: ArrayLike<number>, dims: readonly number[]): string {
    checkDims(name, values.length, dims);
    const data = Float32Array.from(values as ArrayLike<number>);
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: DataType.FLOAT, raw: new Uint8Array(data.buffer) });
    return name;
  }

  /** A float64 initializer. Returns its name. */
  double(name: string, values: ArrayLike<number>, dims: readonly number[]): string {
    checkDims(name, values.length, dims);
    const data = Float64Array.from(values as ArrayLike<number>);
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: DataType.DOUBLE, raw: new Uint8Array(data.buffer) });
    return name;
  }

  /** An int64 initializer. Returns its name. */
  int64(name: string, values: readonly number[], dims: readonly number[]): string {
    checkDims(name, values.length, dims);
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isSafeInteger(values[i])) throw new OnnxError(`initializer ${name}: values[${i}] = ${values[i]} is not an integer`);
      data[i] = BigInt(values[i]);
    }
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: DataType.INT64, raw: new Uint8Array(data.buffer) });
    return name;
  }

  /** Adds a node; `output` defaults to a fresh name. Returns the (first) output name. */
  node(opType: string, inputs: readonly string[], output?: string, attributes: Record<string, Attr> = {}): string {
    for (const i of inputs) {
      if (i !== '' && !this.used.has(i) && !this.declared.has(i)) throw new OnnxError(`graph ${this.name}: node ${opType} reads ${JSON.stringify(i)}, which nothing defines yet`);
    }
    const out = this.claim(output ?? `${opType.toLowerCase()}_${this.counter++}`);
    const attrs: Record<string, AttributeValue> = {};
    for (const [k, v] of Object.entries(attributes)) attrs[k] = attribute(k, v);
    this.nodes.push({ opType, name: `${opType}_${this.nodes.length}`, inputs: [...inputs], outputs: [out], domain: '', attributes: attrs });
    return out;
  }

  /** Declares a graph input (so nodes may read it). Returns its name. */
  input(name: string): string {
    this.claim(name);
    this.declared.add(name);
    return name;
  }

  /**
   * y = act(x·W + b) for each layer (the last one linear): Gemm and Tanh/Relu nodes, weights in
   * float32 (or float64 with `precision`). Returns the output name.
   */
  mlp(x: string, layers: readonly DenseLayer[], activation: 'tanh' | 'relu', prefix: string, output?: string, precision: 'float32' | 'float64' = 'float32'): string {
    const init = precision === 'float64' ? this.double.bind(this) : this.float.bind(this);
    let h = x;
    layers.forEach((l, i) => {
      if (l.w.length !== l.rows * l.cols || l.b.length !== l.cols) {
        throw new OnnxError(`${prefix} layer ${i}: W has ${l.w.length} values and b ${l.b.length}, expected ${l.rows}×${l.cols} and ${l.cols}`);
      }
      if (i > 0 && layers[i - 1].cols !== l.rows) throw new OnnxError(`${prefix} layer ${i} takes ${l.rows} inputs, layer ${i - 1} gives ${layers[i - 1].cols}`);
      const w = init(`${prefix}/l${i}/w`, l.w, [l.rows, l.cols]);
      const b = init(`${prefix}/l${i}/b`, l.b, [l.cols]);
      const last = i === layers.length - 1;
      h = this.node('Gemm', [h, w, b], last ? output : `${prefix}/l${i}/z`);
      if (!last) h = this.node(activation === 'tanh' ? 'Tanh' : 'Relu', [h], `${prefix}/l${i}/h`);
    });
    return h;
  }

  /** The model: `inputs` / `outputs` typed, opset 13 of the default domain. */
  build(inputs: readonly ValueInfo[], outputs: readonly ValueInfo[], options: { producerName: string; producerVersion: string; docString?: string; metadata?: Record<string, string> }): Model {
    for (const i of inputs) if (!this.declared.has(i.name)) throw new OnnxError(`graph ${this.name}: input ${i.name} was not declared with input()`);
    for (const o of outputs) if (!this.used.has(o.name) || this.declared.has(o.name)) throw new OnnxError(`graph ${this.name}: no node computes the output ${o.name}`);
    return {
      irVersion: IR_VERSION,
      producerName: options.producerName,
      producerVersion: options.producerVersion,
      domain: '',
      modelVersion: 0,
      docString: options.docString ?? '',
      opsets: [{ domain: '', version: OPSET }],
      metadata: { ...(options.metadata ?? {}) },
      graph: { name: this.name, nodes: [...this.nodes], initializers: [...this.initializers], inputs: [...inputs], outputs: [...outputs], docString: '' },
    };
  }
}

/** A tensor ValueInfo of `elemType` with `shape`. */
export function tensorInfo(name: string, elemType: number, shape: readonly Dim[]): ValueInfo {
  return { name, elemType, shape: [...shape] };
}
