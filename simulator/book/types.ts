/**
 * Shared vocabulary of the order books: sides, flags, limits, the error class, the fill buffer,
 * the state-hash definition and the `Book` interface that both `OrderBook` (fast) and
 * `ReferenceBook` (obviously correct) implement.
 *
 * Units: prices are integer ticks in [1, MAX_PRICE]; quantities are integer shares in
 * [1, MAX_QTY]; time is float64 seconds (any finite number, stored as given).
 */

/** Buy side (bids). Plain numbers: hot code compares with `===`. */
export const BUY = 1;
/** Sell side (asks). */
export const SELL = -1;
/** `depth()` side argument meaning "bids, then asks". */
export const BOTH = 0;

/** Limit flag: reject (return `REJECTED`) instead of crossing; the book is untouched. */
export const POST_ONLY = 1;
/** Limit flag: immediate-or-cancel; fill what crosses, cancel the rest (never rests). */
export const IOC = 2;

/** Result of `limit()` when a POST_ONLY order would cross: no id is consumed, nothing changes. */
export const REJECTED = 0;

/** Largest price in ticks (2^31 - 1): prices live in an Int32Array. */
export const MAX_PRICE = 2147483647;
/** Largest quantity of one order (2^40 shares): level totals stay exact in float64. */
export const MAX_QTY = 1099511627776;
/** Largest owner id (owners are small non-negative integers, stored in an Int32Array). */
export const MAX_OWNER = 2147483647;

/** Thrown for bad input (values, unknown or finished ids). The book is unchanged after it. */
export class BookError extends Error {
  override name = 'BookError';
}

export function checkSide(side: number): void {
  if (side !== BUY && side !== SELL) throw new BookError(`side must be BUY (1) or SELL (-1), got ${String(side)}`);
}
export function checkPrice(price: number, what = 'price'): void {
  if (typeof price !== 'number' || !Number.isInteger(price) || price < 1 || price > MAX_PRICE) {
    throw new BookError(`${what} must be an integer number of ticks in [1, ${MAX_PRICE}], got ${String(price)}`);
  }
}
export function checkQty(qty: number, what = 'qty'): void {
  if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > MAX_QTY) {
    throw new BookError(`${what} must be an integer number of shares in [1, ${MAX_QTY}], got ${String(qty)}`);
  }
}
export function checkOwner(owner: number): void {
  if (typeof owner !== 'number' || !Number.isInteger(owner) || owner < 0 || owner > MAX_OWNER) {
    throw new BookError(`owner must be an integer in [0, ${MAX_OWNER}], got ${String(owner)}`);
  }
}
export function checkTime(time: number): void {
  if (typeof time !== 'number' || !Number.isFinite(time)) throw new BookError(`time must be a finite number of seconds, got ${String(time)}`);
}
export function checkFlags(flags: number): void {
  if (flags !== 0 && flags !== POST_ONLY && flags !== IOC) {
    throw new BookError(`flags must be 0, POST_ONLY (1) or IOC (2), got ${String(flags)}`);
  }
}
export function checkDepthArgs(levels: number, side: number, out: { length: number }): void {
  if (!Number.isInteger(levels) || levels < 0) throw new BookError(`levels must be a non-negative integer, got ${String(levels)}`);
  if (side !== BUY && side !== SELL && side !== BOTH) throw new BookError(`side must be BUY (1), SELL (-1) or BOTH (0), got ${String(side)}`);
  const need = (side === BOTH ? 4 : 2) * levels;
  if (out.length < need) throw new BookError(`out must hold at least ${need} numbers for ${levels} levels, got length ${out.length}`);
}

/**
 * Fills, in the order they happened, in columns of typed arrays owned by the caller.
 * The book appends; the caller reads `[0, count)` and calls `clear()` when done.
 * Grows by doubling (the only allocation), so a buffer reused across calls allocates nothing.
 */
export class FillBuffer {
  count = 0;
  makerId: Float64Array;
  takerId: Float64Array;
  makerOwner: Int32Array;
  takerOwner: Int32Array;
  /** Execution price in ticks (the resting order's price). */
  price: Int32Array;
  /** Shares. */
  qty: Float64Array;
  /** Seconds, the time of the call that produced the fill. */
  time: Float64Array;
  /** Side of the taker (BUY = 1: the taker bought; SELL = -1). */
  takerSide: Int8Array;

  constructor(capacity = 64) {
    const c = Math.max(1, capacity | 0);
    this.makerId = new Float64Array(c);
    this.takerId = new Float64Array(c);
    this.makerOwner = new Int32Array(c);
    this.takerOwner = new Int32Array(c);
    this.price = new Int32Array(c);
    this.qty = new Float64Array(c);
    this.time = new Float64Array(c);
    this.takerSide = new Int8Array(c);
  }

  clear(): void {
    this.count = 0;
  }

  get capacity(): number {
    return this.qty.length;
  }

  push(makerId: number, takerId: number, makerOwner: number, takerOwner: number, price: number, qty: number, time: number, takerSide: number): void {
    const i = this.count;
    if (i === this.qty.length) this.grow();
    this.makerId[i] = makerId;
    this.takerId[i] = takerId;
    this.makerOwner[i] = makerOwner;
    this.takerOwner[i] = takerOwner;
    this.price[i] = price;
    this.qty[i] = qty;
    this.time[i] = time;
    this.takerSide[i] = takerSide;
    this.count = i + 1;
  }

  private grow(): void {
    const c = this.qty.length * 2;
    this.makerId = grownColumn(this.makerId, c);
    this.takerId = grownColumn(this.takerId, c);
    this.makerOwner = grownColumn(this.makerOwner, c);
    this.takerOwner = grownColumn(this.takerOwner, c);
    this.price = grownColumn(this.price, c);
    this.qty = grownColumn(this.qty, c);
    this.time = grownColumn(this.time, c);
    this.takerSide = grownColumn(this.takerSide, c);
  }
}

/** The typed-array columns of the simulator's growable record buffers. */
export type Column = Float64Array | Int32Array | Int8Array;

/** A copy of column `a` with room for `capacity` entries (growth by doubling; a cold path). */
export function grownColumn<T extends Column>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a as ArrayLike<number>);
  return b;
}

/**
 * The state hash shared by both books (32-bit FNV-1a style, one multiply per 32-bit word). Definition:
 * bids from the best price down, then a 0xffffffff marker, then asks from the best price up,
 * then a second marker and the next order id. Each level contributes its price, then each order
 * in priority order contributes id, owner, remaining qty and entry time (float64 bits).
 * Ids and quantities are mixed as two words (low, high) so values above 2^32 count.
 */
export class StateHasher {
  h = 0x811c9dc5;
  private readonly f = new Float64Array(1);
  private readonly w = new Uint32Array(this.f.buffer);

  reset(): void {
    this.h = 0x811c9dc5;
  }
  /** Mixes one 32-bit word: FNV-1a's xor-multiply on the whole word, plus a shift so high bits reach low ones. */
  word(x: number): void {
    const h = Math.imul(this.h ^ x, 16777619);
    this.h = h ^ (h >>> 13);
  }
  /** A non-negative integer below 2^53, as two words. */
  int(x: number): void {
    this.word(x >>> 0);
    this.word(Math.floor(x / 4294967296) >>> 0);
  }
  float(x: number): void {
    this.f[0] = x;
    this.word(this.w[0]);
    this.word(this.w[1]);
  }
  level(price: number): void {
    this.word(price >>> 0);
  }
  order(id: number, owner: number, qty: number, time: number): void {
    this.int(id);
    this.word(owner >>> 0);
    this.int(qty);
    this.float(time);
  }
  marker(): void {
    this.word(0xffffffff);
  }
  digest(): number {
    return this.h >>> 0;
  }
}

/**
 * The order-book interface. Ids are positive integers assigned by the book (1, 2, 3, ...), one
 * per accepted limit or market order, never reused. An order is *live* while it rests; it
 * *finishes* when fully filled or cancelled (cancel, reduce to zero, IOC remainder); a finished
 * id is unknown to every id-taking method. No self-trade prevention: an owner can trade with itself.
 */
export interface Book {
  /** Fills of every call are appended here; the caller clears it. */
  readonly fills: FillBuffer;

  /**
   * Submits a limit order. Crossing quantity fills at the resting orders' prices (best first,
   * time priority within a level); the remainder rests at `priceTicks` (unless IOC).
   * Returns the new order id (> 0) — check `orderQty(id)` to see whether it rests —
   * or `REJECTED` (0) for a POST_ONLY order that would cross (book untouched, no id used).
   * @throws BookError for a bad owner, side, price, qty, time or flags (book untouched).
   */
  limit(owner: number, side: number, priceTicks: number, qty: number, time: number, flags?: number): number;
  /**
   * Submits a market order: walks the opposite side until `qty` is filled or the side runs dry.
   * Consumes an id (see `lastOrderId`). Returns the unfilled remainder in shares (0 if all filled).
   * @throws BookError for bad input (book untouched).
   */
  market(owner: number, side: number, qty: number, time: number): number;
  /** Cancels a live order. @throws BookError for an unknown or finished id. */
  cancel(id: number): void;
  /**
   * Partial cancel: removes `byQty` shares, keeping time priority. Reducing by the whole
   * remainder cancels the order. Returns the remaining quantity.
   * @throws BookError for an unknown id or `byQty` not an integer in [1, remaining].
   */
  reduce(id: number, byQty: number): number;
  /**
   * Changes price and/or size, keeping the id. Same price and `newQty` <= remaining keeps
   * priority and the entry time (it is a reduce). Otherwise the order leaves its queue and is
   * re-entered as a plain limit order at `time` (it may cross and fill, then rests at the back
   * of its new level). Returns `orderQty(id)` afterwards (0 if it filled completely).
   * @throws BookError for an unknown id or bad price/qty/time (book untouched).
   */
  replace(id: number, newPriceTicks: number, newQty: number, time: number): number;

  /** Id given to the last accepted limit or market order (0 before any). */
  readonly lastOrderId: number;

  /** Best bid in ticks, or 0 when there are no bids. */
  bestBid(): number;
  /** Best ask in ticks, or 0 when there are no asks. */
  bestAsk(): number;
  /** (bestBid + bestAsk) / 2 in ticks, NaN when either side is empty. */
  mid(): number;
  /** bestAsk - bestBid in ticks, NaN when either side is empty. */
  spread(): number;
  /**
   * Top `levels` occupied levels of `side` (BUY, SELL or BOTH) as (price, qty) pairs in `out`,
   * best first, zero-padded. BOTH writes bids at [0, 2*levels) and asks at [2*levels, 4*levels).
   * Returns the number of levels written (before padding).
   */
  depth(levels: number, side: number, out: Float64Array): number;
  /** Resting shares of `side` at `priceTicks` (0 if none). */
  volumeAt(side: number, priceTicks: number): number;
  /** Shares resting ahead of the order at its level. @throws BookError for an unknown id. */
  queueAhead(id: number): number;

  /** True while the order rests. */
  has(id: number): boolean;
  /** Remaining shares; 0 for an unknown or finished id (never throws). */
  orderQty(id: number): number;
  /** @throws BookError for an unknown or finished id (also orderSide/orderOwner/orderTime). */
  orderPrice(id: number): number;
  orderSide(id: number): number;
  orderOwner(id: number): number;
  /** Entry time in seconds (the time of the limit call, or of a priority-losing replace). */
  orderTime(id: number): number;

  /** Number of resting orders. */
  orderCount(): number;
  /** Number of occupied price levels of `side`. */
  levelCount(side: number): number;
  /** Total resting shares of `side`. */
  restingQty(side: number): number;

  /** Number of live orders (= orderCount()), for uniform sampling. */
  liveCount(): number;
  /**
   * Id of the i-th live order, i in [0, liveCount()). The dense list appends on rest and
   * swap-removes on finish (the last element moves into the hole), identically in both books.
   */
  liveOrderAt(i: number): number;

  /** State hash (see `StateHasher`). O(resting orders). */
  hash(): number;
  /** Checks every invariant; throws an Error naming the first violation. O(resting orders). For tests. */
  validate(): void;
}
