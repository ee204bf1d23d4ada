/**
 * Institutional traders that split parent orders into child market orders (Lillo–Mike–Farmer):
 * parents arrive as a Poisson process (`arrivalRate` × intraday profile) with a random side and
 * N child orders, N = floor(minChildren · U^(−1/tailExponent)) capped at maxChildren (a Pareto
 * tail: P(N > n) ∝ n^−tailExponent), so trade signs get long memory (ACF ∝ lag^(1−tailExponent)).
 * Children are market orders of lognormal size (median `childSize`) every Exp(mean
 * `childIntervalSeconds` / profile). At most `maxConcurrent` parents work at once (others are dropped).
 */
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, EV_CHILD as EV_CHILD_, EV_PARENT as EV_PARENT_, OWNER_INSTITUTIONAL as OWNER_INSTITUTIONAL_, SEND_MARKET, NOTIFY_NONE } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const EV_CHILD = EV_CHILD_;
const EV_PARENT = EV_PARENT_;
const OWNER_INSTITUTIONAL = OWNER_INSTITUTIONAL_;

const MAX_SLOTS = 64;

export class InstitutionalTraders {
  enabled = false;
  private rng!: Rng;
  private arrival = 0;
  private alpha = 1.5;
  private minN = 1;
  private maxN = 1;
  private interval = 1;
  private childSize = 100;
  private maxConcurrent = 1;
  private lot = 100;
  /** Order-entry latency, seconds. */
  private latency = 0;
  /** Per slot: side (0 = free) and children left. */
  readonly side = new Int8Array(MAX_SLOTS);
  readonly left = new Float64Array(MAX_SLOTS);
  active = 0;

  configure(p: MarketParams, rng: Rng): void {
    const q = p.institutional;
    this.rng = rng;
    this.enabled = q.enabled;
    this.arrival = q.arrivalRate;
    this.alpha = q.tailExponent;
    this.minN = q.minChildren;
    this.maxN = q.maxChildren;
    this.interval = q.childIntervalSeconds;
    this.childSize = q.childSize;
    this.maxConcurrent = Math.min(MAX_SLOTS, q.maxConcurrent);
    this.lot = p.lotSize;
    this.latency = q.latencySeconds;
    this.side.fill(0);
    this.left.fill(0);
    this.active = 0;
  }

  /** Expected children per parent, E[min(N, maxChildren)] (continuous Pareto approximation). */
  expectedChildren(): number {
    const m = this.minN;
    const M = this.maxN;
    const a = this.alpha;
    if (Math.abs(a - 1) < 1e-9) return m * (1 + Math.log(M / m));
    return (m * a) / (a - 1) - (Math.pow(m, a) * Math.pow(M, 1 - a)) / (a - 1);
  }

  start(host: TraderHost): void {
    this.scheduleParent(host);
  }

  private scheduleParent(host: TraderHost): void {
    const rate = this.arrival * host.activity();
    if (rate > 0) host.schedule(host.now + this.rng.exponential(rate), EV_PARENT << 8);
  }

  private scheduleChild(host: TraderHost, slot: number): void {
    host.schedule(host.now + this.rng.exponential(host.activity() / this.interval), (EV_CHILD << 8) | slot);
  }

  wakeParent(host: TraderHost): void {
    if (this.active < this.maxConcurrent) {
      let slot = 0;
      while (this.side[slot] !== 0) slot++;
      const rng = this.rng;
      const n = Math.floor(this.minN * Math.pow(1 - rng.next(), -1 / this.alpha));
      this.side[slot] = rng.next() < 0.5 ? BUY : SELL;
      this.left[slot] = n > this.maxN ? this.maxN : n;
      this.active++;
      this.scheduleChild(host, slot);
    }
    this.scheduleParent(host);
  }

  wakeChild(host: TraderHost, slot: number): void {
    const qty = drawSize(this.rng, this.childSize, 0.5, this.lot, 0.5);
    if (this.latency > 0) host.sendDelayed(this.latency, OWNER_INSTITUTIONAL, SEND_MARKET, this.side[slot], 0, qty, 0, NOTIFY_NONE);
    else host.placeMarket(OWNER_INSTITUTIONAL, this.side[slot], qty);
    if (--this.left[slot] > 0) {
      this.scheduleChild(host, slot);
    } else {
      this.side[slot] = 0;
      this.active--;
    }
  }
}
