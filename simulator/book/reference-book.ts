/**
 * ReferenceBook: a deliberately simple order book (Maps and arrays, linear scans) with the same
 * interface and the same `hash()` definition as `OrderBook`. It is the oracle of the differential
 * test; it is slow (best prices are found by scanning every level) and never used in hot code.
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
} from './types.ts';
import type { Book } from './types.ts';

interface RefOrder {
  id: number;
  owner: number;
  side: number;
  price: number;
  qty: number;
  time: number;
}

export class ReferenceBook implements Book {
  readonly fills: FillBuffer;
  lastOrderId = 0;
  private nextId = 1;
  private readonly orders = new Map<number, RefOrder>();
  /** price -> FIFO queue, one map per side. */
  private readonly bids = new Map<number, RefOrder[]>();
  private readonly asks = new Map<number, RefOrder[]>();
  private readonly live: number[] = [];
  private readonly livePos = new Map<number, number>();
  private readonly submitted = [0, 0];
  /** submitted − filled − cancelled per side, exact however long the run (see OrderBook). */
  private readonly outstanding = [0, 0];
  private readonly filled = [0, 0];
  private readonly cancelled = [0, 0];

  constructor(fills: FillBuffer = new FillBuffer(64)) {
    this.fills = fills;
  }

  private levels(side: number): Map<number, RefOrder[]> {
    return side === BUY ? this.bids : this.asks;
  }

  /** Prices of a side, best first. */
  private prices(side: number): number[] {
    const ps = [...this.levels(side).keys()];
    return side === BUY ? ps.sort((a, b) => b - a) : ps.sort((a, b) => a - b);
  }

  private get(id: number): RefOrder {
    const o = this.orders.get(id);
    if (o === undefined) throw new BookError(`order id ${String(id)} is unknown or finished (filled or cancelled)`);
    return o;
  }

  private addLive(o: RefOrder): void {
    this.orders.set(o.id, o);
    this.livePos.set(o.id, this.live.length);
    this.live.push(o.id);
  }

  private dropLive(id: number): void {
    this.orders.delete(id);
    const pos = this.livePos.get(id)!;
    const last = this.live.pop()!;
    if (last !== id) {
      this.live[pos] = last;
      this.livePos.set(last, pos);
    }
    this.livePos.delete(id);
  }

  private enqueue(o: RefOrder): void {
    const lv = this.levels(o.side);
    const q = lv.get(o.price);
    if (q === undefined) lv.set(o.price, [o]);
    else q.push(o);
  }

  private dequeue(o: RefOrder): void {
    const lv = this.levels(o.side);
    const q = lv.get(o.price)!;
    q.splice(q.indexOf(o), 1);
    if (q.length === 0) lv.delete(o.price);
  }

  private match(id: number, owner: number, side: number, lim: number, qty: number, time: number): number {
    let rem = qty;
    const opp = this.levels(-side);
    while (rem > 0) {
      const ps = this.prices(-side);
      if (ps.length === 0) break;
      const p = ps[0];
      if (side === BUY ? p > lim : p < lim) break;
      const q = opp.get(p)!;
      while (rem > 0 && q.length > 0) {
        const m = q[0];
        const f = Math.min(m.qty, rem);
        this.fills.push(m.id, id, m.owner, owner, p, f, time, side);
        rem -= f;
        m.qty -= f;
        this.filled[0] += f;
        this.outstanding[0] -= f;
        this.filled[1] += f;
        this.outstanding[1] -= f;
        if (m.qty === 0) {
          q.shift();
          this.dropLive(m.id);
        }
      }
      if (q.length === 0) opp.delete(p);
    }
    return rem;
  }

  private idx(side: number): number {
    return side === BUY ? 0 : 1;
  }

  limit(owner: number, side: number, priceTicks: number, qty: number, time: number, flags = 0): number {
    checkOwner(owner);
    checkSide(side);
    checkPrice(priceTicks);
    checkQty(qty);
    checkTime(time);
    checkFlags(flags);
    if (flags === POST_ONLY) {
      const opp = this.prices(-side);
      if (opp.length > 0 && (side === BUY ? priceTicks >= opp[0] : priceTicks <= opp[0])) return REJECTED;
    }
    const id = this.nextId++;
    this.lastOrderId = id;
    this.submitted[this.idx(side)] += qty;
    this.outstanding[this.idx(side)] += qty;
    const rem = this.match(id, owner, side, priceTicks, qty, time);
    if (rem === 0) return id;
    if (flags === IOC) {
      this.cancelled[this.idx(side)] += rem;
      this.outstanding[this.idx(side)] -= rem;
      return id;
    }
    const o: RefOrder = { id, owner, side, price: priceTicks, qty: rem, time };
    this.addLive(o);
    this.enqueue(o);
    return id;
  }

  market(owner: number, side: number, qty: number, time: number): number {
    checkOwner(owner);
    checkSide(side);
    checkQty(qty);
    checkTime(time);
    const id = this.nextId++;
    this.lastOrderId = id;
    this.submitted[this.idx(side)] += qty;
    this.outstanding[this.idx(side)] += qty;
    const rem = this.match(id, owner, side, side === BUY ? MAX_PRICE : 1, qty, time);
    this.cancelled[this.idx(side)] += rem;
    this.outstanding[this.idx(side)] -= rem;
    return rem;
  }

  cancel(id: number): void {
    const o = this.get(id);
    this.cancelled[this.idx(o.side)] += o.qty;
    this.outstanding[this.idx(o.side)] -= o.qty;
    this.dequeue(o);
    this.dropLive(id);
  }

  reduce(id: number, byQty: number): number {
    const o = this.get(id);
    if (typeof byQty !== 'number' || !Number.isInteger(byQty) || byQty < 1 || byQty > o.qty) {
      throw new BookError(`reduce of order ${id}: byQty must be an integer in [1, ${o.qty}] (its remaining qty), got ${String(byQty)}`);
    }
    if (byQty === o.qty) {
      this.cancel(id);
      return 0;
    }
    o.qty -= byQty;
    this.cancelled[this.idx(o.side)] += byQty;
    this.outstanding[this.idx(o.side)] -= byQty;
    return o.qty;
  }

  replace(id: number, newPriceTicks: number, newQty: number, time: number): number {
    const o = this.get(id);
    checkPrice(newPriceTicks, 'newPriceTicks');
    checkQty(newQty, 'newQty');
    checkTime(time);
    if (newPriceTicks === o.price && newQty <= o.qty) {
      if (newQty < o.qty) {
        this.cancelled[this.idx(o.side)] += o.qty - newQty;
        this.outstanding[this.idx(o.side)] -= o.qty - newQty;
        o.qty = newQty;
      }
      return newQty;
    }
    this.cancelled[this.idx(o.side)] += o.qty;
    this.outstanding[this.idx(o.side)] -= o.qty;
    this.dequeue(o);
    this.submitted[this.idx(o.side)] += newQty;
    this.outstanding[this.idx(o.side)] += newQty;
    const rem = this.match(id, o.owner, o.side, newPriceTicks, newQty, time);
    if (rem === 0) {
      this.dropLive(id);
      return 0;
    }
    o.price = newPriceTicks;
    o.qty = rem;
    o.time = time;
    this.enqueue(o);
    return rem;
  }

  bestBid(): number {
    return this.prices(BUY)[0] ?? 0;
  }
  bestAsk(): number {
    return this.prices(SELL)[0] ?? 0;
  }
  mid(): number {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b === 0 || a === 0 ? NaN : (a + b) / 2;
  }
  spread(): number {
    const b = this.bestBid();
    const a = this.bestAsk();
    return b === 0 || a === 0 ? NaN : a - b;
  }

  depth(levels: number, side: number, out: Float64Array): number {
    checkDepthArgs(levels, side, out);
    const write = (s: number, at: number): number => {
      const ps = this.prices(s).slice(0, levels);
      for (let k = 0; k < levels; k++) {
        out[at + 2 * k] = k < ps.length ? ps[k] : 0;
        out[at + 2 * k + 1] = k < ps.length ? this.levels(s).get(ps[k])!.reduce((t, o) => t + o.qty, 0) : 0;
      }
      return ps.length;
    };
    if (side === BOTH) return write(BUY, 0) + write(SELL, 2 * levels);
    return write(side, 0);
  }

  volumeAt(side: number, priceTicks: number): number {
    checkSide(side);
    checkPrice(priceTicks);
    const q = this.levels(side).get(priceTicks);
    return q === undefined ? 0 : q.reduce((t, o) => t + o.qty, 0);
  }

  queueAhead(id: number): number {
    const o = this.get(id);
    const q = this.levels(o.side).get(o.price)!;
    let ahead = 0;
    for (const x of q) {
      if (x === o) break;
      ahead += x.qty;
    }
    return ahead;
  }

  has(id: number): boolean {
    return this.orders.has(id);
  }
  orderQty(id: number): number {
    return this.orders.get(id)?.qty ?? 0;
  }
  orderPrice(id: number): number {
    return this.get(id).price;
  }
  orderSide(id: number): number {
    return this.get(id).side;
  }
  orderOwner(id: number): number {
    return this.get(id).owner;
  }
  orderTime(id: number): number {
    return this.get(id).time;
  }

  orderCount(): number {
    return this.orders.size;
  }
  levelCount(side: number): number {
    checkSide(side);
    return this.levels(side).size;
  }
  restingQty(side: number): number {
    checkSide(side);
    let t = 0;
    for (const o of this.orders.values()) if (o.side === side) t += o.qty;
    return t;
  }
  liveCount(): number {
    return this.live.length;
  }
  liveOrderAt(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.live.length) throw new BookError(`live index must be an integer in [0, ${this.live.length - 1}], got ${String(i)}`);
    return this.live[i];
  }

  hash(): number {
    const h = new StateHasher();
    for (const side of [BUY, SELL]) {
      for (const p of this.prices(side)) {
        h.level(p);
        for (const o of this.levels(side).get(p)!) h.order(o.id, o.owner, o.qty, o.time);
      }
      h.marker();
    }
    h.int(this.nextId);
    return h.digest();
  }

  validate(): void {
    const b = this.bestBid();
    const a = this.bestAsk();
    if (b !== 0 && a !== 0 && b >= a) throw new Error(`ReferenceBook crossed: bid ${b} >= ask ${a}`);
    for (const side of [BUY, SELL]) {
      let resting = 0;
      for (const [p, q] of this.levels(side)) {
        if (q.length === 0) throw new Error(`ReferenceBook: empty level ${p} kept`);
        for (const o of q) {
          if (o.price !== p || o.side !== side || !(o.qty > 0) || this.orders.get(o.id) !== o) throw new Error(`ReferenceBook: bad order ${o.id}`);
          resting += o.qty;
        }
      }
      const i = this.idx(side);
      if (this.outstanding[i] !== resting) throw new Error(`ReferenceBook: shares not conserved on side ${side}`);
    }
  }
}
