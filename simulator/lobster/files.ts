/**
 * Reading LOBSTER files (Node only: file descriptors): streaming message batches, whole files
 * into columns, orderbook files, and the lockstep walk over a message file and its orderbook
 * file that the one-step check and the replay share.
 */
import { NumericCsvReader } from './csv.ts';
import { LobsterFormatError } from './errors.ts';
import { MESSAGE_COLUMNS, MSG_DIRECTION, MSG_ID, MSG_PRICE, MSG_SIZE, MSG_TIME, MSG_TYPE, MessageRowChecker, assertLevels } from './format.ts';
import type { LobsterMessages, LobsterOrderbook } from './format.ts';

function grow<T extends Float64Array | Int8Array>(a: T, n: number, make: (n: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, a.length * 2));
  b.set(a);
  return b;
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
    const checker = new MessageRowChecker(path);
    for (let n = reader.fill(); n > 0; n = reader.fill()) {
      const v = reader.values;
      for (let r = 0; r < n; r++) {
        const o = r * MESSAGE_COLUMNS;
        checker.check(first + r, v[o + MSG_TIME], v[o + MSG_TYPE], v[o + MSG_DIRECTION], v[o + MSG_SIZE], v[o + MSG_PRICE]);
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
  // Every column has exactly `length` entries, like the orderbook's values: callers pair the
  // columns with arrays of their own of that length (a file over one batch, 65,536 rows, used to
  // leave the doubled capacity behind).
  if (cap !== m.length) {
    const n = m.length;
    m.time = m.time.slice(0, n);
    m.type = m.type.slice(0, n);
    m.orderId = m.orderId.slice(0, n);
    m.size = m.size.slice(0, n);
    m.price = m.price.slice(0, n);
    m.direction = m.direction.slice(0, n);
  }
  return m;
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

/**
 * Walks a message file and its orderbook file in lockstep (streaming both): `visit(row, m, mo,
 * b, bo)` gets the 0-based row, the message batch `m` with the row at offset `mo` (`MSG_*`
 * columns) and the orderbook batch `b` with the book after the message at offset `bo` (4 ×
 * levels columns). Batches are reused: read them only during the call. Every message row passes
 * `MessageRowChecker` first. `open(levels)` is called once the orderbook file's level count is
 * known, before the first visit. Returns the rows and the level count.
 * @throws LobsterFormatError on a malformed row or when the files have different row counts.
 */
export function forEachLobsterRow(
  messagesPath: string,
  orderbookPath: string,
  levels: number | undefined,
  open: (levels: number) => void,
  visit: (row: number, m: Float64Array, mo: number, b: Float64Array, bo: number) => void,
): { rows: number; levels: number } {
  const { reader: books, levels: L } = openOrderbook(orderbookPath, levels);
  let msgs: NumericCsvReader | undefined;
  try {
    open(L);
    const checker = new MessageRowChecker(messagesPath);
    msgs = NumericCsvReader.open(messagesPath, { columns: MESSAGE_COLUMNS });
    const cols = 4 * L;
    let mRows = 0;
    let mPos = 0;
    let bRows = 0;
    let bPos = 0;
    let row = 0;
    for (;;) {
      if (mPos >= mRows) {
        mRows = msgs.fill();
        mPos = 0;
      }
      if (bPos >= bRows) {
        bRows = books.fill();
        bPos = 0;
      }
      if (mRows === 0 || bRows === 0) {
        if (mRows !== bRows) {
          throw new LobsterFormatError(`${messagesPath} and ${orderbookPath} have different row counts (${mRows === 0 ? 'messages' : 'orderbook'} ended after ${row} rows)`);
        }
        break;
      }
      const mv = msgs.values;
      const o = mPos * MESSAGE_COLUMNS;
      checker.check(row, mv[o + MSG_TIME], mv[o + MSG_TYPE], mv[o + MSG_DIRECTION], mv[o + MSG_SIZE], mv[o + MSG_PRICE]);
      visit(row, mv, o, books.values, bPos * cols);
      mPos++;
      bPos++;
      row++;
    }
    return { rows: row, levels: L };
  } finally {
    books.close();
    msgs?.close();
  }
}
