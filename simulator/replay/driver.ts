/**
 * ReplayDriver: a historical LOBSTER day as the market behind the execution task. The background
 * flow is the file's messages, replayed into the L3 book in `match` mode (replay-book.ts), and
 * outside (agent) orders are ordinary orders in the same book. The rules for historical orders
 * the agent interacted with are in env/replay/README.md.
 *
 * It offers what the simulated `Market` offers the task (env/execution/market.ts): the clock in
 * session seconds (0 = `sessionStart` seconds after midnight, 09:30 by default), `runUntil`,
 * outside orders, the touch, depth and queue positions, and the same records in the same layout
 * (simulator/records.ts): `tape` (every fill: historical executions matched in the book, hidden
 * executions, the agent's trades; aggressor sign), `outsideFills` (the agent's fills) and
 * `series` (mid and spread on a 1-second grid, before the events of each grid time).
 *
 * `reset(startSeconds)` seeds the book from the last orderbook row at or before the start (one
 * synthetic order per visible level: queue positions before the start are not known) and
 * `runUntil(t)` applies every message with time <= t, checking each against its orderbook row
 * (levels entering the window from below are re-seeded; differences inside the window are the
 * agent's impact and are kept).
 *
 * Expected volume (for VWAP schedules and the task's default order size): the day's traded
 * volume (visible and hidden executions; `expectedDailyVolume` overrides it) spread over the
 * session by an intraday U-shape (`volumeProfile`; by default the shape fitted to 2012-06-21
 * NASDAQ data, docs/reference.md). With the default the forecast knows the day's total volume:
 * pass a figure from earlier days for a strictly walk-forward forecast.
 */
import { BUY, SELL, BOTH, BookError } from '../book/index.ts';
import type { FillBuffer } from '../book/index.ts';
import { UShapeProfile, bucketShares } from '../flow/profile.ts';
import { LobsterType, validateLobsterMessages } from '../lobster/format.ts';
import { LobsterFormatError } from '../lobster/errors.ts';
import type { LobsterMessages, LobsterOrderbook } from '../lobster/format.ts';
import { MidSeries, OutsideFills, TradeTape } from '../records.ts';
import { ReplayBook, HISTORICAL_OWNER } from './replay-book.ts';
import type { ReplayReport } from './replay-book.ts';

/** Bad input to the driver (the message names the value and what is allowed); state untouched. */
export class ReplayDriverError extends Error {
  override name = 'ReplayDriverError';
}

/** Smallest owner id of outside (agent) orders; replay owners are 0–2. */
export const REPLAY_OUTSIDE_OWNER_MIN = 100;
const MAX_OUTSIDE_OWNER = 65535;

/** The intraday U-shape of traded volume fitted to 2012-06-21 NASDAQ data (docs/reference.md). */
export const DEFAULT_VOLUME_PROFILE = { open: 2.14, openTau: 0.0136, close: 9.49, closeTau: 0.0259 } as const;

export interface ReplayDriverOptions {
  messages: LobsterMessages;
  orderbook: LobsterOrderbook;
  /** One tick in LOBSTER price units (dollars × 10,000; default 100, one cent). */
  tickSize?: number;
  /** Seconds after midnight of session time 0 (default 34,200: 09:30). */
  sessionStart?: number;
  /** Session length, seconds (default 23,400). */
  sessionSeconds?: number;
  /** Expected traded shares over a whole session (default: the file's executed volume, scaled to the session). */
  expectedDailyVolume?: number;
  /** What the data is, for error messages (the message file's path; default 'messages'). */
  label?: string;
  /** Intraday shape of the volume forecast (multipliers and time constants as in UShapeProfile), or 'flat'. */
  volumeProfile?: { open: number; openTau: number; close: number; closeTau: number } | 'flat';
}

export class ReplayDriver {
  readonly messages: LobsterMessages;
  readonly orderbook: LobsterOrderbook;
  readonly tickSize: number;
  readonly sessionStart: number;
  readonly sessionSeconds: number;
  /** Session seconds of the first and last message. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** Expected shares traded per session (see the header). */
  readonly expectedDailyVolume: number;
  /** Current session time, seconds. */
  now = 0;
  readonly tape = new TradeTape();
  readonly outsideFills = new OutsideFills();
  /** Mid and spread (ticks) sampled every second from the reset. */
  readonly series = new MidSeries();
  private rb: ReplayBook;
  /** Index of the next message to apply. */
  private next = 0;
  /** Index of the first message applied since the reset (for `messageCount`). */
  private firstApplied = 0;
  private nextSample = 0;
  /** Last trade price (ticks): the mid's fallback when a side of the book is empty. */
  private lastPrice = 0;
  private readonly cols: number;
  private readonly profile: UShapeProfile | null;
  /** Shares per second at session-average activity. */
  private readonly volumeRate: number;

  /** @throws ReplayDriverError for inconsistent files or options (naming the value). */
  constructor(options: ReplayDriverOptions) {
    const { messages: m, orderbook: b } = options;
    if (m.length !== b.length) throw new ReplayDriverError(`message and orderbook row counts differ: ${m.length} and ${b.length}`);
    if (m.length < 2) throw new ReplayDriverError(`a replay needs at least 2 messages, got ${m.length}`);
    const tick = options.tickSize ?? 100;
    if (!Number.isInteger(tick) || tick < 1) throw new ReplayDriverError(`tickSize must be a positive integer (dollars × 10,000), got ${String(tick)}`);
    const session = options.sessionSeconds ?? 23400;
    if (!(Number.isFinite(session) && session > 0)) throw new ReplayDriverError(`sessionSeconds must be a finite number > 0, got ${String(session)}`);
    const sessionStart = options.sessionStart ?? 34200;
    if (!(Number.isFinite(sessionStart) && sessionStart >= 0)) throw new ReplayDriverError(`sessionStart must be a finite number of seconds after midnight >= 0, got ${String(sessionStart)}`);
    try {
      validateLobsterMessages(m, options.label ?? 'messages', { start: sessionStart, end: sessionStart + session });
    } catch (err) {
      if (err instanceof LobsterFormatError) throw new ReplayDriverError(err.message);
      throw err;
    }
    this.messages = m;
    this.orderbook = b;
    this.tickSize = tick;
    this.sessionStart = sessionStart;
    this.sessionSeconds = session;
    this.firstTime = m.time[0] - this.sessionStart;
    this.lastTime = m.time[m.length - 1] - this.sessionStart;
    this.cols = 4 * b.levels;
    const shape = options.volumeProfile ?? DEFAULT_VOLUME_PROFILE;
    this.profile = shape === 'flat' ? null : new UShapeProfile({ sessionSeconds: session, ...shape });
    let daily = options.expectedDailyVolume;
    if (daily === undefined) {
      let executed = 0;
      for (let i = 0; i < m.length; i++) if (m.type[i] === LobsterType.EXECUTE || m.type[i] === LobsterType.EXECUTE_HIDDEN) executed += m.size[i];
      const covered = this.activityIntegral(Math.max(0, this.firstTime), Math.min(session, Math.max(this.lastTime, this.firstTime)));
      daily = covered > 0 ? (executed * session) / covered : 0;
    } else if (!(Number.isFinite(daily) && daily >= 0)) {
      throw new ReplayDriverError(`expectedDailyVolume must be a finite number >= 0, got ${String(daily)}`);
    }
    this.expectedDailyVolume = daily;
    this.volumeRate = daily / session;
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

  /** Tick size in dollars. */
  get tickDollars(): number {
    return this.tickSize / 10000;
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
    this.firstApplied = this.next;
    this.now = Math.max(startSeconds, m.time[row] - this.sessionStart);
    this.tape.clear();
    this.outsideFills.clear();
    this.series.clear(this.now, 1);
    this.nextSample = this.now;
    const bid = this.bestBid();
    const ask = this.bestAsk();
    this.lastPrice = bid > 0 && ask > 0 ? (bid + ask) / 2 : bid > 0 ? bid : ask;
  }

  private recordFills(f: FillBuffer): void {
    for (let i = 0; i < f.count; i++) {
      const t = f.time[i] - this.sessionStart;
      const maker = f.makerOwner[i];
      const taker = f.takerOwner[i];
      this.tape.push(t, f.price[i], f.qty[i], f.takerSide[i], maker, taker, f.takerId[i]);
      if (maker >= REPLAY_OUTSIDE_OWNER_MIN) this.outsideFills.push(t, f.price[i], f.qty[i], maker, f.makerId[i], -f.takerSide[i], 0);
      if (taker >= REPLAY_OUTSIDE_OWNER_MIN) this.outsideFills.push(t, f.price[i], f.qty[i], taker, f.takerId[i], f.takerSide[i], 1);
    }
    if (f.count > 0) this.lastPrice = f.price[f.count - 1];
  }

  /** Samples the grid times up to t (inclusive, or exclusive when `strict`). */
  private sampleTo(t: number, strict: boolean): void {
    const s = this.series;
    while (strict ? this.nextSample < t : this.nextSample <= t) {
      s.push(this.mid(), this.spread());
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
        const px = m.price[k] / this.tickSize;
        this.tape.push(m.time[k] - this.sessionStart, px, m.size[k], -m.direction[k], HISTORICAL_OWNER, HISTORICAL_OWNER, 0);
        this.lastPrice = px;
      }
      rb.check(v, k * this.cols);
      this.next = k + 1;
    }
    this.sampleTo(t, false);
    this.now = t;
  }

  /** Historical messages applied since the reset (the agent's orders not included). */
  messageCount(): number {
    return this.next - this.firstApplied;
  }

  /** True when every message has been applied. */
  get finished(): boolean {
    return this.next >= this.messages.length;
  }

  private checkOutside(what: string, owner: number, side: number, qty: number): void {
    if (!Number.isInteger(owner) || owner < REPLAY_OUTSIDE_OWNER_MIN || owner > MAX_OUTSIDE_OWNER) throw new ReplayDriverError(`${what}: owner must be an integer in [${REPLAY_OUTSIDE_OWNER_MIN}, ${MAX_OUTSIDE_OWNER}], got ${String(owner)}`);
    if (side !== BUY && side !== SELL) throw new ReplayDriverError(`${what}: side must be BUY (1) or SELL (-1), got ${String(side)}`);
    if (!Number.isInteger(qty) || qty < 1) throw new ReplayDriverError(`${what}: qty must be a positive integer number of shares, got ${String(qty)}`);
  }

  /** An outside market order now. Returns the filled quantity (shares); the rest found no liquidity. */
  submitMarket(owner: number, side: number, qty: number): number {
    this.checkOutside('submitMarket', owner, side, qty);
    const b = this.rb.book;
    b.fills.clear();
    const left = b.market(owner, side, qty, this.sessionStart + this.now);
    this.afterOutside(b.fills);
    return qty - left;
  }

  /** An outside limit order now (the crossing part fills at once). Returns its id (check `isResting`). */
  submitLimit(owner: number, side: number, priceTicks: number, qty: number): number {
    this.checkOutside('submitLimit', owner, side, qty);
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

  /** Cancels an outside order; returns false if it is no longer resting (or not an outside order). */
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
  /** Price in ticks of a resting order. @throws ReplayDriverError when it is not resting. */
  orderPrice(id: number): number {
    if (!this.rb.book.has(id)) throw new ReplayDriverError(`orderPrice: order ${String(id)} is not resting`);
    return this.rb.book.orderPrice(id);
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
  /**
   * Mid in ticks, never NaN after a reset (as the simulated market's): (bid + ask) / 2 when both
   * sides rest; with one side empty, the last trade price clamped to the remaining side; with
   * both empty, the last trade price.
   */
  mid(): number {
    const b = this.rb.book;
    const bid = b.bestBid();
    const ask = b.bestAsk();
    if (bid > 0 && ask > 0) return (bid + ask) / 2;
    const last = this.lastPrice;
    if (ask > 0) return last > 0 && last < ask ? last : ask;
    if (bid > 0) return last > bid ? last : bid;
    return last;
  }
  /** bestAsk − bestBid in ticks; NaN when a side is empty. */
  spread(): number {
    return this.rb.book.spread();
  }
  /** Bids at out[0, 2·levels), asks at out[2·levels, 4·levels), (price, qty) pairs, best first. */
  depth(levels: number, out: Float64Array): number {
    return this.rb.book.depth(levels, BOTH, out);
  }

  /** ∫ of the intraday activity multiplier over [t0, t1] (seconds; mean 1 over a session). */
  private activityIntegral(t0: number, t1: number): number {
    return this.profile === null ? t1 - t0 : this.profile.integral(t0, t1);
  }

  /** Expected traded volume over session times [t0, t1], shares (see the header). */
  expectedVolume(t0: number, t1: number): number {
    if (!(t1 >= t0)) throw new ReplayDriverError(`expectedVolume: need t0 <= t1, got ${t0}, ${t1}`);
    return this.volumeRate * this.activityIntegral(t0, t1);
  }

  /** Expected volume fractions of `buckets` equal intervals of [t0, t1] (sum 1). */
  volumeProfile(t0: number, t1: number, buckets: number, out: Float64Array = new Float64Array(buckets)): Float64Array {
    if (!(t1 > t0) || !Number.isInteger(buckets) || buckets < 1 || out.length < buckets) {
      throw new ReplayDriverError(`volumeProfile: need t0 < t1, an integer buckets >= 1 and out.length >= buckets; got ${t0}, ${t1}, ${buckets}, ${out.length}`);
    }
    return bucketShares(this.profile, t0, t1, buckets, out);
  }
}
