/**
 * A LOBSTER level-N view of a simulated market: attach a `LobsterRecorder` to `market.recorder`
 * and every book message that touches the first N levels becomes one message row and one
 * orderbook row, as LOBSTER's level-N files hold them:
 * - type 1: a limit order that rests within the first N occupied levels of its side (after it
 *   rests; its size is what rests after any crossing fills, which come first as type 4 rows);
 * - type 2: a partial cancel of an order within the first N levels (the shares removed);
 * - type 3: a full delete of an order within the first N levels (its remaining shares);
 * - type 4: one row per fill of a resting (visible) order, with the book after that fill (fills
 *   of one aggressive order are rebuilt backwards from the book after all of them).
 * Messages deeper than level N are left out: they change nothing in the N visible levels, so the
 * one-step check (`OneStepChecker`) holds on the files written, the only unexplained change being
 * a level that enters the window from below (which the check re-seeds, as on real files).
 * "Within the first N levels" means fewer than N occupied levels of that side are strictly
 * better than its price (for a cancel, in the book after it: a removed level then ranks as it did).
 */
import type { Market, MessageRecorder } from '../market.ts';
import { BUY as BUY_, BOTH as BOTH_ } from '../book/index.ts';
import type { LobsterWriter } from './writer.ts';

const BUY = BUY_;
const BOTH = BOTH_;

export class LobsterRecorder implements MessageRecorder {
  readonly levels: number;
  /** Messages seen (all depths) and written (within the first N levels), by type 1–4 (index 0 unused). */
  readonly seen = [0, 0, 0, 0, 0];
  readonly written = [0, 0, 0, 0, 0];
  private readonly market: Market;
  private readonly writer: LobsterWriter;
  private readonly t0: number;
  private readonly buf: Float64Array;
  private readonly ap: Float64Array;
  private readonly aq: Float64Array;
  private readonly bp: Float64Array;
  private readonly bq: Float64Array;
  private na = 0;
  private nb = 0;
  // Fills of the current book call.
  private exTime: number[] = [];
  private exId: number[] = [];
  private exQty: number[] = [];
  private exPrice: number[] = [];
  private exSide: number[] = [];
  private takerId = 0;
  private readonly rows: Float64Array[] = [];

  /** `t0`: the market time written as the writer's session start (default `market.now`). */
  constructor(market: Market, writer: LobsterWriter, t0 = market.now) {
    this.market = market;
    this.writer = writer;
    this.levels = writer.levels;
    this.t0 = t0;
    const L = this.levels;
    this.buf = new Float64Array(4 * L);
    // One spare slot per side: adding a fill back may push a level out of the window.
    this.ap = new Float64Array(L + 1);
    this.aq = new Float64Array(L + 1);
    this.bp = new Float64Array(L + 1);
    this.bq = new Float64Array(L + 1);
  }

  /** The book's first N levels into (bp, bq, nb) and (ap, aq, na). */
  private snapshot(): void {
    const L = this.levels;
    const buf = this.buf;
    this.market.book.depth(L, BOTH, buf);
    this.nb = 0;
    this.na = 0;
    for (let j = 0; j < L; j++) {
      if (buf[2 * j + 1] > 0) {
        this.bp[this.nb] = buf[2 * j];
        this.bq[this.nb++] = buf[2 * j + 1];
      }
      if (buf[2 * L + 2 * j + 1] > 0) {
        this.ap[this.na] = buf[2 * L + 2 * j];
        this.aq[this.na++] = buf[2 * L + 2 * j + 1];
      }
    }
  }

  /** Whether `price` on `side` ranks within the first N levels of the book now (see the header). */
  private visible(side: number, price: number): boolean {
    const L = this.levels;
    const book = this.market.book;
    const buf = this.buf;
    const n = book.depth(L, side, buf);
    if (n < L) return true;
    const deepest = buf[2 * (L - 1)];
    return side === BUY ? price >= deepest : price <= deepest;
  }

  private writeRow(): void {
    const L = this.levels;
    this.writer.writeBook(this.ap, this.aq, Math.min(this.na, L), this.bp, this.bq, Math.min(this.nb, L));
  }

  private message(time: number, type: number, id: number, qty: number, price: number, side: number): void {
    this.seen[type]++;
    if (!this.visible(side, price)) return;
    this.written[type]++;
    this.writer.writeMessage(time - this.t0, type, id, qty, price, side === BUY ? 1 : -1);
    this.snapshot();
    this.writeRow();
  }

  onSubmit(time: number, id: number, qty: number, price: number, side: number): void {
    this.message(time, 1, id, qty, price, side);
  }

  onCancel(time: number, id: number, qty: number, price: number, side: number): void {
    this.message(time, 3, id, qty, price, side);
  }

  onReduce(time: number, id: number, qty: number, price: number, side: number): void {
    this.message(time, 2, id, qty, price, side);
  }

  onExecute(time: number, makerId: number, qty: number, price: number, makerSide: number, takerId: number): void {
    this.exTime.push(time);
    this.exId.push(makerId);
    this.exQty.push(qty);
    this.exPrice.push(price);
    this.exSide.push(makerSide);
    this.takerId = takerId;
  }

  /** Adds `qty` at `price` to one side (sorted arrays p, q of n levels, `dir` +1 asks ascending, −1 bids); returns the new count (at most N). */
  private addTo(p: Float64Array, q: Float64Array, n: number, price: number, qty: number, dir: number): number {
    let i = 0;
    while (i < n && (p[i] - price) * dir < 0) i++;
    if (i < n && p[i] === price) {
      q[i] += qty;
      return n;
    }
    if (i >= this.levels) return n;
    const m = Math.min(n, this.levels - 1);
    for (let j = m; j > i; j--) {
      p[j] = p[j - 1];
      q[j] = q[j - 1];
    }
    p[i] = price;
    q[i] = qty;
    return m + 1;
  }

  onCallEnd(): void {
    const k = this.exTime.length;
    if (k === 0) return;
    this.snapshot();
    // The aggressive order's resting remainder is written after the fills (type 1): take it out.
    const book = this.market.book;
    if (this.takerId > 0 && book.has(this.takerId)) {
      const side = book.orderSide(this.takerId);
      const price = book.orderPrice(this.takerId);
      const qty = book.orderQty(this.takerId);
      const p = side === BUY ? this.bp : this.ap;
      const q = side === BUY ? this.bq : this.aq;
      let n = side === BUY ? this.nb : this.na;
      for (let i = 0; i < n; i++) {
        if (p[i] !== price) continue;
        q[i] -= qty;
        if (q[i] <= 0) {
          for (let j = i; j < n - 1; j++) {
            p[j] = p[j + 1];
            q[j] = q[j + 1];
          }
          n--;
        }
        break;
      }
      if (side === BUY) this.nb = n;
      else this.na = n;
    }
    // Rows after each fill, last first: the book after fill i is the book after fill i+1 with fill i+1 added back.
    const L = this.levels;
    while (this.rows.length < k) this.rows.push(new Float64Array(4 * (L + 1) + 2));
    for (let i = k - 1; i >= 0; i--) {
      const r = this.rows[i];
      r.set(this.ap.subarray(0, L), 0);
      r.set(this.aq.subarray(0, L), L);
      r.set(this.bp.subarray(0, L), 2 * L);
      r.set(this.bq.subarray(0, L), 3 * L);
      r[4 * L] = Math.min(this.na, L);
      r[4 * L + 1] = Math.min(this.nb, L);
      if (this.exSide[i] === BUY) this.nb = this.addTo(this.bp, this.bq, this.nb, this.exPrice[i], this.exQty[i], -1);
      else this.na = this.addTo(this.ap, this.aq, this.na, this.exPrice[i], this.exQty[i], 1);
    }
    for (let i = 0; i < k; i++) {
      const r = this.rows[i];
      this.seen[4]++;
      this.written[4]++;
      this.writer.writeMessage(this.exTime[i] - this.t0, 4, this.exId[i], this.exQty[i], this.exPrice[i], this.exSide[i] === BUY ? 1 : -1);
      this.writer.writeBook(r.subarray(0, L), r.subarray(L, 2 * L), r[4 * L], r.subarray(2 * L, 3 * L), r.subarray(3 * L, 4 * L), r[4 * L + 1]);
    }
    this.exTime.length = 0;
    this.exId.length = 0;
    this.exQty.length = 0;
    this.exPrice.length = 0;
    this.exSide.length = 0;
    this.takerId = 0;
  }
}
