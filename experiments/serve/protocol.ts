/**
 * The `execution-gym serve --stdio` wire protocol (version PROTOCOL_VERSION), described for users
 * in python/PROTOCOL.md. One request, then one reply, strictly alternating.
 *
 * Frame: u32 little-endian body length, then the body. Every body starts with an 8-byte header
 *   u8 kind | u8 flags | u16 reserved (0) | u32 handle
 * followed by the kind's payload. Numbers are little-endian; arrays of observations, actions and
 * rewards are raw float64; flags are u8 per env; JSON (UTF-8) is always the last field of a body
 * and runs to its end (empty = absent).
 *
 * Requests (client → server) and their replies:
 *   HELLO       payload: 'EXGY', u32 version, JSON client          → HELLO: 'EXGY', u32 version, JSON server
 *   MAKE        JSON {id, options}                                 → READY (handle): JSON spaces and metadata
 *   RESET       (handle) JSON {seed?, options?}                    → OBS: f64[obsDim], JSON info
 *   STEP        (handle, flags: WANT_INFO) f64[actions]            → STEPPED (flags: TERMINATED, TRUNCATED, HAS_INFO): f64 reward, f64[obsDim], JSON info?
 *   CLOSE       (handle)                                           → OK
 *   MAKE_VEC    JSON {id, numEnvs, options, workers, infos}        → READY (handle)
 *   VRESET      (handle) JSON {seed?, options?}                    → VOBS: f64[n·obsDim], JSON infos (list, or null)
 *   VSTEP       (handle) f64[n·actionDim]                          → VSTEPPED (flags: HAS_INFO): f64[n] rewards, f64[n·obsDim], u8[n] terminated, u8[n] truncated, JSON {index, infos}?
 *   EVAL_START  JSON {env, envOptions, episodes, seedOffset, numEnvs, policy} → READY (handle): JSON seeds, spaces
 *   EVAL_RESET  (handle)                                           → EVAL_OBS: u32 finished, f64[n·obsDim], u8[n] active, u8[n] started
 *   EVAL_STEP   (handle) f64[n·actionDim] (rows of inactive slots ignored) → EVAL_OBS
 *   EVAL_FINISH (handle) JSON {baselines, lambdaPerBps, povRho, calibrationSeeds, workers, records} → RESULT: JSON
 *   BENCH       JSON {what, ...}                                   → RESULT: JSON (TypeScript-side figures for the Python bench)
 * Any request may be answered with ERROR: JSON {name, message, category: 'value' | 'type'}; the
 * server and the env stay usable (a rejected call leaves the env untouched).
 */

/** Bumped on any incompatible change; both sides check it in the HELLO exchange. */
export const PROTOCOL_VERSION = 1;
/** The four bytes after the header of both HELLOs. */
export const MAGIC = 'EXGY';
export const HEADER_BYTES = 8;
/** Largest body accepted (a request is small; this guards against a desynchronized stream). */
export const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

export const KIND = {
  HELLO: 1,
  MAKE: 2,
  RESET: 3,
  STEP: 4,
  CLOSE: 5,
  MAKE_VEC: 6,
  VRESET: 7,
  VSTEP: 8,
  EVAL_START: 9,
  EVAL_RESET: 10,
  EVAL_STEP: 11,
  EVAL_FINISH: 12,
  BENCH: 13,
  // Replies.
  R_HELLO: 0x81,
  R_READY: 0x82,
  R_OBS: 0x83,
  R_STEPPED: 0x84,
  R_OK: 0x85,
  R_VOBS: 0x87,
  R_VSTEPPED: 0x88,
  R_EVAL_OBS: 0x8a,
  R_RESULT: 0x8c,
  R_ERROR: 0xff,
} as const;

/** STEP request flag: send the step's info whatever the env's info mode (default 'final': only where an episode ends). */
export const WANT_INFO = 1;
/** STEPPED reply flags. */
export const TERMINATED = 1;
export const TRUNCATED = 2;
export const HAS_INFO = 4;

/** Which infos a step sends: every step, only where an episode ends (and `{autoreset: true}` rows), or none. */
export type InfoMode = 'all' | 'final' | 'none';

/** A request that cannot be carried out; `category` picks the Python exception (ValueError or TypeError). */
export class ServeError extends Error {
  override name = 'ServeError';
  readonly category: 'value' | 'type';
  constructor(message: string, category: 'value' | 'type' = 'value') {
    super(message);
    this.category = category;
  }
}

/**
 * Builds reply bodies in one growing buffer, reused for every reply: `finish()` returns a view
 * that is valid until the next `begin`.
 */
export class Encoder {
  private buf = Buffer.allocUnsafe(1 << 16);
  private len = 0;

  /** Starts a body (after the 4-byte length prefix, which `finish` fills in). */
  begin(kind: number, flags = 0, handle = 0): this {
    this.len = 4;
    this.reserve(HEADER_BYTES);
    const b = this.buf;
    b[4] = kind;
    b[5] = flags;
    b.writeUInt16LE(0, 6);
    b.writeUInt32LE(handle >>> 0, 8);
    this.len = 4 + HEADER_BYTES;
    return this;
  }

  /** Sets the header's flags of the body being built. */
  setFlags(flags: number): void {
    this.buf[5] = flags;
  }

  u32(x: number): this {
    this.reserve(4);
    this.buf.writeUInt32LE(x >>> 0, this.len);
    this.len += 4;
    return this;
  }

  f64(x: number): this {
    this.reserve(8);
    this.buf.writeDoubleLE(x, this.len);
    this.len += 8;
    return this;
  }

  /** Raw float64 values (a byte copy). */
  f64s(xs: Float64Array): this {
    const n = xs.byteLength;
    this.reserve(n);
    Buffer.from(xs.buffer, xs.byteOffset, n).copy(this.buf, this.len);
    this.len += n;
    return this;
  }

  u8s(xs: Uint8Array): this {
    this.reserve(xs.length);
    this.buf.set(xs, this.len);
    this.len += xs.length;
    return this;
  }

  ascii(s: string): this {
    this.reserve(s.length);
    this.buf.write(s, this.len, 'latin1');
    this.len += s.length;
    return this;
  }

  /** JSON text of `value` (must be the last field). */
  json(value: unknown): this {
    const text = JSON.stringify(value);
    if (text === undefined) return this;
    const n = Buffer.byteLength(text);
    this.reserve(n);
    this.buf.write(text, this.len, 'utf8');
    this.len += n;
    return this;
  }

  /** The whole frame (length prefix included); valid until the next `begin`. */
  finish(): Buffer {
    this.buf.writeUInt32LE(this.len - 4, 0);
    return this.buf.subarray(0, this.len);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}

/** A request body: the header fields and a cursor over the payload. */
export class Request {
  readonly kind: number;
  readonly flags: number;
  readonly handle: number;
  private readonly body: Buffer;
  private pos = HEADER_BYTES;

  constructor(body: Buffer) {
    if (body.length < HEADER_BYTES) throw new ServeError(`request body of ${body.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
    this.body = body;
    this.kind = body[0];
    this.flags = body[1];
    this.handle = body.readUInt32LE(4);
  }

  /** Bytes left in the payload. */
  get remaining(): number {
    return this.body.length - this.pos;
  }

  u32(): number {
    this.need(4, 'u32');
    const x = this.body.readUInt32LE(this.pos);
    this.pos += 4;
    return x;
  }

  ascii(n: number): string {
    this.need(n, 'text');
    const s = this.body.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** `n` float64 values into a fresh array (the env may keep it). */
  f64s(n: number): Float64Array {
    this.need(n * 8, `${n} float64 values`);
    const out = new Float64Array(n);
    const b = this.body;
    for (let i = 0, o = this.pos; i < n; i++, o += 8) out[i] = b.readDoubleLE(o);
    this.pos += n * 8;
    return out;
  }

  /** Reads float64 values into `out` (length out.length). */
  f64sInto(out: Float64Array): void {
    const n = out.length;
    this.need(n * 8, `${n} float64 values`);
    const b = this.body;
    for (let i = 0, o = this.pos; i < n; i++, o += 8) out[i] = b.readDoubleLE(o);
    this.pos += n * 8;
  }

  /** The rest of the payload as JSON; `undefined` when empty. */
  json(): unknown {
    if (this.remaining === 0) return undefined;
    const text = this.body.toString('utf8', this.pos);
    this.pos = this.body.length;
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new ServeError(`request JSON is malformed: ${(err as Error).message}: ${text.slice(0, 200)}`);
    }
  }

  /** The rest of the payload as a JSON object ({} when empty). */
  object(what: string): Record<string, unknown> {
    const v = this.json();
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ServeError(`${what} must be a JSON object, got ${JSON.stringify(v)}`, 'type');
    return v as Record<string, unknown>;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.body.length) throw new ServeError(`request ${this.kind} is too short: expected ${what} at byte ${this.pos}, the body has ${this.body.length} bytes`);
  }
}
