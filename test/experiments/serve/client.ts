/** A minimal client of the serve protocol for the tests: builds request frames, parses replies. */
import { HEADER_BYTES, KIND, MAGIC, PROTOCOL_VERSION } from '../../../experiments/serve/index.ts';

/** A request body (no length prefix: what ServeSession.handle takes). */
export function body(kind: number, handle = 0, payload: Buffer | Float64Array | unknown = undefined, flags = 0): Buffer {
  let p: Buffer;
  if (payload === undefined) p = Buffer.alloc(0);
  else if (Buffer.isBuffer(payload)) p = payload;
  else if (payload instanceof Float64Array) p = Buffer.from(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength));
  else p = Buffer.from(JSON.stringify(payload));
  const h = Buffer.alloc(HEADER_BYTES);
  h[0] = kind;
  h[1] = flags;
  h.writeUInt32LE(handle, 4);
  return Buffer.concat([h, p]);
}

/** A whole frame (length prefix + body), as sent over a stream. */
export function frame(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(b.length, 0);
  return Buffer.concat([len, b]);
}

export function hello(version = PROTOCOL_VERSION, magic = MAGIC): Buffer {
  const v = Buffer.alloc(4);
  v.writeUInt32LE(version, 0);
  return body(KIND.HELLO, 0, Buffer.concat([Buffer.from(magic, 'latin1'), v, Buffer.from('{}')]));
}

export interface Reply {
  kind: number;
  flags: number;
  handle: number;
  payload: Buffer;
}

/** Parses a reply frame (with its length prefix); copies, so it outlives the session's buffer. */
export function parse(f: Buffer): Reply {
  const len = f.readUInt32LE(0);
  if (len !== f.length - 4) throw new Error(`frame length ${len} != ${f.length - 4}`);
  return { kind: f[4], flags: f[5], handle: f.readUInt32LE(8), payload: Buffer.from(f.subarray(4 + HEADER_BYTES)) };
}

export function f64(p: Buffer, offset: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = p.readDoubleLE(offset + 8 * i);
  return out;
}

export function json(p: Buffer, offset = 0): unknown {
  return offset >= p.length ? undefined : JSON.parse(p.toString('utf8', offset));
}
