/**
 * A streaming reader of numeric CSV files (LOBSTER message and orderbook files).
 *
 * Layout: the file is read in large chunks (4 MiB) into one reused byte buffer; numbers are
 * parsed by hand from the bytes (optional '-', digits, optional '.' and digits) into one reused
 * row-major `Float64Array` batch of `batchRows × columns` values. Nothing is allocated per row.
 * A row cut by the end of a chunk is re-parsed after the unread tail is moved to the front of the
 * buffer and the next chunk is appended.
 *
 * Invariants: every row has exactly `columns` fields (fixed by the first row unless given);
 * '\n' and '\r\n' line ends; blank lines are skipped; the last line may lack a newline.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LobsterFormatError } from './errors.ts';

const CHUNK_BYTES = 1 << 22;
/** Most fields a row may have (LOBSTER orderbook files have 4 per level). */
const MAX_COLUMNS = 4000;
const COMMA = 44;
const LF = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

export interface NumericCsvOptions {
  /** Number of fields per row; inferred from the first row when omitted. */
  columns?: number;
  /** Rows per batch (default 65,536). */
  batchRows?: number;
  /** Bytes read per chunk (default 4 MiB; the buffer doubles if one row is longer). */
  chunkBytes?: number;
}

export class NumericCsvReader {
  readonly path: string;
  readonly columns: number;
  readonly batchRows: number;
  /** Row-major values of the current batch: row r, column c at `values[r * columns + c]`. */
  readonly values: Float64Array;
  /** Rows in the current batch (after `fill()`). */
  rows = 0;
  /** Rows read so far, including the current batch. */
  rowsRead = 0;

  private fd: number;
  private buf: Buffer;
  private len = 0;
  private pos = 0;
  private eof = false;
  private line = 1;

  private constructor(path: string, fd: number, columns: number, batchRows: number, buf: Buffer, len: number, eof: boolean) {
    this.path = path;
    this.fd = fd;
    this.columns = columns;
    this.batchRows = batchRows;
    this.values = new Float64Array(columns * batchRows);
    this.buf = buf;
    this.len = len;
    this.eof = eof;
  }

  /** Opens `path`. Throws LobsterFormatError if it cannot be read or the column count is invalid. */
  static open(path: string, options: NumericCsvOptions = {}): NumericCsvReader {
    const batchRows = options.batchRows ?? 65536;
    if (!Number.isInteger(batchRows) || batchRows < 1) {
      throw new LobsterFormatError(`batchRows must be a positive integer, got ${String(batchRows)}`);
    }
    if (options.columns !== undefined && (!Number.isInteger(options.columns) || options.columns < 1)) {
      throw new LobsterFormatError(`columns must be a positive integer, got ${String(options.columns)}`);
    }
    const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
      throw new LobsterFormatError(`chunkBytes must be a positive integer, got ${String(chunkBytes)}`);
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw new LobsterFormatError(`cannot open ${path}: ${(err as Error).message}`);
    }
    let buf = Buffer.allocUnsafe(chunkBytes);
    let len = 0;
    let eof = false;
    // Read until the first line is complete (or the file ends) to count its columns.
    for (;;) {
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) {
        eof = true;
        break;
      }
      len += n;
      // Stop once the first non-blank line is complete.
      let first = 0;
      while (first < len && (buf[first] === LF || buf[first] === CR)) first++;
      if (first < len && buf.subarray(first, len).indexOf(LF) >= 0) break;
    }
    // A CR not followed by LF inside the first line: old Mac line ends, which would read the whole
    // file as one line.
    let i0 = 0;
    while (i0 < len && (buf[i0] === LF || buf[i0] === CR)) i0++;
    for (let i = i0; i < len && buf[i] !== LF; i++) {
      if (buf[i] === CR && i + 1 < len && buf[i + 1] !== LF) {
        closeSync(fd);
        throw new LobsterFormatError(`${path}, line 1: carriage-return-only line ends (allowed: LF or CRLF line ends)`);
      }
    }
    let columns = options.columns;
    if (columns === undefined) {
      let c = 1;
      for (let i = i0; i < len && buf[i] !== LF; i++) if (buf[i] === COMMA) c++;
      columns = c;
    }
    if (columns > MAX_COLUMNS) {
      closeSync(fd);
      throw new LobsterFormatError(`${path}, line 1: ${columns} fields (allowed: at most ${MAX_COLUMNS}; is this a LOBSTER file?)`);
    }
    return new NumericCsvReader(path, fd, columns, batchRows, buf, len, eof);
  }

  /** Reads the next batch into `values`; returns the number of rows (0 at the end of the file). */
  fill(): number {
    const cols = this.columns;
    const out = this.values;
    let r = 0;
    while (r < this.batchRows) {
      // Skip blank lines.
      while (this.pos < this.len && (this.buf[this.pos] === LF || this.buf[this.pos] === CR)) {
        if (this.buf[this.pos] === LF) this.line++;
        this.pos++;
      }
      if (this.pos >= this.len) {
        if (this.eof) break;
        this.refill();
        continue;
      }
      const end = this.parseRow(out, r * cols);
      if (end < 0) {
        if (this.eof) this.fail(`a truncated row`);
        this.refill();
        continue;
      }
      this.pos = end;
      this.line++;
      r++;
    }
    this.rows = r;
    this.rowsRead += r;
    return r;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }

  /** Moves the unread tail to the front of the buffer and appends the next chunk. */
  private refill(): void {
    const tail = this.len - this.pos;
    if (tail > 0 && this.pos > 0) this.buf.copy(this.buf, 0, this.pos, this.len);
    this.len = tail;
    this.pos = 0;
    if (this.len === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    if (this.fd < 0) throw new LobsterFormatError(`${this.path}: read after close`);
    const n = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, null);
    if (n === 0) this.eof = true;
    this.len += n;
  }

  /**
   * Parses one row starting at `pos` into out[o..o+columns). Returns the position after the line
   * end, or -1 if the buffer ends before the row does (and the file has more bytes).
   * Numbers are parsed inline with locals (the hot loop of the reader).
   */
  private parseRow(out: Float64Array, o: number): number {
    const buf = this.buf;
    const len = this.len;
    const cols = this.columns;
    const eof = this.eof;
    let p = this.pos;
    for (let c = 0; c < cols; c++) {
      let neg = false;
      if (p < len && buf[p] === MINUS) {
        neg = true;
        p++;
      }
      let v = 0;
      let digits = 0;
      let d = 0;
      while (p < len && (d = buf[p] - ZERO) >= 0 && d <= 9) {
        v = v * 10 + d;
        p++;
        digits++;
      }
      if (p < len && buf[p] === DOT) {
        p++;
        let f = 0;
        let scale = 1;
        while (p < len && (d = buf[p] - ZERO) >= 0 && d <= 9) {
          f = f * 10 + d;
          scale *= 10;
          p++;
          digits++;
        }
        v += f / scale;
      }
      if (p >= len && !eof) return -1;
      if (digits === 0) {
        const at = p >= len ? 'the end of the file' : buf[p] === LF || buf[p] === CR ? 'the end of the line' : `'${String.fromCharCode(buf[p])}'`;
        this.fail(`${at} where a number is expected`);
      }
      out[o + c] = neg ? -v : v;
      if (c < cols - 1) {
        if (p >= len || buf[p] === LF || buf[p] === CR) this.fail(`${c + 1} fields where ${cols} are expected`);
        if (buf[p] !== COMMA) this.fail(`an unexpected character '${String.fromCharCode(buf[p])}' after field ${c + 1}`);
        p++;
      } else {
        if (p >= len) return p;
        if (buf[p] === CR) p++;
        if (p >= len) return eof ? p : -1;
        if (buf[p] === LF) return p + 1;
        if (buf[p] === COMMA) this.fail(`more than ${cols} fields`);
        this.fail(`an unexpected character '${String.fromCharCode(buf[p])}' in field ${cols}`);
      }
    }
    return -1;
  }

  private fail(what: string): never {
    throw new LobsterFormatError(`${this.path}, line ${this.line}: ${what} (allowed: ${this.columns} comma-separated decimal numbers per row)`);
  }
}
