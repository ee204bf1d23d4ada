/**
 * Noise traders: Poisson orders (`rate` × intraday profile), a random side; a market order with
 * probability `marketProbability`, else a limit order 0–2 ticks behind the own-side best
 * (cancelled later by the liquidity providers' per-order hazard).
 */
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, EV_NOISE as EV_NOISE_, OWNER_NOISE as OWNER_NOISE_, SEND_LIMIT, SEND_MARKET, NOTIFY_NONE } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const EV_NOISE = EV_NOISE_;
const OWNER_NOISE = OWNER_NOISE_;

export class NoiseTraders {
  enabled = false;
  private rng!: Rng;
  private rate = 0;
  private marketP = 0;
  private median = 100;
  private sigma = 0;
  private lot = 100;
  /** Order-entry latency, seconds. */
  private latency = 0;

  configure(p: MarketParams, rng: Rng): void {
    const n = p.noise;
    this.rng = rng;
    this.enabled = n.enabled;
    this.rate = n.rate;
    this.marketP = n.marketProbability;
    this.median = n.sizeMedian;
    this.sigma = n.sizeSigma;
    this.lot = p.lotSize;
    this.latency = n.latencySeconds;
  }

  start(host: TraderHost): void {
    this.scheduleNext(host);
  }

  private scheduleNext(host: TraderHost): void {
    const rate = this.rate * host.activity();
    if (rate > 0) host.schedule(host.now + this.rng.exponential(rate), EV_NOISE << 8);
  }

  wake(host: TraderHost): void {
    const rng = this.rng;
    const side = rng.next() < 0.5 ? BUY : SELL;
    const qty = drawSize(rng, this.median, this.sigma, this.lot, 0.5);
    if (rng.next() < this.marketP) {
      if (this.latency > 0) host.sendDelayed(this.latency, OWNER_NOISE, SEND_MARKET, side, 0, qty, 0, NOTIFY_NONE);
      else host.placeMarket(OWNER_NOISE, side, qty);
    } else {
      const best = side === BUY ? host.bestBid() : host.bestAsk();
      const ref = best > 0 ? best : Math.round(host.mid()) - side;
      const px = ref - side * rng.int(0, 2);
      if (px >= 1) {
        if (this.latency > 0) host.sendDelayed(this.latency, OWNER_NOISE, SEND_LIMIT, side, px, qty, 1, NOTIFY_NONE);
        else host.placeLimit(OWNER_NOISE, side, px, qty, 1);
      }
    }
    this.scheduleNext(host);
  }
}
