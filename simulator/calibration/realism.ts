/**
 * Realism measured against real data: the stylized facts of a real LOBSTER day and of simulated
 * sessions side by side, on the same definitions, with two-sample KS statistics.
 *
 * What is compared (and how the two sides are made comparable)
 * - Message rates per second: LOBSTER's level-N files hold only the messages that touch the first
 *   N levels, so simulated messages are counted the same way (`levels`, default 1: an add that
 *   rests at or inside its side's best, a cancel of an order at its side's best); market orders
 *   are aggressive orders (real: visible and hidden executions grouped by timestamp and side,
 *   README's 0.34/s for GOOG; simulated: tape rows grouped by taker order). All-level simulated
 *   counts are reported too.
 * - Spread: real rows give event-weighted (per message) and time-weighted means; the simulator's
 *   1-second samples are time-weighted. `spreadMeanTicks` compares time-weighted with
 *   time-weighted; `spreadEventMeanTicks` (real only) is LOBSTER's README figure.
 * - Returns, |r| ACF, volume–volatility correlation, trade-sign ACF, intraday volume shares:
 *   `stylizedFacts` (simulator/stats) on both, mids sampled with the last observation on a 60 s grid.
 * - KS statistics (real vs the pooled simulated seeds): inter-arrival times of market orders,
 *   spreads on a 1-second grid (time-weighted samples on both sides), 1-minute log returns.
 */
import { BUY as BUY_ } from '../book/index.ts';
import type { OrderBook } from '../book/index.ts';
import { parseMarketSpec } from '../../configs/index.ts';
import type { MarketSpec } from '../../configs/index.ts';
import { Market } from '../market.ts';
import { factsHeadline, ksTwoSample, resampleLast, sessionFacts, logReturns, signMemory, marketOrderBranching, quantiles, overlappingReturnAcf } from '../stats/index.ts';
import type { KsResult, StylizedFacts } from '../stats/index.ts';
import { ReplayError, groupExecutions, lobsterFacts, LobsterType, PRICE_SCALE } from '../lobster/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../lobster/index.ts';
import { oppositeDistanceTicks } from './fit.ts';

const BUY = BUY_;

/** The headline figures compared (all per the definitions in the file header). */
export interface RealismHeadline {
  limitPerSecond: number;
  /** Share of the level-N limit adds that join a price level already in view (the rest open a new level, e.g. inside the spread). */
  limitJoinShare: number;
  cancelPerSecond: number;
  /**
   * Limit adds and cancels a second that a level-1 file would hold (an add at or inside its side's
   * best, a cancel or partial cancel at it), whatever the view's level: on a level-N file, from
   * each message's price against its side's best in the row before. On a level-1 view they equal
   * `limitPerSecond` and `cancelPerSecond`; on a level-N one they tell the flow at the best from
   * the flow summed over N levels (stage 2 of `calibrate` fits both on level-N files).
   */
  level1LimitPerSecond: number;
  level1CancelPerSecond: number;
  /**
   * Mean distance, ticks, of the limit adds in view from the opposite best (of the row before, on
   * a file; at the submit, simulated), over the adds that do not cross it (distance ≥ 1): where in
   * the level-N window the adds land, the window's own edge included (what stage 2 of `calibrate`
   * fits on level-N files, beside the rates at the best, so the placement band sits where the file
   * shows it; the same definition as stage 1's placement fit).
   */
  addDistanceTicks: number;
  marketPerSecond: number;
  /** Time-weighted mean spread, ticks. */
  spreadMeanTicks: number;
  spreadMeanBps: number;
  kurtosis1m: number;
  acf1Return1m: number;
  /**
   * Robust standard error of `acf1Return1m` under no autocorrelation (stats `acf1RobustSe`): how far
   * one session's lag-1 ACF strays from 0 when the returns' variance moves as this session's does.
   */
  acf1Return1mSe: number;
  sd1mBps: number;
  absAcfLag1: number;
  absAcfLag2: number;
  volumeAbsReturnCorr: number;
  signAcfLag1: number;
  signAcfLag10: number;
  signAcfLag100: number;
  volumeShareFirst30m: number;
  volumeShareLast30m: number;
  meanMarketOrderQty: number;
  /** Mean shares at the best level (average of bid and ask; real: per orderbook row, simulated: every 10 s). */
  depth1: number;
  /** U-shape of the intraday volume: min(first, last 30-minute share) / median of the buckets between (> 1: U-shaped). */
  volumeEdgeRatio: number;
  /** γ of the trade-sign ACF C(ℓ) ≈ A·ℓ^−γ (stats/memory.ts `signMemory`). */
  signAcfExponent: number;
  /** Branching ratio of market-order arrivals (2-D exponential Hawkes, stats/memory.ts). */
  moBranching: number;
  /**
   * Decay of that fit's kernel, per second: which clustering the one-exponential fit explains, the
   * fast (order-to-order excitation, GOOG ~10²/s) or the slow (side runs, busy spells, the intraday
   * profile, under 1/s); its branching reads very differently in the two regimes.
   */
  moBranchingDecay: number;
  /** Spread quantiles 5/25/50/75/95% on the 1-second grid, ticks. */
  spreadP05: number;
  spreadP25: number;
  spreadP50: number;
  spreadP75: number;
  spreadP95: number;
  /** Seconds of the session (1-second grid) with a book side empty. */
  emptySideSeconds: number;
  /**
   * Share of the executions of resting orders (a file's type-4 rows) after which the best level of
   * their side is gone (`depletionGaps`).
   */
  depletionShare: number;
  /**
   * Mean gap, ticks, between the emptied best level's price and the next one's on that side: the
   * spacing of the book just behind the best, which a level-1 file shows only here.
   */
  depletionGapTicks: number;
  /**
   * KS D of this session's market-order sizes against a reference sample (`SimSessionOptions`'s
   * `sizeReference`, a file's sizes: what stage 2 of `calibrate` fits); NaN without one (and on the
   * real side).
   */
  marketOrderSizeKs: number;
  /**
   * KS D of this session's spreads on the 1-second grid against a reference sample
   * (`SimSessionOptions`'s `spreadReference`, a file's: what stage 2 of `calibrate` fits); NaN
   * without one (and on the real side).
   */
  spreadKs: number;
  /**
   * The lag-1 ACF of 1-minute returns from every start second (`overlappingReturnAcf`): the same
   * expectation as `acf1Return1m`, usually a smaller spread over sessions (what stage 2 of `calibrate` fits).
   */
  acf1Return1mOverlap: number;
}

/** Executions of resting orders in a session and the gaps (ticks) of those that emptied the best level. */
export interface DepletionGaps {
  executions: number;
  gaps: number[];
}

/**
 * The file's side of `depletionShare` / `depletionGapTicks`: each execution row (type 4) in
 * [t0, t0 + seconds] whose side's best price differs after the row from before it, with both rows
 * holding that side, gives the gap |after − before| in ticks (the first row, with no row before
 * it, counts as an execution only).
 */
export function depletionGaps(m: LobsterMessages, book: LobsterOrderbook, tick: number, t0: number, seconds: number): DepletionGaps {
  const cols = 4 * book.levels;
  const gaps: number[] = [];
  let executions = 0;
  for (let i = 0; i < m.length; i++) {
    if (m.type[i] !== LobsterType.EXECUTE || m.time[i] < t0 || m.time[i] > t0 + seconds) continue;
    executions++;
    if (i === 0) continue;
    // A buy order executed (direction +1) rests on the bid: price column 2; a sell order on the ask: column 0.
    const o = m.direction[i] > 0 ? 2 : 0;
    const before = (i - 1) * cols + o;
    const after = i * cols + o;
    if (book.values[before + 1] > 0 && book.values[after + 1] > 0 && book.values[before] !== book.values[after]) gaps.push(Math.abs(book.values[after] - book.values[before]) / tick);
  }
  return { executions, gaps };
}

function depletionFigures(d: DepletionGaps): { depletionShare: number; depletionGapTicks: number } {
  let s = 0;
  for (const g of d.gaps) s += g;
  return { depletionShare: d.executions > 0 ? d.gaps.length / d.executions : NaN, depletionGapTicks: d.gaps.length > 0 ? s / d.gaps.length : NaN };
}

/** The figures added to a headline from the session's samples. */
function addMemory(h: Omit<RealismHeadline, 'signAcfExponent' | 'moBranching' | 'moBranchingDecay' | 'spreadP05' | 'spreadP25' | 'spreadP50' | 'spreadP75' | 'spreadP95' | 'emptySideSeconds' | 'depletionShare' | 'depletionGapTicks' | 'marketOrderSizeKs' | 'spreadKs' | 'acf1Return1mOverlap'>, signs: ArrayLike<number>, moTimes: ArrayLike<number>, moSigns: ArrayLike<number>, t0: number, seconds: number, spreads1s: ArrayLike<number>, emptySideSeconds: number, depletion: DepletionGaps, acf1Return1mOverlap: number, marketOrderSizeKs = NaN, spreadKs = NaN): RealismHeadline {
  const q = quantiles(spreads1s, [0.05, 0.25, 0.5, 0.75, 0.95]);
  const br = marketOrderBranching(moTimes, moSigns, t0, t0 + seconds);
  return {
    ...h,
    signAcfExponent: signMemory(signs).exponent,
    moBranching: br.branching,
    moBranchingDecay: br.decay,
    spreadP05: q[0],
    spreadP25: q[1],
    spreadP50: q[2],
    spreadP75: q[3],
    spreadP95: q[4],
    emptySideSeconds,
    ...depletionFigures(depletion),
    marketOrderSizeKs,
    spreadKs,
    acf1Return1mOverlap,
  };
}

/** One session's figures plus the samples the KS tests need. */
export interface RealismSession {
  headline: RealismHeadline;
  facts: StylizedFacts;
  /** Seconds between consecutive market orders. */
  interArrivals: Float64Array;
  /** Spread in ticks on a 1-second grid. */
  spreads1s: Float64Array;
  /** 1-minute log returns of the mid. */
  returns1m: Float64Array;
  /** Sizes of the market orders (shares; real: visible executions grouped, as `meanMarketOrderQty`). */
  marketOrderSizes: Float64Array;
  /** Extra figures of this side (e.g. event-weighted spread, all-level simulated rates). */
  extra: Record<string, number>;
}

/** U-shape: the smaller of the first and last 30-minute volume shares over the median of the buckets between them (> 1: U-shaped). */
function edgeRatio(b: ArrayLike<number>): number {
  if (b.length < 3) return NaN;
  const inner = Array.from(b).slice(1, b.length - 1).sort((x, y) => x - y);
  const med = inner.length % 2 === 1 ? inner[(inner.length - 1) / 2] : (inner[inner.length / 2 - 1] + inner[inner.length / 2]) / 2;
  return Math.min(b[0], b[b.length - 1]) / med;
}

function headlineOf(f: StylizedFacts, rates: { limit: number; cancel: number; market: number; limit1: number; cancel1: number }, joinShare: number, seconds: number, spreadTw: number, depth1: number, addDistance: number) {
  const h = factsHeadline(f);
  return {
    limitPerSecond: rates.limit / seconds,
    limitJoinShare: joinShare,
    cancelPerSecond: rates.cancel / seconds,
    level1LimitPerSecond: rates.limit1 / seconds,
    level1CancelPerSecond: rates.cancel1 / seconds,
    addDistanceTicks: addDistance,
    marketPerSecond: rates.market / seconds,
    spreadMeanTicks: spreadTw,
    spreadMeanBps: h.spreadMeanBps,
    kurtosis1m: h.kurtosis1m,
    acf1Return1m: h.acf1Return1m,
    acf1Return1mSe: h.acf1Return1mSe,
    sd1mBps: h.sd1mBps,
    absAcfLag1: h.absAcfLag1,
    absAcfLag2: h.absAcfLag2,
    volumeAbsReturnCorr: h.volumeAbsReturnCorr,
    signAcfLag1: h.signAcfLag1,
    signAcfLag10: h.signAcfLag10,
    signAcfLag100: h.signAcfLag100,
    volumeShareFirst30m: h.volumeShareFirst30m,
    volumeShareLast30m: h.volumeShareLast30m,
    meanMarketOrderQty: h.meanMarketOrderQty,
    depth1,
    volumeEdgeRatio: edgeRatio(f.volume.buckets),
  };
}

function diffs(t: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, t.length - 1));
  for (let i = 1; i < t.length; i++) out[i - 1] = t[i] - t[i - 1];
  return out;
}

function returnsOnGrid(times: ArrayLike<number>, mids: ArrayLike<number>, t0: number, seconds: number, dt: number): Float64Array {
  const n = Math.floor(seconds / dt + 1e-9);
  if (n < 2) return new Float64Array(0);
  return logReturns(resampleLast(times, mids, t0, dt, n)).slice(1);
}

export interface RealSessionOptions {
  /** One tick in LOBSTER price units (default 100). */
  tickSize?: number;
  /** Session start, seconds after midnight (default 34,200). */
  sessionStart?: number;
  /** Session length, seconds (default 23,400). */
  sessionSeconds?: number;
}

/** Seconds between the best-level depth samples of both sides. */
const DEPTH_STEP = 10;

/**
 * Mean best-level depth, (bid + ask) / 2 shares, of the book as it stood every 10 s of the
 * session (t0 + 10, t0 + 20, … before t0 + seconds): the times the simulated side samples its
 * book at, so both read the same time average (a mean over the file's rows would weight busy
 * moments: GOOG's day reads 154 shares per row).
 */
function sampledDepth1(m: LobsterMessages, book: LobsterOrderbook, t0: number, seconds: number): number {
  const cols = 4 * book.levels;
  const depth = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) depth[i] = (book.values[i * cols + 1] + book.values[i * cols + 3]) / 2;
  let n = 0;
  for (let t = t0 + DEPTH_STEP; t < t0 + seconds; t += DEPTH_STEP) n++;
  if (n === 0 || m.length === 0) return NaN;
  const at = resampleLast(m.time, depth, t0 + DEPTH_STEP, DEPTH_STEP, n - 1);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += at[k];
  return sum / n;
}

/** The real side: facts of a LOBSTER day (market orders include hidden executions, grouped by timestamp and side). */
export function realSession(m: LobsterMessages, book: LobsterOrderbook, options: RealSessionOptions = {}): RealismSession {
  const tick = options.tickSize ?? 100;
  const t0 = options.sessionStart ?? 34200;
  const seconds = options.sessionSeconds ?? 23400;
  const lf = lobsterFacts(m, book, { tickSize: tick, sessionStart: t0, sessionSeconds: seconds });
  const cols = 4 * book.levels;
  const times = new Float64Array(m.length);
  const mids = new Float64Array(m.length);
  const spreads = new Float64Array(m.length);
  let k = 0;
  for (let i = 0; i < m.length; i++) {
    const o = i * cols;
    if (!(book.values[o + 1] > 0) || !(book.values[o + 3] > 0)) continue;
    times[k] = m.time[i];
    mids[k] = (book.values[o] + book.values[o + 2]) / 2 / tick;
    spreads[k] = (book.values[o] - book.values[o + 2]) / tick;
    k++;
  }
  if (k === 0) throw new ReplayError('no orderbook row has both sides: no spread or mid');
  const spreads1s = resampleLast(times.subarray(0, k), spreads.subarray(0, k), t0, 1, Math.floor(seconds) - 1);
  const returns1m = returnsOnGrid(times.subarray(0, k), mids.subarray(0, k), t0, seconds, 60);
  const orders = groupExecutions(m, true);
  const visible = groupExecutions(m, false);
  // Adds that join a level in view: the price is one of the side's levels in the row before.
  let adds = 0;
  let joins = 0;
  let distSum = 0;
  let distN = 0;
  for (let i = 1; i < m.length; i++) {
    if (m.type[i] !== 1 || m.time[i] < t0 || m.time[i] > t0 + seconds) continue;
    adds++;
    // Its distance from the opposite best (as stage 1's placement fit reads it).
    const d = oppositeDistanceTicks(m, book, i, tick);
    if (d >= 1) {
      distSum += d;
      distN++;
    }
    const o = (i - 1) * cols + (m.direction[i] > 0 ? 2 : 0);
    for (let l = 0; l < book.levels; l++) {
      if (book.values[o + 4 * l + 1] > 0 && book.values[o + 4 * l] === m.price[i]) {
        joins++;
        break;
      }
    }
  }
  // The adds and cancels a level-1 file would hold: an add at or inside its side's best in the row
  // before (or to an empty side), a cancel (types 2, 3) at or inside it; every row of the file,
  // as the level-N rates count them. The first row, with no row before it, counts as at the best.
  let limit1 = 0;
  let cancel1 = 0;
  for (let i = 0; i < m.length; i++) {
    const type = m.type[i];
    if (type !== LobsterType.SUBMIT && type !== LobsterType.CANCEL && type !== LobsterType.DELETE) continue;
    let atBest = true;
    if (i > 0) {
      const o = (i - 1) * cols + (m.direction[i] > 0 ? 2 : 0);
      if (book.values[o + 1] > 0) atBest = m.direction[i] > 0 ? m.price[i] >= book.values[o] : m.price[i] <= book.values[o];
    }
    if (!atBest) continue;
    if (type === LobsterType.SUBMIT) limit1++;
    else cancel1++;
  }
  const rates = { limit: lf.messageRates.limit * seconds, cancel: lf.messageRates.cancel * seconds, market: orders.length, limit1, cancel1 };
  // Seconds with a side empty: an indicator per orderbook row, read on the 1-second grid.
  const emptyFlag = new Float64Array(m.length);
  for (let i = 0; i < m.length; i++) emptyFlag[i] = book.values[i * cols + 1] > 0 && book.values[i * cols + 3] > 0 ? 0 : 1;
  const empty1s = resampleLast(m.time, emptyFlag, t0, 1, Math.floor(seconds) - 1);
  let emptySeconds = 0;
  for (let i = 0; i < empty1s.length; i++) if (empty1s[i] > 0) emptySeconds++;
  // The spread's mean, in ticks and in bps of the mid, on the 1-second grid: the simulated side's
  // sampling (a mean over the file's rows would weight busy moments).
  const mids1s = resampleLast(times.subarray(0, k), mids.subarray(0, k), t0, 1, Math.floor(seconds) - 1);
  let spSum = 0;
  let bpsSum = 0;
  for (let i = 0; i < spreads1s.length; i++) {
    spSum += spreads1s[i];
    bpsSum += (spreads1s[i] / mids1s[i]) * 10000;
  }
  const base = { ...headlineOf(lf, rates, adds > 0 ? joins / adds : NaN, seconds, spSum / spreads1s.length, sampledDepth1(m, book, t0, seconds), distN > 0 ? distSum / distN : NaN), spreadMeanBps: bpsSum / spreads1s.length };
  return {
    headline: addMemory(base, visible.sign.subarray(0, visible.length), orders.time.subarray(0, orders.length), orders.sign.subarray(0, orders.length), t0, seconds, spreads1s, emptySeconds, depletionGaps(m, book, tick, t0, seconds), overlappingReturnAcf(times.subarray(0, k), mids.subarray(0, k), t0, seconds, 60)),
    facts: lf,
    interArrivals: diffs(orders.time.subarray(0, orders.length)),
    spreads1s,
    returns1m,
    marketOrderSizes: visible.qty.slice(0, visible.length),
    extra: {
      spreadEventMeanTicks: lf.spread.meanTicks,
      spreadMeanCents: lf.meanSpreadCents,
      visibleMarketPerSecond: lf.messageRates.market,
      hiddenVolumeShare: lf.hiddenVolumeShare,
      tickDollars: tick / PRICE_SCALE,
    },
  };
}

export interface SimSessionOptions {
  /** Seconds simulated (default: the preset's sessionSeconds). */
  seconds?: number;
  /** Levels of the file compared with (messages are counted as a level-N file holds them); default 1. */
  levels?: number;
  /** Session time of the start (default 0, the open). */
  startSeconds?: number;
  /** Market-order sizes to compare this session's with (a file's): the headline's `marketOrderSizeKs`. */
  sizeReference?: Float64Array;
  /** Spreads on the 1-second grid to compare this session's with (a file's): the headline's `spreadKs`. */
  spreadReference?: Float64Array;
}

/** Scratch for `withinLevels` (levels > 1). */
let levelScratch = new Float64Array(16);

/** Whether `price` lies within the top `levels` occupied levels of `side` (or better than all of them). */
function withinLevels(book: OrderBook, side: number, price: number, levels: number): boolean {
  const best = side === BUY ? book.bestBid() : book.bestAsk();
  if (best === 0) return true;
  if (side === BUY ? price >= best : price <= best) return true;
  if (levels === 1) return false;
  if (levelScratch.length < 2 * levels) levelScratch = new Float64Array(2 * levels);
  const n = book.depth(levels, side, levelScratch);
  if (n < levels) return true;
  // At least as good as the deepest visible level (the market reports cancels after the book
  // call: a cancelled level that was visible is then better than the new deepest one).
  const deepest = levelScratch[2 * (levels - 1)];
  return side === BUY ? price >= deepest : price <= deepest;
}

/**
 * The simulated side: runs the market of `spec` (a parsed spec or plain data of the schema) from
 * `seed` and measures it as a level-`levels` LOBSTER file would see it.
 */
export function simulatedSession(spec: MarketSpec | Record<string, unknown>, seed: number, options: SimSessionOptions = {}): RealismSession {
  const parsed = parseMarketSpec(spec, 'realism');
  const levels = options.levels ?? 1;
  if (!Number.isInteger(levels) || levels < 1) throw new ReplayError(`levels must be a positive integer, got ${String(levels)}`);
  const start = options.startSeconds ?? 0;
  const market = Market.fromSpec(parsed, seed, { startSeconds: start });
  const seconds = options.seconds ?? market.params.sessionSeconds;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new ReplayError(`seconds must be a finite number > 0, got ${String(seconds)}`);
  const counts = { limit: 0, join: 0, cancel: 0 };
  // The same at the best (a level-1 view), whatever `levels` is.
  const best = { limit: 0, cancel: 0 };
  // The adds' distance from the opposite best (`addDistanceTicks`).
  let distSum = 0;
  let distN = 0;
  // Whether the view holds a message before this one (a file's first row has no row before it).
  let rowBefore = false;
  const countCancel = (side: number, price: number): void => {
    const atBest = withinLevels(market.book, side, price, 1);
    if (atBest) best.cancel++;
    if (levels === 1 ? atBest : withinLevels(market.book, side, price, levels)) {
      counts.cancel++;
      rowBefore = true;
    }
  };
  const t0 = market.now;
  // Depletion gaps as a level-1 file shows them (one row per fill, the book after it): within a
  // call, a fill at a new price means the level before it emptied; after the call, the side's
  // best moved off the last fill's price means that level emptied too.
  const depletion: DepletionGaps = { executions: 0, gaps: [] };
  let lastPrice = 0;
  let lastSide = 0;
  let filled = false;
  market.recorder = {
    onSubmit(_time, _id, qty, price, side) {
      const atBest = withinLevels(market.book, side, price, 1);
      if (atBest) best.limit++;
      if (levels === 1 ? atBest : withinLevels(market.book, side, price, levels)) {
        counts.limit++;
        const opp = side === BUY ? market.book.bestAsk() : market.book.bestBid();
        if (opp !== 0 && rowBefore) {
          const d = side === BUY ? opp - price : price - opp;
          if (d >= 1) {
            distSum += d;
            distN++;
          }
        }
        // The level held more than this order: it joined a level that was there before.
        if (market.book.volumeAt(side, price) > qty) counts.join++;
        rowBefore = true;
      }
    },
    onCancel(_time, _id, _qty, price, side) {
      countCancel(side, price);
    },
    // A partial cancel (type 2) counts as a cancel, as in the files (types 2 and 3).
    onReduce(_time, _id, _qty, price, side) {
      countCancel(side, price);
    },
    onExecute(_time, _id, _qty, price, side) {
      rowBefore = true;
      depletion.executions++;
      if (filled && side === lastSide && price !== lastPrice) depletion.gaps.push(Math.abs(price - lastPrice));
      filled = true;
      lastPrice = price;
      lastSide = side;
    },
    onCallEnd() {
      if (!filled) return;
      const best = lastSide === BUY ? market.book.bestBid() : market.book.bestAsk();
      if (best !== 0 && best !== lastPrice) depletion.gaps.push(Math.abs(best - lastPrice));
      filled = false;
    },
  };
  // Best-level depth every 10 s (the loop runs in 10-second chunks; the flow does not depend on them).
  const dbuf = new Float64Array(4);
  let dSum = 0;
  let dN = 0;
  for (let t = t0 + DEPTH_STEP; t < t0 + seconds; t += DEPTH_STEP) {
    market.runUntil(t);
    market.depth(1, dbuf);
    dSum += (dbuf[1] + dbuf[3]) / 2;
    dN++;
  }
  market.runUntil(t0 + seconds);
  market.recorder = null;
  const { facts: f, marketOrders: mo } = sessionFacts(market, t0, seconds, counts, undefined, { fileView: true });
  const s = market.series;
  const times = market.sampleTimes();
  const mids = s.mid.subarray(0, s.length);
  const spreads = s.spread.subarray(0, s.length);
  let nSpread = 0;
  for (let i = 0; i < spreads.length; i++) if (Number.isFinite(spreads[i]) && spreads[i] > 0) nSpread++;
  const sp = new Float64Array(nSpread);
  for (let i = 0, j = 0; i < spreads.length; i++) if (Number.isFinite(spreads[i]) && spreads[i] > 0) sp[j++] = spreads[i];
  const c = market.counts;
  const base = headlineOf(f, { limit: counts.limit, cancel: counts.cancel, market: mo.time.length, limit1: best.limit, cancel1: best.cancel }, counts.limit > 0 ? counts.join / counts.limit : NaN, seconds, f.spread.timeWeightedMeanTicks, dN > 0 ? dSum / dN : NaN, distN > 0 ? distSum / distN : NaN);
  // Seconds with a side empty: samples whose spread is not a positive number (NaN: a side empty).
  let emptySeconds = 0;
  for (let i = 0; i < spreads.length; i++) if (!(spreads[i] > 0)) emptySeconds += s.dt;
  const ref = options.sizeReference;
  const sizeKs = ref !== undefined && ref.length > 0 && mo.qty.length > 0 ? ksTwoSample(mo.qty, ref).statistic : NaN;
  const sref = options.spreadReference;
  const spreadKs = sref !== undefined && sref.length > 0 && sp.length > 0 ? ksTwoSample(sp, sref).statistic : NaN;
  return {
    headline: addMemory(base, mo.sign, mo.time, mo.sign, t0, seconds, sp, emptySeconds, depletion, overlappingReturnAcf(times, mids, t0, seconds, 60), sizeKs, spreadKs),
    facts: f,
    interArrivals: diffs(mo.time),
    spreads1s: sp,
    returns1m: returnsOnGrid(times, mids, t0, seconds, 60),
    marketOrderSizes: mo.qty,
    extra: {
      allLevelLimitPerSecond: c.limit / seconds,
      allLevelCancelPerSecond: c.cancel / seconds,
      eventsPerSimSecond: c.events / seconds,
      midStartTicks: f.midStart,
      midEndTicks: f.midEnd,
    },
  };
}

/** Mean and sd over sessions of each headline figure. */
export function summarize(sessions: RealismSession[]): { mean: RealismHeadline; sd: RealismHeadline } {
  return summarizeHeadlines(sessions.map((x) => x.headline));
}

/** Mean and sd of each figure over headlines (non-finite values left out; sd NaN below two). */
export function summarizeHeadlines(headlines: readonly RealismHeadline[]): { mean: RealismHeadline; sd: RealismHeadline } {
  if (headlines.length === 0) throw new ReplayError('summarize needs at least one session');
  const keys = Object.keys(headlines[0]) as (keyof RealismHeadline)[];
  const mean = {} as RealismHeadline;
  const sd = {} as RealismHeadline;
  for (const k of keys) {
    let s = 0;
    let n = 0;
    for (const h of headlines) {
      const v = h[k];
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    }
    const mu = n > 0 ? s / n : NaN;
    let v2 = 0;
    for (const h of headlines) if (Number.isFinite(h[k])) v2 += (h[k] - mu) ** 2;
    mean[k] = mu;
    sd[k] = n > 1 ? Math.sqrt(v2 / (n - 1)) : NaN;
  }
  return { mean, sd };
}

function concat(parts: Float64Array[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface RealismComparison {
  real: RealismHeadline;
  sim: RealismHeadline;
  simSd: RealismHeadline;
  /** sim / real − 1 for each figure. */
  relativeError: Record<keyof RealismHeadline, number>;
  ks: { interArrival: KsResult; spread: KsResult; return1m: KsResult; marketOrderSize: KsResult };
  /** Each simulated session's headline (for per-seed targets such as |ACF r lag 1| < 0.1 on every seed). */
  perSeed: RealismHeadline[];
  /**
   * Each simulated session's KS D against the real day's (one seed's sample, not the pool): how
   * far a single simulated day's spread and size distributions can be from the real one's.
   */
  perSeedKs: { spread: number[]; marketOrderSize: number[] };
  realExtra: Record<string, number>;
  simExtra: Record<string, number>;
  seeds: number;
}

/** Real against the pooled simulated sessions. */
export function compareRealism(real: RealismSession, sims: RealismSession[]): RealismComparison {
  const { mean, sd } = summarize(sims);
  const rel = {} as Record<keyof RealismHeadline, number>;
  for (const k of Object.keys(real.headline) as (keyof RealismHeadline)[]) rel[k] = mean[k] / real.headline[k] - 1;
  const ks = (a: Float64Array, b: Float64Array): KsResult => (a.length > 0 && b.length > 0 ? ksTwoSample(a, b) : { statistic: NaN, pValue: NaN, n: a.length, m: b.length });
  const simExtra: Record<string, number> = {};
  for (const k of Object.keys(sims[0].extra)) simExtra[k] = sims.reduce((s, x) => s + x.extra[k], 0) / sims.length;
  return {
    real: real.headline,
    sim: mean,
    simSd: sd,
    relativeError: rel,
    ks: {
      interArrival: ks(real.interArrivals, concat(sims.map((s) => s.interArrivals))),
      spread: ks(real.spreads1s, concat(sims.map((s) => s.spreads1s))),
      return1m: ks(real.returns1m, concat(sims.map((s) => s.returns1m))),
      marketOrderSize: ks(real.marketOrderSizes, concat(sims.map((s) => s.marketOrderSizes))),
    },
    perSeed: sims.map((s) => s.headline),
    perSeedKs: {
      spread: sims.map((s) => ks(real.spreads1s, s.spreads1s).statistic),
      marketOrderSize: sims.map((s) => ks(real.marketOrderSizes, s.marketOrderSizes).statistic),
    },
    realExtra: real.extra,
    simExtra,
    seeds: sims.length,
  };
}

/** One target of issue 19's table, evaluated on a comparison. */
export interface RealismTarget {
  fact: string;
  real: number;
  sim: number;
  target: string;
  met: boolean;
}

/** The bound on each simulated session's |lag-1 ACF of 1-minute returns| in `realismTargets`. */
export const PER_SEED_ACF_BOUND = 0.1;

/**
 * The targets a calibrated preset should reach against its real day (mean over seeds unless
 * said): rates within 10%, mean spread within 20%, kurtosis above 4, |r| ACF lags 1–2 above 0.1,
 * corr(volume, |r|) above 0.2, |ACF r lag 1| below 0.1 on every seed, trade-sign ACF above 0.5 /
 * 0.03 / 0 at lags 1 / 10 / 100, market-order branching within 0.1 of the real day's, spread KS D
 * below 0.15 on the 1-s grid, market-order size mean within 20% and KS D below 0.2, no empty
 * side unless the real day has one, a U-shaped intraday volume (both 30-minute edges above 1/13).
 */
export function realismTargets(c: RealismComparison): RealismTarget[] {
  const r = c.real;
  const m = c.sim;
  const within = (k: keyof RealismHeadline, tol: number): RealismTarget => ({ fact: k, real: r[k], sim: m[k], target: `within ${100 * tol}%`, met: Math.abs(m[k] / r[k] - 1) <= tol });
  const above = (k: keyof RealismHeadline, x: number): RealismTarget => ({ fact: k, real: r[k], sim: m[k], target: `> ${x}`, met: m[k] > x });
  const worstAcf1 = Math.max(...c.perSeed.map((h) => Math.abs(h.acf1Return1m)));
  return [
    within('limitPerSecond', 0.1),
    within('cancelPerSecond', 0.1),
    within('marketPerSecond', 0.1),
    within('spreadMeanTicks', 0.2),
    above('kurtosis1m', 4),
    above('absAcfLag1', 0.1),
    above('absAcfLag2', 0.1),
    above('volumeAbsReturnCorr', 0.2),
    { fact: 'max over seeds |acf1Return1m|', real: Math.abs(r.acf1Return1m), sim: worstAcf1, target: `< ${PER_SEED_ACF_BOUND} on every seed`, met: worstAcf1 < PER_SEED_ACF_BOUND },
    above('signAcfLag1', 0.5),
    above('signAcfLag10', 0.03),
    above('signAcfLag100', 0),
    { fact: 'signAcfExponent', real: r.signAcfExponent, sim: m.signAcfExponent, target: 'fitted (reported)', met: Number.isFinite(m.signAcfExponent) },
    { fact: 'moBranching', real: r.moBranching, sim: m.moBranching, target: 'within 0.1 of real', met: Math.abs(m.moBranching - r.moBranching) <= 0.1 },
    { fact: 'KS D spread (1-s grid)', real: 0, sim: c.ks.spread.statistic, target: '< 0.15', met: c.ks.spread.statistic < 0.15 },
    within('meanMarketOrderQty', 0.2),
    { fact: 'KS D market-order size', real: 0, sim: c.ks.marketOrderSize.statistic, target: '< 0.2', met: c.ks.marketOrderSize.statistic < 0.2 },
    { fact: 'emptySideSeconds', real: r.emptySideSeconds, sim: m.emptySideSeconds, target: r.emptySideSeconds > 0 ? 'any (real has some)' : '0', met: r.emptySideSeconds > 0 || Math.max(...c.perSeed.map((h) => h.emptySideSeconds)) === 0 },
    above('volumeEdgeRatio', 1),
  ];
}
