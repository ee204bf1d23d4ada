/**
 * Replay of LOBSTER messages into the L3 `OrderBook`, with the one-step consistency check after
 * every message and re-seeding of levels that messages cannot explain.
 *
 * State
 * - `book`: an `OrderBook` in ticks (LOBSTER price / tickSize). Book ids are the book's own; a
 *   `Map` takes a LOBSTER order id to the book id of its order (`idMap`).
 * - Owners: `SYNTHETIC_OWNER` (0) for volume seeded from orderbook rows (orders resting before
 *   the open, or volume that entered the visible window without a message), `HISTORICAL_OWNER`
 *   (1) for orders of type-1 messages, `HISTORICAL_TAKER` (2) for the taker side of historical
 *   executions in `match` mode. Any other owner is an outside (agent) order.
 * - Synthetic orders are listed per level (`synth`, key side × priceTicks) so that a message
 *   naming an unknown order id takes its size from them (oldest first).
 *
 * Messages (`apply`)
 * - 1 add: a limit order (POST_ONLY in `reduce` mode: a crossing add means stale opposite levels,
 *   which are removed and counted as a mismatch; plain limit in `match` mode, so it trades with
 *   an outside order that sits at a crossing price).
 * - 2 partial cancel, 3 delete: the level changes by exactly the message's size. The named order
 *   loses min(size, remaining); if the message is larger, the rest comes from unknown volume (see
 *   below); a delete of an order that holds more leaves the excess in place as synthetic volume.
 * - 4 visible execution: `reduce` mode reduces that order (L3 exact, no matching); `match` mode
 *   sends an IOC taker of the size at the price, matched in price-time priority (so an outside
 *   order ahead in the queue is filled first), shrunk by what outside orders already took from
 *   the named order (see env/replay/README.md).
 *   A message naming an unknown id (or more than the order holds) takes from synthetic volume at
 *   its level, then (reduce mode only) from the back of the level's queue (`unknownShortfall`).
 * - 5 hidden execution, 6 cross: recorded as trades, the book is unchanged; 7 halt: `halted`
 *   (price −1 halt, 0 quoting resumes, 1 trading resumes).
 *
 * Check (`check`, after each message against the orderbook row written after it)
 * Each side's visible levels are compared with the book's levels in the same price range (all
 * book levels when the row's side holds fewer than `levels` levels; book levels beyond a full
 * window are not observed). Every difference is fixed (remove a level, remove excess from the
 * back of its queue, add synthetic volume at the back). A difference is *explained* (counted in
 * `reseeded`, no mismatch) when the previous row's window on that side was full and the price
 * lies beyond its deepest level: the level entered the window from below, where no message
 * reports changes. Any other difference makes the transition a mismatch (`mismatches`).
 * With outside orders in the book (match mode) their volume is left out of the comparison, and
 * only explained differences are repaired (the others are the outside orders' impact; they are
 * still counted in `mismatches`, which then measures divergence from history).
 *
 * Speed: a Map lookup per message and a Map insert per add (the Maps allocate as they grow: this
 * is a replay tool and an env background, not the simulator's inner loop); repairs that remove
 * volume from the back of a queue scan the live orders (GOOG's level-1 day: ~45k messages/s).
 */
import { BUY as BUY_, IOC as IOC_, OrderBook, POST_ONLY as POST_ONLY_, REJECTED as REJECTED_, SELL as SELL_, grownColumn } from '../book/index.ts';
import type { FillBuffer } from '../book/index.ts';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE, assertLevels } from '../lobster/format.ts';
import { ReplayError } from '../lobster/errors.ts';
import type { LobsterMessages } from '../lobster/format.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const IOC = IOC_;
const POST_ONLY = POST_ONLY_;
const REJECTED = REJECTED_;
const T_SUBMIT = 1;
const T_CANCEL = 2;
const T_DELETE = 3;
const T_EXECUTE = 4;
const T_HIDDEN = 5;
const T_CROSS = 6;
const T_HALT = 7;

/** Owner of volume seeded from orderbook rows. */
export const SYNTHETIC_OWNER = 0;
/** Owner of orders of type-1 messages. */
export const HISTORICAL_OWNER = 1;
/** Owner of the taker orders of historical executions (match mode). */
export const HISTORICAL_TAKER = 2;

/** How visible executions (type 4) are applied. */
export type ExecutionMode = 'reduce' | 'match';

export interface ReplayBookOptions {
  /** Levels per side in the orderbook rows compared against. */
  levels: number;
  /** One tick in LOBSTER price units (dollars × 10,000); default 100 ($0.01). */
  tickSize?: number;
  /** 'reduce' (default): executions reduce the named order; 'match': IOC taker orders (env mode). */
  executions?: ExecutionMode;
  /** Mismatches listed in the report (default 20). */
  maxDetails?: number;
}

/** One transition the messages could not explain. */
export interface ReplayMismatch {
  /** 0-based message index. */
  row: number;
  time: number;
  type: number;
  orderId: number;
  /** What differed, e.g. `ask 5794100: book 200, file 300`. */
  reason: string;
}

export interface ReplayReport {
  levels: number;
  /** Messages applied (the first seeds the book). */
  messages: number;
  /** Transitions compared with an orderbook row. */
  transitions: number;
  /** Transitions with a difference the messages cannot explain. */
  mismatches: number;
  /** Levels re-seeded because they entered the window from below (explained). */
  reseeded: number;
  /** Messages of types 2–4 naming an order id the book does not know (taken from synthetic volume). */
  unknownIds: number;
  /** Shares such messages could not find in synthetic volume and took from the back of the queue. */
  unknownShortfall: number;
  /** Messages skipped or shrunk because outside orders had already consumed the volume (match mode). */
  consumedSkips: number;
  /** Count per message type (index 1–7). */
  typeCounts: number[];
  /** Trades recorded: visible executions, hidden executions, crosses. */
  trades: { visible: number; hidden: number; cross: number };
  /** Live orders at the end, and how many of them are synthetic. */
  liveOrders: number;
  syntheticOrders: number;
  halted: boolean;
  details: ReplayMismatch[];
}

/** Trades of the replay (one row per execution message), in columns. */
export class ReplayTrades {
  length = 0;
  /** Seconds after midnight. */
  time: Float64Array = new Float64Array(1024);
  /** Ticks. */
  priceTicks: Float64Array = new Float64Array(1024);
  /** Shares. */
  qty: Float64Array = new Float64Array(1024);
  /** Aggressor sign: +1 buyer-initiated, −1 seller-initiated (−direction of the limit order). */
  sign: Int8Array = new Int8Array(1024);
  /** Message type: 4 visible, 5 hidden, 6 cross. */
  kind: Int8Array = new Int8Array(1024);

  clear(): void {
    this.length = 0;
  }

  push(time: number, priceTicks: number, qty: number, sign: number, kind: number): void {
    const i = this.length;
    if (i === this.qty.length) {
      const c = 2 * i;
      this.time = grownColumn(this.time, c);
      this.priceTicks = grownColumn(this.priceTicks, c);
      this.qty = grownColumn(this.qty, c);
      this.sign = grownColumn(this.sign, c);
      this.kind = grownColumn(this.kind, c);
    }
    this.time[i] = time;
    this.priceTicks[i] = priceTicks;
    this.qty[i] = qty;
    this.sign[i] = sign;
    this.kind[i] = kind;
    this.length = i + 1;
  }
}

/**
 * The tick: the gcd of the prices of visible-book messages (types 1–4), LOBSTER units; 100 if
 * none. Hidden executions (type 5) are left out: they may print at the mid (half a tick).
 */
export function inferTickSize(m: LobsterMessages): number {
  const gcd = (a: number, b: number): number => {
    while (b !== 0) {
      const t = a % b;
      a = b;
      b = t;
    }
    return a;
  };
  let g = 0;
  for (let i = 0; i < m.length && g !== 1; i++) {
    const t = m.type[i];
    if (t >= 1 && t <= 4 && m.price[i] > 0) g = gcd(Math.round(m.price[i]), g);
  }
  return g > 0 ? g : 100;
}

export class ReplayBook {
  readonly levels: number;
  readonly tickSize: number;
  readonly executions: ExecutionMode;
  readonly maxDetails: number;
  book: OrderBook;
  readonly trades = new ReplayTrades();
  /** True after a halt message (price −1) until trading resumes (price 1). */
  halted = false;
  /** Messages applied so far (0-based index of the next one). */
  row = 0;
  /**
   * Match mode: called with the book's fills of each historical call (a historical execution's
   * taker, or an add that crossed an outside order) before they are cleared; null: no listener.
   */
  fillSink: ((fills: FillBuffer) => void) | null = null;

  private readonly idMap = new Map<number, number>();
  /** Book id -> LOBSTER id of historical orders (match mode bookkeeping). */
  private readonly bookToHist = new Map<number, number>();
  private readonly synth = new Map<number, number[]>();
  /** Volume outside owners took from historical orders: by LOBSTER id, and from synthetic volume by level key (side × priceTicks). */
  private readonly took = new Map<number, number>();
  private readonly synthTook = new Map<number, number>();
  private readonly rowBuf: Float64Array;
  private depthBuf: Float64Array;
  private readonly scratch: number[] = [];
  private readonly outside: number[] = [];
  private edgeAsk = NaN;
  private edgeBid = NaN;
  private cur = { time: 0, type: 0, orderId: 0 };
  private fixNote = '';
  private fixUnexplained = 0;

  private transitions = 0;
  private mismatches = 0;
  private reseeded = 0;
  private unknownIds = 0;
  private unknownShortfall = 0;
  private consumedSkips = 0;
  private readonly typeCounts = [0, 0, 0, 0, 0, 0, 0, 0];
  private readonly tradeCounts = { visible: 0, hidden: 0, cross: 0 };
  private readonly details: ReplayMismatch[] = [];

  constructor(options: ReplayBookOptions) {
    assertLevels(options.levels);
    const tick = options.tickSize ?? 100;
    if (!Number.isInteger(tick) || tick < 1) throw new ReplayError(`tickSize must be a positive integer (dollars × 10,000), got ${String(tick)}`);
    const mode = options.executions ?? 'reduce';
    if (mode !== 'reduce' && mode !== 'match') throw new ReplayError(`executions must be 'reduce' or 'match', got ${String(mode)}`);
    const md = options.maxDetails ?? 20;
    if (!Number.isInteger(md) || md < 0) throw new ReplayError(`maxDetails must be an integer >= 0, got ${String(md)}`);
    this.levels = options.levels;
    this.tickSize = tick;
    this.executions = mode;
    this.maxDetails = md;
    this.book = new OrderBook({ orderCapacity: 4096, pageCapacity: 16 });
    this.rowBuf = new Float64Array(4 * options.levels);
    this.depthBuf = new Float64Array(4 * options.levels + 16);
  }

  /** LOBSTER price -> ticks; throws ReplayError when not a positive multiple of the tick. */
  ticks(price: number): number {
    const p = price / this.tickSize;
    if (!Number.isInteger(p) || p < 1) throw new ReplayError(`price ${price} is not a positive multiple of the tick size ${this.tickSize} (message ${this.row + 1})`);
    return p;
  }

  /**
   * Starts over from an orderbook row (4·levels values from `off`): every visible level becomes
   * one synthetic order. If `first` (the message the row follows) is a type-1 add, its size is
   * left out of its level and the add is applied, so the order keeps its id.
   */
  seed(row: Float64Array, off: number, first?: { time: number; type: number; orderId: number; size: number; price: number; direction: number }): void {
    this.checkRow(row, off);
    this.book = new OrderBook({ orderCapacity: 4096, pageCapacity: 16 });
    this.idMap.clear();
    this.bookToHist.clear();
    this.synth.clear();
    this.took.clear();
    this.synthTook.clear();
    this.outside.length = 0;
    this.trades.clear();
    this.halted = false;
    const L = this.levels;
    const hold = first !== undefined && first.type === T_SUBMIT ? first : undefined;
    const t = first?.time ?? 0;
    for (let i = 0; i < L; i++) {
      for (let s = 0; s < 2; s++) {
        const q = row[off + 4 * i + 2 * s + 1];
        if (!(q > 0)) continue;
        const side = s === 0 ? SELL : BUY;
        const p = this.ticks(row[off + 4 * i + 2 * s]);
        const rest = hold !== undefined && hold.direction === side && hold.price === row[off + 4 * i + 2 * s] ? q - hold.size : q;
        if (rest > 0) this.addSynthetic(side, p, rest, t);
      }
    }
    if (hold !== undefined) this.book.limit(HISTORICAL_OWNER, hold.direction, this.ticks(hold.price), hold.size, t, 0);
    if (hold !== undefined && this.book.has(this.book.lastOrderId)) this.mapOrder(hold.orderId, this.book.lastOrderId);
    if (first !== undefined) {
      this.typeCounts[first.type]++;
      if (first.type !== T_SUBMIT) this.recordOnly(first.time, first.type, first.size, first.price, first.direction);
    }
    this.row = 1;
    this.setEdges(row, off);
  }

  /**
   * Applies one message (LOBSTER units: seconds after midnight, dollars × 10,000, direction of
   * the limit order). Call `check` with the orderbook row written after it.
   * @throws ReplayError on a bad type, direction, size or price (nothing changes).
   */
  apply(time: number, type: number, orderId: number, size: number, price: number, direction: number): void {
    if (!(type >= 1 && type <= 7 && Number.isInteger(type))) throw new ReplayError(`message ${this.row + 1}: event type ${type} (allowed: integers 1–7)`);
    if (type !== T_HALT && direction !== 1 && direction !== -1) throw new ReplayError(`message ${this.row + 1}: direction ${direction} (allowed: 1 buy, -1 sell)`);
    if (!(size >= 0) || !Number.isInteger(size)) throw new ReplayError(`message ${this.row + 1}: size ${size} (allowed: integers >= 0)`);
    if (!Number.isFinite(time)) throw new ReplayError(`message ${this.row + 1}: time ${time} (allowed: finite seconds)`);
    const p = type <= T_EXECUTE ? this.ticks(price) : 0;
    this.cur.time = time;
    this.cur.type = type;
    this.cur.orderId = orderId;
    this.typeCounts[type]++;
    this.row++;
    switch (type) {
      case T_SUBMIT:
        if (size > 0) this.add(time, orderId, size, p, direction);
        break;
      case T_CANCEL:
      case T_DELETE:
        if (size > 0 || type === T_DELETE) this.remove(type, orderId, size, p, direction);
        break;
      case T_EXECUTE:
        if (size > 0) this.execute(time, orderId, size, p, direction);
        break;
      default:
        this.recordOnly(time, type, size, price, direction);
        break;
    }
  }

  private recordOnly(time: number, type: number, size: number, price: number, direction: number): void {
    if (type === T_HIDDEN) {
      this.tradeCounts.hidden++;
      this.trades.push(time, price / this.tickSize, size, -direction, type);
    } else if (type === T_CROSS) {
      this.tradeCounts.cross++;
      this.trades.push(time, price / this.tickSize, size, -direction, type);
    } else if (type === T_HALT) {
      if (price === -1) this.halted = true;
      else if (price === 1) this.halted = false;
    } else if (type === T_EXECUTE) {
      this.tradeCounts.visible++;
      this.trades.push(time, price / this.tickSize, size, -direction, type);
    }
  }

  private mapOrder(lobsterId: number, bookId: number): void {
    this.idMap.set(lobsterId, bookId);
    if (this.executions === 'match') this.bookToHist.set(bookId, lobsterId);
  }

  private add(time: number, orderId: number, size: number, p: number, side: number): void {
    const b = this.book;
    if (this.executions === 'reduce') {
      let id = b.limit(HISTORICAL_OWNER, side, p, size, time, POST_ONLY);
      if (id === REJECTED) {
        // Stale opposite volume at a crossing price: the file's books never cross.
        this.noteFix(`add at ${p} crosses stale ${side === BUY ? 'asks' : 'bids'}`, true);
        while (side === BUY ? b.bestAsk() !== 0 && b.bestAsk() <= p : b.bestBid() !== 0 && b.bestBid() >= p) {
          this.clearLevel(-side, side === BUY ? b.bestAsk() : b.bestBid());
        }
        id = b.limit(HISTORICAL_OWNER, side, p, size, time, 0);
      }
      this.mapOrder(orderId, id);
    } else {
      b.fills.clear();
      const id = b.limit(HISTORICAL_OWNER, side, p, size, time, 0);
      this.noteTakerFills();
      if (b.has(id)) this.mapOrder(orderId, id);
    }
  }

  /** The live book id of a LOBSTER id, or 0. */
  private liveId(orderId: number): number {
    const id = this.idMap.get(orderId);
    if (id === undefined) return 0;
    if (this.book.has(id)) return id;
    return 0;
  }

  private remove(type: number, orderId: number, size: number, p: number, side: number): void {
    const id = this.liveId(orderId);
    if (id !== 0) {
      const q = this.book.orderQty(id);
      if (size >= q) {
        this.book.cancel(id);
        this.idMap.delete(orderId);
        this.bookToHist.delete(id);
        if (size <= q) this.took.delete(orderId);
        if (size > q) {
          // Match mode: the missing shares went to outside orders (see env/replay/README.md).
          if (this.executions === 'match') {
            this.consumedSkips++;
            this.took.delete(orderId);
          } else this.takeUnknown(side, p, size - q);
        }
      } else {
        this.book.reduce(id, size);
        if (type === T_DELETE) this.orphan(orderId, id, side, p);
      }
      return;
    }
    if (this.executions === 'match' && this.idMap.has(orderId)) {
      // The order is gone: outside orders consumed it (or a repair removed it).
      this.consumedSkips++;
      this.idMap.delete(orderId);
      this.took.delete(orderId);
      return;
    }
    this.unknownIds++;
    if (size > 0) this.takeUnknown(side, p, size);
  }

  private execute(time: number, orderId: number, size: number, p: number, side: number): void {
    this.tradeCounts.visible++;
    this.trades.push(time, p, size, -side, T_EXECUTE);
    if (this.executions === 'reduce') {
      const id = this.liveId(orderId);
      if (id === 0) {
        this.unknownIds++;
        this.takeUnknown(side, p, size);
        return;
      }
      const q = this.book.orderQty(id);
      if (size >= q) {
        this.book.cancel(id);
        this.idMap.delete(orderId);
        if (size > q) this.takeUnknown(side, p, size - q);
      } else {
        this.book.reduce(id, size);
      }
      return;
    }
    // Match mode: shrink by what outside orders already took from this order (or level).
    let s = size;
    const known = this.idMap.has(orderId);
    const key = side * p;
    const tookMap = known ? this.took : this.synthTook;
    const tk = known ? orderId : key;
    const already = tookMap.get(tk) ?? 0;
    if (already > 0) {
      const c = Math.min(s, already);
      s -= c;
      if (already - c > 0) tookMap.set(tk, already - c);
      else tookMap.delete(tk);
      this.consumedSkips++;
    }
    if (!known) this.unknownIds++;
    if (s <= 0) return;
    const b = this.book;
    b.fills.clear();
    b.limit(HISTORICAL_TAKER, -side, p, s, time, IOC);
    this.noteTakerFills();
  }

  /** After a historical taker call in match mode: forget historical orders that finished. */
  private noteTakerFills(): void {
    const f = this.book.fills;
    if (this.fillSink !== null && f.count > 0) this.fillSink(f);
    for (let i = 0; i < f.count; i++) {
      const m = f.makerId[i];
      if (!this.book.has(m)) {
        const h = this.bookToHist.get(m);
        if (h !== undefined) {
          this.bookToHist.delete(m);
          this.idMap.delete(h);
        }
      }
    }
    f.clear();
  }

  /**
   * Records fills of an outside taker call (match mode): volume taken from historical orders is
   * remembered so that their later historical executions shrink. Call after each outside call
   * that may have traded, with the book's fills of that call; clears them.
   */
  noteOutsideFills(): void {
    const f = this.book.fills;
    for (let i = 0; i < f.count; i++) {
      const owner = f.makerOwner[i];
      if (owner !== SYNTHETIC_OWNER && owner !== HISTORICAL_OWNER) continue;
      const m = f.makerId[i];
      const h = this.bookToHist.get(m);
      const side = -f.takerSide[i];
      if (h !== undefined) {
        this.took.set(h, (this.took.get(h) ?? 0) + f.qty[i]);
        if (!this.book.has(m)) this.bookToHist.delete(m);
      } else {
        const key = side * f.price[i];
        this.synthTook.set(key, (this.synthTook.get(key) ?? 0) + f.qty[i]);
      }
    }
  }

  /**
   * A delete left part of the order: the level must change by the message's size, so the rest
   * stays where it is in the queue as synthetic volume (no id names it any more).
   */
  private orphan(orderId: number, id: number, side: number, p: number): void {
    this.idMap.delete(orderId);
    this.bookToHist.delete(id);
    const key = side * p;
    const list = this.synth.get(key);
    if (list === undefined) this.synth.set(key, [id]);
    else {
      // Keep the list in queue order (ids are issued in time order).
      let k = list.length;
      while (k > 0 && list[k - 1] > id) k--;
      list.splice(k, 0, id);
    }
  }

  private addSynthetic(side: number, p: number, qty: number, time: number): void {
    const id = this.book.limit(SYNTHETIC_OWNER, side, p, qty, time, 0);
    if (!this.book.has(id)) return;
    const key = side * p;
    const list = this.synth.get(key);
    if (list === undefined) this.synth.set(key, [id]);
    else list.push(id);
  }

  /** Takes `qty` from synthetic volume at a level (oldest first), then (reduce mode) from the back of the queue. */
  private takeUnknown(side: number, p: number, qty: number): void {
    let left = qty;
    const key = side * p;
    const list = this.synth.get(key);
    const b = this.book;
    if (list !== undefined) {
      let k = 0;
      while (k < list.length && left > 0) {
        const id = list[k];
        const q = b.orderQty(id);
        if (q === 0) {
          k++;
          continue;
        }
        if (q <= left) {
          b.cancel(id);
          left -= q;
          k++;
        } else {
          b.reduce(id, left);
          left = 0;
        }
      }
      if (k > 0) list.splice(0, k);
      if (list.length === 0) this.synth.delete(key);
    }
    if (left > 0 && this.executions === 'reduce') {
      const removed = this.removeFromBack(side, p, left, false);
      this.unknownShortfall += removed;
    } else if (left > 0) {
      this.consumedSkips++;
    }
  }

  /** Book ids of the non-outside orders at a level, oldest (front) first, in `scratch`. */
  private levelOrders(side: number, p: number, includeOutside: boolean): number[] {
    const out = this.scratch;
    out.length = 0;
    const b = this.book;
    const n = b.liveCount();
    for (let i = 0; i < n; i++) {
      const id = b.liveOrderAt(i);
      if (b.orderPrice(id) !== p || b.orderSide(id) !== side) continue;
      if (!includeOutside && b.orderOwner(id) > HISTORICAL_TAKER) continue;
      out.push(id);
    }
    // Ids are issued in time order and replays never re-queue an order: id order is queue order.
    out.sort((x, y) => x - y);
    return out;
  }

  /** Removes up to `qty` shares of historical/synthetic volume from the back of a level; returns shares removed. */
  private removeFromBack(side: number, p: number, qty: number, all: boolean): number {
    const ids = this.levelOrders(side, p, false);
    const b = this.book;
    let left = all ? Infinity : qty;
    let removed = 0;
    for (let k = ids.length - 1; k >= 0 && left > 0; k--) {
      const id = ids[k];
      const q = b.orderQty(id);
      if (q <= left) {
        b.cancel(id);
        left -= q;
        removed += q;
      } else {
        b.reduce(id, left);
        removed += left;
        left = 0;
      }
    }
    return removed;
  }

  private clearLevel(side: number, p: number): void {
    this.removeFromBack(side, p, 0, true);
    this.synth.delete(side * p);
  }

  /** Outside (agent) volume at a level. */
  private outsideAt(side: number, p: number): number {
    const ids = this.outside;
    let v = 0;
    let k = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!this.book.has(id)) continue;
      ids[k++] = id;
      if (this.book.orderPrice(id) === p && this.book.orderSide(id) === side) v += this.book.orderQty(id);
    }
    ids.length = k;
    return v;
  }

  /**
   * Registers a resting outside (agent) order so that checks leave its volume out (match mode).
   * Finished ids are forgotten automatically.
   */
  registerOutside(bookId: number): void {
    if (this.book.has(bookId)) this.outside.push(bookId);
  }

  /** Remaining shares of the order a LOBSTER id names (0 if unknown or finished). */
  historicalQty(lobsterId: number): number {
    const id = this.idMap.get(lobsterId);
    return id === undefined ? 0 : this.book.orderQty(id);
  }

  /**
   * Counts a difference; returns whether to repair it. In match mode an unexplained difference
   * inside the window is the outside orders' impact (volume they took or queue they joined) and
   * is kept: only levels entering from below are re-seeded.
   */
  private noteFix(what: string, unexplained: boolean): boolean {
    if (unexplained) {
      this.fixUnexplained++;
      if (this.fixNote.length < 200) this.fixNote += (this.fixNote === '' ? '' : '; ') + what;
      return this.executions === 'reduce';
    }
    this.reseeded++;
    return true;
  }

  private checkRow(row: Float64Array, off: number): void {
    if (!(off >= 0 && off + 4 * this.levels <= row.length)) {
      throw new ReplayError(`an orderbook row needs ${4 * this.levels} values from offset ${off}, the array has ${row.length}`);
    }
  }

  private setEdges(row: Float64Array, off: number): void {
    const L = this.levels;
    this.edgeAsk = row[off + 4 * (L - 1) + 1] > 0 ? row[off + 4 * (L - 1)] / this.tickSize : NaN;
    this.edgeBid = row[off + 4 * (L - 1) + 3] > 0 ? row[off + 4 * (L - 1) + 2] / this.tickSize : NaN;
  }

  /**
   * Compares the book with the orderbook row written after the last message (4·levels values
   * from `off`) and repairs every difference (see the file header). Returns true when the
   * transition is explained (no mismatch).
   */
  check(row: Float64Array, off: number): boolean {
    this.checkRow(row, off);
    this.transitions++;
    this.fixNote = '';
    this.fixUnexplained = 0;
    // Pass 1 removes (both sides), pass 2 adds: a stale level never crosses an added one.
    this.reconcileSide(row, off, SELL, false);
    this.reconcileSide(row, off, BUY, false);
    this.reconcileSide(row, off, SELL, true);
    this.reconcileSide(row, off, BUY, true);
    this.setEdges(row, off);
    if (this.fixUnexplained === 0) return true;
    this.mismatches++;
    if (this.details.length < this.maxDetails) {
      this.details.push({ row: this.row - 1, time: this.cur.time, type: this.cur.type, orderId: this.cur.orderId, reason: this.fixNote });
    }
    return false;
  }

  private reconcileSide(row: Float64Array, off: number, side: number, adding: boolean): void {
    const L = this.levels;
    const s = side === SELL ? 0 : 2;
    // Keys order both sides alike: a smaller key is a better price (ask p, bid −p).
    const dir = side === SELL ? 1 : -1;
    const edge = side === SELL ? this.edgeAsk : this.edgeBid;
    const edgeKey = Number.isNaN(edge) ? Infinity : dir * edge;
    const r = this.rowBuf;
    let n = 0;
    for (let i = 0; i < L; i++) {
      const q = row[off + 4 * i + s + 1];
      if (!(q > 0)) break;
      r[2 * n] = this.ticks(row[off + 4 * i + s]);
      r[2 * n + 1] = q;
      n++;
    }
    const deepestKey = n === L ? dir * r[2 * (L - 1)] : Infinity;
    // Book levels of this side from the best down to the row's deepest (all of them if the row's side is not full).
    const b = this.book;
    let cap = L + 2;
    if (this.depthBuf.length < 2 * cap) this.depthBuf = new Float64Array(4 * cap);
    let m = b.depth(cap, side, this.depthBuf);
    while (m === cap && dir * this.depthBuf[2 * (m - 1)] <= deepestKey) {
      cap *= 2;
      if (this.depthBuf.length < 2 * cap) this.depthBuf = new Float64Array(4 * cap);
      m = b.depth(cap, side, this.depthBuf);
    }
    const d = this.depthBuf;
    const name = side === SELL ? 'ask' : 'bid';
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      const bk = j < m ? dir * d[2 * j] : Infinity;
      if (j < m && bk > deepestKey) {
        j = m;
        continue;
      }
      const rk = i < n ? dir * r[2 * i] : Infinity;
      if (j < m && bk < rk) {
        // A book level the file does not have.
        const bp = d[2 * j];
        if (!adding) {
          const hist = d[2 * j + 1] - this.outsideAt(side, bp);
          if (hist > 0) {
            if (this.noteFix(`${name} ${bp}: book ${hist}, file none`, !(bk > edgeKey))) this.clearLevel(side, bp);
          }
        }
        j++;
      } else if (i < n && rk < bk) {
        const rp = r[2 * i];
        if (adding) {
          if (this.noteFix(`${name} ${rp}: book none, file ${r[2 * i + 1]}`, !(rk > edgeKey))) this.addSynthetic(side, rp, r[2 * i + 1], this.cur.time);
        }
        i++;
      } else {
        const bp = d[2 * j];
        const hist = d[2 * j + 1] - (this.outside.length > 0 ? this.outsideAt(side, bp) : 0);
        const want = r[2 * i + 1];
        if (!adding && hist > want) {
          if (this.noteFix(`${name} ${bp}: book ${hist}, file ${want}`, !(bk > edgeKey))) this.removeFromBack(side, bp, hist - want, false);
        } else if (adding && hist < want) {
          if (this.noteFix(`${name} ${bp}: book ${hist}, file ${want}`, !(bk > edgeKey))) this.addSynthetic(side, bp, want - hist, this.cur.time);
        }
        i++;
        j++;
      }
    }
  }

  /**
   * The book's top `levels` levels as a LOBSTER orderbook row (asks and bids in LOBSTER price
   * units, empty levels as LOBSTER writes them) into `out` from `off`.
   */
  snapshot(out: Float64Array, off = 0): void {
    this.checkRow(out, off);
    const L = this.levels;
    const d = this.depthBuf;
    for (let s = 0; s < 2; s++) {
      const side = s === 0 ? SELL : BUY;
      const n = this.book.depth(L, side, d);
      for (let i = 0; i < L; i++) {
        const o = off + 4 * i + 2 * s;
        if (i < n) {
          out[o] = d[2 * i] * this.tickSize;
          out[o + 1] = d[2 * i + 1];
        } else {
          out[o] = s === 0 ? EMPTY_ASK_PRICE : EMPTY_BID_PRICE;
          out[o + 1] = 0;
        }
      }
    }
  }

  /** Live synthetic orders (volume the messages never introduced). */
  syntheticOrders(): number {
    let n = 0;
    const b = this.book;
    for (let i = 0; i < b.liveCount(); i++) if (b.orderOwner(b.liveOrderAt(i)) === SYNTHETIC_OWNER) n++;
    return n;
  }

  report(): ReplayReport {
    return {
      levels: this.levels,
      messages: this.row,
      transitions: this.transitions,
      mismatches: this.mismatches,
      reseeded: this.reseeded,
      unknownIds: this.unknownIds,
      unknownShortfall: this.unknownShortfall,
      consumedSkips: this.consumedSkips,
      typeCounts: this.typeCounts.slice(),
      trades: { ...this.tradeCounts },
      liveOrders: this.book.liveCount(),
      syntheticOrders: this.syntheticOrders(),
      halted: this.halted,
      details: this.details.slice(),
    };
  }
}
