/**
 * LOBSTER's file format (https://lobsterdata.com): event types, columns, the in-memory layout of
 * whole files, the per-row checks, and market orders grouped from executions. No file access here
 * (that is files.ts, for Node), so the replay core bundles for the browser.
 *
 * Message file, one row per event: `time,type,orderId,size,price,direction`
 * (time in seconds after midnight; price in dollars × 10,000; direction = side of the *limit
 * order*: +1 buy, −1 sell). Orderbook file, one row per message (the book after it):
 * `askPrice1,askSize1,bidPrice1,bidSize1,askPrice2,...`, 4 columns per level; an empty level is
 * ask 9,999,999,999 / bid −9,999,999,999 with size 0.
 */
import { LobsterFormatError, ReplayError } from './errors.ts';

/** Event types of the message file. */
export const LobsterType = {
  /** New limit order. */
  SUBMIT: 1,
  /** Partial cancellation. */
  CANCEL: 2,
  /** Full deletion. */
  DELETE: 3,
  /** Execution of a visible limit order. */
  EXECUTE: 4,
  /** Execution of a hidden limit order (the visible book does not change). */
  EXECUTE_HIDDEN: 5,
  /** Cross trade (auction). */
  CROSS: 6,
  /** Trading halt: price −1 halt, 0 quoting resumes, 1 trading resumes. */
  HALT: 7,
} as const;

/** Column indices of a message row. */
export const MSG_TIME = 0;
export const MSG_TYPE = 1;
export const MSG_ID = 2;
export const MSG_SIZE = 3;
export const MSG_PRICE = 4;
export const MSG_DIRECTION = 5;
export const MESSAGE_COLUMNS = 6;

/** Price of an empty ask level (dollars × 10,000). */
export const EMPTY_ASK_PRICE = 9999999999;
/** Price of an empty bid level (dollars × 10,000). */
export const EMPTY_BID_PRICE = -9999999999;
/** LOBSTER prices are dollars × this. */
export const PRICE_SCALE = 10000;

/** A whole message file in columns. Prices are raw LOBSTER units (dollars × 10,000). */
export interface LobsterMessages {
  length: number;
  /** Seconds after midnight. */
  time: Float64Array;
  /** Event type 1–7 (`LobsterType`). */
  type: Int8Array;
  orderId: Float64Array;
  /** Shares. */
  size: Float64Array;
  /** Dollars × 10,000 (for type 7: −1, 0 or 1). */
  price: Float64Array;
  /** Side of the limit order: +1 buy, −1 sell. */
  direction: Int8Array;
}

/** A whole orderbook file: `values[row * 4 * levels + 4 * level + k]`, k = askPrice, askSize, bidPrice, bidSize. */
export interface LobsterOrderbook {
  length: number;
  levels: number;
  values: Float64Array;
}

/**
 * The session a LOBSTER file covers, seconds after midnight, from LOBSTER's file naming
 * (`TICKER_DATE_<startMs>_<endMs>_message_N.csv`); the whole day [0, 86400] when the name does
 * not say.
 */
export function lobsterSessionWindow(path: string): { start: number; end: number } {
  const m = /_(\d+)_(\d+)_(?:message|orderbook)_\d+/.exec(path);
  if (m !== null) {
    const start = Number(m[1]) / 1000;
    const end = Number(m[2]) / 1000;
    if (start < end && end <= 86400) return { start, end };
  }
  return { start: 0, end: 86400 };
}

/**
 * How much of a session [start, start + seconds] a message file's rows span (first to last row,
 * clipped to the session): `share` 1 for a whole day, ~0.002 for LOBSTER's sample of a day's
 * first 999 rows. Counts divided by the whole session read such a file as a very quiet day.
 */
export function messageCoverage(m: Pick<LobsterMessages, 'length' | 'time'>, start: number, seconds: number): { first: number; last: number; share: number } {
  if (m.length === 0 || !(seconds > 0)) return { first: NaN, last: NaN, share: 0 };
  const first = m.time[0];
  const last = m.time[m.length - 1];
  const lo = Math.max(first, start);
  const hi = Math.min(last, start + seconds);
  return { first, last, share: hi > lo ? (hi - lo) / seconds : 0 };
}

/**
 * A note for a message file that spans under 90% of the session it is read over (null when it
 * spans more, or holds no row): the span, the share, and the options that read the part the file
 * holds (the whole seconds around its rows).
 */
export function partialSessionNote(m: Pick<LobsterMessages, 'length' | 'time'>, start: number, seconds: number): string | null {
  if (m.length === 0) return null;
  const c = messageCoverage(m, start, seconds);
  if (c.share >= 0.9) return null;
  // The session the rows span (whole seconds around them, inside the given session or not).
  const from = Math.floor(c.first);
  const len = Math.max(1, Math.ceil(c.last - from));
  return (
    `the messages span ${c.first.toFixed(1)}–${c.last.toFixed(1)} s after midnight, ${(100 * c.share).toFixed(1)}% of the ${seconds}-s session from ${start}: ` +
    `rates are counted per session second, so a partial file reads as a quiet day; for the part it holds pass --session-start ${from} --session-seconds ${len}`
  );
}

/**
 * Checks message rows one after another (the rules of LOBSTER's format): event type an integer
 * 1–7; direction ±1 (except halts); for types 1–6 a size that is a positive integer and a
 * positive price; time finite, inside the session window and non-decreasing. Errors are
 * LobsterFormatErrors naming the file (or what the data is), the 1-based line, the value and
 * what is allowed.
 */
export class MessageRowChecker {
  private lastTime = -Infinity;

  /** @param label the file path (or a name for data in memory); `window` the session, seconds after midnight. */
  constructor(
    private readonly label: string,
    private readonly window: { start: number; end: number } = lobsterSessionWindow(label),
  ) {}

  /** Checks the row with 0-based index `row`. */
  check(row: number, time: number, type: number, dir: number, size: number, price: number): void {
    if (!(type >= 1 && type <= 7 && Number.isInteger(type))) this.fail(row, `event type ${type} (allowed: integers 1–7)`);
    if (type !== 7 && dir !== 1 && dir !== -1) this.fail(row, `direction ${dir} (allowed: 1 buy, -1 sell)`);
    if (type !== 7) {
      if (!(size >= 1 && Number.isInteger(size))) this.fail(row, `size ${size} (allowed: a positive integer number of shares)`);
      if (!(price > 0)) this.fail(row, `price ${price} (allowed: > 0, dollars × 10,000)`);
    }
    const w = this.window;
    if (!(time >= w.start && time <= w.end)) this.fail(row, `time ${time} s after midnight is outside the session [${w.start}, ${w.end}]`);
    if (time < this.lastTime) this.fail(row, `time ${time} is before the previous row's ${this.lastTime} (allowed: non-decreasing times)`);
    this.lastTime = time;
  }

  private fail(row: number, what: string): never {
    throw new LobsterFormatError(`${this.label}, line ${row + 1}: ${what}`);
  }
}

/** Checks every row of messages held in memory (see MessageRowChecker). */
export function validateLobsterMessages(m: LobsterMessages, label = 'messages', window?: { start: number; end: number }): void {
  const c = new MessageRowChecker(label, window);
  for (let i = 0; i < m.length; i++) c.check(i, m.time[i], m.type[i], m.direction[i], m.size[i], m.price[i]);
}

/** Checks a level count. */
export function assertLevels(levels: unknown): asserts levels is number {
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 1) {
    throw new ReplayError(`levels must be a positive integer, got ${String(levels)}`);
  }
}

/**
 * A checksum of a day's files in memory (FNV-1a, 32 bits, over every column's bytes), for cache
 * keys of measurements on the day. Not cryptographic.
 */
export function lobsterChecksum(m: LobsterMessages, b: LobsterOrderbook): string {
  let h = 0x811c9dc5;
  const mix = (a: Float64Array | Int8Array, n: number): void => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  };
  mix(m.time, m.length);
  mix(m.type, m.length);
  mix(m.orderId, m.length);
  mix(m.size, m.length);
  mix(m.price, m.length);
  mix(m.direction, m.length);
  mix(b.values, b.length * 4 * b.levels);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Market orders rebuilt from executions (columns). */
export interface MarketOrders {
  length: number;
  /** Seconds after midnight. */
  time: Float64Array;
  /** Aggressor side: +1 buyer-initiated, −1 seller-initiated (= −direction of the limit orders hit). */
  sign: Int8Array;
  /** Shares, summed over the fills. */
  qty: Float64Array;
  /** Volume-weighted price, dollars × 10,000. */
  vwap: Float64Array;
  /** Number of fills (execution rows) in the order. */
  fills: Int32Array;
}

/**
 * Groups executions into market orders: consecutive execution rows with the same timestamp and
 * the same direction are one aggressive order (LOBSTER writes one row per limit order filled).
 * `includeHidden` (default false) also counts type-5 (hidden) executions; a visible and a hidden
 * fill at the same timestamp and side then join the same order.
 */
export function groupExecutions(m: LobsterMessages, includeHidden = false): MarketOrders {
  const n = m.length;
  const out: MarketOrders = {
    length: 0,
    time: new Float64Array(n),
    sign: new Int8Array(n),
    qty: new Float64Array(n),
    vwap: new Float64Array(n),
    fills: new Int32Array(n),
  };
  let k = -1;
  let lastTime = NaN;
  let lastDir = 0;
  for (let i = 0; i < n; i++) {
    const t = m.type[i];
    if (t !== LobsterType.EXECUTE && !(includeHidden && t === LobsterType.EXECUTE_HIDDEN)) continue;
    const time = m.time[i];
    const dir = m.direction[i];
    const size = m.size[i];
    if (k >= 0 && time === lastTime && dir === lastDir) {
      out.vwap[k] += m.price[i] * size;
      out.qty[k] += size;
      out.fills[k]++;
    } else {
      k++;
      out.time[k] = time;
      out.sign[k] = -dir;
      out.qty[k] = size;
      out.vwap[k] = m.price[i] * size;
      out.fills[k] = 1;
      lastTime = time;
      lastDir = dir;
    }
  }
  out.length = k + 1;
  for (let j = 0; j <= k; j++) out.vwap[j] = out.qty[j] > 0 ? out.vwap[j] / out.qty[j] : NaN;
  return out;
}
