/**
 * The market's records, in columns of typed arrays that grow by doubling (nothing is allocated
 * per row otherwise): the trade tape, the outside owners' fills and the sampled mid/spread
 * series. The simulated `Market` and the LOBSTER `ReplayDriver` both keep them, so the execution
 * task and the statistics read one layout whichever market runs.
 *
 * Columns are replaced (not copied) when they grow: read `tape.price[i]` etc. fresh after each
 * `runUntil`, for i in [mark, length).
 */
import { grownColumn } from './book/index.ts';

/**
 * The trade tape: one row per fill (a market order that walks three orders makes three rows with
 * the same `takerOrder`), in columns of typed arrays. Columns are replaced (not copied) when they
 * grow: read `market.tape.price[i]` etc. fresh after `runUntil`, for i in [mark, length).
 */
export class TradeTape {
  length = 0;
  /** Seconds. */
  time: Float64Array;
  /** Ticks. */
  price: Float64Array;
  /** Shares. */
  qty: Float64Array;
  /** Aggressor sign: +1 buyer-initiated, −1 seller-initiated. */
  sign: Int8Array;
  makerOwner: Int32Array;
  takerOwner: Int32Array;
  /** Id of the aggressive order (rows of one market order share it). */
  takerOrder: Float64Array;

  constructor(capacity = 4096) {
    this.time = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.sign = new Int8Array(capacity);
    this.makerOwner = new Int32Array(capacity);
    this.takerOwner = new Int32Array(capacity);
    this.takerOrder = new Float64Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(time: number, price: number, qty: number, sign: number, makerOwner: number, takerOwner: number, takerOrder: number): void {
    const i = this.length;
    if (i === this.qty.length) this.grow();
    this.time[i] = time;
    this.price[i] = price;
    this.qty[i] = qty;
    this.sign[i] = sign;
    this.makerOwner[i] = makerOwner;
    this.takerOwner[i] = takerOwner;
    this.takerOrder[i] = takerOrder;
    this.length = i + 1;
  }

  private grow(): void {
    const c = this.qty.length * 2;
    this.time = grownColumn(this.time, c);
    this.price = grownColumn(this.price, c);
    this.qty = grownColumn(this.qty, c);
    this.sign = grownColumn(this.sign, c);
    this.makerOwner = grownColumn(this.makerOwner, c);
    this.takerOwner = grownColumn(this.takerOwner, c);
    this.takerOrder = grownColumn(this.takerOrder, c);
  }
}

/**
 * Fills of outside owners (the agent), one row per fill and per outside side of it, appended as
 * they happen; the reader (the env) reads [0, length) and calls `clear()`.
 */
export class OutsideFills {
  length = 0;
  /** Seconds. */
  time: Float64Array;
  /** Ticks. */
  price: Float64Array;
  /** Shares. */
  qty: Float64Array;
  /** The outside owner. */
  owner: Int32Array;
  /** The outside owner's order id. */
  orderId: Float64Array;
  /** The outside owner's side (BUY: it bought). */
  side: Int8Array;
  /** 1 if the outside order was the aggressor (market or crossing limit), 0 if it rested (passive). */
  aggressive: Int8Array;

  constructor(capacity = 256) {
    this.time = new Float64Array(capacity);
    this.price = new Float64Array(capacity);
    this.qty = new Float64Array(capacity);
    this.owner = new Int32Array(capacity);
    this.orderId = new Float64Array(capacity);
    this.side = new Int8Array(capacity);
    this.aggressive = new Int8Array(capacity);
  }

  clear(): void {
    this.length = 0;
  }

  push(time: number, price: number, qty: number, owner: number, orderId: number, side: number, aggressive: number): void {
    const i = this.length;
    if (i === this.qty.length) this.grow();
    this.time[i] = time;
    this.price[i] = price;
    this.qty[i] = qty;
    this.owner[i] = owner;
    this.orderId[i] = orderId;
    this.side[i] = side;
    this.aggressive[i] = aggressive;
    this.length = i + 1;
  }

  private grow(): void {
    const c = this.qty.length * 2;
    this.time = grownColumn(this.time, c);
    this.price = grownColumn(this.price, c);
    this.qty = grownColumn(this.qty, c);
    this.owner = grownColumn(this.owner, c);
    this.orderId = grownColumn(this.orderId, c);
    this.side = grownColumn(this.side, c);
    this.aggressive = grownColumn(this.aggressive, c);
  }
}

/**
 * Mid and spread sampled on a regular grid: sample k is the state just before any event at
 * time `t0 + k·dt` (k < length). `spread` is NaN while a side is empty; `mid` never is.
 */
export class MidSeries {
  length = 0;
  t0 = 0;
  dt = 1;
  /** Ticks. */
  mid: Float64Array;
  /** Ticks. */
  spread: Float64Array;

  constructor(capacity = 4096) {
    this.mid = new Float64Array(capacity);
    this.spread = new Float64Array(capacity);
  }

  clear(t0: number, dt: number): void {
    this.length = 0;
    this.t0 = t0;
    this.dt = dt;
  }

  push(mid: number, spread: number): void {
    const i = this.length;
    if (i === this.mid.length) {
      this.mid = grownColumn(this.mid, i * 2);
      this.spread = grownColumn(this.spread, i * 2);
    }
    this.mid[i] = mid;
    this.spread[i] = spread;
    this.length = i + 1;
  }
}
