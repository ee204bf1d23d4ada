/**
 * Market makers: each quotes one bid and one ask around the mid with
 * - a half-spread `halfSpreadTicks`, widened by the factor 1 + volWidening × (ratio − 1) when the
 *   short-term volatility is `ratio` times its base level (ratio capped at 3);
 * - an inventory skew: both quotes shift by −inventorySkewTicks × inventory / maxInventory
 *   (a long maker lowers its prices to sell), and at |inventory| >= maxInventory it stops quoting
 *   the side that would add to it;
 * - latency: after a market event (a trade, a change of the touch) maker i requotes after its own
 *   delay, `latencySeconds` × U(0.5, 1.5) drawn at reset, and otherwise every Exp(mean `requoteSeconds`).
 * Quotes are post-only and keep `distanceFloorTicks` (default 1) from the opposite best: a quote
 * nearer is placed that far behind it, and a maker's own bid and ask are at least that far apart
 * (a day whose spread is never under 2 ticks gets no 1-tick spreads from the makers).
 * A maker keeps a live quote whose price and size are already right (no message).
 *
 * State per maker in typed arrays; `wakeAt[i]` is the time of its pending wake-up: heap entries
 * with another time are stale (lazy deletion) and ignored.
 */
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { BUY as BUY_, SELL as SELL_, EV_MAKER as EV_MAKER_, OWNER_MAKER_BASE as OWNER_MAKER_BASE_ } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const EV_MAKER = EV_MAKER_;
const OWNER_MAKER_BASE = OWNER_MAKER_BASE_;

const MAX_MAKERS = 16;

export class MarketMakers {
  enabled = false;
  count = 0;
  private rng!: Rng;
  private halfSpread = 1;
  private hJitter = 0;
  /** Per maker: its half-spread multiplier (1 without jitter). */
  private readonly hMult = new Float64Array(16).fill(1);
  private size = 100;
  private skew = 0;
  private maxInv = 1;
  private latency = 0.1;
  private requote = 1;
  private widen = 0;
  private floor = 1;
  readonly bidId = new Float64Array(MAX_MAKERS);
  readonly askId = new Float64Array(MAX_MAKERS);
  /** Shares held (positive = long), from the maker's fills. */
  readonly inventory = new Float64Array(MAX_MAKERS);
  readonly wakeAt = new Float64Array(MAX_MAKERS);
  /** Per-maker reaction delay, latencySeconds × U(0.5, 1.5) drawn at reset (no draw per event). */
  readonly delay = new Float64Array(MAX_MAKERS);

  configure(p: MarketParams, rng: Rng): void {
    const m = p.marketMakers;
    this.rng = rng;
    this.enabled = m.enabled && m.count > 0;
    this.count = this.enabled ? Math.min(MAX_MAKERS, m.count) : 0;
    this.halfSpread = m.halfSpreadTicks;
    this.hJitter = m.halfSpreadJitter;
    this.hMult.fill(1);
    this.size = m.size;
    this.skew = m.inventorySkewTicks;
    this.maxInv = m.maxInventory;
    this.latency = m.latencySeconds;
    this.requote = m.requoteSeconds;
    this.widen = m.volWidening;
    this.floor = m.distanceFloorTicks;
    this.bidId.fill(0);
    this.askId.fill(0);
    this.inventory.fill(0);
    this.wakeAt.fill(Infinity);
    for (let i = 0; i < MAX_MAKERS; i++) this.delay[i] = this.latency * (0.5 + rng.next());
  }

  /** Schedules every maker's first quote at `host.now` (staggered by the latency). */
  start(host: TraderHost): void {
    for (let i = 0; i < this.count; i++) this.wakeAfter(host, i, this.latency * this.rng.next());
  }

  /** Whether `owner` is one of the makers. */
  isMaker(owner: number): boolean {
    return owner >= OWNER_MAKER_BASE && owner < OWNER_MAKER_BASE + this.count;
  }

  /** A fill of maker `owner`: `side` is the maker's side (BUY: it bought `qty`). */
  onFill(owner: number, side: number, qty: number): void {
    this.inventory[owner - OWNER_MAKER_BASE] += side * qty;
  }

  /** A market event happened: every maker requotes after its latency (if not sooner already). */
  onMarketEvent(host: TraderHost): void {
    for (let i = 0; i < this.count; i++) {
      const t = host.now + this.delay[i];
      if (t < this.wakeAt[i]) {
        this.wakeAt[i] = t;
        host.schedule(t, (EV_MAKER << 8) | i);
      }
    }
  }

  private wakeAfter(host: TraderHost, i: number, dt: number): void {
    const t = host.now + dt;
    this.wakeAt[i] = t;
    host.schedule(t, (EV_MAKER << 8) | i);
  }

  /** A popped wake-up of maker i at time `time`; returns false if stale (ignored). */
  wake(host: TraderHost, i: number, time: number): boolean {
    if (time !== this.wakeAt[i]) return false;
    if (this.hJitter > 0) {
      const j = this.hJitter;
      this.hMult[i] = Math.exp(j * this.rng.normal() - (j * j) / 2);
    }
    this.quote(host, i);
    this.wakeAfter(host, i, this.rng.exponential(1 / this.requote));
    return true;
  }

  private quote(host: TraderHost, i: number): void {
    const book = host.book;
    const owner = OWNER_MAKER_BASE + i;
    const inv = this.inventory[i];
    let h = this.halfSpread * this.hMult[i];
    if (this.widen > 0) {
      const r = host.volatilityRatio();
      // Capped at a ratio of 3: an unbounded widening feeds back (wider quotes, bigger jumps, wider quotes).
      if (r > 1) h *= 1 + this.widen * (r < 3 ? r - 1 : 2);
    }
    const fair = host.mid() - (this.skew * inv) / this.maxInv;
    const floor = this.floor;
    let bidPx = Math.floor(fair - h);
    let askPx = Math.ceil(fair + h);
    if (askPx - bidPx < floor) {
      // Widened about the fair price, an odd tick to the ask (with a floor of 1: only a zero-width
      // pair, whose ask moves up, the old post-only rule).
      const ext = floor - (askPx - bidPx);
      const lo = Math.floor(ext / 2);
      bidPx -= lo;
      askPx += ext - lo;
    }
    const wantBid = inv < this.maxInv && bidPx >= 1;
    const wantAsk = inv > -this.maxInv;
    // Cancel what must move first, so the new quotes are placed against the others' book.
    const bId = this.bidId[i];
    const aId = this.askId[i];
    const keepBid = wantBid && bId > 0 && book.has(bId) && book.orderPrice(bId) === bidPx && book.orderQty(bId) === this.size;
    const keepAsk = wantAsk && aId > 0 && book.has(aId) && book.orderPrice(aId) === askPx && book.orderQty(aId) === this.size;
    if (!keepBid && bId > 0 && book.has(bId)) host.cancelOrder(bId);
    if (!keepAsk && aId > 0 && book.has(aId)) host.cancelOrder(aId);
    if (!keepBid) this.bidId[i] = 0;
    if (!keepAsk) this.askId[i] = 0;
    if (wantBid && !keepBid) {
      const bestAsk = host.bestAsk();
      if (bestAsk > 0 && bidPx > bestAsk - floor) bidPx = bestAsk - floor;
      if (bidPx >= 1) {
        const id = host.placeLimit(owner, BUY, bidPx, this.size, 1);
        this.bidId[i] = id > 0 ? id : 0;
      }
    }
    if (wantAsk && !keepAsk) {
      const bestBid = host.bestBid();
      if (bestBid > 0 && askPx < bestBid + floor) askPx = bestBid + floor;
      const id = host.placeLimit(owner, SELL, askPx, this.size, 1);
      this.askId[i] = id > 0 ? id : 0;
    }
  }
}
