/**
 * Market: the agent-based limit order book market — a discrete-event loop on a simulated clock.
 *
 * Event sources, merged in time order by `runUntil(t)`:
 * - the Hawkes taker flow (simulator/flow, peek/consume/excite contract), `traders/takers.ts`;
 * - the liquidity providers' merged Poisson clock (limit arrivals, per-order cancels, refills),
 *   redrawn after every event (exact for state-dependent rates), `traders/liquidity.ts`;
 * - traders' scheduled wake-ups (market makers, fundamental, momentum, noise, institutional) in
 *   a binary heap of typed arrays with a deterministic tie-break (`traders/event-queue.ts`);
 * - a 1-second sampler of the mid and spread (recorded before the events at the same time);
 * - outside (agent) orders, applied at `now` between `runUntil` calls.
 * Ties: sampler, then heap (in scheduling order), then takers, then liquidity providers. The
 * sampler also tells the liquidity providers when the intraday activity changed (their limit
 * clock's rate).
 * Every order, the agent's included, goes into the same `OrderBook`; every fill lands on the
 * trade tape, updates the makers' inventories and (for outside owners) the outside-fill buffer;
 * after each event the makers are told if the touch moved or a trade happened. Agent market
 * orders excite the taker flow through `takers.agentExcitation`. Impact is emergent: no formula
 * ever moves a price.
 *
 * Units: prices in integer ticks (`tickDollars` converts), quantities in shares, time in seconds
 * of session time (0 = the open; `sessionSeconds` long). Sides BUY = 1, SELL = −1.
 * Owners: background traders use owners < 100 (`traders/types.ts`); outside orders must use an
 * owner in [OUTSIDE_OWNER_MIN = 100, 65535] (the env's agent: AGENT_OWNER = 100).
 * Randomness: `reset(params, seed)` makes `Rng.fromSeed(seed, 'market')` and forks one stream per
 * component, so the same (params, seed, outside calls) gives the same tape, bit for bit.
 * Common random numbers: every exogenous driver (the value's path and the fundamental wake-ups,
 * the liquidity providers' limit arrivals, the Hawkes baseline and its sizes, noise and
 * institutional flow) draws from a stream whose position an outside order cannot shift; the
 * agent's excitation of the takers is its own Hawkes cluster (`EV_TAKER_CHILD` events). Paired
 * runs with and without an agent then differ only through the agent's effect (stats/impact.ts).
 * Order-flow learning: the aggressive fills of each book call (one aggressor) are reported to
 * the fundamental traders (`onMarketOrder`) unless they sent it themselves.
 * Empty sides: `bestBid()`/`bestAsk()` return 0; `mid()` never returns NaN (see its doc);
 * `spread()` returns NaN when a side is empty.
 */
import { OrderBook, BookError, BUY as BUY_, SELL as SELL_, POST_ONLY as POST_ONLY_, IOC as IOC_, REJECTED as REJECTED_, BOTH as BOTH_ } from './book/index.ts';
import { Rng, assertSeed } from './random/index.ts';
import { UShapeProfile, bucketShares } from './flow/index.ts';
import type { MarketParams, MarketSpec } from '../configs/index.ts';
import { randomizeMarket } from './randomize.ts';
import { EventQueue } from './traders/event-queue.ts';
import { HawkesTakers } from './traders/takers.ts';
import { LiquidityProviders } from './traders/liquidity.ts';
import { MarketMakers } from './traders/market-makers.ts';
import { FundamentalTraders } from './traders/fundamental.ts';
import { MomentumTraders } from './traders/momentum.ts';
import { NoiseTraders } from './traders/noise.ts';
import { InstitutionalTraders } from './traders/institutional.ts';
import { meanSize } from './traders/sizes.ts';
import { DelayedOrders } from './traders/delayed.ts';
import { EV_DELAYED_BASE as EV_DELAYED_BASE_, SEND_IOC as SEND_IOC_, SEND_LIMIT as SEND_LIMIT_, NOTIFY_FUNDAMENTAL_LATENT as NOTIFY_FUNDAMENTAL_LATENT_ } from './traders/types.ts';
import { EV_CHILD as EV_CHILD_, EV_FUNDAMENTAL as EV_FUNDAMENTAL_, EV_MAKER as EV_MAKER_, EV_MOMENTUM as EV_MOMENTUM_, EV_NOISE as EV_NOISE_, EV_PARENT as EV_PARENT_, EV_TAKER_CHILD as EV_TAKER_CHILD_, MAX_OWNER as MAX_OWNER_, OWNER_FUNDAMENTAL as OWNER_FUNDAMENTAL_, OWNER_DEEP_LIQUIDITY, OWNER_LIQUIDITY, OUTSIDE_OWNER_MIN as OUTSIDE_OWNER_MIN_ } from './traders/types.ts';
import type { TraderHost } from './traders/types.ts';
import { MidSeries, OutsideFills, TradeTape } from './records.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const POST_ONLY = POST_ONLY_;
const IOC = IOC_;
const REJECTED = REJECTED_;
const BOTH = BOTH_;
const EV_CHILD = EV_CHILD_;
const EV_FUNDAMENTAL = EV_FUNDAMENTAL_;
const EV_MAKER = EV_MAKER_;
const EV_MOMENTUM = EV_MOMENTUM_;
const EV_NOISE = EV_NOISE_;
const EV_PARENT = EV_PARENT_;
const EV_TAKER_CHILD = EV_TAKER_CHILD_;
const EV_DELAYED_BASE = EV_DELAYED_BASE_;
const SEND_IOC = SEND_IOC_;
const SEND_LIMIT = SEND_LIMIT_;
const NOTIFY_FUNDAMENTAL_LATENT = NOTIFY_FUNDAMENTAL_LATENT_;
const MAX_OWNER = MAX_OWNER_;
const OWNER_FUNDAMENTAL = OWNER_FUNDAMENTAL_;
const OUTSIDE_OWNER_MIN = OUTSIDE_OWNER_MIN_;

/** Bad input to the market (the message names the value and what is allowed); state untouched. */
export class MarketError extends Error {
  override name = 'MarketError';
}

/** Limit-order flags for `submitLimit` (the book's). */
export { POST_ONLY, IOC, REJECTED };

/** Options of `reset`. */
export interface MarketResetOptions {
  /** Session time (seconds from the open) at which the episode starts; default 0. */
  startSeconds?: number;
  /** Override of `params.warmupSeconds`. */
  warmupSeconds?: number;
  /** Interval of the mid/spread series, seconds; default 1. */
  sampleSeconds?: number;
}

/**
 * Receives every book message of the market as it happens (for LOBSTER output): set
 * `market.recorder`. Executions of one aggressive order come first, then its resting remainder.
 */
export interface MessageRecorder {
  /** A limit order started resting: `qty` shares (after any crossing fills) at `priceTicks`. */
  onSubmit(time: number, id: number, qty: number, priceTicks: number, side: number): void;
  /** A resting order was cancelled (its remaining `qty`); the book no longer holds it. */
  onCancel(time: number, id: number, qty: number, priceTicks: number, side: number): void;
  /** Part of a resting order was cancelled: `qty` shares removed, the rest still rests (optional: a recorder without it sees nothing). */
  onReduce?(time: number, id: number, qty: number, priceTicks: number, side: number): void;
  /**
   * A resting order (`makerId`, side `makerSide`) was executed for `qty` shares at `priceTicks`.
   * The executions of one call are reported in order, then `onCallEnd()`: the book then
   * reflects all of them and the aggressive order's resting remainder, if any (`takerId`; a
   * recorder that needs the book after each fill adds the later fills back and takes that out).
   */
  onExecute(time: number, makerId: number, qty: number, priceTicks: number, makerSide: number, takerId: number): void;
  /** End of the executions of one book call (optional). */
  onCallEnd?(): void;
}

/** Market orders grouped from the tape (one row per aggressive order). */
export interface MarketOrderSeries {
  /** Seconds. */
  time: Float64Array;
  /** Shares. */
  qty: Float64Array;
  /** +1 buyer-initiated, −1 seller-initiated. */
  sign: Float64Array;
  /** Owner of the aggressive order. */
  owner: Int32Array;
}

/** Message counts by kind since the last reset (book operations, the agent's included). */
export interface MessageCounts {
  limit: number;
  cancel: number;
  market: number;
  /** Loop events processed (Hawkes arrivals, clock events, wake-ups, samples, outside calls). */
  events: number;
}

export class Market implements TraderHost {
  /** Current simulated time, seconds of session time. */
  now = 0;
  /** The concrete parameters of this episode. */
  params!: MarketParams;
  /** The book (read freely; mutate only through the market's methods). */
  book!: OrderBook;
  /** Every fill since `reset` (after the warm-up). */
  readonly tape = new TradeTape();
  /** Fills of outside owners since the reader last cleared it. */
  readonly outsideFills = new OutsideFills();
  /** Mid/spread samples since `reset` (after the warm-up). */
  readonly series = new MidSeries();
  /** Message counts since `reset` (after the warm-up). */
  readonly counts: MessageCounts = { limit: 0, cancel: 0, market: 0, events: 0 };
  /** Session time at which the episode started (after the warm-up). */
  startSeconds = 0;
  /** Price of the last trade in ticks (the initial price before any). */
  lastTradePrice = 0;
  /** Optional listener of every book message (LOBSTER output); null in normal runs. */
  recorder: MessageRecorder | null = null;

  readonly takers = new HawkesTakers();
  readonly liquidity = new LiquidityProviders();
  readonly makers = new MarketMakers();
  readonly fundamental = new FundamentalTraders();
  readonly momentum = new MomentumTraders();
  readonly noise = new NoiseTraders();
  readonly institutional = new InstitutionalTraders();

  private readonly queue = new EventQueue(64);
  /** Traders' orders on their way to the book (order-entry latency). */
  private readonly delayed = new DelayedOrders();
  private profile: UShapeProfile | null = null;
  private configuredFor: MarketParams | null = null;
  private root!: Rng;
  private nextSample = 0;
  private sampleDt = 1;
  // Makers' volatility estimate: EWMA of squared 1-sample log returns vs its base level.
  private volEwma = 0;
  private volBase = 0;
  private volDecay = 0;
  private lastSampleMid = 0;
  private volRatio = 1;
  // Touch before the current event (to tell the makers when it moved).
  private touchBid = 0;
  private touchAsk = 0;
  private traded = false;
  private activityNow = 1;
  private liquidityActivityNow = 1;
  // Stochastic activity (configs `activity`): X an OU factor advanced at each sample, A = e^(X − sd²/2).
  private actRng: Rng | null = null;
  private actSd = 0;
  private actPhi = 0;
  private actInnov = 0;
  private actExp = 1;
  private actX = 0;
  private actA = 1;
  private actLiqA = 1;

  /** A market for concrete `params` with `seed` (see `reset`). */
  constructor(params: MarketParams, seed: number, options: MarketResetOptions = {}) {
    this.reset(params, seed, options);
  }

  /**
   * A market from a randomizable spec: parameters drawn from `Rng.fromSeed(seed, 'randomize')`,
   * flow from `Rng.fromSeed(seed, 'market')`.
   */
  static fromSpec(spec: MarketSpec, seed: number, options: MarketResetOptions = {}): Market {
    assertSeed(seed);
    return new Market(randomizeMarket(spec, Rng.fromSeed(seed, 'randomize')), seed, options);
  }

  /**
   * Starts a new episode: a fresh book built by a seeded initializer (each side gets
   * Poisson(λ_d/θ) liquidity-provider orders at distance d from the initial price, the
   * stationary queue of the limit/cancel flow) and `warmupSeconds` of the full flow; then the
   * clock is at `startSeconds` and the tape, series, counts and outside fills are empty.
   * Cost: a fraction of a millisecond for the default preset (the same params object skips
   * re-validation of the flow). @throws MarketError for a bad seed or options.
   */
  reset(params: MarketParams, seed: number, options: MarketResetOptions = {}): void {
    try {
      assertSeed(seed);
    } catch (err) {
      throw new MarketError((err as Error).message);
    }
    const start = options.startSeconds ?? 0;
    const warm = options.warmupSeconds ?? params.warmupSeconds;
    const dt = options.sampleSeconds ?? 1;
    if (!Number.isFinite(start)) throw new MarketError(`startSeconds must be a finite number of seconds, got ${String(start)}`);
    if (!Number.isFinite(warm) || warm < 0) throw new MarketError(`warmupSeconds must be a finite number >= 0, got ${String(warm)}`);
    if (!Number.isFinite(dt) || dt <= 0) throw new MarketError(`sampleSeconds must be a finite number > 0, got ${String(dt)}`);
    this.params = params;
    this.root = Rng.fromSeed(seed, 'market');
    const r = this.root;
    if (this.configuredFor !== params) {
      this.profile = params.intraday.enabled
        ? new UShapeProfile({
            sessionSeconds: params.sessionSeconds,
            open: params.intraday.openMultiplier,
            openTau: params.intraday.openTau,
            close: params.intraday.closeMultiplier,
            closeTau: params.intraday.closeTau,
          })
        : null;
      this.takers.configure(params, r.fork('takers'));
      this.configuredFor = params;
    } else {
      this.takers.setRng(r.fork('takers'));
    }
    this.liquidity.configure(params, r.fork('liquidity'));
    this.makers.configure(params, r.fork('makers'));
    this.fundamental.configure(params, r.fork('fundamental'));
    this.momentum.configure(params, r.fork('momentum'));
    this.noise.configure(params, r.fork('noise'));
    this.institutional.configure(params, r.fork('institutional'));
    this.book = new OrderBook({ orderCapacity: 2048, pageCapacity: 8 });
    this.queue.clear();
    this.delayed.clear();
    this.tape.clear();
    this.outsideFills.clear();
    const t0 = start - warm;
    this.now = t0;
    this.lastTradePrice = params.initialPriceTicks;
    this.sampleDt = dt;
    this.series.clear(t0, dt);
    this.nextSample = t0;
    this.lastSampleMid = params.initialPriceTicks;
    this.volBase = Math.max(1e-12, this.fundamental.baseSigma() ** 2 * dt);
    this.volEwma = this.volBase;
    this.volDecay = Math.exp((-dt * Math.LN2) / params.marketMakers.volHalfLifeSeconds);
    this.volRatio = 1;
    const act = params.activity;
    if (act.sd > 0) {
      // Its own stream: every other trader draws exactly as without it.
      this.actRng = r.fork('activity');
      this.actSd = act.sd;
      this.actPhi = Math.exp(-dt / act.meanReversionSeconds);
      this.actInnov = act.sd * Math.sqrt(1 - this.actPhi * this.actPhi);
      this.actExp = act.liquidityExponent;
      this.actX = act.sd * this.actRng.normal();
      this.updateActivityFactor();
    } else {
      this.actRng = null;
      this.actA = 1;
      this.actLiqA = 1;
    }
    const prof0 = this.profile === null ? 1 : this.profile.value(t0);
    this.activityNow = prof0 * this.actA;
    this.liquidityActivityNow = prof0 * this.actLiqA;
    this.initializeBook(r.fork('init'));
    this.takers.start(this);
    if (this.actRng !== null) this.takers.setActivity(this.actA, t0);
    this.makers.start(this);
    if (this.fundamental.enabled) this.fundamental.start(this);
    if (this.momentum.enabled) this.momentum.start(this);
    if (this.noise.enabled) this.noise.start(this);
    if (this.institutional.enabled) this.institutional.start(this);
    this.touchBid = this.book.bestBid();
    this.touchAsk = this.book.bestAsk();
    this.liquidity.start(this);
    this.liquidity.redraw(this);
    if (warm > 0) this.runUntil(start);
    // The episode starts now: forget the warm-up's records.
    this.startSeconds = start;
    this.tape.clear();
    this.outsideFills.clear();
    this.series.clear(start, dt);
    this.nextSample = start;
    this.counts.limit = 0;
    this.counts.cancel = 0;
    this.counts.market = 0;
    this.counts.events = 0;
  }

  /** Seeded initializer: the stationary liquidity-provider queues around the initial price. */
  private initializeBook(rng: Rng): void {
    const p0 = this.params.initialPriceTicks;
    const lp = this.params.liquidity;
    if (!this.liquidity.enabled) return;
    const lot = this.params.lotSize;
    // Distance d from the opposite best: with a spread of about one tick, the own-side level d − 1 behind the touch.
    for (let d = lp.minDistanceTicks; d <= lp.maxDistanceTicks; d++) this.seedLevel(rng, OWNER_LIQUIDITY, p0, d, this.liquidity.meanQueueOrders(d), lot);
    // The deep layer's stationary queues (drawn only with it on: other presets draw as before).
    if (lp.deepRate > 0) {
      for (let d = lp.deepMinDistanceTicks; d <= lp.deepMaxDistanceTicks; d++) this.seedLevel(rng, OWNER_DEEP_LIQUIDITY, p0, d, this.liquidity.meanDeepOrders(d), lot);
    }
  }

  /** Seeds Poisson(mean) orders of `owner` on each side, d ticks from p0, with the providers' sizes. */
  private seedLevel(rng: Rng, owner: number, p0: number, d: number, mean: number, lot: number): void {
    const lp = this.params.liquidity;
    for (let s = 0; s < 2; s++) {
      const side = s === 0 ? BUY : SELL;
      const n = rng.poisson(mean);
      const px = side === BUY ? p0 - d : p0 + d;
      if (px < 1) continue;
      for (let k = 0; k < n; k++) {
        const x = lp.sizeMedian * Math.exp(lp.sizeSigma * rng.normal());
        const q = rng.next() < lp.roundLotProbability ? Math.max(1, Math.round(x / lot)) * lot : Math.max(1, Math.round(x));
        this.book.limit(owner, side, px, q, this.now, 0);
      }
    }
  }

  // ---------------------------------------------------------------------------------- the loop

  /**
   * Advances the market to session time `t` (seconds), processing every event with time <= t.
   * @throws MarketError if t is not a finite number >= now. A trader's invalid order throws BookError.
   */
  runUntil(t: number): void {
    if (typeof t !== 'number' || !Number.isFinite(t) || t < this.now) {
      throw new MarketError(`runUntil: t must be a finite number of seconds >= now (${this.now}), got ${String(t)}`);
    }
    const q = this.queue;
    const takers = this.takers;
    const lp = this.liquidity;
    for (;;) {
      const tS = this.nextSample;
      const tQ = q.peekTime();
      const tH = takers.peekTime();
      const tL = lp.nextTime;
      let te = tS;
      let which = 0;
      if (tQ < te) {
        te = tQ;
        which = 1;
      }
      if (tH < te) {
        te = tH;
        which = 2;
      }
      if (tL < te) {
        te = tL;
        which = 3;
      }
      if (te > t) break;
      this.now = te;
      this.counts.events++;
      switch (which) {
        case 0:
          this.sample();
          continue; // no state change: the clocks stay valid
        case 1:
          this.dispatch(q.pop(), te);
          break;
        case 2:
          takers.fire(this);
          break;
        default:
          lp.fire(this);
          break;
      }
      this.afterEvent();
    }
    this.now = t;
  }

  private dispatch(key: number, time: number): void {
    if (key >= EV_DELAYED_BASE) {
      this.arrive(key - EV_DELAYED_BASE);
      return;
    }
    const kind = key >> 8;
    const index = key & 255;
    switch (kind) {
      case EV_MAKER:
        this.makers.wake(this, index, time);
        break;
      case EV_FUNDAMENTAL:
        this.fundamental.wake(this);
        break;
      case EV_MOMENTUM:
        this.momentum.wake(this);
        break;
      case EV_NOISE:
        this.noise.wake(this);
        break;
      case EV_PARENT:
        this.institutional.wakeParent(this);
        break;
      case EV_CHILD:
        this.institutional.wakeChild(this, index);
        break;
      case EV_TAKER_CHILD:
        this.takers.fireChild(this, index);
        break;
      default:
        throw new MarketError(`internal: unknown event kind ${kind}`);
    }
  }

  /** After any state change: tell the makers if the touch moved or a trade happened; redraw the LP clock. */
  private afterEvent(): void {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    if (this.traded || bid !== this.touchBid || ask !== this.touchAsk) {
      this.touchBid = bid;
      this.touchAsk = ask;
      this.traded = false;
      this.makers.onMarketEvent(this);
    }
    this.liquidity.redraw(this);
  }

  private sample(): void {
    const m = this.mid();
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    this.series.push(m, bid > 0 && ask > 0 ? ask - bid : NaN);
    const r = Math.log(m / this.lastSampleMid);
    this.lastSampleMid = m;
    this.volEwma = this.volDecay * this.volEwma + (1 - this.volDecay) * r * r;
    this.volRatio = Math.sqrt(this.volEwma / this.volBase);
    const prof = this.profile === null ? 1 : this.profile.value(this.now);
    if (this.actRng !== null) {
      this.actX = this.actPhi * this.actX + this.actInnov * this.actRng.normal();
      this.updateActivityFactor();
      this.takers.setActivity(this.actA, this.now);
    }
    this.activityNow = prof * this.actA;
    const liq = prof * this.actLiqA;
    if (liq !== this.liquidityActivityNow) {
      this.liquidityActivityNow = liq;
      this.liquidity.onActivity(this);
    }
    this.nextSample += this.sampleDt;
  }

  /** A and the liquidity factor from X (both mean 1 under the stationary law of X). */
  private updateActivityFactor(): void {
    const sd = this.actSd;
    const e = this.actExp;
    this.actA = Math.exp(this.actX - 0.5 * sd * sd);
    this.actLiqA = e === 0 ? 1 : Math.exp(e * this.actX - 0.5 * e * e * sd * sd);
  }

  /** Moves the fills of the last book call to the tape, the makers and the outside-fill buffer. */
  private drainFills(): void {
    const f = this.book.fills;
    const n = f.count;
    if (n === 0) return;
    let aggressed = 0;
    for (let i = 0; i < n; i++) {
      const side = f.takerSide[i];
      const mo = f.makerOwner[i];
      const to = f.takerOwner[i];
      const px = f.price[i];
      const qty = f.qty[i];
      this.tape.push(f.time[i], px, qty, side, mo, to, f.takerId[i]);
      if (this.recorder !== null) this.recorder.onExecute(f.time[i], f.makerId[i], qty, px, -side, f.takerId[i]);
      if (this.makers.isMaker(mo)) this.makers.onFill(mo, -side, qty);
      if (this.makers.isMaker(to)) this.makers.onFill(to, side, qty);
      if (mo >= OUTSIDE_OWNER_MIN) this.outsideFills.push(f.time[i], px, qty, mo, f.makerId[i], -side, 0);
      if (to >= OUTSIDE_OWNER_MIN) this.outsideFills.push(f.time[i], px, qty, to, f.takerId[i], side, 1);
      aggressed += qty;
    }
    // The fills of one book call share one aggressor: the fundamental traders read it as order flow.
    if (this.fundamental.learnsFlow && f.takerOwner[0] !== OWNER_FUNDAMENTAL) this.fundamental.onMarketOrder(this.now, f.takerSide[0], aggressed);
    this.lastTradePrice = f.price[n - 1];
    this.traded = true;
    f.clear();
    if (this.recorder !== null && this.recorder.onCallEnd !== undefined) this.recorder.onCallEnd();
  }

  // ---------------------------------------------------------------------------------- TraderHost

  bestBid(): number {
    return this.book.bestBid();
  }

  bestAsk(): number {
    return this.book.bestAsk();
  }

  /**
   * Mid in ticks, never NaN: (bestBid + bestAsk) / 2 when both sides rest; with one side empty,
   * the last trade price clamped to the remaining side (≤ best ask, ≥ best bid); with both
   * empty, the last trade price (the initial price before any trade).
   */
  mid(): number {
    const bid = this.book.bestBid();
    const ask = this.book.bestAsk();
    if (bid > 0 && ask > 0) return (bid + ask) / 2;
    const last = this.lastTradePrice;
    if (ask > 0) return last < ask ? last : ask;
    if (bid > 0) return last > bid ? last : bid;
    return last;
  }

  /** bestAsk − bestBid in ticks; NaN when a side is empty. */
  spread(): number {
    return this.book.spread();
  }

  bestBidQty(): number {
    const b = this.book.bestBid();
    return b > 0 ? this.book.volumeAt(BUY, b) : 0;
  }

  bestAskQty(): number {
    const a = this.book.bestAsk();
    return a > 0 ? this.book.volumeAt(SELL, a) : 0;
  }

  /** Mid `seconds` ago from the sampled series (the earliest sample, or the mid now, if none that old). */
  midAgo(seconds: number): number {
    const s = this.series;
    if (s.length === 0) return this.mid();
    let k = Math.floor((this.now - seconds - s.t0) / s.dt);
    if (k < 0) k = 0;
    if (k >= s.length) k = s.length - 1;
    return s.mid[k];
  }

  activity(): number {
    return this.activityNow;
  }

  liquidityActivity(): number {
    return this.liquidityActivityNow;
  }

  /** The stochastic activity factor A now (1 when `activity.sd` is 0). */
  activityFactor(): number {
    return this.actA;
  }

  volatilityRatio(): number {
    return this.volRatio;
  }

  placeLimit(owner: number, side: number, priceTicks: number, qty: number, flags: number): number {
    const id = this.book.limit(owner, side, priceTicks, qty, this.now, flags);
    if (id === REJECTED) return -1;
    this.counts.limit++;
    this.drainFills();
    if (this.recorder !== null && this.book.has(id)) this.recorder.onSubmit(this.now, id, this.book.orderQty(id), priceTicks, side);
    return id;
  }

  placeIoc(owner: number, side: number, priceTicks: number, qty: number): number {
    const mark = this.tape.length;
    const id = this.book.limit(owner, side, priceTicks, qty, this.now, IOC);
    this.counts.limit++;
    this.drainFills();
    let filled = 0;
    for (let i = mark; i < this.tape.length; i++) if (this.tape.takerOrder[i] === id) filled += this.tape.qty[i];
    return filled;
  }

  placeMarket(owner: number, side: number, qty: number): number {
    const left = this.book.market(owner, side, qty, this.now);
    this.counts.market++;
    this.drainFills();
    return qty - left;
  }

  cancelOrder(id: number): void {
    if (this.recorder !== null) {
      const qty = this.book.orderQty(id);
      const price = this.book.orderPrice(id);
      const side = this.book.orderSide(id);
      this.book.cancel(id);
      this.recorder.onCancel(this.now, id, qty, price, side);
    } else {
      this.book.cancel(id);
    }
    this.counts.cancel++;
  }

  reduceOrder(id: number, byQty: number): void {
    this.book.reduce(id, byQty);
    this.counts.cancel++;
    if (this.recorder !== null && this.recorder.onReduce !== undefined) {
      this.recorder.onReduce(this.now, id, byQty, this.book.orderPrice(id), this.book.orderSide(id));
    }
  }

  isLive(id: number): boolean {
    return this.book.has(id);
  }

  schedule(time: number, key: number): void {
    this.queue.push(time, key);
  }

  sendDelayed(delay: number, owner: number, kind: number, side: number, priceTicks: number, qty: number, flags: number, notify: number): void {
    const slot = this.delayed.add(owner, kind, side, priceTicks, qty, flags, notify);
    this.queue.push(this.now + delay, EV_DELAYED_BASE + slot);
  }

  /** A delayed trader order reaches the book (see `sendDelayed`). */
  private arrive(slot: number): void {
    const d = this.delayed;
    const owner = d.owner[slot];
    const side = d.side[slot];
    const qty = d.qty[slot];
    const kind = d.kind[slot];
    let filled = 0;
    if (kind === SEND_LIMIT) this.placeLimit(owner, side, d.price[slot], qty, d.flags[slot]);
    else if (kind === SEND_IOC) filled = this.placeIoc(owner, side, d.price[slot], qty);
    else filled = this.placeMarket(owner, side, qty);
    if (d.notify[slot] === NOTIFY_FUNDAMENTAL_LATENT) this.fundamental.onLatentFill(side, filled);
    d.release(slot);
  }

  // ---------------------------------------------------------------------------------- outside orders

  private checkOutside(owner: number, side: number, qty: number, what: string): void {
    if (typeof owner !== 'number' || !Number.isInteger(owner) || owner < OUTSIDE_OWNER_MIN || owner > MAX_OWNER) {
      throw new MarketError(`${what}: owner must be an integer in [${OUTSIDE_OWNER_MIN}, ${MAX_OWNER}] (outside owners), got ${String(owner)}`);
    }
    if (side !== BUY && side !== SELL) throw new MarketError(`${what}: side must be BUY (1) or SELL (-1), got ${String(side)}`);
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1) {
      throw new MarketError(`${what}: qty must be a positive integer number of shares, got ${String(qty)}`);
    }
  }

  /**
   * An outside limit order at `now`: `flags` 0, POST_ONLY or IOC. Crossing quantity fills at the
   * resting prices (aggressive fills); the rest rests (passive fills later), unless IOC.
   * Returns the order id (> 0; `orderQty(id)` tells whether it rests), or REJECTED (0) for a
   * POST_ONLY order that would cross (nothing changes). Fills go to `outsideFills` and the tape.
   * @throws MarketError for a bad owner, side, price, qty or flags (nothing changes).
   */
  submitLimit(owner: number, side: number, priceTicks: number, qty: number, flags = 0): number {
    this.checkOutside(owner, side, qty, 'submitLimit');
    if (typeof priceTicks !== 'number' || !Number.isInteger(priceTicks) || priceTicks < 1) {
      throw new MarketError(`submitLimit: priceTicks must be a positive integer, got ${String(priceTicks)}`);
    }
    if (flags !== 0 && flags !== POST_ONLY && flags !== IOC) throw new MarketError(`submitLimit: flags must be 0, POST_ONLY (1) or IOC (2), got ${String(flags)}`);
    let id: number;
    try {
      id = this.book.limit(owner, side, priceTicks, qty, this.now, flags);
    } catch (err) {
      if (err instanceof BookError) throw new MarketError(`submitLimit: ${err.message}`);
      throw err;
    }
    if (id === REJECTED) return REJECTED;
    this.counts.limit++;
    this.counts.events++;
    this.drainFills();
    if (this.recorder !== null && this.book.has(id)) this.recorder.onSubmit(this.now, id, this.book.orderQty(id), priceTicks, side);
    this.afterEvent();
    return id;
  }

  /**
   * An outside market order at `now`: walks the opposite side. Returns the filled quantity
   * (shares); `qty − filled` is left unfilled when the side ran dry. Excites the taker flow in
   * proportion to the filled shares (`takers.agentExcitation`). @throws MarketError for bad input (nothing changes).
   */
  submitMarket(owner: number, side: number, qty: number): number {
    this.checkOutside(owner, side, qty, 'submitMarket');
    const filled = this.placeMarket(owner, side, qty);
    this.counts.events++;
    this.takers.exciteOutside(this, side, filled);
    this.afterEvent();
    return filled;
  }

  /**
   * Cancels an outside order. Returns true if it was resting and is now cancelled, false if it
   * had already finished (filled or cancelled). @throws MarketError for an id that is not a
   * positive integer or belongs to a background trader.
   */
  cancel(id: number): boolean {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) throw new MarketError(`cancel: id must be a positive integer order id, got ${String(id)}`);
    if (!this.book.has(id)) return false;
    if (this.book.orderOwner(id) < OUTSIDE_OWNER_MIN) throw new MarketError(`cancel: order ${id} belongs to a background trader (owner ${this.book.orderOwner(id)}), not an outside owner`);
    this.cancelOrder(id);
    this.counts.events++;
    this.afterEvent();
    return true;
  }

  /** Whether order `id` is resting. */
  isResting(id: number): boolean {
    return this.book.has(id);
  }

  /** Remaining shares of order `id` (0 when finished or unknown). */
  orderQty(id: number): number {
    return this.book.orderQty(id);
  }

  /** Price in ticks of a resting order. @throws MarketError when it is not resting. */
  orderPrice(id: number): number {
    if (!this.book.has(id)) throw new MarketError(`orderPrice: order ${String(id)} is not resting`);
    return this.book.orderPrice(id);
  }

  /** Shares ahead of a resting order in its queue. @throws MarketError when it is not resting. */
  queueAhead(id: number): number {
    if (!this.book.has(id)) throw new MarketError(`queueAhead: order ${String(id)} is not resting`);
    return this.book.queueAhead(id);
  }

  /**
   * Top `levels` occupied levels as (price, qty) pairs: bids at out[0, 2·levels), asks at
   * out[2·levels, 4·levels), best first, zero-padded. `out.length` must be >= 4·levels.
   * Returns the number of levels written on the fuller side.
   */
  depth(levels: number, out: Float64Array): number {
    try {
      return this.book.depth(levels, BOTH, out);
    } catch (err) {
      if (err instanceof BookError) throw new MarketError(`depth: ${err.message}`);
      throw err;
    }
  }

  // ---------------------------------------------------------------------------------- records

  /** Times (seconds) of the mid/spread samples, a new array (for statistics). */
  sampleTimes(): Float64Array {
    const s = this.series;
    const out = new Float64Array(s.length);
    for (let k = 0; k < s.length; k++) out[k] = s.t0 + k * s.dt;
    return out;
  }

  /**
   * The tape rows from `mark` on grouped into market orders (rows of one aggressive order are
   * consecutive and share `takerOrder`): time, total qty, sign, owner (the first order's). New
   * arrays (for statistics). `view` 'file': as a LOBSTER file shows them, one per run of rows at
   * one timestamp on one side (what `groupExecutions` reads from a file): two aggressive orders
   * sent at one instant on one side, such as a fundamental trader's IOC and its limit at the
   * value, are one market order there (4–7% of the shipped presets' aggressive orders).
   */
  marketOrders(mark = 0, view: 'order' | 'file' = 'order'): MarketOrderSeries {
    const tp = this.tape;
    const byFile = view === 'file';
    const starts = (i: number): boolean => i === mark || (byFile ? tp.time[i] !== tp.time[i - 1] || tp.sign[i] !== tp.sign[i - 1] : tp.takerOrder[i] !== tp.takerOrder[i - 1]);
    let n = 0;
    for (let i = mark; i < tp.length; i++) if (starts(i)) n++;
    const out: MarketOrderSeries = { time: new Float64Array(n), qty: new Float64Array(n), sign: new Float64Array(n), owner: new Int32Array(n) };
    let k = -1;
    for (let i = mark; i < tp.length; i++) {
      if (starts(i)) {
        k++;
        out.time[k] = tp.time[i];
        out.sign[k] = tp.sign[i];
        out.owner[k] = tp.takerOwner[i];
      }
      out.qty[k] += tp.qty[i];
    }
    return out;
  }

  /** Book messages (limit, cancel, market; the agent's included) since the episode started. */
  messageCount(): number {
    const c = this.counts;
    return c.limit + c.cancel + c.market;
  }

  /** Traded shares on the tape from row `mark` on. */
  volumeSince(mark = 0): number {
    let v = 0;
    for (let i = mark; i < this.tape.length; i++) v += this.tape.qty[i];
    return v;
  }

  // ---------------------------------------------------------------------------------- expectations

  /** Tick size in dollars. */
  get tickDollars(): number {
    return this.params.tickDollars;
  }

  /** Reference price for reports: the initial price, ticks. */
  get referencePriceTicks(): number {
    return this.params.initialPriceTicks;
  }

  /** Intraday activity multiplier at session time t (1 without a profile; mean 1 over a session). */
  activityAt(t: number): number {
    return this.profile === null ? 1 : this.profile.value(t);
  }

  /**
   * Mean traded volume per second of session-average activity, shares: the exogenous flows
   * (Hawkes takers, noise market orders, institutional children) computed from the parameters.
   * The endogenous traders (fundamental, momentum) add to it: `simulate` reports the ratio.
   */
  baseVolumeRate(): number {
    const p = this.params;
    let v = 0;
    if (this.takers.enabled) v += this.takers.meanVolumeRate();
    if (p.noise.enabled) v += p.noise.rate * p.noise.marketProbability * meanSize(p.noise.sizeMedian, p.noise.sizeSigma);
    if (p.institutional.enabled) {
      const q = p.institutional;
      const busy = Math.min(q.maxConcurrent, q.arrivalRate * this.institutional.expectedChildren() * q.childIntervalSeconds);
      v += (busy / q.childIntervalSeconds) * meanSize(q.childSize, 0.5);
    }
    return v;
  }

  /** Expected traded volume over session times [t0, t1], shares (see `baseVolumeRate`). */
  expectedVolume(t0: number, t1: number): number {
    if (!(t1 >= t0)) throw new MarketError(`expectedVolume: need t0 <= t1, got ${t0}, ${t1}`);
    const integral = this.profile === null ? t1 - t0 : this.profile.integral(t0, t1);
    return this.baseVolumeRate() * integral;
  }

  /**
   * Expected volume fractions of `buckets` equal intervals of [t0, t1] (sum 1), written to `out`
   * (for VWAP schedules). Returns `out`.
   */
  volumeProfile(t0: number, t1: number, buckets: number, out: Float64Array = new Float64Array(buckets)): Float64Array {
    if (!(t1 > t0) || !Number.isInteger(buckets) || buckets < 1 || out.length < buckets) {
      throw new MarketError(`volumeProfile: need t0 < t1, an integer buckets >= 1 and out.length >= buckets; got ${t0}, ${t1}, ${buckets}, ${out.length}`);
    }
    return bucketShares(this.profile, t0, t1, buckets, out);
  }
}
