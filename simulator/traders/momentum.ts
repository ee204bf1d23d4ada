/**
 * Momentum traders: at each wake-up (Poisson, `wakeRate` × intraday profile) they compute the
 * log return of the mid over `lookbackSeconds` and, when |return| exceeds `thresholdBps`, send a
 * market order of `size` shares in its direction (they feed volatility clustering).
 */
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { BUY as BUY_, SELL as SELL_, EV_MOMENTUM as EV_MOMENTUM_, OWNER_MOMENTUM as OWNER_MOMENTUM_, SEND_MARKET, NOTIFY_NONE } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const EV_MOMENTUM = EV_MOMENTUM_;
const OWNER_MOMENTUM = OWNER_MOMENTUM_;

export class MomentumTraders {
  enabled = false;
  private rng!: Rng;
  private rate = 0;
  private lookback = 60;
  private threshold = 0;
  private size = 100;
  /** Order-entry latency, seconds. */
  private latency = 0;

  configure(p: MarketParams, rng: Rng): void {
    const m = p.momentum;
    this.rng = rng;
    this.enabled = m.enabled;
    this.rate = m.wakeRate;
    this.lookback = m.lookbackSeconds;
    this.threshold = m.thresholdBps * 1e-4;
    this.size = m.size;
    this.latency = m.latencySeconds;
  }

  start(host: TraderHost): void {
    this.scheduleNext(host);
  }

  private scheduleNext(host: TraderHost): void {
    const rate = this.rate * host.activity();
    if (rate > 0) host.schedule(host.now + this.rng.exponential(rate), EV_MOMENTUM << 8);
  }

  wake(host: TraderHost): void {
    const r = Math.log(host.mid() / host.midAgo(this.lookback));
    const side = r > this.threshold ? BUY : r < -this.threshold ? SELL : 0;
    if (side !== 0) {
      if (this.latency > 0) host.sendDelayed(this.latency, OWNER_MOMENTUM, SEND_MARKET, side, 0, this.size, 0, NOTIFY_NONE);
      else host.placeMarket(OWNER_MOMENTUM, side, this.size);
    }
    this.scheduleNext(host);
  }
}
