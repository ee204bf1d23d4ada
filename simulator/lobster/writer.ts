/**
 * A streaming writer of LOBSTER message and orderbook files.
 *
 * The market works in integer ticks and seconds from the session start; the writer converts at
 * the edge: price = priceTicks × tickSize (tickSize in LOBSTER units, dollars × 10,000; GOOG's
 * $0.01 tick is 100) and time = sessionStartSeconds + t (seconds after midnight, 9 decimals).
 *
 * Rows are buffered in memory (up to 1 MiB) and appended to temporary siblings of the target
 * files; `close()` flushes, fsyncs and renames both into place, so a crash never leaves a
 * half-written file under the final name. `abort()` removes the temporaries.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ReplayError } from './errors.ts';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE, LobsterType, assertLevels } from './format.ts';

const FLUSH_CHARS = 1 << 20;
let tmpCounter = 0;

export interface LobsterWriterOptions {
  /** Target message file. */
  messagesPath: string;
  /** Target orderbook file. */
  orderbookPath: string;
  /** Levels per orderbook row. */
  levels: number;
  /** One tick in LOBSTER price units (dollars × 10,000); a positive integer. */
  tickSize: number;
  /** Seconds after midnight of simulated time 0 (default 34,200 = 09:30). */
  sessionStartSeconds?: number;
}

class TempFile {
  readonly path: string;
  readonly tmp: string;
  fd: number;
  private pending = '';
  constructor(path: string) {
    this.path = path;
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${tmpCounter++}`);
    this.fd = openSync(this.tmp, 'w');
  }
  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= FLUSH_CHARS) this.flush();
  }
  flush(): void {
    if (this.pending.length > 0) {
      writeSync(this.fd, this.pending);
      this.pending = '';
    }
  }
  commit(): void {
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
    renameSync(this.tmp, this.path);
  }
  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    rmSync(this.tmp, { force: true });
  }
}

function isInt(x: number): boolean {
  return Number.isInteger(x);
}

export class LobsterWriter {
  readonly levels: number;
  readonly tickSize: number;
  readonly sessionStartSeconds: number;
  /** Message rows written. */
  messages = 0;
  /** Orderbook rows written. */
  books = 0;
  private readonly msg: TempFile;
  private readonly book: TempFile;
  private open = true;

  constructor(options: LobsterWriterOptions) {
    assertLevels(options.levels);
    if (!isInt(options.tickSize) || options.tickSize < 1) {
      throw new ReplayError(`tickSize must be a positive integer in dollars × 10,000 (GOOG's $0.01 is 100), got ${String(options.tickSize)}`);
    }
    const start = options.sessionStartSeconds ?? 34200;
    if (!Number.isFinite(start) || start < 0) throw new ReplayError(`sessionStartSeconds must be finite and >= 0, got ${String(start)}`);
    if (options.messagesPath === options.orderbookPath) throw new ReplayError(`messagesPath and orderbookPath must differ, both are ${options.messagesPath}`);
    this.levels = options.levels;
    this.tickSize = options.tickSize;
    this.sessionStartSeconds = start;
    this.msg = new TempFile(options.messagesPath);
    try {
      this.book = new TempFile(options.orderbookPath);
    } catch (err) {
      this.msg.abort();
      throw err;
    }
  }

  private assertOpen(): void {
    if (!this.open) throw new ReplayError('LobsterWriter is closed');
  }

  private timeText(t: number): string {
    if (!Number.isFinite(t) || t < 0) throw new ReplayError(`time must be finite seconds >= 0 from the session start, got ${String(t)}`);
    return (this.sessionStartSeconds + t).toFixed(9);
  }

  /**
   * Writes one message row. `t`: seconds from the session start; `type`: 1–6 (use `writeHalt`
   * for 7); `qty`: shares (integer >= 0); `priceTicks`: integer ticks; `direction`: side of the
   * limit order, +1 buy / −1 sell. Throws ReplayError on bad input (nothing written).
   */
  writeMessage(t: number, type: number, orderId: number, qty: number, priceTicks: number, direction: number): void {
    this.assertOpen();
    const time = this.timeText(t);
    if (!isInt(type) || type < 1 || type > 6) throw new ReplayError(`type must be an integer 1–6 (writeHalt for 7), got ${String(type)}`);
    if (!isInt(orderId) || orderId < 0) throw new ReplayError(`orderId must be an integer >= 0, got ${String(orderId)}`);
    if (!isInt(qty) || qty < 0) throw new ReplayError(`qty must be an integer >= 0, got ${String(qty)}`);
    if (!isInt(priceTicks)) throw new ReplayError(`priceTicks must be an integer, got ${String(priceTicks)}`);
    if (direction !== 1 && direction !== -1) throw new ReplayError(`direction must be 1 (buy) or -1 (sell), got ${String(direction)}`);
    this.msg.write(`${time},${type},${orderId},${qty},${priceTicks * this.tickSize},${direction}\n`);
    this.messages++;
  }

  /** Writes a halt message (type 7): `code` −1 halt, 0 quoting resumes, 1 trading resumes. */
  writeHalt(t: number, code: number): void {
    this.assertOpen();
    const time = this.timeText(t);
    if (code !== -1 && code !== 0 && code !== 1) throw new ReplayError(`halt code must be -1, 0 or 1, got ${String(code)}`);
    this.msg.write(`${time},${LobsterType.HALT},0,0,${code},-1\n`);
    this.messages++;
  }

  /**
   * Writes one orderbook row (the book after the last message). Level i of each side is
   * (priceTicks[i], qty[i]) for i < nAsk (nBid); missing levels are written empty. Asks must be
   * strictly increasing, bids strictly decreasing, sizes positive integers.
   */
  writeBook(askPriceTicks: ArrayLike<number>, askQty: ArrayLike<number>, nAsk: number, bidPriceTicks: ArrayLike<number>, bidQty: ArrayLike<number>, nBid: number): void {
    this.assertOpen();
    const L = this.levels;
    this.checkSide('ask', askPriceTicks, askQty, nAsk, 1);
    this.checkSide('bid', bidPriceTicks, bidQty, nBid, -1);
    let s = '';
    for (let i = 0; i < L; i++) {
      if (i > 0) s += ',';
      s += i < nAsk ? `${askPriceTicks[i] * this.tickSize},${askQty[i]}` : `${EMPTY_ASK_PRICE},0`;
      s += i < nBid ? `,${bidPriceTicks[i] * this.tickSize},${bidQty[i]}` : `,${EMPTY_BID_PRICE},0`;
    }
    this.book.write(s + '\n');
    this.books++;
  }

  private checkSide(side: string, p: ArrayLike<number>, q: ArrayLike<number>, n: number, order: number): void {
    if (!isInt(n) || n < 0) throw new ReplayError(`${side} level count must be an integer >= 0, got ${String(n)}`);
    const m = Math.min(n, this.levels);
    if (p.length < m || q.length < m) throw new ReplayError(`${side} arrays hold ${Math.min(p.length, q.length)} levels, ${m} needed`);
    for (let i = 0; i < m; i++) {
      if (!isInt(p[i])) throw new ReplayError(`${side} price at level ${i + 1} must be integer ticks, got ${String(p[i])}`);
      if (!isInt(q[i]) || q[i] <= 0) throw new ReplayError(`${side} qty at level ${i + 1} must be a positive integer, got ${String(q[i])}`);
      if (i > 0 && (p[i] - p[i - 1]) * order <= 0) {
        throw new ReplayError(`${side} prices must be strictly ${order > 0 ? 'increasing' : 'decreasing'}: level ${i} ${p[i - 1]}, level ${i + 1} ${p[i]}`);
      }
    }
  }

  /** Flushes both files and renames them into place. Throws if rows are unpaired. */
  close(): void {
    this.assertOpen();
    if (this.messages !== this.books) {
      throw new ReplayError(`every message needs one orderbook row: ${this.messages} messages, ${this.books} orderbook rows (writer left open)`);
    }
    this.open = false;
    this.msg.commit();
    this.book.commit();
  }

  /** Discards both files (no-op after close). */
  abort(): void {
    if (!this.open) return;
    this.open = false;
    this.msg.abort();
    this.book.abort();
  }
}
