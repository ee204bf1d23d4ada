/**
 * OrderBook: the fast L3 (order-level) book with price-time priority.
 *
 * Memory layout
 * - Orders live in slots: parallel typed-array columns indexed by slot
 *   oPrice (Int32, ticks), oQty (Float64, remaining shares), oSide (Int8, ±1), oOwner (Int32),
 *   oNext / oPrev (Int32, slot links inside the level's FIFO, -1 = none), oTime (Float64, s),
 *   oId (Float64, order id), oLive (Int32, position in the dense live list).
 *   Free slots form a stack threaded through oNext (`freeHead`). Columns double when full.
 * - Id -> slot: an open-addressing hash table (`IntMap`, linear probing, backward-shift delete)
 *   sized by resting orders, not by ids issued, so memory stays flat however many messages run.
 * - Price ladder in pages of 256 consecutive ticks. A page is a block of 256 levels in the level
 *   columns lvHead / lvTail (Int32 slot), lvQty (Float64 shares), lvCount (Int32 orders), level
 *   index = page * 256 + (price & 255); plus an 8-word occupancy bitmap per page (pgBits) and the
 *   number of occupied levels (pgOcc). Page number (price >>> 8) -> page via a second IntMap;
 *   the active page numbers are also kept sorted (sortedPn / sortedPg) so that the next occupied
 *   level beyond a page is a binary search away, however far (orders at 10 and at 10^6 ticks cost
 *   two pages, not a million levels). A page that empties returns to a free stack; it is already
 *   clean (every level empty), so reuse costs nothing.
 * - One ladder serves both sides: after matching no bid price is >= an ask price, so a level's
 *   side is its orders' side, the next occupied level below the best bid is the next bid, and the
 *   next above the best ask the next ask. Best prices are cursors (0 = side empty).
 * - Live list: liveSlots (Int32) holds every resting slot densely; oLive[slot] is its position.
 *   Removal swaps the last element into the hole, so a uniformly random resting order is O(1).
 *
 * Invariants (checked by validate())
 * - bestBid < bestAsk whenever both sides are non-empty; cursors equal the true extremes.
 * - A level is occupied iff its bitmap bit is set iff lvCount > 0; lvQty = sum of its orders'
 *   qty; lvHead/lvTail/oNext/oPrev form a consistent doubly-linked FIFO; all its orders share
 *   the level's price and side; every resting qty is > 0.
 * - Conservation per side: submitted = resting + filled + cancelled (shares).
 *
 * Hot paths (limit, market, cancel, reduce) allocate nothing except when a column doubles.
 */
import {
  BUY,
  SELL,
  BOTH,
  POST_ONLY,
  IOC,
  REJECTED,
  MAX_PRICE,
  BookError,
  FillBuffer,
  StateHasher,
  checkDepthArgs,
  checkFlags,
  checkOwner,
  checkPrice,
  checkQty,
  checkSide,
  checkTime,
  grownColumn,
} from './types.ts';
import type { Book } from './types.ts';
import { IntMap, NONE } from './int-map.ts';

const PAGE_BITS = 8;
const PAGE = 1 << PAGE_BITS;
const PAGE_MASK = PAGE - 1;
const WORDS = PAGE >>> 5;

function growI32(a: Int32Array, n: number, fill = 0): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export interface OrderBookOptions {
  /** Initial order slots (grows by doubling). */
  orderCapacity?: number;
  /** Initial ladder pages of 256 ticks (grows by doubling). */
  pageCapacity?: number;
  /** Fill buffer to append to (default: a new one). */
  fills?: FillBuffer;
}

export class OrderBook implements Book {
  readonly fills: FillBuffer;
  lastOrderId = 0;
  private nextId = 1;

  // Order columns.
  private oPrice: Int32Array;
  private oQty: Float64Array;
  private oSide: Int8Array;
  private oOwner: Int32Array;
  private oNext: Int32Array;
  private oPrev: Int32Array;
  private oTime: Float64Array;
  private oId: Float64Array;
  private oLive: Int32Array;
  private freeHead = NONE;
  private used = 0;
  private readonly ids = new IntMap(1024);
  private liveSlots: Int32Array;
  private live = 0;

  // Ladder.
  private lvHead: Int32Array;
  private lvTail: Int32Array;
  private lvQty: Float64Array;
  private lvCount: Int32Array;
  private pgBits: Int32Array;
  private pgOcc: Int32Array;
  private pgNum: Int32Array;
  private pgFree: Int32Array;
  private pgFreeTop = 0;
  private pgUsed = 0;
  private readonly pages = new IntMap(64);
  private sortedPn: Int32Array;
  private sortedPg: Int32Array;
  private nPages = 0;
  private cachePn = -1;
  private cachePg = NONE;

  private bestBidP = 0;
  private bestAskP = 0;
  private bidLevels = 0;
  private askLevels = 0;
  private bidQty = 0;
  private askQty = 0;
  // Conservation counters, index 0 = BUY, 1 = SELL.
  private readonly submitted = new Float64Array(2);
  /** submitted − filled − cancelled per side, kept exact (it is bounded by the resting shares, while the cumulative counters pass 2^53 on long runs). */
  private readonly outstanding = new Float64Array(2);
  private readonly filled = new Float64Array(2);
  private readonly cancelled = new Float64Array(2);
  private readonly hasher = new StateHasher();

  constructor(options: OrderBookOptions = {}) {
    const oc = Math.max(16, options.orderCapacity ?? 4096);
    const pc = Math.max(4, options.pageCapacity ?? 16);
    this.fills = options.fills ?? new FillBuffer(256);
    this.oPrice = new Int32Array(oc);
    this.oQty = new Float64Array(oc);
    this.oSide = new Int8Array(oc);
    this.oOwner = new Int32Array(oc);
    this.oNext = new Int32Array(oc);
    this.oPrev = new Int32Array(oc);
    this.oTime = new Float64Array(oc);
    this.oId = new Float64Array(oc);
    this.oLive = new Int32Array(oc);
    this.liveSlots = new Int32Array(oc);
    this.lvHead = new Int32Array(pc * PAGE).fill(NONE);
    this.lvTail = new Int32Array(pc * PAGE).fill(NONE);
    this.lvQty = new Float64Array(pc * PAGE);
    this.lvCount = new Int32Array(pc * PAGE);
    this.pgBits = new Int32Array(pc * WORDS);
    this.pgOcc = new Int32Array(pc);
    this.pgNum = new Int32Array(pc);
    this.pgFree = new Int32Array(pc);
    this.sortedPn = new Int32Array(pc);
    this.sortedPg = new Int32Array(pc);
  }

  // ---------------------------------------------------------------- orders (slots)

  private allocSlot(): number {
    if (this.freeHead !== NONE) {
      const s = this.freeHead;
      this.freeHead = this.oNext[s];
      return s;
    }
    if (this.used === this.oQty.length) this.growOrders();
    return this.used++;
  }

  private growOrders(): void {
    const n = this.oQty.length * 2;
    this.oPrice = growI32(this.oPrice, n);
    this.oQty = grownColumn(this.oQty, n);
    const side = new Int8Array(n);
    side.set(this.oSide);
    this.oSide = side;
    this.oOwner = growI32(this.oOwner, n);
    this.oNext = growI32(this.oNext, n);
    this.oPrev = growI32(this.oPrev, n);
    this.oTime = grownColumn(this.oTime, n);
    this.oId = grownColumn(this.oId, n);
    this.oLive = growI32(this.oLive, n);
    this.liveSlots = growI32(this.liveSlots, n);
  }

  /** Forgets a slot that is already unlinked from its level: id map, live list, free stack. */
  private finish(s: number): void {
    this.ids.remove(this.oId[s]);
    const pos = this.oLive[s];
    const last = this.liveSlots[--this.live];
    this.liveSlots[pos] = last;
    this.oLive[last] = pos;
    this.oQty[s] = 0;
    this.oNext[s] = this.freeHead;
    this.freeHead = s;
  }

  private slotOf(id: number): number {
    if (typeof id !== 'number' || !(id >= 1) || !Number.isInteger(id)) return NONE;
    return this.ids.get(id);
  }

  private liveSlot(id: number): number {
    const s = this.slotOf(id);
    if (s === NONE) throw new BookError(`order id ${String(id)} is unknown or finished (filled or cancelled)`);
    return s;
  }

  // ---------------------------------------------------------------- ladder

  /** Page index for a page number, or NONE. */
  private pageOf(pn: number): number {
    if (pn === this.cachePn) return this.cachePg;
    const pg = this.pages.get(pn + 1);
    if (pg !== NONE) {
      this.cachePn = pn;
      this.cachePg = pg;
    }
    return pg;
  }

  private allocPage(pn: number): number {
    let pg: number;
    if (this.pgFreeTop > 0) pg = this.pgFree[--this.pgFreeTop];
    else {
      if (this.pgUsed === this.pgOcc.length) this.growPages();
      pg = this.pgUsed++;
    }
    this.pgNum[pg] = pn;
    this.pages.insert(pn + 1, pg);
    // Insert into the sorted list of active pages.
    let k = this.lowerBound(pn);
    for (let i = this.nPages; i > k; i--) {
      this.sortedPn[i] = this.sortedPn[i - 1];
      this.sortedPg[i] = this.sortedPg[i - 1];
    }
    this.sortedPn[k] = pn;
    this.sortedPg[k] = pg;
    this.nPages++;
    this.cachePn = pn;
    this.cachePg = pg;
    return pg;
  }

  private freePage(pg: number): void {
    const pn = this.pgNum[pg];
    this.pages.remove(pn + 1);
    const k = this.lowerBound(pn);
    for (let i = k; i < this.nPages - 1; i++) {
      this.sortedPn[i] = this.sortedPn[i + 1];
      this.sortedPg[i] = this.sortedPg[i + 1];
    }
    this.nPages--;
    this.pgFree[this.pgFreeTop++] = pg;
    if (this.cachePn === pn) this.cachePn = -1;
  }

  private growPages(): void {
    const n = this.pgOcc.length * 2;
    this.lvHead = growI32(this.lvHead, n * PAGE, NONE);
    this.lvTail = growI32(this.lvTail, n * PAGE, NONE);
    this.lvQty = grownColumn(this.lvQty, n * PAGE);
    this.lvCount = growI32(this.lvCount, n * PAGE);
    this.pgBits = growI32(this.pgBits, n * WORDS);
    this.pgOcc = growI32(this.pgOcc, n);
    this.pgNum = growI32(this.pgNum, n);
    this.pgFree = growI32(this.pgFree, n);
    this.sortedPn = growI32(this.sortedPn, n);
    this.sortedPg = growI32(this.sortedPg, n);
  }

  /** First index k in sortedPn with sortedPn[k] >= pn. */
  private lowerBound(pn: number): number {
    let lo = 0;
    let hi = this.nPages;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (this.sortedPn[m] < pn) lo = m + 1;
      else hi = m;
    }
    return lo;
  }

  /** Highest occupied offset <= j in page pg, or -1. */
  private highBit(pg: number, j: number): number {
    const base = pg * WORDS;
    let w = j >>> 5;
    const b = j & 31;
    let bits = this.pgBits[base + w] & (b === 31 ? -1 : (1 << (b + 1)) - 1);
    for (;;) {
      if (bits !== 0) return (w << 5) + 31 - Math.clz32(bits);
      if (--w < 0) return -1;
      bits = this.pgBits[base + w];
    }
  }

  /** Lowest occupied offset >= j in page pg, or -1. */
  private lowBit(pg: number, j: number): number {
    const base = pg * WORDS;
    let w = j >>> 5;
    let bits = this.pgBits[base + w] & (-1 << (j & 31));
    for (;;) {
      if (bits !== 0) return (w << 5) + 31 - Math.clz32(bits & -bits);
      if (++w === WORDS) return -1;
      bits = this.pgBits[base + w];
    }
  }

  /** Highest occupied price < p, or 0. */
  private prevOccupied(p: number): number {
    const pn = p >>> PAGE_BITS;
    const j = (p & PAGE_MASK) - 1;
    if (j >= 0) {
      const pg = this.pageOf(pn);
      if (pg !== NONE) {
        const r = this.highBit(pg, j);
        if (r >= 0) return (pn << PAGE_BITS) + r;
      }
    }
    const k = this.lowerBound(pn) - 1;
    if (k < 0) return 0;
    return (this.sortedPn[k] << PAGE_BITS) + this.highBit(this.sortedPg[k], PAGE_MASK);
  }

  /** Lowest occupied price > p, or 0. */
  private nextOccupied(p: number): number {
    const pn = p >>> PAGE_BITS;
    const j = (p & PAGE_MASK) + 1;
    if (j < PAGE) {
      const pg = this.pageOf(pn);
      if (pg !== NONE) {
        const r = this.lowBit(pg, j);
        if (r >= 0) return (pn << PAGE_BITS) + r;
      }
    }
    const k = this.lowerBound(pn + 1);
    if (k >= this.nPages) return 0;
    return (this.sortedPn[k] << PAGE_BITS) + this.lowBit(this.sortedPg[k], 0);
  }

  /** Level index of an occupied price, or NONE. */
  private levelOf(p: number): number {
    const pg = this.pageOf(p >>> PAGE_BITS);
    if (pg === NONE) return NONE;
    const L = pg * PAGE + (p & PAGE_MASK);
    return this.lvCount[L] > 0 ? L : NONE;
  }

  /** Appends slot s (price, side, qty already set) at the tail of its level. */
  private rest(s: number): void {
    const p = this.oPrice[s];
    const pn = p >>> PAGE_BITS;
    let pg = this.pageOf(pn);
    if (pg === NONE) pg = this.allocPage(pn);
    const j = p & PAGE_MASK;
    const L = pg * PAGE + j;
    const q = this.oQty[s];
    const tail = this.lvTail[L];
    this.oPrev[s] = tail;
    this.oNext[s] = NONE;
    if (tail === NONE) {
      this.lvHead[L] = s;
      this.pgBits[pg * WORDS + (j >>> 5)] |= 1 << (j & 31);
      this.pgOcc[pg]++;
      if (this.oSide[s] === BUY) {
        this.bidLevels++;
        if (p > this.bestBidP) this.bestBidP = p;
      } else {
        this.askLevels++;
        if (this.bestAskP === 0 || p < this.bestAskP) this.bestAskP = p;
      }
    } else this.oNext[tail] = s;
    this.lvTail[L] = s;
    this.lvCount[L]++;
    this.lvQty[L] += q;
    if (this.oSide[s] === BUY) this.bidQty += q;
    else this.askQty += q;
  }

  /** Marks level L at price p (now with no orders) empty; moves the best cursor if needed. */
  private levelEmptied(L: number, p: number, side: number): void {
    const pg = (L / PAGE) | 0;
    const j = p & PAGE_MASK;
    this.lvHead[L] = NONE;
    this.lvTail[L] = NONE;
    this.lvQty[L] = 0;
    this.pgBits[pg * WORDS + (j >>> 5)] &= ~(1 << (j & 31));
    if (--this.pgOcc[pg] === 0) this.freePage(pg);
    if (side === BUY) {
      this.bidLevels--;
      if (p === this.bestBidP) this.bestBidP = this.prevOccupied(p);
    } else {
      this.askLevels--;
      if (p === this.bestAskP) this.bestAskP = this.nextOccupied(p);
    }
  }

  /** Unlinks a resting slot from its level (its qty leaves the level and side totals). */
  private unlink(s: number): void {
    const p = this.oPrice[s];
    const L = (this.pageOf(p >>> PAGE_BITS) * PAGE) + (p & PAGE_MASK);
    const prev = this.oPrev[s];
    const next = this.oNext[s];
    if (prev === NONE) this.lvHead[L] = next;
    else this.oNext[prev] = next;
    if (next === NONE) this.lvTail[L] = prev;
    else this.oPrev[next] = prev;
    const q = this.oQty[s];
    const side = this.oSide[s];
    if (side === BUY) this.bidQty -= q;
    else this.askQty -= q;
    if (--this.lvCount[L] === 0) this.levelEmptied(L, p, side);
    else this.lvQty[L] -= q;
  }

  // ---------------------------------------------------------------- matching

  /**
   * Fills up to `qty` of a taker (id, owner, side) against the opposite side at prices no worse
   * than `lim`. Returns the unfilled remainder.
   */
  private match(id: number, owner: number, side: number, lim: number, qty: number, time: number): number {
    let rem = qty;
    const fills = this.fills;
    const oQty = this.oQty;
    const oNext = this.oNext;
    while (rem > 0) {
      const p = side === BUY ? this.bestAskP : this.bestBidP;
      if (p === 0 || (side === BUY ? p > lim : p < lim)) break;
      const L = this.pageOf(p >>> PAGE_BITS) * PAGE + (p & PAGE_MASK);
      let s = this.lvHead[L];
      let levelQty = this.lvQty[L];
      let count = this.lvCount[L];
      let traded = 0;
      while (rem > 0 && s !== NONE) {
        const mq = oQty[s];
        const f = mq < rem ? mq : rem;
        fills.push(this.oId[s], id, this.oOwner[s], owner, p, f, time, side);
        rem -= f;
        traded += f;
        levelQty -= f;
        if (f === mq) {
          const nx = oNext[s];
          count--;
          this.finish(s);
          s = nx;
        } else oQty[s] = mq - f;
      }
      this.filled[0] += traded;
      this.outstanding[0] -= traded;
      this.filled[1] += traded;
      this.outstanding[1] -= traded;
      if (side === BUY) this.askQty -= traded;
      else this.bidQty -= traded;
      this.lvCount[L] = count;
      if (count === 0) this.levelEmptied(L, p, -side);
      else {
        this.lvHead[L] = s;
        this.oPrev[s] = NONE;
        this.lvQty[L] = levelQty;
      }
    }
    return rem;
  }

  // ---------------------------------------------------------------- operations

  limit(owner: number, side: number, priceTicks: number, qty: number, time: number, flags = 0): number {
    checkOwner(owner);
    checkSide(side);
    checkPrice(priceTicks);
    checkQty(qty);
    checkTime(time);
    checkFlags(flags);
    if (flags === POST_ONLY) {
      if (side === BUY ? this.bestAskP !== 0 && priceTicks >= this.bestAskP : this.bestBidP !== 0 && priceTicks <= this.bestBidP) return REJECTED;
    }
    const id = this.nextId++;
    this.lastOrderId = id;
    const si = side === BUY ? 0 : 1;
    this.submitted[si] += qty;
    this.outstanding[si] += qty;
    const rem = this.match(id, owner, side, priceTicks, qty, time);
    if (rem === 0) return id;
    if (flags === IOC) {
      this.cancelled[si] += rem;
      this.outstanding[si] -= rem;
      return id;
    }
    const s = this.allocSlot();
    this.oPrice[s] = priceTicks;
    this.oQty[s] = rem;
    this.oSide[s] = side;
    this.oOwner[s] = owner;
    this.oTime[s] = time;
    this.oId[s] = id;
    this.ids.insert(id, s);
    this.oLive[s] = this.live;
    this.liveSlots[this.live++] = s;
    this.rest(s);
    return id;
  }

  market(owner: number, side: number, qty: number, time: number): number {
    checkOwner(owner);
    checkSide(side);
    checkQty(qty);
    checkTime(time);
    const id = this.nextId++;
    this.lastOrderId = id;
    const si = side === BUY ? 0 : 1;
    this.submitted[si] += qty;
    this.outstanding[si] += qty;
    const rem = this.match(id, owner, side, side === BUY ? MAX_PRICE : 1, qty, time);
    this.cancelled[si] += rem;
    this.outstanding[si] -= rem;
    return rem;
  }

  cancel(id: number): void {
    const s = this.liveSlot(id);
    const si = this.oSide[s] === BUY ? 0 : 1;
    this.cancelled[si] += this.oQty[s];
    this.outstanding[si] -= this.oQty[s];
    this.unlink(s);
    this.finish(s);
  }

  reduce(id: number, byQty: number): number {
    const s = this.liveSlot(id);
    const q = this.oQty[s];
    if (typeof byQty !== 'number' || !Number.isInteger(byQty) || byQty < 1 || byQty > q) {
      throw new BookError(`reduce of order ${id}: byQty must be an integer in [1, ${q}] (its remaining qty), got ${String(byQty)}`);
    }
    if (byQty === q) {
      this.cancel(id);
      return 0;
    }
    this.reduceSlot(s, byQty);
    return q - byQty;
  }

  private reduceSlot(s: number, byQty: number): void {
    const p = this.oPrice[s];
    const L = this.pageOf(p >>> PAGE_BITS) * PAGE + (p & PAGE_MASK);
    this.oQty[s] -= byQty;
    this.lvQty[L] -= byQty;
    if (this.oSide[s] === BUY) {
      this.bidQty -= byQty;
      this.cancelled[0] += byQty;
      this.outstanding[0] -= byQty;
    } else {
      this.askQty -= byQty;
      this.cancelled[1] += byQty;
      this.outstanding[1] -= byQty;
    }
  }

  replace(id: number, newPriceTicks: number, newQty: number, time: number): number {
    const s = this.liveSlot(id);
    checkPrice(newPriceTicks, 'newPriceTicks');
    checkQty(newQty, 'newQty');
    checkTime(time);
    const q = this.oQty[s];
    if (newPriceTicks === this.oPrice[s] && newQty <= q) {
      if (newQty < q) this.reduceSlot(s, q - newQty);
      return newQty;
    }
    const side = this.oSide[s];
    const si = side === BUY ? 0 : 1;
    this.cancelled[si] += q;
    this.outstanding[si] -= q;
    this.unlink(s);
    this.submitted[si] += newQty;
    this.outstanding[si] += newQty;
    // The order is out of the book while it matches, so it cannot trade with itself.
    const rem = this.match(id, this.oOwner[s], side, newPriceTicks, newQty, time);
    if (rem === 0) {
      this.finish(s);
      return 0;
    }
    this.oPrice[s] = newPriceTicks;
    this.oQty[s] = rem;
    this.oTime[s] = time;
    this.rest(s);
    return rem;
  }

  // ---------------------------------------------------------------- queries

  bestBid(): number {
    return this.bestBidP;
  }
  bestAsk(): number {
    return this.bestAskP;
  }
  mid(): number {
    return this.bestBidP === 0 || this.bestAskP === 0 ? NaN : (this.bestBidP + this.bestAskP) / 2;
  }
  spread(): number {
    return this.bestBidP === 0 || this.bestAskP === 0 ? NaN : this.bestAskP - this.bestBidP;
  }

  depth(levels: number, side: number, out: Float64Array): number {
    checkDepthArgs(levels, side, out);
    if (side === BOTH) return this.depthSide(levels, BUY, out, 0) + this.depthSide(levels, SELL, out, 2 * levels);
    return this.depthSide(levels, side, out, 0);
  }

  private depthSide(levels: number, side: number, out: Float64Array, at: number): number {
    let p = side === BUY ? this.bestBidP : this.bestAskP;
    let n = 0;
    while (n < levels && p !== 0) {
      const L = this.levelOf(p);
      out[at + 2 * n] = p;
      out[at + 2 * n + 1] = this.lvQty[L];
      n++;
      p = side === BUY ? this.prevOccupied(p) : this.nextOccupied(p);
    }
    for (let k = n; k < levels; k++) {
      out[at + 2 * k] = 0;
      out[at + 2 * k + 1] = 0;
    }
    return n;
  }

  volumeAt(side: number, priceTicks: number): number {
    checkSide(side);
    checkPrice(priceTicks);
    const L = this.levelOf(priceTicks);
    if (L === NONE || this.oSide[this.lvHead[L]] !== side) return 0;
    return this.lvQty[L];
  }

  queueAhead(id: number): number {
    let s = this.oPrev[this.liveSlot(id)];
    let ahead = 0;
    while (s !== NONE) {
      ahead += this.oQty[s];
      s = this.oPrev[s];
    }
    return ahead;
  }

  has(id: number): boolean {
    return this.slotOf(id) !== NONE;
  }
  orderQty(id: number): number {
    const s = this.slotOf(id);
    return s === NONE ? 0 : this.oQty[s];
  }
  orderPrice(id: number): number {
    return this.oPrice[this.liveSlot(id)];
  }
  orderSide(id: number): number {
    return this.oSide[this.liveSlot(id)];
  }
  orderOwner(id: number): number {
    return this.oOwner[this.liveSlot(id)];
  }
  orderTime(id: number): number {
    return this.oTime[this.liveSlot(id)];
  }

  orderCount(): number {
    return this.live;
  }
  levelCount(side: number): number {
    checkSide(side);
    return side === BUY ? this.bidLevels : this.askLevels;
  }
  restingQty(side: number): number {
    checkSide(side);
    return side === BUY ? this.bidQty : this.askQty;
  }
  liveCount(): number {
    return this.live;
  }
  liveOrderAt(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.live) throw new BookError(`live index must be an integer in [0, ${this.live - 1}], got ${String(i)}`);
    return this.oId[this.liveSlots[i]];
  }

  hash(): number {
    const h = this.hasher;
    h.reset();
    for (let p = this.bestBidP; p !== 0; p = this.prevOccupied(p)) this.hashLevel(p);
    h.marker();
    for (let p = this.bestAskP; p !== 0; p = this.nextOccupied(p)) this.hashLevel(p);
    h.marker();
    h.int(this.nextId);
    return h.digest();
  }

  private hashLevel(p: number): void {
    const h = this.hasher;
    h.level(p);
    for (let s = this.lvHead[this.levelOf(p)]; s !== NONE; s = this.oNext[s]) h.order(this.oId[s], this.oOwner[s], this.oQty[s], this.oTime[s]);
  }

  validate(): void {
    const fail = (msg: string): never => {
      throw new Error(`OrderBook invariant violated: ${msg}`);
    };
    let maxBid = 0;
    let minAsk = 0;
    let bidLevels = 0;
    let askLevels = 0;
    let bidQty = 0;
    let askQty = 0;
    let orders = 0;
    if (this.pages.size !== this.nPages) fail(`page map size ${this.pages.size} != active pages ${this.nPages}`);
    for (let k = 0; k < this.nPages; k++) {
      const pn = this.sortedPn[k];
      const pg = this.sortedPg[k];
      if (k > 0 && this.sortedPn[k - 1] >= pn) fail(`active pages not sorted at ${k}`);
      if (this.pages.get(pn + 1) !== pg || this.pgNum[pg] !== pn) fail(`page ${pn} directory mismatch`);
      let occ = 0;
      for (let j = 0; j < PAGE; j++) {
        const L = pg * PAGE + j;
        const p = (pn << PAGE_BITS) + j;
        const bit = (this.pgBits[pg * WORDS + (j >>> 5)] >>> (j & 31)) & 1;
        const n = this.lvCount[L];
        if ((bit === 1) !== n > 0) fail(`level ${p}: bit ${bit} but count ${n}`);
        if (n === 0) {
          if (this.lvHead[L] !== NONE || this.lvTail[L] !== NONE) fail(`empty level ${p} has links`);
          continue;
        }
        occ++;
        const side = this.oSide[this.lvHead[L]];
        let sum = 0;
        let cnt = 0;
        let prev = NONE;
        for (let s = this.lvHead[L]; s !== NONE; s = this.oNext[s]) {
          if (++cnt > n) fail(`level ${p}: list longer than count ${n}`);
          if (this.oPrev[s] !== prev) fail(`level ${p}: prev link of slot ${s} is ${this.oPrev[s]}, expected ${prev}`);
          if (this.oPrice[s] !== p) fail(`slot ${s} at level ${p} has price ${this.oPrice[s]}`);
          if (this.oSide[s] !== side) fail(`level ${p} mixes sides`);
          if (!(this.oQty[s] > 0)) fail(`resting order ${this.oId[s]} has qty ${this.oQty[s]}`);
          if (this.ids.get(this.oId[s]) !== s) fail(`order ${this.oId[s]} not in id map`);
          if (this.liveSlots[this.oLive[s]] !== s) fail(`order ${this.oId[s]} not in live list`);
          sum += this.oQty[s];
          prev = s;
        }
        if (cnt !== n) fail(`level ${p}: ${cnt} orders linked, count says ${n}`);
        if (this.lvTail[L] !== prev) fail(`level ${p}: tail mismatch`);
        if (sum !== this.lvQty[L]) fail(`level ${p}: total ${this.lvQty[L]} != sum of orders ${sum}`);
        orders += n;
        if (side === BUY) {
          bidLevels++;
          bidQty += sum;
          if (p > maxBid) maxBid = p;
        } else {
          askLevels++;
          askQty += sum;
          if (minAsk === 0 || p < minAsk) minAsk = p;
        }
      }
      if (occ !== this.pgOcc[pg] || occ === 0) fail(`page ${pn}: occupancy ${this.pgOcc[pg]}, counted ${occ}`);
    }
    if (maxBid !== 0 && minAsk !== 0 && maxBid >= minAsk) fail(`crossed: bid ${maxBid} >= ask ${minAsk}`);
    if (maxBid !== this.bestBidP) fail(`best bid cursor ${this.bestBidP}, true ${maxBid}`);
    if (minAsk !== this.bestAskP) fail(`best ask cursor ${this.bestAskP}, true ${minAsk}`);
    if (bidLevels !== this.bidLevels || askLevels !== this.askLevels) fail(`level counts ${this.bidLevels}/${this.askLevels}, true ${bidLevels}/${askLevels}`);
    if (bidQty !== this.bidQty || askQty !== this.askQty) fail(`resting qty ${this.bidQty}/${this.askQty}, true ${bidQty}/${askQty}`);
    if (orders !== this.live || orders !== this.ids.size) fail(`orders linked ${orders}, live ${this.live}, id map ${this.ids.size}`);
    for (let i = 0; i < 2; i++) {
      const resting = i === 0 ? bidQty : askQty;
      if (this.outstanding[i] !== resting) {
        fail(`conservation on side ${i === 0 ? 'BUY' : 'SELL'}: submitted − filled − cancelled = ${this.outstanding[i]} != resting ${resting} (submitted ${this.submitted[i]}, filled ${this.filled[i]}, cancelled ${this.cancelled[i]})`);
      }
    }
  }
}
