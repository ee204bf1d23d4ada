/**
 * LOBSTER's file format (https://lobsterdata.com) and whole-file readers built on the streaming
 * `NumericCsvReader`.
 *
 * Message file, one row per event: `time,type,orderId,size,price,direction`
 * (time in seconds after midnight; price in dollars × 10,000; direction = side of the *limit
 * order*: +1 buy, −1 sell). Orderbook file, one row per message (the book after it):
 * `askPrice1,askSize1,bidPrice1,bidSize1,askPrice2,...`, 4 columns per level; an empty level is
 * ask 9,999,999,999 / bid −9,999,999,999 with size 0.
 */
import { NumericCsvReader } from './csv.ts';
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

function grow<T extends Float64Array | Int8Array>(a: T, n: number, make: (n: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

/** Checks one message row; throws LobsterFormatError naming the row and the value. */
function checkMessage(path: string, row: number, type: number, dir: number, size: number): void {
  if (!(type >= 1 && type <= 7 && Number.isInteger(type))) {
    throw new LobsterFormatError(`${path}, row ${row + 1}: event type ${type} (allowed: integers 1–7)`);
  }
  if (type !== 7 && dir !== 1 && dir !== -1) {
    throw new LobsterFormatError(`${path}, row ${row + 1}: direction ${dir} (allowed: 1 buy, -1 sell)`);
  }
  if (!(size >= 0)) throw new LobsterFormatError(`${path}, row ${row + 1}: size ${size} (allowed: >= 0)`);
}

/**
 * Streams a message file in batches: `onBatch(values, rows, firstRow)` receives a reused
 * row-major batch (6 columns, `MSG_*` indices) that is valid only during the call.
 * Returns the number of rows read.
 */
export function forEachMessageBatch(path: string, onBatch: (values: Float64Array, rows: number, firstRow: number) => void, batchRows = 65536): number {
  const reader = NumericCsvReader.open(path, { columns: MESSAGE_COLUMNS, batchRows });
  try {
    let first = 0;
    for (let n = reader.fill(); n > 0; n = reader.fill()) {
      const v = reader.values;
      for (let r = 0; r < n; r++) {
        const o = r * MESSAGE_COLUMNS;
        checkMessage(path, first + r, v[o + MSG_TYPE], v[o + MSG_DIRECTION], v[o + MSG_SIZE]);
      }
      onBatch(v, n, first);
      first += n;
    }
    return first;
  } finally {
    reader.close();
  }
}

/** Reads a whole message file into columns. Throws LobsterFormatError on a malformed row. */
export function readLobsterMessages(path: string): LobsterMessages {
  let cap = 1024;
  const m: LobsterMessages = {
    length: 0,
    time: new Float64Array(cap),
    type: new Int8Array(cap),
    orderId: new Float64Array(cap),
    size: new Float64Array(cap),
    price: new Float64Array(cap),
    direction: new Int8Array(cap),
  };
  forEachMessageBatch(path, (v, rows) => {
    const need = m.length + rows;
    if (need > cap) {
      cap = Math.max(need, cap * 2);
      m.time = grow(m.time, cap, (k) => new Float64Array(k));
      m.type = grow(m.type, cap, (k) => new Int8Array(k));
      m.orderId = grow(m.orderId, cap, (k) => new Float64Array(k));
      m.size = grow(m.size, cap, (k) => new Float64Array(k));
      m.price = grow(m.price, cap, (k) => new Float64Array(k));
      m.direction = grow(m.direction, cap, (k) => new Int8Array(k));
    }
    for (let r = 0, i = m.length; r < rows; r++, i++) {
      const o = r * MESSAGE_COLUMNS;
      m.time[i] = v[o + MSG_TIME];
      m.type[i] = v[o + MSG_TYPE];
      m.orderId[i] = v[o + MSG_ID];
      m.size[i] = v[o + MSG_SIZE];
      m.price[i] = v[o + MSG_PRICE];
      m.direction[i] = v[o + MSG_DIRECTION];
    }
    m.length = need;
  });
  return m;
}

/** Checks a level count. */
export function assertLevels(levels: unknown): asserts levels is number {
  if (typeof levels !== 'number' || !Number.isInteger(levels) || levels < 1) {
    throw new ReplayError(`levels must be a positive integer, got ${String(levels)}`);
  }
}

/**
 * Opens an orderbook file for streaming. `levels` is inferred from the first row (columns / 4)
 * when omitted; a given `levels` must match the file.
 */
export function openOrderbook(path: string, levels?: number, batchRows = 65536): { reader: NumericCsvReader; levels: number } {
  if (levels !== undefined) assertLevels(levels);
  const reader = NumericCsvReader.open(path, { batchRows });
  if (reader.columns % 4 !== 0 || (levels !== undefined && reader.columns !== 4 * levels)) {
    reader.close();
    const want = levels === undefined ? 'a multiple of 4' : `${4 * levels} (${levels} levels)`;
    throw new LobsterFormatError(`${path}: first row has ${reader.columns} columns (allowed: ${want})`);
  }
  return { reader, levels: reader.columns / 4 };
}

/** Reads a whole orderbook file. */
export function readLobsterOrderbook(path: string, levels?: number): LobsterOrderbook {
  const { reader, levels: L } = openOrderbook(path, levels);
  const cols = 4 * L;
  let values = new Float64Array(cols * 1024);
  let length = 0;
  try {
    for (let n = reader.fill(); n > 0; n = reader.fill()) {
      if ((length + n) * cols > values.length) {
        const bigger = new Float64Array(Math.max((length + n) * cols, values.length * 2));
        bigger.set(values.subarray(0, length * cols));
        values = bigger;
      }
      values.set(reader.values.subarray(0, n * cols), length * cols);
      length += n;
    }
  } finally {
    reader.close();
  }
  return { length, levels: L, values: values.slice(0, length * cols) };
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
