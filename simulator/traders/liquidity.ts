/**
 * Liquidity providers: zero-intelligence limit flow (Santa Fe / Cont–Stoikov–Talreja style).
 *
 * Three competing Poisson clocks, merged and redrawn after every market event (Gillespie's
 * method: the rates depend on the state, and every clock is memoryless, so redrawing is exact):
 * - limit orders, `limitRate` per side per second (times the intraday profile), placed at a
 *   distance d ticks from the OPPOSITE best with P(d) ∝ d^−distanceExponent on
 *   [minDistanceTicks, maxDistanceTicks] (d = 1 next to the other side, i.e. inside a wide spread);
 *   sizes lognormal, rounded to round lots with probability `roundLotProbability`;
 * - cancellations with a per-order hazard `cancelRate`: the clock runs at cancelRate × (all live
 *   orders), picks a uniformly random live order and cancels it only if it belongs to a passive
 *   zero-intelligence owner (liquidity providers, noise traders, fundamental limit orders):
 *   thinning, so each such order is cancelled at rate `cancelRate` exactly; with probability
 *   `partialCancelProbability` the cancellation removes a uniform share of the order (1 to q − 1
 *   shares: a partial cancel) instead of all of it; with `bestCancelFactor` ≠ 1 a provider order
 *   at its side's best has the hazard cancelRate × bestCancelFactor (the clock runs at the largest
 *   hazard and thins to each order's, so both are exact): traders keep a place at the touch longer
 *   than one behind it, so fewer cancels happen in a level-1 view per add;
 *   with probability `joinBestProbability` the order instead joins the queue at its own side's
 *   best (by distance when that side is empty);
 * - refills: `refillRate` × (spread − minDistanceTicks) extra limit orders per second inside a
 *   wide spread (at minDistanceTicks from the opposite best), the liquidity that comes back
 *   after a sweep.
 * When the opposite side is empty, distances are taken from the host's mid (never NaN).
 * Options (off by default): `distanceJitter` multiplies each placement and refill distance by a
 * lognormal factor of mean 1, so the inner edge is soft and the spread is not pinned (never under
 * `distanceFloorTicks`, default 1);
 * `backstop` refills an empty side at once (after any event), so a book never stays one-sided;
 * `deepRate` adds a deep, patient layer: orders (owner OWNER_DEEP_LIQUIDITY) placed uniformly
 * on [deepMinDistanceTicks, deepMaxDistanceTicks] from the opposite best, with their own hazard
 * `deepCancelRate`. Its arrivals share the exogenous limit clock (rate 2·(limitRate + deepRate),
 * a coin picks the layer); the cancel clock then runs at max(cancelRate, deepCancelRate) × (live
 * orders) and thins each order to its own layer's hazard, so both hazards are exact. A layer that
 * lives for minutes keeps liquidity at price levels the fast layer has left: it resists a trend.
 *
 * Common random numbers: the limit arrivals are an exogenous clock with their own stream (times,
 * sides, distances, sizes): their rate 2·limitRate·activity changes only with the intraday
 * profile (at the host's samples, `onActivity`), so a unit-exponential budget consumed at that
 * rate gives the same arrival times whatever else happens (an agent's orders shift nothing).
 * Cancellations and refills are state-dependent (Gillespie, redrawn after every event) and use a
 * second stream.
 */
import { AliasTable } from '../random/index.ts';
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, OWNER_FUNDAMENTAL as OWNER_FUNDAMENTAL_, OWNER_LIQUIDITY as OWNER_LIQUIDITY_, OWNER_NOISE as OWNER_NOISE_, OWNER_DEEP_LIQUIDITY as OWNER_DEEP_LIQUIDITY_ } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const OWNER_FUNDAMENTAL = OWNER_FUNDAMENTAL_;
const OWNER_LIQUIDITY = OWNER_LIQUIDITY_;
const OWNER_NOISE = OWNER_NOISE_;
const OWNER_DEEP_LIQUIDITY = OWNER_DEEP_LIQUIDITY_;

export class LiquidityProviders {
  enabled = false;
  /** Time of the next clock event (seconds), +Infinity when disabled. */
  nextTime = Infinity;
  /** State-dependent clock: cancellations and refills. */
  private rng!: Rng;
  /** Exogenous clock: limit arrivals. */
  private limitRng!: Rng;
  private limitRate = 0;
  private cancelRate = 0;
  private refillRate = 0;
  private partialP = 0;
  private jitter = 0;
  private floor = 1;
  private joinP = 0;
  /** Factor on cancelRate for a provider order at its side's best (1: off, nothing below draws). */
  private bestFactor = 1;
  private backstop = false;
  private minD = 1;
  private dist: AliasTable | null = null;
  /** P(distance = minD + i). */
  private prob = new Float64Array(1);
  private sizeMedian = 100;
  private sizeSigma = 0;
  private lot = 100;
  private lotP = 0;
  // The deep layer (deepRate 0 = off: nothing below draws).
  private deepRate = 0;
  private deepCancel = 0;
  private deepMin = 1;
  private deepWidth = 1;
  /** Per-order rate of the cancel clock: max(cancelRate, deepCancelRate) with the deep layer on, else cancelRate. */
  private cancelClock = 0;
  // Rates of the current draw (per second).
  private rCancel = 0;
  private rRefill = 0;
  // The limit clock: remaining unit-exponential budget, since `limitSince`, at total rate `limitTotal`.
  private limitBudget = 0;
  private limitSince = 0;
  private limitTotal = 0;
  private nextLimit = Infinity;
  private nextReact = Infinity;

  configure(p: MarketParams, rng: Rng): void {
    const l = p.liquidity;
    this.limitRng = rng;
    this.rng = rng.fork('react');
    this.enabled = l.enabled;
    this.limitRate = l.limitRate;
    this.cancelRate = l.cancelRate;
    this.refillRate = l.refillRate;
    this.partialP = l.partialCancelProbability;
    this.jitter = l.distanceJitter;
    this.floor = l.distanceFloorTicks;
    this.joinP = l.joinBestProbability;
    this.bestFactor = l.bestCancelFactor;
    this.backstop = l.backstop;
    this.minD = l.minDistanceTicks;
    const n = l.maxDistanceTicks - l.minDistanceTicks + 1;
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) w[i] = Math.pow(this.minD + i, -l.distanceExponent);
    this.dist = new AliasTable(w);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += w[i];
    for (let i = 0; i < n; i++) w[i] /= sum;
    this.prob = w;
    this.sizeMedian = l.sizeMedian;
    this.sizeSigma = l.sizeSigma;
    this.lot = p.lotSize;
    this.lotP = l.roundLotProbability;
    this.deepRate = l.deepRate;
    this.deepCancel = l.deepCancelRate;
    this.deepMin = l.deepMinDistanceTicks;
    this.deepWidth = l.deepMaxDistanceTicks - l.deepMinDistanceTicks + 1;
    this.cancelClock = Math.max(this.cancelRate * Math.max(1, this.bestFactor), this.deepRate > 0 ? this.deepCancel : 0);
    this.nextTime = Infinity;
    this.nextLimit = Infinity;
    this.nextReact = Infinity;
    this.limitTotal = 0;
  }

  /** Starts the exogenous limit clock at `host.now` (after `configure`, before the first `redraw`). */
  start(host: TraderHost): void {
    this.limitSince = host.now;
    this.limitBudget = this.limitRng.exponential(1);
    this.limitTotal = this.enabled ? 2 * (this.limitRate + this.deepRate) * host.liquidityActivity() : 0;
    this.nextLimit = this.limitTotal > 0 ? this.limitSince + this.limitBudget / this.limitTotal : Infinity;
  }

  /** The activity multiplier changed (a host sample): the limit clock continues at the new rate. */
  onActivity(host: TraderHost): void {
    if (!this.enabled) return;
    const now = host.now;
    if (this.limitTotal > 0) this.limitBudget -= this.limitTotal * (now - this.limitSince);
    if (this.limitBudget < 0) this.limitBudget = 0;
    this.limitSince = now;
    this.limitTotal = 2 * (this.limitRate + this.deepRate) * host.liquidityActivity();
    this.nextLimit = this.limitTotal > 0 ? now + this.limitBudget / this.limitTotal : Infinity;
    this.nextTime = this.nextLimit < this.nextReact ? this.nextLimit : this.nextReact;
  }

  /** Expected resting orders of one side at distance d (the initializer's Poisson mean). */
  meanQueueOrders(d: number): number {
    if (!this.enabled || this.cancelRate <= 0 || this.dist === null) return 0;
    const i = d - this.minD;
    if (i < 0 || i >= this.dist.size) return 0;
    return (this.limitRate * this.prob[i]) / this.cancelRate;
  }

  /** Expected resting deep-layer orders of one side at distance d (0 with the layer off). */
  meanDeepOrders(d: number): number {
    if (!this.enabled || this.deepRate <= 0) return 0;
    if (d < this.deepMin || d >= this.deepMin + this.deepWidth) return 0;
    return this.deepRate / this.deepWidth / this.deepCancel;
  }

  /** Redraws the state-dependent clock from the state now (call after every market event). */
  redraw(host: TraderHost): void {
    if (!this.enabled) {
      this.nextTime = Infinity;
      return;
    }
    if (this.backstop) this.refillEmptySide(host);
    this.rCancel = this.cancelClock * host.book.liveCount();
    const bid = host.bestBid();
    const ask = host.bestAsk();
    const gap = bid > 0 && ask > 0 && ask - bid > this.minD ? ask - bid - this.minD : 0;
    this.rRefill = this.refillRate * gap * host.liquidityActivity();
    const total = this.rCancel + this.rRefill;
    this.nextReact = total > 0 ? host.now + this.rng.exponential(total) : Infinity;
    this.nextTime = this.nextLimit < this.nextReact ? this.nextLimit : this.nextReact;
  }

  /** Runs the event the clock fired at `host.now` (a limit arrival if both are due). */
  fire(host: TraderHost): void {
    if (this.nextLimit <= this.nextReact) {
      const lr = this.limitRng;
      // The layer's coin is drawn only with the deep layer on (presets without it draw as before).
      if (this.deepRate > 0 && lr.next() * (this.limitRate + this.deepRate) < this.deepRate) this.placeDeep(host, lr.next() < 0.5 ? BUY : SELL);
      else this.placeAtDistance(host, lr.next() < 0.5 ? BUY : SELL);
      this.limitSince = host.now;
      this.limitBudget = lr.exponential(1);
      this.nextLimit = this.limitTotal > 0 ? host.now + this.limitBudget / this.limitTotal : Infinity;
      return;
    }
    const rng = this.rng;
    const u = rng.next() * (this.rCancel + this.rRefill);
    if (u < this.rCancel) {
      const book = host.book;
      const n = book.liveCount();
      if (n === 0) return;
      const id = book.liveOrderAt(Math.floor(rng.next() * n));
      const owner = book.orderOwner(id);
      const deep = owner === OWNER_DEEP_LIQUIDITY;
      if (deep || owner === OWNER_LIQUIDITY || owner === OWNER_NOISE || owner === OWNER_FUNDAMENTAL) {
        // Thinning to the order's own hazard (a draw only when the clock runs faster than it): the
        // deep layer's, or the providers' (times bestCancelFactor for a provider order at its best).
        let hazard = deep ? this.deepCancel : this.cancelRate;
        if (this.bestFactor !== 1 && owner === OWNER_LIQUIDITY && book.orderPrice(id) === (book.orderSide(id) === BUY ? host.bestBid() : host.bestAsk())) hazard *= this.bestFactor;
        if (hazard < this.cancelClock && rng.next() * this.cancelClock >= hazard) return;
        // A partial cancel draws only when switched on (presets without it draw exactly as before).
        const q = this.partialP > 0 ? book.orderQty(id) : 0;
        if (q > 1 && rng.next() < this.partialP) host.reduceOrder(id, 1 + Math.floor(rng.next() * (q - 1)));
        else host.cancelOrder(id);
      }
    } else {
      const bid = host.bestBid();
      const ask = host.bestAsk();
      if (bid === 0 || ask === 0 || ask - bid <= this.minD) return;
      const side = rng.next() < 0.5 ? BUY : SELL;
      const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
      const d = this.jitter > 0 ? this.jittered(rng, this.minD) : this.minD;
      const px = side === BUY ? ask - d : bid + d;
      if (px >= 1) host.placeLimit(OWNER_LIQUIDITY, side, px, qty, 0);
    }
  }

  private placeAtDistance(host: TraderHost, side: number): void {
    const rng = this.limitRng;
    // Joining the best: the coin is drawn only when switched on (presets without it draw as before).
    if (this.joinP > 0 && rng.next() < this.joinP) {
      const best = side === BUY ? host.bestBid() : host.bestAsk();
      const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
      if (best > 0) {
        host.placeLimit(OWNER_LIQUIDITY, side, best, qty, 0);
        return;
      }
      // An empty own side: the order goes by distance (the same size).
      const d0 = this.minD + (this.dist as AliasTable).sample(rng);
      this.placeFromOpposite(host, OWNER_LIQUIDITY, side, this.jitter > 0 ? this.jittered(rng, d0) : d0, qty);
      return;
    }
    const d0 = this.minD + (this.dist as AliasTable).sample(rng);
    const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
    const d = this.jitter > 0 ? this.jittered(rng, d0) : d0;
    this.placeFromOpposite(host, OWNER_LIQUIDITY, side, d, qty);
  }

  /** A deep-layer order: uniform distance on [deepMin, deepMax] from the opposite best, no jitter. */
  private placeDeep(host: TraderHost, side: number): void {
    const rng = this.limitRng;
    const d = this.deepMin + Math.floor(rng.next() * this.deepWidth);
    const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
    this.placeFromOpposite(host, OWNER_DEEP_LIQUIDITY, side, d, qty);
  }

  /** A limit order d ticks from the opposite best (from the mid when that side is empty). */
  private placeFromOpposite(host: TraderHost, owner: number, side: number, d: number, qty: number): void {
    let price: number;
    if (side === BUY) {
      const ask = host.bestAsk();
      price = (ask > 0 ? ask : Math.round(host.mid())) - d;
    } else {
      const bid = host.bestBid();
      price = (bid > 0 ? bid : Math.round(host.mid())) + d;
    }
    if (price < 1) return;
    host.placeLimit(owner, side, price, qty, 0);
  }

  /** `d` times a lognormal factor of mean 1 (sd `distanceJitter` of its log), at least `distanceFloorTicks`. */
  private jittered(rng: Rng, d: number): number {
    const s = this.jitter;
    const x = Math.round(d * Math.exp(s * rng.normal() - (s * s) / 2));
    return x < this.floor ? this.floor : x;
  }

  /** Backstop: an empty side gets one order at once, minDistanceTicks from the other side's best (or the mid). */
  private refillEmptySide(host: TraderHost): void {
    const bid = host.bestBid();
    const ask = host.bestAsk();
    if (bid > 0 && ask > 0) return;
    const rng = this.rng;
    if (bid === 0) {
      const px = (ask > 0 ? ask : Math.round(host.mid())) - this.minD;
      if (px >= 1) host.placeLimit(OWNER_LIQUIDITY, BUY, px, drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP), 0);
    }
    if (ask === 0) {
      const b = host.bestBid();
      const px = (b > 0 ? b : Math.round(host.mid())) + this.minD;
      host.placeLimit(OWNER_LIQUIDITY, SELL, px, drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP), 0);
    }
  }
}
