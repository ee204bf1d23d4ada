/**
 * Calibration stage 1: direct fits of the agent-based market's parameters from a LOBSTER day
 * (`fitLobsterDay`); stage 2, the refinement by simulated moments, is in refine.ts.
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
 *      5-minute buckets (least squares; grid over τo, τc, linear in the rest);
 *    - stochastic activity: the clustering of the market-order volume per minute beyond the
 *      U-shape, as a log-OU factor (sd, mean-reversion time) from its autocovariance (`fitActivity`).
 */
import { fitHawkes, rescaledInterArrivals } from '../flow/index.ts';
import { ksExp1 } from '../stats/ks.ts';
import { signMemory } from '../stats/memory.ts';
import type { HawkesModel } from '../flow/index.ts';
import { LobsterType, PRICE_SCALE, ReplayError, groupExecutions } from '../lobster/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../lobster/index.ts';
import { inferTickSize } from '../replay/index.ts';

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
  /** The session the fit read, seconds (its rates are per second of it and its intraday profile spans it). */
  sessionSeconds: number;
  initialPriceTicks: number;
  /**
   * The spread in ticks: time- and event-weighted means, and the time-weighted 1st percentile
   * (`floorTicks`, of the spread rounded to whole ticks), under which the day's spread hardly ever goes.
   */
  spread: { timeWeightedTicks: number; eventMeanTicks: number; floorTicks: number };
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
  /** Market-order sizes (visible and hidden executions grouped); `roundLotShare`: share that are whole lots of 100. */
  marketSize: LognormalFit & { roundLotShare: number };
  limitSize: LognormalFit & { roundLotShare: number };
  /** Share of cancellations that are partial (type 2 among types 2 and 3). */
  partialCancelShare: number;
  /** Trade-sign memory of the visible market orders: ACF at lag 1 and the fitted power-law exponent γ (stats/memory.ts). */
  signMemory: { acf1: number; exponent: number };
  placement: { exponent: number; minDistanceTicks: number; maxDistanceTicks: number; meanDistanceTicks: number; n: number };
  cancelHazard: { perSecond: number; cancelled: number; restingSeconds: number };
  volatility: { sd1m: number; daily: number };
  intraday: { open: number; openTau: number; close: number; closeTau: number; rmse: number };
  /** Clustering of the market-order volume per minute beyond the U-shape (`fitActivity` with the sizes as weights). */
  activity: ActivityFit;
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

/**
 * Distance, ticks, of message i's price from the opposite side's best in the row before it (row
 * i − 1; i ≥ 1): positive behind it, ≤ 0 at or through it; NaN when that side is empty. Stage 1's
 * placement fit and `realism`'s `addDistanceTicks` read adds this way.
 */
export function oppositeDistanceTicks(m: LobsterMessages, book: LobsterOrderbook, i: number, tick: number): number {
  const o = (i - 1) * 4 * book.levels + (m.direction[i] > 0 ? 0 : 2);
  if (!(book.values[o + 1] > 0)) return NaN;
  return (m.direction[i] > 0 ? book.values[o] - m.price[i] : m.price[i] - book.values[o]) / tick;
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
  const twByTicks = new Map<number, number>();
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
    if (dt > 0) {
      const r = Math.round(s);
      twByTicks.set(r, (twByTicks.get(r) ?? 0) + dt);
    }
    midT.push(m.time[i]);
    mid.push(md);
  }
  if (evN === 0) throw new ReplayError('no orderbook row has both sides: no spread or mid');
  let floorTicks = Math.max(1, Math.round(evSum / evN));
  if (twT > 0) {
    let acc = 0;
    for (const [k, t] of [...twByTicks.entries()].sort((a, b) => a[0] - b[0])) {
      acc += t;
      if (acc > 0.01 * twT) {
        floorTicks = Math.max(1, k);
        break;
      }
    }
  }

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
  let moLots = 0;
  for (let i = 0; i < n; i++) if (mo.qty[i] % 100 === 0) moLots++;
  const marketSize = { ...lognormal(mo.qty.subarray(0, n)), roundLotShare: n > 0 ? moLots / n : 0 };
  const visibleOrders = groupExecutions(m, false);
  const sm = signMemory(visibleOrders.sign.subarray(0, visibleOrders.length));
  const limitSize = { ...lognormal(limitQ), roundLotShare: limitQ.length > 0 ? lots / limitQ.length : 0 };

  // Placement: distance of each add from the opposite best of the row before it.
  const dist: number[] = [];
  for (let i = 1; i < m.length; i++) {
    if (m.type[i] !== LobsterType.SUBMIT) continue;
    const d = oppositeDistanceTicks(m, book, i, tick);
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
  let partials = 0;
  for (let i = 0; i < m.length; i++) {
    const ty = m.type[i];
    const id = m.orderId[i];
    if (ty === LobsterType.SUBMIT) {
      limits++;
      born.set(id, m.time[i]);
    } else if (ty === LobsterType.CANCEL || ty === LobsterType.DELETE) {
      cancels++;
      if (ty === LobsterType.CANCEL) partials++;
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
    sessionSeconds: T,
    initialPriceTicks: Math.round(firstMid),
    spread: { timeWeightedTicks: twT > 0 ? twSum / twT : evSum / evN, eventMeanTicks: evSum / evN, floorTicks },
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
    partialCancelShare: cancels > 0 ? partials / cancels : 0,
    signMemory: { acf1: sm.acf[0] ?? NaN, exponent: sm.exponent },
    placement: { exponent: fitPowerLaw(dist, 1, maxD), minDistanceTicks: 1, maxDistanceTicks: maxD, meanDistanceTicks: dist.length > 0 ? dSum / dist.length : NaN, n: dist.length },
    cancelHazard: { perSecond: resting > 0 ? cancelled / resting : 0, cancelled, restingSeconds: resting },
    volatility: { sd1m, daily: sd1m * Math.sqrt(T / 60) },
    intraday,
    activity: fitActivity(times, T, intraday, { weights: mo.qty.subarray(0, n) }),
  };
}

export interface ActivityFitOptions {
  /** Bin length, seconds (default 60). */
  binSeconds?: number;
  /** Largest lag used, bins (default 30). */
  maxLag?: number;
  /** A weight per event (e.g. its size: the factor then describes the traded volume); default 1 each. */
  weights?: ArrayLike<number>;
}

/** The fitted activity factor (configs `activity`): sd of the log factor, its mean-reversion time and how many lags the fit used. */
export interface ActivityFit {
  sd: number;
  meanReversionSeconds: number;
  lags: number;
}

/**
 * Stochastic activity (a Cox factor on every flow's rate) from event times (seconds from the
 * session start): counts N_m in `binSeconds` bins, normalized by the fitted U-shape's expected
 * count, y_m = N_m / E[N_m]. With rates μ·s(t)·A(t), A = e^{X − sd²/2} and X an Ornstein–Uhlenbeck
 * factor (stationary sd `sd`, correlation e^{−ℓ/τ} at lag ℓ) that moves slowly against the bins,
 * E[y | A] = A and, at lags of two bins and more (where the Hawkes kernels and the Poisson noise of
 * one bin have no covariance left), Cov(y_m, y_{m+ℓ}) = Cov(A_m, A_{m+ℓ}) = e^{sd²·e^{−ℓ/τ}} − 1.
 * So ln ln(1 + C(ℓ)) = ln sd² − ℓ/τ: a least-squares line through the lags 2…`maxLag` bins whose
 * autocovariance C(ℓ) is positive (stops at the first that is not). With `weights` (sizes), the
 * same for the volume per bin. Returns sd 0 when fewer than
 * three lags qualify (no detectable clustering); τ clamped to [60 s, 2 sessions], sd to [0, 1.5].
 */
export function fitActivity(
  times: ArrayLike<number>,
  seconds: number,
  profile: { open: number; openTau: number; close: number; closeTau: number },
  options: ActivityFitOptions = {},
): ActivityFit {
  const { binSeconds = 60, maxLag = 30, weights } = options;
  if (!(seconds > 0) || !(binSeconds > 0) || !Number.isInteger(maxLag) || maxLag < 3) {
    throw new ReplayError(`fitActivity: need seconds > 0, binSeconds > 0 and an integer maxLag >= 3; got ${seconds}, ${binSeconds}, ${maxLag}`);
  }
  if (weights !== undefined && weights.length !== times.length) throw new ReplayError(`fitActivity: weights must have one entry per time (${times.length}), got ${weights.length}`);
  const bins = Math.floor(seconds / binSeconds);
  if (bins < maxLag + 3) return { sd: 0, meanReversionSeconds: 600, lags: 0 };
  const n = new Float64Array(bins);
  for (let i = 0; i < times.length; i++) {
    const k = Math.floor(times[i] / binSeconds);
    if (k >= 0 && k < bins) n[k] += weights === undefined ? 1 : weights[i];
  }
  // Expected counts ∝ ∫ of the U-shape over each bin, scaled to the total.
  const e = new Float64Array(bins);
  let tot = 0;
  let cnt = 0;
  for (let k = 0; k < bins; k++) {
    const a = (k * binSeconds) / seconds;
    const b = ((k + 1) * binSeconds) / seconds;
    e[k] = b - a + profile.open * openIntegral(a, b, profile.openTau) + profile.close * closeIntegral(a, b, profile.closeTau);
    tot += e[k];
    cnt += n[k];
  }
  if (!(cnt > 0)) return { sd: 0, meanReversionSeconds: 600, lags: 0 };
  const y = new Float64Array(bins);
  let mean = 0;
  for (let k = 0; k < bins; k++) {
    y[k] = n[k] / ((e[k] / tot) * cnt);
    mean += y[k];
  }
  mean /= bins;
  const xs: number[] = [];
  const zs: number[] = [];
  for (let l = 2; l <= maxLag; l++) {
    let c = 0;
    for (let k = 0; k + l < bins; k++) c += (y[k] - mean) * (y[k + l] - mean);
    c /= bins;
    if (!(c > 0)) break;
    xs.push(l * binSeconds);
    zs.push(Math.log(Math.log1p(c)));
  }
  if (xs.length < 3) return { sd: 0, meanReversionSeconds: 600, lags: xs.length };
  let mx = 0;
  let mz = 0;
  for (let i = 0; i < xs.length; i++) {
    mx += xs[i];
    mz += zs[i];
  }
  mx /= xs.length;
  mz /= xs.length;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < xs.length; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxz += (xs[i] - mx) * (zs[i] - mz);
  }
  const slope = sxz / sxx;
  const tau = slope < 0 ? Math.min(2 * seconds, Math.max(60, -1 / slope)) : 2 * seconds;
  // Intercept at lag 0 with the clamped τ: ln sd² = mean(z + ℓ/τ).
  let ls = 0;
  for (let i = 0; i < xs.length; i++) ls += zs[i] + xs[i] / tau;
  ls /= xs.length;
  return { sd: Math.min(1.5, Math.sqrt(Math.exp(ls))), meanReversionSeconds: tau, lags: xs.length };
}
