/**
 * Fundamental (informed) traders and the latent value they trade toward.
 *
 * The latent value V (ticks) is a random walk with stochastic volatility and jumps, advanced
 * lazily to each wake-up: over dt, V += σ(t)·V·√dt·N(0,1) + Σ jumps, jumps Poisson(jumpRate·dt)
 * with sd `jumpSizeBps`; σ(t) = σ_day/√23400 · e^(x − volOfVol²), x a stationary
 * Ornstein–Uhlenbeck log-volatility factor with sd `volOfVol` and time `volMeanReversionSeconds`
 * (the factor keeps E[σ²] at the base level).
 * The value's volatility sets the price's: the traders pull the mid toward it.
 *
 * At each wake-up (Poisson, `wakeRate` × intraday profile) a trader compares its estimate
 * E = V + L + κ·F with the mid; beyond `thresholdTicks` it buys (E > mid) or sells
 * aggressiveness × (|E − mid| − threshold) shares (at most `maxOrder`) with an immediate-or-cancel
 * limit order priced at E (it walks the book up to its estimate, never beyond), or with probability
 * `limitProbability` with a post-only limit order at its own-side best. L (learning) relaxes
 * toward mid − V at `learningRate` per second: a persistent move is partly taken as information,
 * which leaves a permanent part to any price impact.
 *
 * Order-flow learning (Kyle-like, `flowImpactTicks` κ > 0): F is a decaying sum over others' market
 * orders (the host reports each aggressor's fills, `onMarketOrder`) of sign × (q / mean taker
 * size)^flowSizeExponent, half-life `flowHalfLifeSeconds`: a trade is read as partly informed, the
 * more so the larger, but less than in proportion (concave per-trade response). This is the
 * transient, concave part of a metaorder's impact; L then keeps part of it (permanent).
 *
 * Common random numbers: the value's path, the wake-up times and the limit-or-IOC coin come from
 * one stream drawn the same way at every wake-up whatever the state, so the value and the
 * wake-ups are the same with or without an agent (paired runs).
 *
 * With `latentDepth` > 0 a second population models the V-shaped latent order book (Tóth et al.
 * 2011): it holds a position that grows like the square of the mispricing, target =
 * latentDepth·g·|g|/2 shares for g = E − mid ticks, and trades toward it by immediate-or-cancel
 * orders at E. Displacing the price by D then takes ≈ latentDepth·D²/2 shares: impact grows like
 * the square root of the size. With `latentMemorySeconds` > 0 the latent position is forgotten at
 * that time scale (its traders leave, fresh latent orders arrive around the estimate): after a
 * metaorder the population trades the price back toward E, so this part of the impact is
 * transient and the permanent part is what the estimate learned (L). The first population (aggressiveness) trades a flow proportional
 * to the mispricing, which pulls the price back toward E after a metaorder (transient impact).
 */
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { BUY as BUY_, SELL as SELL_, EV_FUNDAMENTAL as EV_FUNDAMENTAL_, OWNER_FUNDAMENTAL as OWNER_FUNDAMENTAL_, SEND_IOC, SEND_LIMIT, NOTIFY_NONE, NOTIFY_FUNDAMENTAL_LATENT } from './types.ts';
import type { TraderHost } from './types.ts';
import { meanSize } from './sizes.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const EV_FUNDAMENTAL = EV_FUNDAMENTAL_;
const OWNER_FUNDAMENTAL = OWNER_FUNDAMENTAL_;

const DAY_SECONDS = 23400;

export class FundamentalTraders {
  enabled = false;
  /** Latent value, ticks. */
  value = 0;
  /** Learned offset of the estimate, ticks. */
  learned = 0;
  /** Log-volatility factor (0 = base volatility). */
  logVol = 0;
  private lastTime = 0;
  /**
   * One stream for the value's path, the wake-up times and the order-type coin, drawn the same
   * number of times at every wake-up whatever the state (so an agent shifts none of them).
   */
  private rng!: Rng;
  private sigma = 0;
  private jumpRate = 0;
  private jumpSd = 0;
  private volOfVol = 0;
  private volTau = 1;
  private wakeRate = 0;
  private threshold = 0;
  private aggr = 0;
  private maxOrder = 1;
  /** Lognormal sd of the per-wake-up cap around maxOrder (0: the cap is maxOrder). */
  private capSigma = 0;
  private limitP = 0;
  private learnRate = 0;
  /** Order-entry latency, seconds (0: orders reach the book when decided). */
  private latency = 0;
  private latent = 0;
  private latentMemory = 0;
  private flowImpact = 0;
  private flowExp = 0.5;
  private flowDecay = 0;
  private flowUnit = 1;
  /** Order-flow signal (sum of sign × (q / unit)^exponent, decayed), as of `flowTime`. */
  flow = 0;
  private flowTime = 0;
  /** Surprise learning (0 = off): weight of the last sign in the predicted sign, and the prediction. */
  private surpriseW = 0;
  private predSign = 0;
  /** Position of the latent-liquidity population (shares, from its own fills). */
  latentPosition = 0;

  configure(p: MarketParams, rng: Rng): void {
    const f = p.fundamental;
    this.rng = rng;
    this.enabled = f.enabled;
    this.sigma = f.dailyVolatility / Math.sqrt(DAY_SECONDS);
    this.jumpRate = f.jumpRate;
    this.jumpSd = f.jumpSizeBps * 1e-4;
    this.volOfVol = f.volOfVol;
    this.volTau = f.volMeanReversionSeconds;
    this.wakeRate = f.wakeRate;
    this.threshold = f.thresholdTicks;
    this.aggr = f.aggressiveness;
    this.maxOrder = f.maxOrder;
    this.capSigma = f.maxOrderSigma;
    this.limitP = f.limitProbability;
    this.learnRate = f.learningRate;
    this.latency = f.latencySeconds;
    this.latent = f.latentDepth;
    this.latentMemory = f.latentMemorySeconds;
    this.flowImpact = f.enabled ? f.flowImpactTicks : 0;
    this.flowExp = f.flowSizeExponent;
    this.flowDecay = Math.LN2 / f.flowHalfLifeSeconds;
    this.flowUnit = meanSize(p.takers.sizeMedian, p.takers.sizeSigma);
    this.flow = 0;
    this.flowTime = 0;
    this.surpriseW = f.flowSurpriseOrders > 0 ? 1 / f.flowSurpriseOrders : 0;
    this.predSign = 0;
    this.latentPosition = 0;
    this.value = p.initialPriceTicks;
    this.learned = 0;
    // Start the volatility factor from its stationary law.
    this.logVol = this.volOfVol > 0 ? this.volOfVol * this.rng.normal() : 0;
  }

  start(host: TraderHost): void {
    this.lastTime = host.now;
    this.scheduleNext(host);
  }

  /** Relative volatility of the value per √second now (for the makers' base level). */
  baseSigma(): number {
    return this.sigma;
  }

  /** Advances V, the volatility factor and the learned offset to `t`. */
  advance(t: number, mid: number): void {
    const dt = t - this.lastTime;
    if (dt <= 0) return;
    this.lastTime = t;
    const rng = this.rng;
    if (this.volOfVol > 0) {
      const a = Math.exp(-dt / this.volTau);
      this.logVol = this.logVol * a + this.volOfVol * Math.sqrt(1 - a * a) * rng.normal();
    }
    // e^(x − s²) keeps E[σ²] at the base level when x ~ N(0, s²).
    const s = this.sigma * Math.exp(this.logVol - this.volOfVol * this.volOfVol);
    let r = s * Math.sqrt(dt) * rng.normal();
    if (this.jumpRate > 0) {
      const n = rng.poisson(this.jumpRate * dt);
      for (let k = 0; k < n; k++) r += this.jumpSd * rng.normal();
    }
    this.value *= Math.exp(r);
    if (this.latentMemory > 0) this.latentPosition *= Math.exp(-dt / this.latentMemory);
    if (this.learnRate > 0) this.learned += (mid - this.value - this.learned) * -Math.expm1(-this.learnRate * dt);
  }

  /** Whether the order-flow learning is on (the host then reports every market order). */
  get learnsFlow(): boolean {
    return this.flowImpact > 0;
  }

  /** A market order (aggressive fills of one book call) of `side` for `qty` shares at time `t`, by another trader. */
  onMarketOrder(t: number, side: number, qty: number): void {
    const x = qty / this.flowUnit;
    const w = this.flowExp === 0.5 ? Math.sqrt(x) : Math.pow(x, this.flowExp);
    if (this.surpriseW > 0) {
      // Only the unpredictable part of the sign is news (Lillo–Farmer's efficiency with long-memory
      // order flow): the side minus its prediction, an exponential average of past signs.
      const pred = this.predSign;
      this.predSign += this.surpriseW * (side - pred);
      this.flow = this.flowAt(t) + (side - pred) * w;
    } else {
      this.flow = this.flowAt(t) + side * w;
    }
    this.flowTime = t;
  }

  /** The order-flow signal decayed to time t. */
  private flowAt(t: number): number {
    const dt = t - this.flowTime;
    return dt > 0 ? this.flow * Math.exp(-this.flowDecay * dt) : this.flow;
  }

  /** The traders' value estimate now, ticks: latent value + learned offset + order-flow learning. */
  estimate(t: number): number {
    return this.value + this.learned + (this.flowImpact > 0 ? this.flowImpact * this.flowAt(t) : 0);
  }

  private scheduleNext(host: TraderHost): void {
    const rate = this.wakeRate * host.activity();
    if (rate > 0) host.schedule(host.now + this.rng.exponential(rate), EV_FUNDAMENTAL << 8);
  }

  /** Limit price of an immediate-or-cancel order: the value estimate (never pay more than it is worth). */
  private valueLimit(side: number, e: number): number {
    return side === BUY ? Math.floor(e) : Math.ceil(e);
  }

  /** A limit order now, or after the order-entry latency. */
  private send(host: TraderHost, side: number, px: number, qty: number, flags: number): void {
    if (this.latency > 0) host.sendDelayed(this.latency, OWNER_FUNDAMENTAL, SEND_LIMIT, side, px, qty, flags, NOTIFY_NONE);
    else host.placeLimit(OWNER_FUNDAMENTAL, side, px, qty, flags);
  }

  /** What a delayed latent-book IOC filled when it reached the book. */
  onLatentFill(side: number, filled: number): void {
    this.latentPosition += side * filled;
  }

  wake(host: TraderHost): void {
    const mid = host.mid();
    this.advance(host.now, mid);
    // Drawn at every wake-up (used or not): the stream's position never depends on the state.
    const coin = this.rng.next();
    // The wake-up's size cap (drawn at every wake-up when on, so the stream stays state-free).
    const cap = this.capSigma > 0 ? Math.max(1, Math.round(this.maxOrder * Math.exp(this.capSigma * this.rng.normal()))) : this.maxOrder;
    const est = this.estimate(host.now);
    const gap = est - mid;
    if (this.latent > 0) {
      // The V-shaped latent book: the population's target position grows with the square of the
      // mispricing; it trades toward it (IOC at its estimate) and keeps what fills.
      let want = Math.round((this.latent * gap * Math.abs(gap)) / 2 - this.latentPosition);
      if (want > cap) want = cap;
      else if (want < -cap) want = -cap;
      if (want !== 0) {
        const side = want > 0 ? BUY : SELL;
        const limit = this.valueLimit(side, est);
        if (limit >= 1) {
          if (this.latency > 0) host.sendDelayed(this.latency, OWNER_FUNDAMENTAL, SEND_IOC, side, limit, side * want, 0, NOTIFY_FUNDAMENTAL_LATENT);
          else this.latentPosition += side * host.placeIoc(OWNER_FUNDAMENTAL, side, limit, side * want);
        }
      }
    }
    const excess = Math.abs(gap) - this.threshold;
    if (excess > 0) {
      let qty = Math.round(this.aggr * excess);
      if (qty > cap) qty = cap;
      if (qty >= 1) {
        const side = gap > 0 ? BUY : SELL;
        if (coin < this.limitP) {
          const px = side === BUY ? host.bestBid() : host.bestAsk();
          if (px > 0) this.send(host, side, px, qty, 1);
        } else {
          const limit = this.valueLimit(side, est);
          if (limit >= 1) this.send(host, side, limit, qty, 2);
        }
      }
    }
    this.scheduleNext(host);
  }
}
