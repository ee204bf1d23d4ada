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
 *   thinning, so each such order is cancelled at rate `cancelRate` exactly;
 * - refills: `refillRate` × (spread − minDistanceTicks) extra limit orders per second inside a
 *   wide spread (at minDistanceTicks from the opposite best), the liquidity that comes back
 *   after a sweep.
 * When the opposite side is empty, distances are taken from the host's mid (never NaN).
 */
import { AliasTable } from '../random/index.ts';
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, OWNER_FUNDAMENTAL as OWNER_FUNDAMENTAL_, OWNER_LIQUIDITY as OWNER_LIQUIDITY_, OWNER_NOISE as OWNER_NOISE_ } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const OWNER_FUNDAMENTAL = OWNER_FUNDAMENTAL_;
const OWNER_LIQUIDITY = OWNER_LIQUIDITY_;
const OWNER_NOISE = OWNER_NOISE_;

export class LiquidityProviders {
  enabled = false;
  /** Time of the next clock event (seconds), +Infinity when disabled. */
  nextTime = Infinity;
  private rng!: Rng;
  private limitRate = 0;
  private cancelRate = 0;
  private refillRate = 0;
  private minD = 1;
  private dist: AliasTable | null = null;
  /** P(distance = minD + i). */
  private prob = new Float64Array(1);
  private sizeMedian = 100;
  private sizeSigma = 0;
  private lot = 100;
  private lotP = 0;
  // Rates of the current draw (per second).
  private rLimit = 0;
  private rCancel = 0;
  private rRefill = 0;

  configure(p: MarketParams, rng: Rng): void {
    const l = p.liquidity;
    this.rng = rng;
    this.enabled = l.enabled;
    this.limitRate = l.limitRate;
    this.cancelRate = l.cancelRate;
    this.refillRate = l.refillRate;
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
    this.nextTime = Infinity;
  }

  /** Expected resting orders of one side at distance d (the initializer's Poisson mean). */
  meanQueueOrders(d: number): number {
    if (!this.enabled || this.cancelRate <= 0 || this.dist === null) return 0;
    const i = d - this.minD;
    if (i < 0 || i >= this.dist.size) return 0;
    return (this.limitRate * this.prob[i]) / this.cancelRate;
  }

  /** Redraws the next clock time from the state now (call after every market event). */
  redraw(host: TraderHost): void {
    if (!this.enabled) {
      this.nextTime = Infinity;
      return;
    }
    const act = host.activity();
    this.rLimit = this.limitRate * act;
    this.rCancel = this.cancelRate * host.book.liveCount();
    const bid = host.bestBid();
    const ask = host.bestAsk();
    const gap = bid > 0 && ask > 0 && ask - bid > this.minD ? ask - bid - this.minD : 0;
    this.rRefill = this.refillRate * gap * act;
    const total = 2 * this.rLimit + this.rCancel + this.rRefill;
    this.nextTime = total > 0 ? host.now + this.rng.exponential(total) : Infinity;
  }

  /** Runs the event the clock fired at `host.now`. */
  fire(host: TraderHost): void {
    const rng = this.rng;
    const u = rng.next() * (2 * this.rLimit + this.rCancel + this.rRefill);
    if (u < 2 * this.rLimit) {
      this.placeAtDistance(host, u < this.rLimit ? BUY : SELL);
    } else if (u < 2 * this.rLimit + this.rCancel) {
      const book = host.book;
      const n = book.liveCount();
      if (n === 0) return;
      const id = book.liveOrderAt(Math.floor(rng.next() * n));
      const owner = book.orderOwner(id);
      if (owner === OWNER_LIQUIDITY || owner === OWNER_NOISE || owner === OWNER_FUNDAMENTAL) host.cancelOrder(id);
    } else {
      const bid = host.bestBid();
      const ask = host.bestAsk();
      if (bid === 0 || ask === 0 || ask - bid <= this.minD) return;
      const side = rng.next() < 0.5 ? BUY : SELL;
      const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
      host.placeLimit(OWNER_LIQUIDITY, side, side === BUY ? ask - this.minD : bid + this.minD, qty, 0);
    }
  }

  private placeAtDistance(host: TraderHost, side: number): void {
    const rng = this.rng;
    const d = this.minD + (this.dist as AliasTable).sample(rng);
    const qty = drawSize(rng, this.sizeMedian, this.sizeSigma, this.lot, this.lotP);
    let price: number;
    if (side === BUY) {
      const ask = host.bestAsk();
      price = (ask > 0 ? ask : Math.round(host.mid())) - d;
    } else {
      const bid = host.bestBid();
      price = (bid > 0 ? bid : Math.round(host.mid())) + d;
    }
    if (price < 1) return;
    host.placeLimit(OWNER_LIQUIDITY, side, price, qty, 0);
  }
}
