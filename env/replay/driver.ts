/**
 * ReplayDriver: a historical LOBSTER day as the market behind an env. The background flow is the
 * file's messages, replayed into the L3 book in `match` mode (simulator/replay/replay-book.ts),
 * and outside (agent) orders are ordinary orders in the same book. The rules for historical
 * orders the agent interacted with are in ./README.md.
 *
 * Clock: seconds of session time (0 = `sessionStart` seconds after midnight, 09:30 by default),
 * like the simulated market. `reset(startSeconds)` seeds the book from the last orderbook row at
 * or before the start (one synthetic order per visible level: queue positions before the start
 * are not known) and `runUntil(t)` applies every message with time <= t, checking each against
 * its orderbook row (levels entering the window from below are re-seeded; differences inside the
 * window are the agent's impact and are kept).
 *
 * Records (read after `runUntil`): `tape` (every fill: historical executions matched in the book,
 * hidden executions, the agent's trades; aggressor sign), `outsideFills` (the agent's fills),
 * `series` (mid and spread on a 1-second grid, before the events of each grid time).
 */
import { BUY, SELL, BookError, grownColumn } from '../../simulator/book/index.ts';
import type { FillBuffer } from '../../simulator/book/index.ts';
import { ReplayBook, HISTORICAL_OWNER, LobsterType } from '../../simulator/replay/index.ts';
import type { LobsterMessages, LobsterOrderbook, ReplayReport } from '../../simulator/replay/index.ts';

/** Bad input to the driver (the message names the value and what is allowed); state untouched. */
export class ReplayDriverError extends Error {
  override name = 'ReplayDriverError';
}

/** Smallest owner id of outside (agent) orders; replay owners are 0–2. */
export const REPLAY_OUTSIDE_OWNER_MIN = 100;

/** Fills in columns (the tape and the agent's fills). */
export class ReplayTape {
  length = 0;
  /** Session seconds. */
  time: Float64Array = new Float64Array(1024);
  /** Ticks. */
  price: Float64Array = new Float64Array(1024);
  qty: Float64Array = new Float64Array(1024);
  /** Aggressor sign (tape) or the owner's side (outside fills: +1 bought, −1 sold). */
  sign: Int8Array = new Int8Array(1024);
  makerOwner: Int32Array = new Int32Array(1024);
  takerOwner: Int32Array = new Int32Array(1024);
  /** 1 when the row's owner of interest was the taker (outside fills), else 0. */
  aggressive: Int8Array = new Int8Array(1024);

  clear(): void {
    this.length = 0;
  }

  push(time: number, price: number, qty: number, sign: number, makerOwner: number, takerOwner: number, aggressive: number): void {
    const i = this.length;
    if (i === this.qty.length) {
      const c = 2 * i;
      this.time = grownColumn(this.time, c);
      this.price = grownColumn(this.price, c);
      this.qty = grownColumn(this.qty, c);
      this.sign = grownColumn(this.sign, c);
      this.makerOwner = grownColumn(this.makerOwner, c);
      this.takerOwner = grownColumn(this.takerOwner, c);
      this.aggressive = grownColumn(this.aggressive, c);
    }
    this.time[i] = time;
    this.price[i] = price;
    this.qty[i] = qty;
    this.sign[i] = sign;
    this.makerOwner[i] = makerOwner;
    this.takerOwner[i] = takerOwner;
    this.aggressive[i] = aggressive;
    this.length = i + 1;
  }
}

export interface ReplayDriverOptions {
  messages: LobsterMessages;
  orderbook: LobsterOrderbook;
  /** One tick in LOBSTER price units (default 100). */
  tickSize?: number;
  /** Seconds after midnight of session time 0 (default 34,200). */
  sessionStart?: number;
}

export class ReplayDriver {
  readonly messages: LobsterMessages;
  readonly orderbook: LobsterOrderbook;
  readonly tickSize: number;
  readonly sessionStart: number;
  /** Session seconds of the first and last message. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** Current session time, seconds. */
  now = 0;
  readonly tape = new ReplayTape();
  readonly outsideFills = new ReplayTape();
  /** Mid and spread (ticks) sampled every second from the reset. */
  readonly series = { t0: 0, dt: 1, length: 0, mid: new Float64Array(4096), spread: new Float64Array(4096) };
  private rb: ReplayBook;
  /** Index of the next message to apply. */
  private next = 0;
  private nextSample = 0;
  private readonly cols: number;

  constructor(options: ReplayDriverOptions) {
    const { messages: m, orderbook: b } = options;
    if (m.length !== b.length) throw new ReplayDriverError(`message and orderbook row counts differ: ${m.length} and ${b.length}`);
    if (m.length < 2) throw new ReplayDriverError(`a replay needs at least 2 messages, got ${m.length}`);
    const tick = options.tickSize ?? 100;
    if (!Number.isInteger(tick) || tick < 1) throw new ReplayDriverError(`tickSize must be a positive integer (dollars × 10,000), got ${String(tick)}`);
    this.messages = m;
    this.orderbook = b;
    this.tickSize = tick;
    this.sessionStart = options.sessionStart ?? 34200;
    this.firstTime = m.time[0] - this.sessionStart;
    this.lastTime = m.time[m.length - 1] - this.sessionStart;
    this.cols = 4 * b.levels;
    this.rb = this.makeBook();
  }

  private makeBook(): ReplayBook {
    const rb = new ReplayBook({ levels: this.orderbook.levels, tickSize: this.tickSize, executions: 'match', maxDetails: 0 });
    rb.fillSink = (f: FillBuffer): void => this.recordFills(f);
    return rb;
  }

  /** The L3 book (read freely; mutate only through the driver). */
  get book(): ReplayBook['book'] {
    return this.rb.book;
  }

  /** The replay's consistency and interaction counters (mismatches = divergence from history). */
  report(): ReplayReport {
    return this.rb.report();
  }

  /**
   * Starts over at session time `startSeconds`: the book is seeded from the last orderbook row
   * at or before it (the first row if none), records are cleared, and the clock is at the start.
   * @throws ReplayDriverError when the start is not finite or lies after the last message.
   */
  reset(startSeconds: number): void {
    if (typeof startSeconds !== 'number' || !Number.isFinite(startSeconds) || startSeconds > this.lastTime) {
      throw new ReplayDriverError(`startSeconds must be a finite number of session seconds <= ${this.lastTime} (the last message), got ${String(startSeconds)}`);
    }
    const m = this.messages;
    const abs = this.sessionStart + startSeconds;
    // Last row at or before the start (binary search on the message times).
    let lo = 0;
    let hi = m.length - 1;
    if (m.time[0] > abs) hi = 0;
    else {
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (m.time[mid] <= abs) lo = mid;
        else hi = mid - 1;
      }
    }
    const row = hi;
    this.rb = this.makeBook();
    this.rb.seed(this.orderbook.values, row * this.cols);
    this.next = row + 1;
    this.now = Math.max(startSeconds, m.time[row] - this.sessionStart);
    this.tape.clear();
    this.outsideFills.clear();
    this.series.t0 = this.now;
    this.series.length = 0;
    this.nextSample = this.now;
  }

  private recordFills(f: FillBuffer): void {
    for (let i = 0; i < f.count; i++) {
      const t = f.time[i] - this.sessionStart;
      this.tape.push(t, f.price[i], f.qty[i], f.takerSide[i], f.makerOwner[i], f.takerOwner[i], 0);
      if (f.makerOwner[i] >= REPLAY_OUTSIDE_OWNER_MIN) this.outsideFills.push(t, f.price[i], f.qty[i], -f.takerSide[i], f.makerOwner[i], f.takerOwner[i], 0);
      if (f.takerOwner[i] >= REPLAY_OUTSIDE_OWNER_MIN) this.outsideFills.push(t, f.price[i], f.qty[i], f.takerSide[i], f.makerOwner[i], f.takerOwner[i], 1);
    }
  }

  /** Samples the grid times up to t (inclusive, or exclusive when `strict`). */
  private sampleTo(t: number, strict: boolean): void {
    const s = this.series;
    while (strict ? this.nextSample < t : this.nextSample <= t) {
      if (s.length === s.mid.length) {
        const a = new Float64Array(2 * s.length);
        a.set(s.mid);
        s.mid = a;
        const b = new Float64Array(2 * s.length);
        b.set(s.spread);
        s.spread = b;
      }
      s.mid[s.length] = this.mid();
      s.spread[s.length] = this.spread();
      s.length++;
      this.nextSample += s.dt;
    }
  }

  /**
   * Applies every historical message with session time <= t (each checked against its row).
   * @throws ReplayDriverError if t is not a finite number >= now.
   */
  runUntil(t: number): void {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < this.now) throw new ReplayDriverError(`runUntil: t must be a finite number >= now (${this.now}), got ${String(t)}`);
    const m = this.messages;
    const v = this.orderbook.values;
    const abs = this.sessionStart + t;
    const rb = this.rb;
    while (this.next < m.length && m.time[this.next] <= abs) {
      const k = this.next;
      // Samples strictly before the message time hold the state before it.
      this.sampleTo(m.time[k] - this.sessionStart, true);
      const type = m.type[k];
      rb.apply(m.time[k], type, m.orderId[k], m.size[k], m.price[k], m.direction[k]);
      if (type === LobsterType.EXECUTE_HIDDEN) {
        this.tape.push(m.time[k] - this.sessionStart, m.price[k] / this.tickSize, m.size[k], -m.direction[k], HISTORICAL_OWNER, HISTORICAL_OWNER, 0);
      }
      rb.check(v, k * this.cols);
      this.next = k + 1;
    }
    this.sampleTo(t, false);
    this.now = t;
  }

  /** True when every message has been applied. */
  get finished(): boolean {
    return this.next >= this.messages.length;
  }

  private checkOutside(owner: number, side: number, qty: number): void {
    if (!Number.isInteger(owner) || owner < REPLAY_OUTSIDE_OWNER_MIN || owner > 65535) throw new ReplayDriverError(`owner must be an integer in [${REPLAY_OUTSIDE_OWNER_MIN}, 65535], got ${String(owner)}`);
    if (side !== BUY && side !== SELL) throw new ReplayDriverError(`side must be BUY (1) or SELL (-1), got ${String(side)}`);
    if (!Number.isInteger(qty) || qty < 1) throw new ReplayDriverError(`qty must be a positive integer number of shares, got ${String(qty)}`);
  }

  /** An outside market order now. Returns the unfilled remainder (shares). */
  submitMarket(owner: number, side: number, qty: number): number {
    this.checkOutside(owner, side, qty);
    const b = this.rb.book;
    b.fills.clear();
    const left = b.market(owner, side, qty, this.sessionStart + this.now);
    this.afterOutside(b.fills);
    return left;
  }

  /** An outside limit order now (crossing part fills at once). Returns its id (check `isResting`). */
  submitLimit(owner: number, side: number, priceTicks: number, qty: number): number {
    this.checkOutside(owner, side, qty);
    const b = this.rb.book;
    b.fills.clear();
    let id: number;
    try {
      id = b.limit(owner, side, priceTicks, qty, this.sessionStart + this.now, 0);
    } catch (err) {
      if (err instanceof BookError) throw new ReplayDriverError(`submitLimit: ${err.message}`);
      throw err;
    }
    this.afterOutside(b.fills);
    if (b.has(id)) this.rb.registerOutside(id);
    return id;
  }

  private afterOutside(f: FillBuffer): void {
    this.recordFills(f);
    this.rb.noteOutsideFills();
    f.clear();
  }

  /** Cancels an outside order; returns false if it is no longer resting. */
  cancel(id: number): boolean {
    const b = this.rb.book;
    if (!b.has(id) || b.orderOwner(id) < REPLAY_OUTSIDE_OWNER_MIN) return false;
    b.cancel(id);
    return true;
  }

  isResting(id: number): boolean {
    return this.rb.book.has(id);
  }
  orderQty(id: number): number {
    return this.rb.book.orderQty(id);
  }
  queueAhead(id: number): number {
    return this.rb.book.queueAhead(id);
  }
  bestBid(): number {
    return this.rb.book.bestBid();
  }
  bestAsk(): number {
    return this.rb.book.bestAsk();
  }
  /** Mid in ticks; with one side empty, the other side's best; NaN only when the book is empty. */
  mid(): number {
    const b = this.rb.book;
    const bid = b.bestBid();
    const ask = b.bestAsk();
    if (bid > 0 && ask > 0) return (bid + ask) / 2;
    return bid > 0 ? bid : ask > 0 ? ask : NaN;
  }
  spread(): number {
    return this.rb.book.spread();
  }
  /** Bids at out[0, 2·levels), asks at out[2·levels, 4·levels), (price, qty) pairs, best first. */
  depth(levels: number, out: Float64Array): number {
    return this.rb.book.depth(levels, 0, out);
  }
}
