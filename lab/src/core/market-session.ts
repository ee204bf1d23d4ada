/**
 * The Market view's session, free of the DOM (the worker drives it; Node tests check it): the
 * simulated market of a preset and seed, a teacher's live parameters applied over the episode's
 * randomized draw, the visitor's own resting orders, and the live statistics the view shows.
 *
 * Live parameters (each restarts the session from the same seed, so a change is compared on the
 * same random numbers):
 * - `branching`: the Hawkes takers' total branching ratio n = selfFast + selfSlow + crossFast +
 *   crossSlow (the expected number of orders each market order triggers; the 2-D process is
 *   stationary for n < 1); the four are scaled together, keeping their proportions.
 * - `tickCents`: the tick in cents; the initial price in ticks is rescaled so the dollar price
 *   stays the same (distances and spreads in ticks stay: a coarser tick is a wider spread in $).
 * - `depth`: a multiplier of the liquidity providers' limit-order rate (queues hold ≈ rate / cancel
 *   hazard orders, so the book is that much deeper).
 */
import { loadMarketConfig, type MarketParams, type MarketSpec } from '../../../configs/index.ts';
import { AGENT_OWNER, Market, randomizeMarket } from '../../../simulator/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { autocorrelation, logReturns, moments } from '../../../simulator/stats/index.ts';
import { LIVE_LIMITS, RETURN_SECONDS, SIGN_LAGS } from './market-constants.ts';

export { LIVE_LIMITS, RETURN_SECONDS, SIGN_LAGS };

export interface LiveParams {
  branching?: number;
  tickCents?: number;
  depth?: number;
}


/** One drawn parameter of the episode (a field the preset gives as a distribution). */
export interface DrawnParam {
  path: string;
  value: number;
  distribution: string;
}

const DISTRIBUTIONS = ['uniform', 'loguniform', 'normal', 'choice'];

/** The fields of `spec` that are distributions and the values `params` drew for them. */
export function randomizationDraw(spec: unknown, params: unknown, path = ''): DrawnParam[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return [];
  const keys = Object.keys(spec);
  if (keys.length === 1 && DISTRIBUTIONS.includes(keys[0]) && typeof params === 'number') {
    return [{ path, value: params, distribution: `${keys[0]} ${JSON.stringify((spec as Record<string, unknown>)[keys[0]])}` }];
  }
  const out: DrawnParam[] = [];
  for (const k of keys) out.push(...randomizationDraw((spec as Record<string, unknown>)[k], (params as Record<string, unknown> | undefined)?.[k], path === '' ? k : `${path}.${k}`));
  return out;
}

function check(name: keyof typeof LIVE_LIMITS, v: number | undefined): void {
  if (v === undefined) return;
  const [lo, hi] = LIVE_LIMITS[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) throw new Error(`${name} must be a number in [${lo}, ${hi}], got ${String(v)}`);
}

/** The episode's parameters with the live parameters applied (a new object; `params` is untouched). */
export function applyLive(params: MarketParams, live: LiveParams): MarketParams {
  check('branching', live.branching);
  check('tickCents', live.tickCents);
  check('depth', live.depth);
  const p = structuredClone(params);
  if (live.branching !== undefined) {
    const t = p.takers;
    const n = t.selfFast + t.selfSlow + t.crossFast + t.crossSlow;
    if (n > 0) {
      const k = live.branching / n;
      t.selfFast *= k;
      t.selfSlow *= k;
      t.crossFast *= k;
      t.crossSlow *= k;
    } else {
      t.selfFast = live.branching;
    }
  }
  if (live.tickCents !== undefined) {
    const dollars = p.initialPriceTicks * p.tickDollars;
    p.tickDollars = live.tickCents / 100;
    p.initialPriceTicks = Math.max(1, Math.round(dollars / p.tickDollars));
  }
  if (live.depth !== undefined) p.liquidity.limitRate *= live.depth;
  return p;
}

export function branchingRatio(p: MarketParams): number {
  return p.takers.selfFast + p.takers.selfSlow + p.takers.crossFast + p.takers.crossSlow;
}

export interface Facts {
  /** Excess kurtosis of 10-second log returns of the mid (0 for a Gaussian; fat tails > 0). */
  returnExcessKurtosis: number;
  returnCount: number;
  /** Autocorrelation of market-order signs at lags 1, 5, 20 (persistent order flow: positive, slowly decaying). */
  signAcf: number[];
  signCount: number;
  /** Mean spread, ticks. */
  meanSpreadTicks: number;
}


export class MarketSession {
  readonly spec: MarketSpec;
  readonly params: MarketParams;
  readonly draw: DrawnParam[];
  readonly market: Market;
  /** The visitor's resting orders (ids). */
  readonly mine: number[] = [];
  private readonly depthBuf: Float64Array;

  constructor(
    readonly preset: string,
    readonly seed: number,
    readonly live: LiveParams = {},
    readonly levels = 12,
    startSeconds = 3600,
  ) {
    this.spec = loadMarketConfig(preset);
    const drawn = randomizeMarket(this.spec, Rng.fromSeed(seed, 'randomize'));
    this.draw = randomizationDraw(this.spec, drawn);
    this.params = applyLive(drawn, live);
    this.market = new Market(this.params, seed, { startSeconds });
    this.depthBuf = new Float64Array(4 * levels);
  }

  get sessionEnd(): number {
    return this.params.sessionSeconds;
  }

  /** Runs the market `seconds` of simulated time further (not past the session's end). */
  advance(seconds: number): void {
    const t = Math.min(this.sessionEnd, this.market.now + seconds);
    if (t > this.market.now) this.market.runUntil(t);
    for (let i = this.mine.length - 1; i >= 0; i--) if (!this.market.isResting(this.mine[i])) this.mine.splice(i, 1);
  }

  /** Top levels: bids at [0, 2L) and asks at [2L, 4L) as (price, qty) pairs, best first (a view of a reused buffer). */
  depth(): Float64Array {
    this.market.depth(this.levels, this.depthBuf);
    return this.depthBuf;
  }

  /** The takers' Hawkes intensities now (buys, sells per second); 0 when the takers are off. */
  intensities(): [number, number] {
    const p = this.market.takers.process;
    if (p === null) return [0, 0];
    const t = Math.max(this.market.now, p.time);
    return [p.intensity(0, t), p.intensity(1, t)];
  }

  /** Posts a limit order of the visitor: `side` 1 buy / −1 sell, at the own-side touch. Returns its id. */
  postMine(side: 1 | -1, qty: number): number {
    if (!Number.isInteger(qty) || qty < 1) throw new Error(`qty must be a positive integer of shares, got ${String(qty)}`);
    const m = this.market;
    const price = side === -1 ? m.bestAsk() : m.bestBid();
    if (!(price > 0)) throw new Error('the book side is empty: no touch to join');
    const id = m.submitLimit(AGENT_OWNER, side, price, qty);
    if (m.isResting(id)) this.mine.push(id);
    return id;
  }

  cancelMine(): void {
    for (const id of this.mine) this.market.cancel(id);
    this.mine.length = 0;
  }

  /** The visitor's resting orders: price, shares, shares ahead in the queue. */
  myOrders(): { price: number; qty: number; ahead: number }[] {
    return this.mine.map((id) => ({ price: this.market.orderPrice(id), qty: this.market.orderQty(id), ahead: this.market.queueAhead(id) }));
  }

  /** The stylized facts of the session so far (see `Facts`). */
  facts(): Facts {
    const s = this.market.series;
    const step = Math.max(1, Math.round(RETURN_SECONDS / s.dt));
    const n = Math.floor((s.length - 1) / step) + 1;
    const levels = new Float64Array(Math.max(0, n));
    for (let k = 0; k < n; k++) levels[k] = s.mid[k * step];
    const r = levels.length > 1 ? logReturns(levels) : new Float64Array(0);
    const m = moments(r);
    const signs = this.market.marketOrders().sign;
    const acf = signs.length > SIGN_LAGS[SIGN_LAGS.length - 1] + 2 ? [...autocorrelation(signs, SIGN_LAGS)] : SIGN_LAGS.map(() => NaN);
    // Samples with a one-sided book have no spread (NaN): they are left out of the mean.
    let spread = 0;
    let count = 0;
    for (let k = 0; k < s.length; k++) {
      if (Number.isFinite(s.spread[k])) {
        spread += s.spread[k];
        count++;
      }
    }
    return { returnExcessKurtosis: m.excessKurtosis, returnCount: r.length, signAcf: acf, signCount: signs.length, meanSpreadTicks: count > 0 ? spread / count : NaN };
  }
}
