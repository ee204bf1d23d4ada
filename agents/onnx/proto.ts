/**
 * The part of ONNX's protobuf schema a policy needs, encoded and decoded by hand.
 *
 * An ONNX file is one `ModelProto` in protobuf's wire format. Wire format: a message is a sequence
 * of fields, each a tag varint (field number << 3 | wire type) then the value: wire type 0 a
 * varint, 1 eight bytes, 2 a length varint and that many bytes (strings, bytes, sub-messages,
 * packed repeated numbers), 5 four bytes. The field numbers below are those of the official
 * `onnx/onnx.proto` (IR version 7+); fields we do not model are skipped when reading and never
 * written. Writing a small MLP needs ~10 messages, so this file replaces a protobuf library
 * (ONNX Runtime, which parses with the official schema, is the test of the encoder; the reader is
 * also tested on a model written by PyTorch's exporter).
 *
 *   ModelProto          1 ir_version (int64), 2 producer_name, 3 producer_version, 4 domain,
 *                       5 model_version (int64), 6 doc_string, 7 graph, 8 opset_import (repeated),
 *                       14 metadata_props (repeated StringStringEntryProto)
 *   OperatorSetIdProto  1 domain, 2 version (int64)
 *   StringStringEntry   1 key, 2 value
 *   GraphProto          1 node, 2 name, 5 initializer, 10 doc_string, 11 input, 12 output (repeated)
 *   NodeProto           1 input, 2 output (repeated string), 3 name, 4 op_type, 5 attribute, 7 domain
 *   AttributeProto      1 name, 20 type, 2 f (float), 3 i (int64), 4 s (bytes), 7 floats, 8 ints
 *   ValueInfoProto      1 name, 2 type (TypeProto)
 *   TypeProto           1 tensor_type (TypeProto.Tensor: 1 elem_type, 2 shape)
 *   TensorShapeProto    1 dim (repeated Dimension: 1 dim_value int64 | 2 dim_param string)
 *   TensorProto         1 dims (int64), 2 data_type, 8 name, 9 raw_data (little-endian),
 *                       4 float_data, 7 int64_data, 10 double_data, 5 int32_data (packed)
 *
 * Pure (no Node APIs): a browser can write and read ONNX models with it.
 */

/** ONNX tensor element types (TensorProto.DataType) this project uses or reports. */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

const DATA_TYPE_NAMES: Record<number, string> = { 0: 'undefined', 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 16: 'bfloat16' };

/** 'float32', 'int64', ... for a TensorProto.DataType code. */
export function dataTypeName(code: number): string {
  return DATA_TYPE_NAMES[code] ?? `type ${code}`;
}

/** AttributeProto.AttributeType codes. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export class OnnxError extends Error {
  override name = 'OnnxError';
}

/** One dimension: a fixed size, a symbolic name (e.g. 'batch'), or unknown (null). */
export type Dim = number | string | null;

export interface ValueInfo {
  name: string;
  /** TensorProto.DataType of the elements (0 when the value is not a tensor or untyped). */
  elemType: number;
  /** The dimensions; null when the shape is not given at all. */
  shape: Dim[] | null;
}

export interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  /** Little-endian element bytes (raw_data). */
  raw: Uint8Array;
}

export type AttributeValue =
  | { type: typeof AttributeType.FLOAT; f: number }
  | { type: typeof AttributeType.INT; i: number }
  | { type: typeof AttributeType.STRING; s: string }
  | { type: typeof AttributeType.FLOATS; floats: number[] }
  | { type: typeof AttributeType.INTS; ints: number[] };

export interface Node {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  domain: string;
  attributes: Record<string, AttributeValue>;
}

export interface Graph {
  name: string;
  nodes: Node[];
  initializers: Tensor[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  docString: string;
}

export interface Model {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number;
  docString: string;
  opsets: { domain: string; version: number }[];
  metadata: Record<string, string>;
  graph: Graph;
}

// ------------------------------------------------------------------ writing

const utf8 = new TextEncoder();

/** A growable byte buffer with protobuf's primitive writers. */
class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** A non-negative integer up to 2^53 as a varint (int64 fields hold our sizes and versions). */
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new OnnxError(`internal: varint needs a safe non-negative integer, got ${v}`);
    this.reserve(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** A signed int64 value: negatives are ten-byte two's complement varints. */
  int64(v: number): void {
    if (v >= 0) {
      this.varint(v);
      return;
    }
    if (!Number.isSafeInteger(v)) throw new OnnxError(`internal: int64 needs a safe integer, got ${v}`);
    let x = BigInt.asUintN(64, BigInt(v));
    this.reserve(10);
    while (x >= 0x80n) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, utf8.encode(s));
  }

  /** A string field, omitted when empty (proto3 default). */
  optString(field: number, s: string): void {
    if (s.length > 0) this.string(field, s);
  }

  intField(field: number, v: number): void {
    this.tag(field, 0);
    this.int64(v);
  }

  float32(field: number, v: number): void {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
  }

  message(field: number, write: (w: Writer) => void): void {
    const w = new Writer();
    write(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.intField(1, v.elemType);
      if (v.shape !== null) {
        const shape = v.shape;
        tt.message(2, (s) => {
          for (const d of shape) {
            s.message(1, (dim) => {
              if (typeof d === 'number') dim.intField(1, d);
              else if (typeof d === 'string') dim.string(2, d);
            });
          }
        });
      }
    }),
  );
}

function writeTensor(w: Writer, t: Tensor): void {
  for (const d of t.dims) w.intField(1, d);
  w.intField(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, t.raw);
}

function writeAttribute(w: Writer, name: string, a: AttributeValue): void {
  w.string(1, name);
  w.intField(20, a.type);
  switch (a.type) {
    case AttributeType.FLOAT:
      w.float32(2, a.f);
      break;
    case AttributeType.INT:
      w.intField(3, a.i);
      break;
    case AttributeType.STRING:
      w.string(4, a.s);
      break;
    case AttributeType.FLOATS:
      for (const f of a.floats) w.float32(7, f);
      break;
    case AttributeType.INTS:
      for (const i of a.ints) w.intField(8, i);
      break;
  }
}

function writeNode(w: Writer, n: Node): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.optString(3, n.name);
  w.string(4, n.opType);
  for (const [k, a] of Object.entries(n.attributes)) w.message(5, (aw) => writeAttribute(aw, k, a));
  w.optString(7, n.domain);
}

function writeGraph(w: Writer, g: Graph): void {
  for (const n of g.nodes) w.message(1, (nw) => writeNode(nw, n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, (tw) => writeTensor(tw, t));
  w.optString(10, g.docString);
  for (const v of g.inputs) w.message(11, (vw) => writeValueInfo(vw, v));
  for (const v of g.outputs) w.message(12, (vw) => writeValueInfo(vw, v));
}

/** The bytes of an ONNX file holding `model`. */
export function encodeModel(model: Model): Uint8Array {
  const w = new Writer();
  w.intField(1, model.irVersion);
  w.optString(2, model.producerName);
  w.optString(3, model.producerVersion);
  w.optString(4, model.domain);
  if (model.modelVersion !== 0) w.intField(5, model.modelVersion);
  w.optString(6, model.docString);
  for (const o of model.opsets) {
    w.message(8, (ow) => {
      ow.optString(1, o.domain);
      ow.intField(2, o.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(14, (mw) => {
      mw.string(1, key);
      mw.string(2, value);
    });
  }
  // The graph goes last and is one length-delimited field, so a file cut anywhere fails to decode
  // (a cut inside the graph runs past the end; a cut before it leaves no graph).
  w.message(7, (gw) => writeGraph(gw, model.graph));
  return w.finish();
}

// ------------------------------------------------------------------ reading

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** A bounds-checked reader over one message's bytes; `path` names the message for errors. */
class Reader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    private readonly end: number,
    start: number,
    private readonly path: string,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private fail(why: string): never {
    throw new OnnxError(`not a valid ONNX model: ${this.path} at byte ${this.pos}: ${why}`);
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(`the file ends inside a number (truncated?)`);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    return this.fail('a number longer than 10 bytes');
  }

  /** An int64 (negative values are ten-byte two's complement varints); exact within ±2^53. */
  int64(): number {
    let x = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail(`the file ends inside a number (truncated?)`);
      const b = this.buf[this.pos++];
      x |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return Number(BigInt.asIntN(64, x));
      shift += 7n;
    }
    return this.fail('a number longer than 10 bytes');
  }

  /** The [start, end) of a length-delimited field's bytes. */
  span(): [number, number] {
    const n = this.varint();
    if (this.pos + n > this.end) this.fail(`a field of ${n} bytes runs past the end (${this.end - this.pos} bytes left; truncated?)`);
    const s = this.pos;
    this.pos += n;
    return [s, this.pos];
  }

  bytes(): Uint8Array {
    const [s, e] = this.span();
    return this.buf.subarray(s, e);
  }

  string(): string {
    try {
      return utf8Decoder.decode(this.bytes());
    } catch {
      return this.fail('a string that is not UTF-8');
    }
  }

  float32(): number {
    if (this.pos + 4 > this.end) this.fail('the file ends inside a float (truncated?)');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  sub(name: string): Reader {
    const [s, e] = this.span();
    return new Reader(this.buf, e, s, `${this.path}.${name}`);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) this.fail('the file ends inside a 64-bit field (truncated?)');
        this.pos += 8;
        return;
      case 2:
        this.span();
        return;
      case 5:
        if (this.pos + 4 > this.end) this.fail('the file ends inside a 32-bit field (truncated?)');
        this.pos += 4;
        return;
      default:
        this.fail(`unknown wire type ${wire} (not protobuf, or a damaged file)`);
    }
  }

  /** Calls `on(field, wire)` for each field; `on` returns false for fields it does not read. */
  fields(on: (field: number, wire: number) => boolean): void {
    while (!this.done) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      const wire = tag % 8;
      if (field === 0) this.fail('field number 0 (not protobuf, or a damaged file)');
      if (!on(field, wire)) this.skip(wire);
    }
    if (this.pos !== this.end) this.fail('a field runs past the end of its message');
  }

  /** Repeated int64 in either encoding (packed or one per tag). */
  int64s(wire: number, out: number[]): void {
    if (wire === 2) {
      const r = this.sub('packed');
      while (!r.done) out.push(r.int64());
    } else out.push(this.int64());
  }
}

function expectWire(r: Reader, wire: number, want: number, what: string): boolean {
  if (wire !== want) throw new OnnxError(`not a valid ONNX model: ${what} has wire type ${wire}, expected ${want}`);
  return true;
}

function readValueInfo(r: Reader): ValueInfo {
  const v: ValueInfo = { name: '', elemType: 0, shape: null };
  r.fields((f, w) => {
    if (f === 1 && expectWire(r, w, 2, 'ValueInfoProto.name')) v.name = r.string();
    else if (f === 2 && w === 2) {
      const t = r.sub('type');
      t.fields((tf, tw) => {
        if (tf !== 1 || tw !== 2) return false;
        const tt = t.sub('tensor_type');
        tt.fields((g, gw) => {
          if (g === 1 && gw === 0) v.elemType = tt.varint();
          else if (g === 2 && gw === 2) {
            const shape: Dim[] = [];
            const s = tt.sub('shape');
            s.fields((sf, sw) => {
              if (sf !== 1 || sw !== 2) return false;
              const d = s.sub('dim');
              let dim: Dim = null;
              d.fields((df, dw) => {
                if (df === 1 && dw === 0) dim = d.int64();
                else if (df === 2 && dw === 2) dim = d.string();
                else return false;
                return true;
              });
              shape.push(dim);
              return true;
            });
            v.shape = shape;
          } else return false;
          return true;
        });
        return true;
      });
    } else return false;
    return true;
  });
  return v;
}

function readTensor(r: Reader): Tensor {
  const t: Tensor = { name: '', dims: [], dataType: 0, raw: new Uint8Array(0) };
  const floats: number[] = [];
  r.fields((f, w) => {
    if (f === 1) r.int64s(w, t.dims);
    else if (f === 2 && w === 0) t.dataType = r.varint();
    else if (f === 8 && w === 2) t.name = r.string();
    else if (f === 9 && w === 2) t.raw = r.bytes().slice();
    else if (f === 4 && w === 2) {
      const p = r.sub('float_data');
      while (!p.done) floats.push(p.float32());
    } else return false;
    return true;
  });
  if (t.raw.length === 0 && floats.length > 0) t.raw = new Uint8Array(Float32Array.from(floats).buffer);
  return t;
}

function readAttribute(r: Reader): [string, AttributeValue | null] {
  let name = '';
  let type = 0;
  let f32 = 0;
  let i64 = 0;
  let s = '';
  const floats: number[] = [];
  const ints: number[] = [];
  r.fields((f, w) => {
    if (f === 1 && w === 2) name = r.string();
    else if (f === 20 && w === 0) type = r.varint();
    else if (f === 2 && w === 5) f32 = r.float32();
    else if (f === 3 && w === 0) i64 = r.int64();
    else if (f === 4 && w === 2) s = utf8Decoder.decode(r.bytes());
    else if (f === 7 && w === 5) floats.push(r.float32());
    else if (f === 7 && w === 2) {
      const p = r.sub('floats');
      while (!p.done) floats.push(p.float32());
    } else if (f === 8) r.int64s(w, ints);
    else return false;
    return true;
  });
  switch (type) {
    case AttributeType.FLOAT:
      return [name, { type, f: f32 }];
    case AttributeType.INT:
      return [name, { type, i: i64 }];
    case AttributeType.STRING:
      return [name, { type, s }];
    case AttributeType.FLOATS:
      return [name, { type, floats }];
    case AttributeType.INTS:
      return [name, { type, ints }];
    default:
      return [name, null];
  }
}

function readNode(r: Reader): Node {
  const n: Node = { opType: '', name: '', inputs: [], outputs: [], domain: '', attributes: {} };
  r.fields((f, w) => {
    if (f === 1 && w === 2) n.inputs.push(r.string());
    else if (f === 2 && w === 2) n.outputs.push(r.string());
    else if (f === 3 && w === 2) n.name = r.string();
    else if (f === 4 && w === 2) n.opType = r.string();
    else if (f === 7 && w === 2) n.domain = r.string();
    else if (f === 5 && w === 2) {
      const [k, a] = readAttribute(r.sub('attribute'));
      if (a !== null) n.attributes[k] = a;
    } else return false;
    return true;
  });
  return n;
}

function readGraph(r: Reader): Graph {
  const g: Graph = { name: '', nodes: [], initializers: [], inputs: [], outputs: [], docString: '' };
  r.fields((f, w) => {
    if (w !== 2) return false;
    if (f === 1) g.nodes.push(readNode(r.sub('node')));
    else if (f === 2) g.name = r.string();
    else if (f === 5) g.initializers.push(readTensor(r.sub('initializer')));
    else if (f === 10) g.docString = r.string();
    else if (f === 11) g.inputs.push(readValueInfo(r.sub('input')));
    else if (f === 12) g.outputs.push(readValueInfo(r.sub('output')));
    else return false;
    return true;
  });
  return g;
}

/**
 * Decodes an ONNX file. @throws OnnxError naming the byte and the message at fault for bytes that
 * are not protobuf, are cut short, or hold no graph or IR version (not an ONNX model).
 */
export function decodeModel(bytes: Uint8Array): Model {
  if (!(bytes instanceof Uint8Array)) throw new OnnxError(`decodeModel needs a Uint8Array, got ${Object.prototype.toString.call(bytes)}`);
  if (bytes.length === 0) throw new OnnxError('not a valid ONNX model: the file is empty');
  const r = new Reader(bytes, bytes.length, 0, 'ModelProto');
  const m: Model = { irVersion: 0, producerName: '', producerVersion: '', domain: '', modelVersion: 0, docString: '', opsets: [], metadata: {}, graph: { name: '', nodes: [], initializers: [], inputs: [], outputs: [], docString: '' } };
  let hasGraph = false;
  r.fields((f, w) => {
    if (f === 1 && w === 0) m.irVersion = r.int64();
    else if (f === 2 && w === 2) m.producerName = r.string();
    else if (f === 3 && w === 2) m.producerVersion = r.string();
    else if (f === 4 && w === 2) m.domain = r.string();
    else if (f === 5 && w === 0) m.modelVersion = r.int64();
    else if (f === 6 && w === 2) m.docString = r.string();
    else if (f === 7 && w === 2) {
      m.graph = readGraph(r.sub('graph'));
      hasGraph = true;
    } else if (f === 8 && w === 2) {
      const o = r.sub('opset_import');
      const op = { domain: '', version: 0 };
      o.fields((of, ow) => {
        if (of === 1 && ow === 2) op.domain = o.string();
        else if (of === 2 && ow === 0) op.version = o.int64();
        else return false;
        return true;
      });
      m.opsets.push(op);
    } else if (f === 14 && w === 2) {
      const e = r.sub('metadata_props');
      let key = '';
      let value = '';
      e.fields((ef, ew) => {
        if (ef === 1 && ew === 2) key = e.string();
        else if (ef === 2 && ew === 2) value = e.string();
        else return false;
        return true;
      });
      m.metadata[key] = value;
    } else return false;
    return true;
  });
  if (m.irVersion <= 0) throw new OnnxError(`not a valid ONNX model: no ir_version (field 1 of ModelProto; ${bytes.length} bytes read)`);
  if (!hasGraph) throw new OnnxError(`not a valid ONNX model: no graph (field 7 of ModelProto; ${bytes.length} bytes read; truncated?)`);
  if (m.opsets.length === 0) throw new OnnxError('not a valid ONNX model: no opset_import (field 8 of ModelProto; truncated?)');
  return m;
}
