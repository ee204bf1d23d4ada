/**
 * Calibration of the agent-based market (configs/market.ts) from a LOBSTER day, in two stages.
 *
 * 1. Direct fits from the files (`fitLobsterDay`):
 *    - tick (the gcd of message prices) and spread (time- and event-weighted, ticks), initial price;
 *    - market-order flow: visible and hidden executions grouped by timestamp and side (LOBSTER's
 *      README count, 0.34/s for GOOG) fitted as a 2-D (buy, sell) Hawkes process with two
 *      exponential components and the fitted intraday profile as a known baseline, symmetrized
 *      into the schema's (self, cross) × (fast, slow) form; time-rescaling KS for Hawkes and Poisson;
 *    - sizes: lognormal (median = e^{mean log q}, sigma = sd log q) of market orders and of limit
 *      orders, and the round-lot share of limit sizes;
 *    - limit placement: distance of each add from the opposite best of the row before it, in ticks,
 *      with a discrete power law P(d) ∝ d^−e on [1, p99] fitted by maximum likelihood;
 *    - cancel hazard: per-order exponential hazard = deletions of known orders / the seconds that
 *      orders with an observed end (deleted or executed) rested (orders whose end the file never
 *      shows are left out: in a level-N file they mostly left the visible window);
 *    - mid volatility: sd of 1-minute log returns × √(minutes per session);
 *    - intraday U-shape v(τ) ∝ 1 + a e^{−τ/τo} + b e^{−(1−τ)/τc} fitted to market-order counts in
 *      5-minute buckets (least squares; grid over τo, τc, linear in the rest).
 * 2. Simulated moments (`refinePreset`): the file's message rates and spread are properties of the
 *    whole market (a level-1 file sees only the messages at the best), not of one trader type, so
 *    six knobs are adjusted by damped Gauss–Newton on simulated sessions (same seed: common
 *    random numbers, averaged over a few seeds) until the simulated level-N view matches five
 *    targets (limit, cancel and market-order rates, time-weighted spread, mean best-level depth;
 *    the depth keeps the book from matching the rates in a degenerate empty-book regime where
 *    market orders find nothing to hit): the spread scale
 *    (liquidity placement band and maker half-spread), the inner edge of the placement band, the
 *    liquidity providers' limit rate, their cancel hazard, their refill rate inside a wide spread,
 *    and one factor on every market-order source.
 */
import { fitHawkes, ksExp1, rescaledInterArrivals } from '../flow/index.ts';
import type { HawkesModel } from '../flow/index.ts';
import { parseMarketSpec } from '../../configs/index.ts';
import { ReplayError } from './errors.ts';
import { LobsterType, PRICE_SCALE, groupExecutions } from './lobster.ts';
import type { LobsterMessages, LobsterOrderbook } from './lobster.ts';
import { inferTickSize } from './replay-book.ts';
import { simulatedSession, summarize } from './realism.ts';
import type { RealismHeadline } from './realism.ts';

export interface CalibrationOptions {
  /** Tick in LOBSTER units (dollars × 10,000); inferred from the prices when omitted. */
  tickSize?: number;
  /** Session start, seconds after midnight (default 34,200). */
  sessionStart?: number;
  /** Session length, seconds (default 23,400). */
  sessionSeconds?: number;
  /** EM iterations of the final Hawkes run (default 2,000). */
  hawkesMaxIterations?: number;
}

export interface LognormalFit {
  /** Shares. */
  median: number;
  sigma: number;
  mean: number;
  n: number;
}

export interface CalibrationFit {
  tickSize: number;
  tickDollars: number;
  initialPriceTicks: number;
  spread: { timeWeightedTicks: number; eventMeanTicks: number };
  /** Messages per second as the file holds them. */
  rates: { limit: number; cancel: number; market: number; visibleMarket: number };
  hawkes: {
    events: number;
    mu: number[];
    branching: number[][][];
    decays: number[];
    spectralRadius: number;
    logLikelihood: number;
    aic: number;
    /** KS distance of the rescaled inter-arrivals (pooled over buy and sell) against Exp(1). */
    ksHawkes: number;
    ksPoisson: number;
  };
  marketSize: LognormalFit;
  limitSize: LognormalFit & { roundLotShare: number };
  placement: { exponent: number; minDistanceTicks: number; maxDistanceTicks: number; meanDistanceTicks: number; n: number };
  cancelHazard: { perSecond: number; cancelled: number; restingSeconds: number };
  volatility: { sd1m: number; daily: number };
  intraday: { open: number; openTau: number; close: number; closeTau: number; rmse: number };
}

function lognormal(q: ArrayLike<number>): LognormalFit {
  let s = 0;
  let s2 = 0;
  let m = 0;
  let n = 0;
  for (let i = 0; i < q.length; i++) {
    if (!(q[i] > 0)) continue;
    const l = Math.log(q[i]);
    s += l;
    s2 += l * l;
    m += q[i];
    n++;
  }
  if (n < 2) throw new ReplayError(`a size fit needs at least 2 positive sizes, got ${n}`);
  const mu = s / n;
  return { median: Math.exp(mu), sigma: Math.sqrt(Math.max(0, s2 / n - mu * mu)), mean: m / n, n };
}

/** Discrete power law P(d) ∝ d^−e on [lo, hi]: maximum-likelihood e on a 0.01 grid in [0, 4]. */
export function fitPowerLaw(d: ArrayLike<number>, lo: number, hi: number): number {
  let sumLog = 0;
  let n = 0;
  for (let i = 0; i < d.length; i++) {
    if (d[i] >= lo && d[i] <= hi) {
      sumLog += Math.log(d[i]);
      n++;
    }
  }
  if (n === 0) return 0;
  let best = 0;
  let bestLl = -Infinity;
  for (let e = 0; e <= 4.0001; e += 0.01) {
    let z = 0;
    for (let x = lo; x <= hi; x++) z += Math.pow(x, -e);
    const ll = -e * sumLog - n * Math.log(z);
    if (ll > bestLl) {
      bestLl = ll;
      best = e;
    }
  }
  return Math.round(best * 100) / 100;
}

/** ∫ over [a, b] of e^{−τ/θ} and of e^{−(1−τ)/θ}. */
function openIntegral(a: number, b: number, th: number): number {
  return th * (Math.exp(-a / th) - Math.exp(-b / th));
}
function closeIntegral(a: number, b: number, th: number): number {
  return th * (Math.exp(-(1 - b) / th) - Math.exp(-(1 - a) / th));
}

/** Solves the 3×3 (or smaller, `use` mask) least squares y ≈ X c; returns c (zeros where unused). */
function leastSquares(cols: Float64Array[], y: Float64Array, use: boolean[]): Float64Array {
  const idx = [0, 1, 2].filter((k) => use[k]);
  const p = idx.length;
  const A = new Float64Array(p * p);
  const r = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) {
      let s = 0;
      for (let j = 0; j < y.length; j++) s += cols[idx[a]][j] * cols[idx[b]][j];
      A[a * p + b] = s;
    }
    let s = 0;
    for (let j = 0; j < y.length; j++) s += cols[idx[a]][j] * y[j];
    r[a] = s;
  }
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let k = c + 1; k < p; k++) if (Math.abs(A[k * p + c]) > Math.abs(A[piv * p + c])) piv = k;
    if (piv !== c) {
      for (let k = 0; k < p; k++) [A[c * p + k], A[piv * p + k]] = [A[piv * p + k], A[c * p + k]];
      [r[c], r[piv]] = [r[piv], r[c]];
    }
    const d = A[c * p + c];
    if (Math.abs(d) < 1e-300) continue;
    for (let k = c + 1; k < p; k++) {
      const f = A[k * p + c] / d;
      for (let l = c; l < p; l++) A[k * p + l] -= f * A[c * p + l];
      r[k] -= f * r[c];
    }
  }
  const x = new Float64Array(p);
  for (let c = p - 1; c >= 0; c--) {
    let s = r[c];
    for (let l = c + 1; l < p; l++) s -= A[c * p + l] * x[l];
    x[c] = Math.abs(A[c * p + c]) < 1e-300 ? 0 : s / A[c * p + c];
  }
  const out = new Float64Array(3);
  idx.forEach((k, a) => (out[k] = x[a]));
  return out;
}

/**
 * Fits the U-shape to event times (seconds from the session start) in `buckets` equal buckets of
 * a session of `seconds`: counts ≈ c·(w + a·∫e^{−τ/τo} + b·∫e^{−(1−τ)/τc}) with a, b >= 0.
 */
export function fitIntraday(times: ArrayLike<number>, seconds: number, buckets = 78): { open: number; openTau: number; close: number; closeTau: number; rmse: number } {
  if (!(seconds > 0)) throw new ReplayError(`seconds must be > 0, got ${seconds}`);
  const y = new Float64Array(buckets);
  for (let i = 0; i < times.length; i++) {
    const k = Math.floor((times[i] / seconds) * buckets);
    if (k >= 0 && k < buckets) y[k]++;
  }
  const w = new Float64Array(buckets).fill(1 / buckets);
  let best = { open: 0, openTau: 0.02, close: 0, closeTau: 0.02, rmse: Infinity };
  const grid: number[] = [];
  for (let g = Math.log(0.002); g <= Math.log(0.3) + 1e-9; g += (Math.log(0.3) - Math.log(0.002)) / 30) grid.push(Math.exp(g));
  const A = new Float64Array(buckets);
  const B = new Float64Array(buckets);
  for (const to of grid) {
    for (let j = 0; j < buckets; j++) A[j] = openIntegral(j / buckets, (j + 1) / buckets, to);
    for (const tc of grid) {
      for (let j = 0; j < buckets; j++) B[j] = closeIntegral(j / buckets, (j + 1) / buckets, tc);
      const cols = [w, A, B];
      let use = [true, true, true];
      let c = leastSquares(cols, y, use);
      if (c[1] < 0 || c[2] < 0) {
        use = [true, c[1] >= 0, c[2] >= 0];
        c = leastSquares(cols, y, use);
        if (c[1] < 0 || c[2] < 0) c = leastSquares(cols, y, [true, false, false]);
      }
      if (!(c[0] > 0)) continue;
      let sse = 0;
      for (let j = 0; j < buckets; j++) sse += (y[j] - c[0] * w[j] - c[1] * A[j] - c[2] * B[j]) ** 2;
      const rmse = Math.sqrt(sse / buckets);
      if (rmse < best.rmse) best = { open: Math.max(0, c[1] / c[0]), openTau: to, close: Math.max(0, c[2] / c[0]), closeTau: tc, rmse };
    }
  }
  return best;
}

/** Direct fits of a LOBSTER day (stage 1, see the file header). Throws ReplayError on mismatched or empty files. */
export function fitLobsterDay(m: LobsterMessages, book: LobsterOrderbook, options: CalibrationOptions = {}): CalibrationFit {
  if (m.length !== book.length) throw new ReplayError(`message and orderbook row counts differ: ${m.length} and ${book.length}`);
  if (m.length < 20) throw new ReplayError(`calibration needs at least 20 messages, got ${m.length}`);
  const tick = options.tickSize ?? inferTickSize(m);
  if (!Number.isInteger(tick) || tick < 1) throw new ReplayError(`tickSize must be a positive integer (dollars × 10,000), got ${String(tick)}`);
  const t0 = options.sessionStart ?? 34200;
  const T = options.sessionSeconds ?? 23400;
  const cols = 4 * book.levels;
  const v = book.values;

  // Spread (ticks), time- and event-weighted, and mids for the volatility.
  let evSum = 0;
  let evN = 0;
  let twSum = 0;
  let twT = 0;
  let firstMid = NaN;
  const midT: number[] = [];
  const mid: number[] = [];
  for (let i = 0; i < m.length; i++) {
    const o = i * cols;
    if (!(v[o + 1] > 0 && v[o + 3] > 0)) continue;
    const s = (v[o] - v[o + 2]) / tick;
    const md = (v[o] + v[o + 2]) / 2 / tick;
    if (Number.isNaN(firstMid)) firstMid = md;
    evSum += s;
    evN++;
    const tNext = i + 1 < m.length ? m.time[i + 1] : t0 + T;
    const dt = Math.max(0, Math.min(tNext, t0 + T) - Math.max(m.time[i], t0));
    twSum += s * dt;
    twT += dt;
    midT.push(m.time[i]);
    mid.push(md);
  }
  if (evN === 0) throw new ReplayError('no orderbook row has both sides: no spread or mid');

  // Volatility: 1-minute log returns of the last mid at or before each minute.
  const minutes = Math.floor(T / 60);
  const r: number[] = [];
  let j = 0;
  let prev = NaN;
  for (let k = 1; k <= minutes; k++) {
    const t = t0 + 60 * k;
    while (j < midT.length && midT[j] <= t) j++;
    const cur = j === 0 ? mid[0] : mid[j - 1];
    if (!Number.isNaN(prev) && k > 1) r.push(Math.log(cur / prev));
    prev = cur;
  }
  let rs = 0;
  let rs2 = 0;
  for (const x of r) {
    rs += x;
    rs2 += x * x;
  }
  const sd1m = r.length > 1 ? Math.sqrt(Math.max(0, rs2 / r.length - (rs / r.length) ** 2)) : 0;

  // Market orders: visible and hidden executions grouped by timestamp and side.
  const mo = groupExecutions(m, true);
  const n = mo.length;
  if (n < 10) throw new ReplayError(`calibration needs at least 10 market orders, got ${n}`);
  const times = new Float64Array(n);
  const dims = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    times[i] = Math.min(T, Math.max(0, mo.time[i] - t0));
    dims[i] = mo.sign[i] > 0 ? 0 : 1;
  }
  const intraday = fitIntraday(times, T);
  const profile = { sessionSeconds: T, open: intraday.open, openTau: intraday.openTau, close: intraday.close, closeTau: intraday.closeTau };
  const hf = fitHawkes({ times, dims }, { dims: 2, components: 2, t0: 0, t1: T, profile, maxIterations: options.hawkesMaxIterations ?? 2000 });
  const pooled = (model: HawkesModel): number => {
    const parts = rescaledInterArrivals(model, { times, dims }, 0);
    let len = 0;
    for (const p of parts) len += p.length;
    const all = new Float64Array(len);
    let o = 0;
    for (const p of parts) {
      all.set(p, o);
      o += p.length;
    }
    return len > 0 ? ksExp1(all).statistic : NaN;
  };
  let nb = 0;
  for (let i = 0; i < n; i++) if (dims[i] === 0) nb++;
  const poisson: HawkesModel = { mu: [nb / T, (n - nb) / T], components: [{ decay: 1, branching: [[0, 0], [0, 0]] }] };

  // Sizes.
  const limitQ: number[] = [];
  let lots = 0;
  for (let i = 0; i < m.length; i++) {
    if (m.type[i] === LobsterType.SUBMIT && m.size[i] > 0) {
      limitQ.push(m.size[i]);
      if (m.size[i] % 100 === 0) lots++;
    }
  }
  const marketSize = lognormal(mo.qty.subarray(0, n));
  const limitSize = { ...lognormal(limitQ), roundLotShare: limitQ.length > 0 ? lots / limitQ.length : 0 };

  // Placement: distance of each add from the opposite best of the row before it.
  const dist: number[] = [];
  for (let i = 1; i < m.length; i++) {
    if (m.type[i] !== LobsterType.SUBMIT) continue;
    const o = (i - 1) * cols;
    const buy = m.direction[i] === 1;
    const oppQ = buy ? v[o + 1] : v[o + 3];
    if (!(oppQ > 0)) continue;
    const d = buy ? (v[o] - m.price[i]) / tick : (m.price[i] - v[o + 2]) / tick;
    if (d >= 1 && Number.isInteger(d)) dist.push(d);
  }
  dist.sort((a, b) => a - b);
  const maxD = dist.length > 0 ? Math.max(1, dist[Math.min(dist.length - 1, Math.floor(0.99 * dist.length))]) : 1;
  let dSum = 0;
  for (const d of dist) dSum += d;

  // Cancel hazard of known orders.
  const born = new Map<number, number>();
  let cancelled = 0;
  let resting = 0;
  let limits = 0;
  let cancels = 0;
  for (let i = 0; i < m.length; i++) {
    const ty = m.type[i];
    const id = m.orderId[i];
    if (ty === LobsterType.SUBMIT) {
      limits++;
      born.set(id, m.time[i]);
    } else if (ty === LobsterType.CANCEL || ty === LobsterType.DELETE) {
      cancels++;
      if (ty === LobsterType.DELETE) {
        const b = born.get(id);
        if (b !== undefined) {
          resting += m.time[i] - b;
          cancelled++;
          born.delete(id);
        }
      }
    } else if (ty === LobsterType.EXECUTE) {
      const b = born.get(id);
      if (b !== undefined) {
        resting += m.time[i] - b;
        born.delete(id);
      }
    }
  }
  // Orders still open at the end are left out: in a level-N file most of them left the window and
  // their deletion was never written, so counting them as censored would bias the hazard to ~0.

  return {
    tickSize: tick,
    tickDollars: tick / PRICE_SCALE,
    initialPriceTicks: Math.round(firstMid),
    spread: { timeWeightedTicks: twT > 0 ? twSum / twT : evSum / evN, eventMeanTicks: evSum / evN },
    rates: { limit: limits / T, cancel: cancels / T, market: n / T, visibleMarket: groupExecutions(m, false).length / T },
    hawkes: {
      events: n,
      mu: hf.mu,
      branching: hf.branching,
      decays: hf.decays,
      spectralRadius: hf.spectralRadius,
      logLikelihood: hf.logLikelihood,
      aic: hf.aic,
      ksHawkes: pooled({ mu: hf.mu, components: hf.decays.map((decay, k) => ({ decay, branching: hf.branching[k] })), profile }),
      ksPoisson: pooled(poisson),
    },
    marketSize,
    limitSize,
    placement: { exponent: fitPowerLaw(dist, 1, maxD), minDistanceTicks: 1, maxDistanceTicks: maxD, meanDistanceTicks: dist.length > 0 ? dSum / dist.length : NaN, n: dist.length },
    cancelHazard: { perSecond: resting > 0 ? cancelled / resting : 0, cancelled, restingSeconds: resting },
    volatility: { sd1m, daily: sd1m * Math.sqrt(T / 60) },
    intraday,
  };
}

/** The knobs stage 2 adjusts. */
export interface PresetKnobs {
  /** Spread scale, ticks: liquidity placement starts this far from the opposite best; makers quote ±knob/2 around the mid. */
  spreadTicks: number;
  /** Liquidity providers' limit orders per side per second. */
  limitRate: number;
  /** Liquidity providers' per-order cancel hazard, per second. */
  cancelRate: number;
  /** Factor on every market-order source (Hawkes baselines, noise, momentum, fundamental, institutional). */
  marketScale: number;
  /** Inner edge of the liquidity placement band as a fraction of the spread knob (more adds land at or inside the best when smaller). */
  innerFraction: number;
  /** Liquidity providers' refill rate per tick of spread beyond one: adds one tick inside the spread (level-1 adds that mostly end by execution). */
  refillRate: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r6 = (x: number): number => Number(x.toPrecision(6));

/**
 * A market preset (plain data of configs/market.ts's schema) from the fits and the knobs.
 * Every section is written out in full, so the file documents the whole market.
 */
export function presetFromFit(fit: CalibrationFit, knobs: PresetKnobs, name: string): Record<string, unknown> {
  const h = fit.hawkes;
  const fastIdx = 0;
  const slowIdx = h.decays.length > 1 ? 1 : 0;
  const a = (k: number, i: number, j: number): number => h.branching[k]?.[i]?.[j] ?? 0;
  let selfFast = (a(fastIdx, 0, 0) + a(fastIdx, 1, 1)) / 2;
  let crossFast = (a(fastIdx, 0, 1) + a(fastIdx, 1, 0)) / 2;
  let selfSlow = slowIdx !== fastIdx ? (a(slowIdx, 0, 0) + a(slowIdx, 1, 1)) / 2 : 0;
  let crossSlow = slowIdx !== fastIdx ? (a(slowIdx, 0, 1) + a(slowIdx, 1, 0)) / 2 : 0;
  const rho = selfFast + crossFast + selfSlow + crossSlow;
  if (rho > 0.95) {
    const f = 0.95 / rho;
    selfFast *= f;
    crossFast *= f;
    selfSlow *= f;
    crossSlow *= f;
  }
  const k = Math.max(1, knobs.spreadTicks);
  const minD = Math.max(1, Math.round(k * Math.min(1, knobs.innerFraction)));
  const ms = knobs.marketScale;
  const lot = 100;
  return {
    name,
    tickDollars: r6(fit.tickDollars),
    initialPriceTicks: Math.max(10, fit.initialPriceTicks),
    sessionSeconds: 23400,
    lotSize: lot,
    warmupSeconds: 120,
    intraday: { enabled: true, openMultiplier: r3(fit.intraday.open), openTau: r6(fit.intraday.openTau), closeMultiplier: r3(fit.intraday.close), closeTau: r6(fit.intraday.closeTau) },
    takers: {
      enabled: true,
      muBuy: r6(h.mu[0] * ms),
      muSell: r6(h.mu[1] * ms),
      selfFast: r3(selfFast),
      selfSlow: r3(selfSlow),
      crossFast: r3(crossFast),
      crossSlow: r3(crossSlow),
      decayFast: r6(h.decays[fastIdx]),
      decaySlow: r6(h.decays[slowIdx]),
      sizeMedian: r3(fit.marketSize.median),
      sizeSigma: r3(fit.marketSize.sigma),
      agentExcitation: 1,
    },
    liquidity: {
      enabled: true,
      limitRate: r6(knobs.limitRate),
      distanceExponent: r3(fit.placement.exponent),
      minDistanceTicks: minD,
      maxDistanceTicks: Math.max(minD, Math.round(k) + 3 * Math.round(k)),
      sizeMedian: r3(fit.limitSize.median),
      sizeSigma: r3(fit.limitSize.sigma),
      roundLotProbability: r3(fit.limitSize.roundLotShare),
      cancelRate: r6(knobs.cancelRate),
      refillRate: r6(knobs.refillRate),
    },
    marketMakers: {
      enabled: true,
      // Makers' quotes are level-1 adds that end mostly by execution (they are never hazard-
      // cancelled): three slow makers bring the level-1 cancel/add ratio down towards the file's.
      count: 3,
      halfSpreadTicks: r3(k / 2),
      size: Math.max(1, Math.round(fit.limitSize.median)),
      inventorySkewTicks: r3(Math.max(1, k / 4)),
      maxInventory: 2000,
      // Slow makers: every requote of a maker at the touch is a level-1 cancel and add, and in
      // GOOG's file cancels are only 0.55 of adds (a fast maker pushes that ratio towards 1).
      latencySeconds: 5,
      requoteSeconds: 600,
      volWidening: 0.5,
      volHalfLifeSeconds: 60,
    },
    fundamental: {
      enabled: true,
      dailyVolatility: r6(Math.max(1e-4, fit.volatility.daily)),
      jumpRate: 0.0005,
      jumpSizeBps: 20,
      volOfVol: 0.5,
      volMeanReversionSeconds: 1800,
      wakeRate: r6(0.05 * ms),
      thresholdTicks: r3(k / 2),
      aggressiveness: 5,
      maxOrder: 500,
      limitProbability: 0.3,
      learningRate: 0.001,
    },
    momentum: { enabled: true, wakeRate: r6(0.03 * ms), lookbackSeconds: 60, thresholdBps: 5, size: Math.max(1, Math.round(fit.marketSize.median)) },
    noise: { enabled: true, rate: r6(0.05 * ms), marketProbability: 0.5, sizeMedian: r3(fit.marketSize.median), sizeSigma: r3(fit.marketSize.sigma) },
    institutional: {
      enabled: true,
      arrivalRate: r6(0.002 * ms),
      tailExponent: 1.5,
      minChildren: 5,
      maxChildren: 500,
      childIntervalSeconds: 10,
      childSize: r3(fit.marketSize.median),
      maxConcurrent: 4,
    },
  };
}

/** The initial knobs from stage 1. */
export function initialKnobs(fit: CalibrationFit): PresetKnobs {
  return {
    spreadTicks: Math.max(1, fit.spread.timeWeightedTicks),
    limitRate: Math.max(0.01, fit.rates.limit / 2),
    cancelRate: Math.max(0.001, fit.cancelHazard.perSecond),
    marketScale: 1,
    innerFraction: 1,
    refillRate: 0.005,
  };
}

export interface RefineOptions {
  /** Newton iterations (default 6); each runs 7 simulated sessions (the point and 6 finite differences). */
  iterations?: number;
  /** Simulated seconds per session (default: the preset's session). */
  seconds?: number;
  /** First seed of the simulated sessions (default 1; the same seeds throughout: common random numbers). */
  seed?: number;
  /** Sessions averaged per point (default 3). */
  seeds?: number;
  /** Levels of the file (messages are counted as a level-N file holds them; default 1). */
  levels?: number;
  /** Largest change of a log-knob per iteration (default 0.7). */
  maxStep?: number;
  /** Called after each simulated point on the Newton path (for progress output). */
  onIteration?: (i: number, knobs: PresetKnobs, sim: RealismHeadline) => void;
}

export interface RefineStep {
  knobs: PresetKnobs;
  sim: Pick<RealismHeadline, 'limitPerSecond' | 'cancelPerSecond' | 'marketPerSecond' | 'spreadMeanTicks' | 'depth1' | 'kurtosis1m' | 'signAcfLag1'>;
  /** Largest |sim/target − 1| over the five targets. */
  worst: number;
}

type Target = Pick<RealismHeadline, 'limitPerSecond' | 'cancelPerSecond' | 'marketPerSecond' | 'spreadMeanTicks' | 'depth1'>;
const NT = 5;


const KNOB_NAMES = ['spreadTicks', 'limitRate', 'cancelRate', 'marketScale', 'innerFraction', 'refillRate'] as const;
const NK = KNOB_NAMES.length;

function knobsFromLog(x: Float64Array): PresetKnobs {
  return { spreadTicks: Math.max(1, Math.exp(x[0])), limitRate: Math.exp(x[1]), cancelRate: Math.exp(x[2]), marketScale: Math.exp(x[3]), innerFraction: Math.min(1, Math.exp(x[4])), refillRate: Math.exp(x[5]) };
}

/** Solves (A + λI) x = b for a small dense n×n system (Gaussian elimination, partial pivoting). */
function solve(A: Float64Array, b: Float64Array, n: number, lambda: number): Float64Array {
  const M = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i * (n + 1) + j] = A[i * n + j] + (i === j ? lambda : 0);
    M[i * (n + 1) + n] = b[i];
  }
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let k = c + 1; k < n; k++) if (Math.abs(M[k * (n + 1) + c]) > Math.abs(M[piv * (n + 1) + c])) piv = k;
    for (let k = 0; k <= n; k++) {
      const t = M[c * (n + 1) + k];
      M[c * (n + 1) + k] = M[piv * (n + 1) + k];
      M[piv * (n + 1) + k] = t;
    }
    const d = M[c * (n + 1) + c];
    if (Math.abs(d) < 1e-12) continue;
    for (let k = c + 1; k < n; k++) {
      const f = M[k * (n + 1) + c] / d;
      for (let l = c; l <= n; l++) M[k * (n + 1) + l] -= f * M[c * (n + 1) + l];
    }
  }
  const x = new Float64Array(n);
  for (let c = n - 1; c >= 0; c--) {
    let v = M[c * (n + 1) + n];
    for (let l = c + 1; l < n; l++) v -= M[c * (n + 1) + l] * x[l];
    const d = M[c * (n + 1) + c];
    x[c] = Math.abs(d) < 1e-12 ? 0 : v / d;
  }
  return x;
}

/**
 * Stage 2: adjusts the knobs until the simulated level-N rates, the time-weighted spread and the
 * best-level depth match `target`, by damped Gauss–Newton in log space on log(simulated / target), the Jacobian
 * from forward differences on the same seeds. Returns the best preset seen (smallest worst
 * relative error) and every simulated point.
 */
export function refinePreset(fit: CalibrationFit, target: Target, name: string, options: RefineOptions = {}): { spec: Record<string, unknown>; knobs: PresetKnobs; history: RefineStep[] } {
  const iterations = options.iterations ?? 6;
  const maxStep = options.maxStep ?? 0.7;
  if (!Number.isInteger(iterations) || iterations < 1) throw new ReplayError(`iterations must be an integer >= 1, got ${String(iterations)}`);
  if (!(maxStep > 0)) throw new ReplayError(`maxStep must be > 0, got ${String(maxStep)}`);
  const t4 = [target.limitPerSecond, target.cancelPerSecond, target.marketPerSecond, target.spreadMeanTicks, target.depth1];
  const tNames = ['limitPerSecond', 'cancelPerSecond', 'marketPerSecond', 'spreadMeanTicks', 'depth1'];
  const seeds = options.seeds ?? 3;
  if (!Number.isInteger(seeds) || seeds < 1) throw new ReplayError(`seeds must be an integer >= 1, got ${String(seeds)}`);
  t4.forEach((x, i) => {
    if (!(x > 0) || !Number.isFinite(x)) throw new ReplayError(`target ${tNames[i]} must be a finite number > 0, got ${String(x)}`);
  });
  const history: RefineStep[] = [];
  let best: { spec: Record<string, unknown>; knobs: PresetKnobs; worst: number } | null = null;
  let evals = 0;
  const evaluate = (x: Float64Array): Float64Array => {
    const knobs = knobsFromLog(x);
    const spec = presetFromFit(fit, knobs, name);
    parseMarketSpec(spec, name);
    const runs = [];
    for (let r = 0; r < seeds; r++) runs.push(simulatedSession(spec, (options.seed ?? 1) + r, { seconds: options.seconds, levels: options.levels ?? 1 }));
    const s = summarize(runs).mean;
    const sim = [s.limitPerSecond, s.cancelPerSecond, s.marketPerSecond, s.spreadMeanTicks, s.depth1];
    // log ratio; an empty measurement counts as a factor-10 miss so the step still points somewhere.
    const y = Float64Array.from(sim, (v, i) => (v > 0 && Number.isFinite(v) ? Math.log(v / t4[i]) : -Math.log(10)));
    const worst = Math.max(...sim.map((v, i) => (Number.isFinite(v) ? Math.abs(v / t4[i] - 1) : Infinity)));
    history.push({ knobs, sim: { limitPerSecond: s.limitPerSecond, cancelPerSecond: s.cancelPerSecond, marketPerSecond: s.marketPerSecond, spreadMeanTicks: s.spreadMeanTicks, depth1: s.depth1, kurtosis1m: s.kurtosis1m, signAcfLag1: s.signAcfLag1 }, worst });
    options.onIteration?.(evals++, knobs, s);
    if (best === null || worst < best.worst) best = { spec, knobs, worst };
    return y;
  };
  const k0 = initialKnobs(fit);
  const x = Float64Array.from(KNOB_NAMES, (k) => Math.log(k0[k]));
  const h = 0.2;
  for (let it = 0; it < iterations; it++) {
    const y = evaluate(x);
    if (Math.max(...Array.from(y, Math.abs)) < 0.02) break;
    // Forward-difference Jacobian J[i][j] = ∂y_i/∂x_j (NT targets × NK knobs).
    const J = new Float64Array(NT * NK);
    for (let j = 0; j < NK; j++) {
      const xp = x.slice();
      xp[j] += j === 4 && x[4] >= 0 ? -h : h;
      const yp = evaluate(xp);
      for (let i = 0; i < NT; i++) J[i * NK + j] = (yp[i] - y[i]) / (xp[j] - x[j]);
    }
    // Gauss–Newton with a little ridge (more knobs than targets: the ridge picks the smallest step): (JᵀJ + λI) Δ = −Jᵀ y.
    const JtJ = new Float64Array(NK * NK);
    const Jty = new Float64Array(NK);
    for (let a = 0; a < NK; a++) {
      for (let b = 0; b < NK; b++) {
        let s = 0;
        for (let i = 0; i < NT; i++) s += J[i * NK + a] * J[i * NK + b];
        JtJ[a * NK + b] = s;
      }
      let s = 0;
      for (let i = 0; i < NT; i++) s += J[i * NK + a] * y[i];
      Jty[a] = -s;
    }
    const delta = solve(JtJ, Jty, NK, 0.01);
    for (let j = 0; j < NK; j++) x[j] += Math.max(-maxStep, Math.min(maxStep, delta[j]));
    x[4] = Math.min(0, Math.max(Math.log(0.05), x[4]));
    x[0] = Math.max(0, x[0]);
  }
  const b = best as unknown as { spec: Record<string, unknown>; knobs: PresetKnobs; worst: number };
  return { spec: b.spec, knobs: b.knobs, history };
}
