/**
 * Market configuration: the zod schema of every parameter of the agent-based market
 * (`simulator/market.ts`), with a description per field.
 *
 * Two shapes of the same tree:
 * - `MarketSpec` (parsed from YAML): any numeric field may be a fixed number or a distribution,
 *   sampled once per episode by `simulator/randomize.ts`:
 *     `5`                                         a fixed value
 *     `{ uniform: [lo, hi] }`                     uniform on [lo, hi]
 *     `{ loguniform: [lo, hi] }`                  log-uniform on [lo, hi] (0 < lo <= hi)
 *     `{ normal: { mean, sd, min, max } }`        normal, clipped to [min, max]
 *     `{ choice: [v1, v2, ...] }`                 one of the listed values, equally likely
 *   Every value a distribution can produce must satisfy the field's own range (checked at parse
 *   time); integer fields round the draw to the nearest integer (`choice` values must be integers).
 * - `MarketParams`: the same tree with every numeric field concrete (what `Market` runs on).
 *
 * Units: prices in integer ticks unless a name says dollars; quantities in shares; times in
 * seconds; rates in events per second; volatilities as fractions of the price.
 * Parse errors name the field path, the value and what is allowed (`MarketConfigError`).
 */
import { z } from 'zod';
import { MARKET_PRESETS, MARKETS_DIR, marketFileExists, marketPresetPath, readMarketFile } from './market-presets.ts';

export { MARKET_PRESETS, MARKETS_DIR };

/** A bad market config: the message names the field path, the value and what is allowed. */
export class MarketConfigError extends Error {
  override name = 'MarketConfigError';
}

// ---------------------------------------------------------------------------------------------
// Randomizable numbers

export type Distribution =
  | { uniform: [number, number] }
  | { loguniform: [number, number] }
  | { normal: { mean: number; sd: number; min: number; max: number } }
  | { choice: number[] };

/** A numeric field of a spec: a fixed value or a distribution sampled per episode. */
export type NumParam = number | Distribution;

/** The range a numeric field allows. */
export interface NumRange {
  min: number;
  max: number;
  /** Whether `min` itself is excluded (e.g. rates that must be > 0). */
  minExclusive: boolean;
  integer: boolean;
}

const DIST_HELP =
  'a number, or one of {uniform: [lo, hi]}, {loguniform: [lo, hi]} (lo > 0), {normal: {mean, sd, min, max}}, {choice: [v, ...]}';

function rangeText(r: NumRange): string {
  const lo = r.min === -Infinity ? '(-inf' : `${r.minExclusive ? '(' : '['}${r.min}`;
  const hi = r.max === Infinity ? 'inf)' : `${r.max}]`;
  return `${r.integer ? 'an integer' : 'a number'} in ${lo}, ${hi}`;
}

function inRange(v: number, r: NumRange): boolean {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  if (r.integer && !Number.isInteger(v)) return false;
  if (r.minExclusive ? v <= r.min : v < r.min) return false;
  return v <= r.max;
}

/** Bounds of a continuous draw must be in range, except that integer fields round their draws. */
function boundInRange(v: number, r: NumRange): boolean {
  return inRange(v, r.integer ? { ...r, integer: false } : r) && (!r.integer || inRange(Math.round(v), r));
}

function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Returns null when `v` is a valid NumParam for range `r`, else what is wrong. */
function checkNumParam(v: unknown, r: NumRange): string | null {
  const allowed = `allowed: ${DIST_HELP}, every value ${rangeText(r)}`;
  if (typeof v === 'number') return inRange(v, r) ? null : `must be ${rangeText(r)}`;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return allowed;
  const keys = Object.keys(v);
  if (keys.length !== 1) return allowed;
  const o = v as Record<string, unknown>;
  switch (keys[0]) {
    case 'uniform':
    case 'loguniform': {
      const a = o[keys[0]];
      if (!Array.isArray(a) || a.length !== 2 || !isNum(a[0]) || !isNum(a[1]) || a[0] > a[1]) {
        return `${keys[0]} must be [lo, hi] with finite numbers lo <= hi`;
      }
      if (keys[0] === 'loguniform' && a[0] <= 0) return 'loguniform needs lo > 0';
      if (!boundInRange(a[0], r) || !boundInRange(a[1], r)) return `bounds must be ${rangeText(r)}`;
      return null;
    }
    case 'normal': {
      const n = o.normal as Record<string, unknown> | null;
      if (n === null || typeof n !== 'object' || Array.isArray(n)) return 'normal must be {mean, sd, min, max}';
      const extra = Object.keys(n).filter((k) => !['mean', 'sd', 'min', 'max'].includes(k));
      if (extra.length > 0) return `normal has unknown key(s) ${extra.join(', ')}; allowed: mean, sd, min, max`;
      if (!isNum(n.mean) || !isNum(n.sd) || !isNum(n.min) || !isNum(n.max)) return 'normal needs finite numbers mean, sd, min, max';
      if (n.sd < 0 || n.min > n.max) return 'normal needs sd >= 0 and min <= max';
      if (!boundInRange(n.min, r) || !boundInRange(n.max, r)) return `min and max must be ${rangeText(r)}`;
      return null;
    }
    case 'choice': {
      const c = o.choice;
      if (!Array.isArray(c) || c.length === 0) return 'choice must be a non-empty list of numbers';
      for (const x of c) if (!inRange(x as number, r)) return `choice value ${JSON.stringify(x)} is not ${rangeText(r)}`;
      return null;
    }
    default:
      return allowed;
  }
}

/**
 * A randomizable numeric field with its allowed range, default and description (also used by the
 * other randomizable configs, e.g. latency.ts).
 * `opts.gt`/`opts.min`/`opts.max` bound it; `opts.int` makes it an integer.
 */
export function num(description: string, def: number, opts: { min?: number; gt?: number; max?: number; int?: boolean } = {}) {
  const r: NumRange = {
    min: opts.gt ?? opts.min ?? -Infinity,
    minExclusive: opts.gt !== undefined,
    max: opts.max ?? Infinity,
    integer: opts.int ?? false,
  };
  if (checkNumParam(def, r) !== null) throw new Error(`bad default ${def} for "${description}"`);
  return z
    .custom<NumParam>((v) => checkNumParam(v, r) === null, { error: (iss) => `${checkNumParam(iss.input, r) ?? 'invalid'}` })
    .default(def)
    .meta({ description: `${description} (${rangeText(r)}; randomizable)`, numRange: r });
}

/**
 * Bounds that keep a session finite and the book's arithmetic exact: event rates at most 1,000 per
 * second (the market runs ~2–3 M events a second, so a 6.5 h session at that rate still ends in
 * minutes), intervals at least 1 ms, order sizes at most 1e9 shares.
 */
const MAX_RATE = 1000;
const MIN_INTERVAL = 0.001;
const MAX_SIZE = 1e9;

const flag = (description: string, def: boolean) => z.boolean().default(def).describe(description);

// ---------------------------------------------------------------------------------------------
// The tree

export const IntradaySchema = z
  .strictObject({
    enabled: flag('scale arrival rates by the U-shaped profile v(τ) ∝ 1 + a·e^(−τ/τo) + b·e^(−(1−τ)/τc), τ = session time in [0, 1]', true),
    openMultiplier: num('a: extra activity at the open', 2.14, { min: 0 }),
    openTau: num('τo: decay of the open peak, as a fraction of the session', 0.0136, { gt: 0 }),
    closeMultiplier: num('b: extra activity at the close', 9.49, { min: 0 }),
    closeTau: num('τc: rise of the close peak, as a fraction of the session', 0.0259, { gt: 0 }),
  })
  .describe('intraday activity profile, normalized to mean 1 over the session');

export const ActivitySchema = z
  .strictObject({
    sd: num(
      'stochastic activity (a Cox factor on the flows): stationary sd of the log factor X of A = e^(X − sd²/2) (mean 1), an Ornstein–Uhlenbeck process advanced at each price sample, that multiplies the rates of every market-order source (the takers\' Hawkes baseline, noise, momentum, fundamental and institutional wake-ups) on top of the intraday profile; busy and quiet spells of minutes give volatility clustering; 0 = off',
      0,
      { min: 0, max: 2 },
    ),
    meanReversionSeconds: num('mean-reversion time τ of X, seconds (its correlation at lag ℓ is e^(−ℓ/τ))', 600, { gt: 0 }),
    liquidityExponent: num(
      'the liquidity providers\' limit and refill rates scale with e^(e·X − (e·sd)²/2) for this e (mean 1): 1 = every flow moves together, 0 = the liquidity supply stays at the intraday profile (busy spells thin the book and widen the spread), below 0 = providers step back in busy spells',
      1,
      { min: -1, max: 1 },
    ),
  })
  .describe('stochastic activity: a slowly varying common factor on the order-flow rates (off by default)');

export const TakersSchema = z
  .strictObject({
    enabled: flag('Hawkes market-order flow (buy and sell dimensions)', true),
    muBuy: num('baseline rate of buy market orders, per second', 0.08, { min: 0, max: MAX_RATE }),
    muSell: num('baseline rate of sell market orders, per second', 0.08, { min: 0, max: MAX_RATE }),
    selfFast: num('self-branching ratio of the fast kernel component', 0.35, { min: 0, max: 0.99 }),
    selfSlow: num('self-branching ratio of the slow kernel component', 0.2, { min: 0, max: 0.99 }),
    crossFast: num('buy↔sell cross-branching ratio of the fast component', 0.01, { min: 0, max: 0.99 }),
    crossSlow: num('buy↔sell cross-branching ratio of the slow component', 0.01, { min: 0, max: 0.99 }),
    decayFast: num('decay rate of the fast kernel component, per second', 50, { gt: 0 }),
    decaySlow: num('decay rate of the slow kernel component, per second', 1, { gt: 0 }),
    sizeMedian: num('median market-order size, shares', 150, { gt: 0, max: MAX_SIZE }),
    sizeSigma: num('lognormal sigma of market-order sizes', 0.8, { min: 0 }),
    agentExcitation: num(
      'excitation of the taker flow by agent (outside) market orders: an agent order of q shares excites like agentExcitation × min(1, q / mean taker size) taker orders of its side (0 = off, 1 = like one taker order)',
      1,
      { min: 0, max: 5 },
    ),
    roundLotProbability: num('probability that a taker order size is rounded to whole lots (at least one lot), else to whole shares', 0.5, { min: 0, max: 1 }),
    metaorderConcurrent: num(
      'metaorder splitting (Lillo–Mike–Farmer) of the takers\' flow: the side of each baseline (immigrant) Hawkes event is that of one of this many concurrent metaorders, picked uniformly; a metaorder lasts N orders, P(N > n) ∝ n^−metaorderTailExponent, then a new one of random side replaces it; the events it excites follow the Hawkes kernel as before (sign ACF ∝ lag^(1 − tailExponent)); 0 = off (sides as the Hawkes dimension draws them)',
      0,
      { min: 0, max: 64, int: true },
    ),
    metaorderTailExponent: num('tail exponent α of the metaorder length N in orders: P(N > n) = (n / metaorderMinOrders)^−α', 1.5, { gt: 1, max: 3 }),
    metaorderMinOrders: num('smallest metaorder length, orders (the Pareto scale)', 1, { min: 1, max: MAX_SIZE }),
  })
  .describe('liquidity takers: market orders from a 2-D (buy, sell) Hawkes process with two exponential components');

export const LiquiditySchema = z
  .strictObject({
    enabled: flag('liquidity providers: limit orders placed away from the touch, cancelled with a per-order hazard', true),
    limitRate: num('limit-order arrival rate per side, per second', 1.6, { min: 0, max: MAX_RATE }),
    distanceExponent: num('power-law exponent of the placement distance (Cont–Stoikov–Talreja ≈ 0.52): P(d) ∝ d^−exponent', 0.6, { min: 0 }),
    minDistanceTicks: num('smallest distance from the opposite best, ticks (1 = may improve inside the spread down to one tick from the other side)', 2, { min: 1, int: true }),
    maxDistanceTicks: num('largest distance from the opposite best, ticks', 100, { min: 1, int: true }),
    sizeMedian: num('median limit-order size, shares', 200, { gt: 0, max: MAX_SIZE }),
    sizeSigma: num('lognormal sigma of limit-order sizes', 0.7, { min: 0 }),
    roundLotProbability: num('probability that a size is rounded to whole lots (else to whole shares)', 0.8, { min: 0, max: 1 }),
    cancelRate: num('per-order cancellation hazard, per second (queue of arrival λ holds ≈ λ/θ orders)', 0.08, { min: 0, max: MAX_RATE }),
    refillRate: num('extra limit orders per second per tick of spread beyond minDistanceTicks, placed minDistanceTicks from the opposite best (refills a gap after a sweep); 0 = off', 0.6, { min: 0, max: MAX_RATE }),
    distanceJitter: num('lognormal sd of a multiplicative jitter (mean 1) on each placement and refill distance: the inner edge is not a hard floor, so the spread is not pinned at minDistanceTicks; 0 = off', 0, { min: 0, max: 2 }),
    distanceFloorTicks: num('smallest placement or refill distance from the opposite best once jittered, ticks: the jitter never goes under it (a day whose spread is never under 2 ticks gets no 1-tick adds); at most minDistanceTicks', 1, { min: 1, int: true }),
    backstop: flag('when a side of the book is empty after an event, a liquidity provider at once places an order on it, minDistanceTicks from the other side (books never stay one-sided); off by default', false),
    joinBestProbability: num('probability that a liquidity provider\'s limit order joins the queue at its own side\'s best price instead of a distance draw (pegging to the touch: in a large-tick-relative book such as GOOG\'s, half of the level-1 adds join the existing best); the order has the providers\' size and hazard; 0 = off', 0, { min: 0, max: 1 }),
    bestCancelFactor: num('factor on the providers\' cancel hazard while their order is at its side\'s best price (queue priority at the touch is worth keeping: such orders are cancelled less than those behind); 1 = the same hazard everywhere', 1, { gt: 0, max: 10 }),
    partialCancelProbability: num('probability that a hazard cancellation removes only part of the order (a partial cancel, LOBSTER type 2: a uniform share of it, at least one share, never all) instead of all of it; 0 = off', 0, { min: 0, max: 1 }),
    deepRate: num(
      'a deep, patient layer of the book: limit orders per side per second placed uniformly between deepMinDistanceTicks and deepMaxDistanceTicks from the opposite best, same sizes, cancelled with their own hazard deepCancelRate (they remember old price levels and resist trends that the fast layer, refreshed every few seconds, follows); 0 = off',
      0,
      { min: 0, max: MAX_RATE },
    ),
    deepCancelRate: num('per-order cancellation hazard of the deep layer, per second', 0.002, { gt: 0, max: MAX_RATE }),
    deepMinDistanceTicks: num('nearest placement of the deep layer, ticks from the opposite best', 10, { min: 1, int: true }),
    deepMaxDistanceTicks: num('farthest placement of the deep layer, ticks from the opposite best', 100, { min: 1, int: true }),
  })
  .describe('liquidity providers (zero-intelligence limit flow with a power-law placement profile)');

export const MarketMakersSchema = z
  .strictObject({
    enabled: flag('market makers quoting both sides around the micro-price', true),
    count: num('number of market makers', 2, { min: 0, max: 16, int: true }),
    halfSpreadTicks: num('base half-spread of a maker quote, ticks', 3, { min: 0 }),
    size: num('quote size per side, shares', 300, { min: 1, max: MAX_SIZE, int: true }),
    inventorySkewTicks: num('quote shift per unit of inventory/maxInventory, ticks (a long maker lowers its quotes)', 3, { min: 0 }),
    maxInventory: num('inventory limit, shares: a maker at the limit stops quoting the side that would add to it', 3000, { min: 1, int: true }),
    latencySeconds: num('delay between a market event and the maker requoting', 0.2, { min: MIN_INTERVAL }),
    requoteSeconds: num('mean time between unprompted requotes, seconds', 2, { min: MIN_INTERVAL }),
    halfSpreadJitter: num('lognormal sd of each maker\'s half-spread multiplier (mean 1), redrawn at each unprompted requote: quote width varies across makers and time instead of pinning the spread; 0 = off', 0, { min: 0, max: 2 }),
    volWidening: num('half-spread multiplier per unit of (short-term volatility / base volatility − 1); 0 = off', 0.5, { min: 0 }),
    volHalfLifeSeconds: num('half-life of the makers\' volatility estimate, seconds', 30, { gt: 0 }),
    distanceFloorTicks: num('smallest distance of a quote from the opposite best, and smallest width of a maker\'s own bid and ask, ticks (a day whose spread is never under 2 ticks gets no 1-tick quotes); 1 = post-only, one tick behind', 1, { min: 1, max: 100000, int: true }),
  })
  .describe('market makers: two-sided quotes with inventory skew, limits, latency and volatility widening');

export const FundamentalSchema = z
  .strictObject({
    enabled: flag('fundamental traders trading toward a latent value', true),
    dailyVolatility: num('volatility of the latent value over a 6.5 h day, fraction of the price (sets the price volatility)', 0.015, { min: 0 }),
    jumpRate: num('jumps of the latent value per second', 0.0005, { min: 0, max: MAX_RATE }),
    jumpSizeBps: num('standard deviation of a jump, bps of the price', 20, { min: 0 }),
    volOfVol: num('stochastic volatility: sd of the log volatility factor (mean-reverting); 0 = constant volatility', 0.5, { min: 0 }),
    volMeanReversionSeconds: num('mean-reversion time of the log volatility factor, seconds', 1800, { gt: 0 }),
    wakeRate: num('fundamental trader wake-ups per second', 0.5, { min: 0, max: MAX_RATE }),
    thresholdTicks: num('mispricing |value − mid| below which they do nothing, ticks', 4, { min: 0 }),
    aggressiveness: num('shares per tick of mispricing beyond the threshold', 30, { min: 0 }),
    maxOrder: num('largest order, shares', 1500, { min: 1, max: MAX_SIZE, int: true }),
    maxOrderSigma: num(
      'lognormal sd of the size cap of each wake-up\'s orders around maxOrder (its median): capped orders spread over sizes instead of piling up at maxOrder (a calibrated day: a quarter of all market orders at exactly the cap); 0 = off (the cap is maxOrder)',
      0,
      { min: 0, max: 3 },
    ),
    limitProbability: num('probability of posting a limit order at its own-side best instead of an immediate-or-cancel order priced at its value estimate', 0.3, { min: 0, max: 1 }),
    latentDepth: num(
      'V-shaped latent liquidity (Tóth et al. 2011): the slope, in shares per tick², of the position the fundamental population holds against a mispricing g: target = latentDepth·g·|g|/2, reached by immediate-or-cancel orders at each wake-up (concave, square-root-like impact); 0 = off',
      0,
      { min: 0 },
    ),
    latentMemorySeconds: num(
      'refresh time of the latent book, seconds: the latent population forgets its position at rate 1/latentMemorySeconds (its traders leave and fresh latent orders arrive around the value estimate), so after a metaorder it trades the price back toward the estimate (transient impact); 0 = never forgets',
      0,
      { min: 0 },
    ),
    flowImpactTicks: num(
      'order-flow learning (Kyle-like): each market order of q shares by anyone else moves their value estimate by flowImpactTicks × sign × (q / mean taker size)^flowSizeExponent ticks, decaying with flowHalfLifeSeconds (the trade is read as partly informed); 0 = off',
      0,
      { min: 0 },
    ),
    flowSizeExponent: num('exponent of the order size in the order-flow learning (per-trade impact is concave in size: ≈ 0.3–0.6 in data)', 0.5, { min: 0, max: 1 }),
    flowHalfLifeSeconds: num('half-life of what the order-flow learning holds, seconds (the transient part; the learned offset keeps a permanent part)', 60, { gt: 0 }),
    flowSurpriseOrders: num('order-flow learning reads only the surprise of each sign: side − predicted side, the prediction an exponential average of past market-order signs over about this many orders (with long-memory order flow, reading every sign as news makes prices trend); 0 = off (every sign is news)', 0, { min: 0, max: 1e6 }),
        learningRate: num('rate at which their value estimate absorbs a persistent price move (a permanent-impact channel), per second; 0 = value is purely latent', 0.001, { min: 0 }),
    latencySeconds: num('order-entry latency: their orders reach the book this long after they decide (priced when sent), seconds; 0 = at once', 0, { min: 0, max: 60 }),
  })
  .describe('fundamental (informed) traders');

export const MomentumSchema = z
  .strictObject({
    enabled: flag('momentum traders that follow recent returns', true),
    wakeRate: num('wake-ups per second', 0.05, { min: 0, max: MAX_RATE }),
    lookbackSeconds: num('return look-back, seconds', 60, { gt: 0 }),
    thresholdBps: num('|return| below which they do nothing, bps', 3, { min: 0 }),
    size: num('order size, shares', 200, { min: 1, max: MAX_SIZE, int: true }),
    latencySeconds: num('order-entry latency: their orders reach the book this long after they decide (priced when sent), seconds; 0 = at once', 0, { min: 0, max: 60 }),
  })
  .describe('momentum traders (market orders in the direction of the recent return)');

export const NoiseSchema = z
  .strictObject({
    enabled: flag('noise traders', true),
    rate: num('noise orders per second', 0.3, { min: 0, max: MAX_RATE }),
    marketProbability: num('probability that a noise order is a market order (else a limit order near the touch)', 0.3, { min: 0, max: 1 }),
    sizeMedian: num('median size, shares', 100, { gt: 0, max: MAX_SIZE }),
    sizeSigma: num('lognormal sigma of sizes', 0.6, { min: 0 }),
    latencySeconds: num('order-entry latency: their orders reach the book this long after they decide (priced when sent), seconds; 0 = at once', 0, { min: 0, max: 60 }),
  })
  .describe('noise traders: random market orders and limit orders near the touch');

export const InstitutionalSchema = z
  .strictObject({
    enabled: flag('order-splitting institutional traders (long memory of trade signs)', true),
    arrivalRate: num('new parent orders per second', 0.008, { min: 0, max: MAX_RATE }),
    tailExponent: num('Pareto tail exponent of the number of child orders per parent (Lillo–Mike–Farmer: ≈ 1.5)', 1.5, { gt: 0 }),
    minChildren: num('fewest child orders per parent', 5, { min: 1, int: true }),
    maxChildren: num('most child orders per parent', 2000, { min: 1, int: true }),
    childIntervalSeconds: num('mean time between child orders, seconds', 5, { min: MIN_INTERVAL }),
    childSize: num('median child market-order size, shares', 100, { gt: 0, max: MAX_SIZE }),
    maxConcurrent: num('most parent orders working at once', 8, { min: 1, max: 64, int: true }),
    latencySeconds: num('order-entry latency: their orders reach the book this long after they decide (priced when sent), seconds; 0 = at once', 0, { min: 0, max: 60 }),
  })
  .describe('institutional traders splitting power-law parent orders into child market orders');

export const MarketSpecSchema = z
  .strictObject({
    name: z.string().default('custom').describe('preset name, for reports'),
    tickDollars: num('tick size in dollars', 0.01, { gt: 0 }),
    initialPriceTicks: num('initial (reference) price in ticks (at most 1e9, so that prices stay inside the book\'s 2^31 − 1 ticks)', 20000, { min: 10, max: 1e9, int: true }),
    sessionSeconds: num('length of the trading session, seconds (6.5 h = 23400)', 23400, { gt: 0, max: 7 * 86400 }),
    lotSize: num('round-lot size, shares', 100, { min: 1, max: MAX_SIZE, int: true }),
    warmupSeconds: num('seconds of flow run at reset to build the initial book (after a seeded initializer)', 30, { min: 0, max: 86400 }),
    intraday: IntradaySchema.prefault({}).meta({ description: IntradaySchema.description }),
    activity: ActivitySchema.prefault({}).meta({ description: ActivitySchema.description }),
    takers: TakersSchema.prefault({}).meta({ description: TakersSchema.description }),
    liquidity: LiquiditySchema.prefault({}).meta({ description: LiquiditySchema.description }),
    marketMakers: MarketMakersSchema.prefault({}).meta({ description: MarketMakersSchema.description }),
    fundamental: FundamentalSchema.prefault({}).meta({ description: FundamentalSchema.description }),
    momentum: MomentumSchema.prefault({}).meta({ description: MomentumSchema.description }),
    noise: NoiseSchema.prefault({}).meta({ description: NoiseSchema.description }),
    institutional: InstitutionalSchema.prefault({}).meta({ description: InstitutionalSchema.description }),
  })
  .describe('an agent-based market: every numeric field may be a fixed value or a per-episode distribution');

/** A market spec as parsed: numeric fields may be distributions. */
export type MarketSpec = z.output<typeof MarketSpecSchema>;

/** `T` with every randomizable numeric field made concrete. */
export type Concrete<T> = T extends NumParam ? number : T extends string | boolean ? T : { [K in keyof T]: Concrete<T[K]> };

/** Concrete market parameters for one episode (what `Market` runs on). */
export type MarketParams = Concrete<MarketSpec>;

// ---------------------------------------------------------------------------------------------
// Parsing with clear errors

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Field names allowed at a path of the spec tree (for unknown-field errors). */
function allowedKeys(path: readonly PropertyKey[], root: z.ZodType): string[] {
  let schema: z.ZodType = root;
  for (const k of path) {
    const inner = unwrapSchema(schema);
    if (!(inner instanceof z.ZodObject)) return [];
    schema = (inner.shape as Record<string, z.ZodType>)[String(k)];
    if (schema === undefined) return [];
  }
  const inner = unwrapSchema(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

/** Strips default/prefault/optional wrappers. */
export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** The range of a randomizable numeric field's schema, or undefined for other fields. */
export function numRangeOf(schema: z.ZodType): NumRange | undefined {
  return (z.globalRegistry.get(schema) as { numRange?: NumRange } | undefined)?.numRange;
}

/** Formats zod issues as `path: got <value>; <what is allowed>` lines. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, root = 'market', schema: z.ZodType = MarketSpecSchema): string {
  return issues
    .map((iss) => {
      const path = [root, ...iss.path.map(String)].join('.');
      if (iss.code === 'unrecognized_keys') {
        const keys = (iss as { keys: string[] }).keys;
        return `${path}: unknown field(s) ${keys.join(', ')}; allowed: ${allowedKeys(iss.path, schema).join(', ')}`;
      }
      return `${path}: got ${show(valueAt(input, iss.path))}; ${iss.message}`;
    })
    .join('\n');
}

/** Parses a market spec (plain data, e.g. from YAML). Throws `MarketConfigError` naming each bad field. */
export function parseMarketSpec(input: unknown, source = 'market'): MarketSpec {
  const r = MarketSpecSchema.safeParse(input ?? {});
  if (!r.success) throw new MarketConfigError(`invalid market config (${source}):\n${formatIssues(r.error.issues, input, 'market')}`);
  const s = r.data;
  checkCrossField(s, source);
  return s;
}

function fixedOrMax(p: NumParam): number {
  if (typeof p === 'number') return p;
  if ('uniform' in p) return p.uniform[1];
  if ('loguniform' in p) return p.loguniform[1];
  if ('normal' in p) return p.normal.max;
  return Math.max(...p.choice);
}
function fixedOrMin(p: NumParam): number {
  if (typeof p === 'number') return p;
  if ('uniform' in p) return p.uniform[0];
  if ('loguniform' in p) return p.loguniform[0];
  if ('normal' in p) return p.normal.min;
  return Math.min(...p.choice);
}

/** Checks between fields that hold for every draw (worst case over the distributions). */
function checkCrossField(s: MarketSpec, source: string): void {
  const t = s.takers;
  const rho = fixedOrMax(t.selfFast) + fixedOrMax(t.selfSlow) + fixedOrMax(t.crossFast) + fixedOrMax(t.crossSlow);
  if (rho >= 1) {
    throw new MarketConfigError(
      `invalid market config (${source}):\nmarket.takers: the Hawkes flow must be stationary for every draw: selfFast + selfSlow + crossFast + crossSlow (the spectral radius of the symmetric 2-D branching matrix) reaches ${rho.toFixed(4)}; allowed: < 1`,
    );
  }
  if (fixedOrMin(s.liquidity.maxDistanceTicks) < fixedOrMax(s.liquidity.minDistanceTicks)) {
    throw new MarketConfigError(`invalid market config (${source}):\nmarket.liquidity: maxDistanceTicks (${show(s.liquidity.maxDistanceTicks)}) must be >= minDistanceTicks (${show(s.liquidity.minDistanceTicks)}) for every draw`);
  }
  if (fixedOrMax(s.liquidity.distanceFloorTicks) > fixedOrMin(s.liquidity.minDistanceTicks)) {
    throw new MarketConfigError(`invalid market config (${source}):\nmarket.liquidity: distanceFloorTicks (${show(s.liquidity.distanceFloorTicks)}) must be <= minDistanceTicks (${show(s.liquidity.minDistanceTicks)}) for every draw`);
  }
  if (fixedOrMin(s.liquidity.deepMaxDistanceTicks) < fixedOrMax(s.liquidity.deepMinDistanceTicks)) {
    throw new MarketConfigError(`invalid market config (${source}):\nmarket.liquidity: deepMaxDistanceTicks (${show(s.liquidity.deepMaxDistanceTicks)}) must be >= deepMinDistanceTicks (${show(s.liquidity.deepMinDistanceTicks)}) for every draw`);
  }
  if (fixedOrMin(s.institutional.maxChildren) < fixedOrMax(s.institutional.minChildren)) {
    throw new MarketConfigError(`invalid market config (${source}):\nmarket.institutional: maxChildren (${show(s.institutional.maxChildren)}) must be >= minChildren (${show(s.institutional.minChildren)}) for every draw`);
  }
}

/**
 * Loads a market spec from a preset name (`MARKET_PRESETS`: the files in configs/markets/) or a
 * YAML/JSON file path. Throws `MarketConfigError` for an unknown name, an unreadable file or an
 * invalid config (naming the file and each bad field).
 */
export function loadMarketConfig(pathOrName: string): MarketSpec {
  if (typeof pathOrName !== 'string' || pathOrName.length === 0) {
    throw new MarketConfigError(`market config must be a preset name (${MARKET_PRESETS.join(', ')}) or a file path, got ${show(pathOrName)}`);
  }
  let path = pathOrName;
  if (!/[/\\]|\.ya?ml$|\.json$/i.test(pathOrName)) {
    path = marketPresetPath(pathOrName);
    if (!marketFileExists(path)) throw new MarketConfigError(`unknown market preset ${show(pathOrName)}; allowed: ${MARKET_PRESETS.join(', ')} or a path to a YAML file`);
  }
  let data: unknown;
  try {
    data = readMarketFile(path);
  } catch (err) {
    throw new MarketConfigError((err as Error).message);
  }
  if (data === null || data === undefined) throw new MarketConfigError(`${path} is empty: a market config is a YAML mapping of fields (see configs/markets/default.yaml; {} for the defaults)`);
  if (typeof data !== 'object' || Array.isArray(data)) throw new MarketConfigError(`${path}: a market config is a YAML mapping of fields, got ${show(data)}`);
  return parseMarketSpec(data, path);
}
