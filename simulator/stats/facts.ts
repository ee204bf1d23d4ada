/**
 * Stylized facts of a market session: pure functions on typed arrays, shared by `simulate`,
 * `realism`, `lobster facts` and REALISM.md.
 *
 * Units: times are seconds (any origin, as long as one series shares it), prices are mid prices in
 * ticks (any positive unit works for returns; spreads in bps need mids and spreads in the same
 * unit), quantities are shares, signs are +1 (buyer-initiated) / −1 (seller-initiated).
 * Conventions: returns are log returns of the mid sampled on a regular grid with the *last
 * observation at or before* each grid time (the mid at the end of each interval); the kurtosis is
 * the raw fourth standardized moment (Gaussian = 3), `excessKurtosis` = kurtosis − 3; variances
 * are population moments (divide by n); autocorrelations use the full-sample mean and variance
 * (the standard ACF estimator).
 */

import { StatsError } from './errors.ts';

function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new StatsError(`${what}: lengths differ (${a.length} and ${b.length}); allowed: equal lengths`);
}

function assertPositive(x: number, what: string): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new StatsError(`${what} must be a finite number > 0, got ${String(x)}`);
}

function assertFinite(x: number, what: string): void {
  if (!Number.isFinite(x)) throw new StatsError(`${what} must be a finite number, got ${String(x)}`);
}

/**
 * Samples a step series on a regular grid: out[k] = the value of the last observation with
 * time <= t0 + k·dt, for k = 0..n (n + 1 points); before the first observation, values[0].
 * `times` must be non-decreasing. Returns `out` (allocated if not given).
 */
export function resampleLast(times: ArrayLike<number>, values: ArrayLike<number>, t0: number, dt: number, n: number, out?: Float64Array): Float64Array {
  assertSameLength(times, values, 'resampleLast(times, values)');
  assertFinite(t0, 't0');
  assertPositive(dt, 'dt');
  if (!Number.isInteger(n) || n < 0) throw new StatsError(`n must be an integer >= 0, got ${String(n)}`);
  if (times.length === 0) throw new StatsError('resampleLast needs at least one observation, got 0');
  const res = out ?? new Float64Array(n + 1);
  if (res.length < n + 1) throw new StatsError(`out holds ${res.length} values, ${n + 1} needed`);
  let j = 0;
  const m = times.length;
  for (let k = 0; k <= n; k++) {
    const t = t0 + k * dt;
    while (j < m && times[j] <= t) j++;
    res[k] = j === 0 ? values[0] : values[j - 1];
  }
  return res;
}

/** Log returns out[k] = ln(levels[k+1] / levels[k]), k = 0..n−2. Levels must be > 0. */
export function logReturns(levels: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = Math.max(0, levels.length - 1);
  const res = out ?? new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = levels[k];
    const b = levels[k + 1];
    if (!(a > 0) || !(b > 0)) throw new StatsError(`logReturns: level ${k} or ${k + 1} is not > 0 (${a}, ${b})`);
    res[k] = Math.log(b / a);
  }
  return res;
}

export interface Moments {
  n: number;
  mean: number;
  /** Population variance (divides by n). */
  variance: number;
  sd: number;
  skewness: number;
  /** Raw kurtosis m4 / m2² (Gaussian = 3). */
  kurtosis: number;
  /** kurtosis − 3 (Gaussian = 0). */
  excessKurtosis: number;
}

/** Sample moments of x (NaN fields when n = 0, or when the variance is 0 for the standardized ones). */
export function moments(x: ArrayLike<number>): Moments {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = n > 0 ? s / n : NaN;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - mean;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const kurtosis = m2 > 0 ? m4 / (m2 * m2) : NaN;
  return { n, mean, variance: m2, sd: Math.sqrt(m2), skewness: m2 > 0 ? m3 / Math.pow(m2, 1.5) : NaN, kurtosis, excessKurtosis: kurtosis - 3 };
}

/**
 * Sample autocorrelation at each lag: Σ_{t<n−k} (x_t − x̄)(x_{t+k} − x̄) / Σ_t (x_t − x̄)².
 * Lags must be integers >= 0; a lag >= n gives NaN. Returns `out` (allocated if not given).
 */
export function autocorrelation(x: ArrayLike<number>, lags: ArrayLike<number>, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(lags.length);
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let den = 0;
  for (let i = 0; i < n; i++) den += (x[i] - mean) * (x[i] - mean);
  for (let j = 0; j < lags.length; j++) {
    const k = lags[j];
    if (!Number.isInteger(k) || k < 0) throw new StatsError(`lag must be an integer >= 0, got ${String(k)}`);
    if (k >= n || !(den > 0)) {
      res[j] = NaN;
      continue;
    }
    let num = 0;
    for (let t = 0; t + k < n; t++) num += (x[t] - mean) * (x[t + k] - mean);
    res[j] = num / den;
  }
  return res;
}

/**
 * Standard error of the lag-1 sample autocorrelation of x under no autocorrelation, robust to
 * heteroskedasticity (returns whose variance moves: clustering, the intraday U):
 * √(Σ_{t≥1} d_t² d_{t−1}²) / Σ_t d_t², with d = x − x̄. For independent, identically distributed x
 * it is about 1/√n; where large values come in runs it is larger, and so is the spread of the
 * autocorrelation from one sample to the next. NaN below 3 values or for a constant x.
 */
export function acf1RobustSe(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 3) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  const mean = s / n;
  let den = 0;
  let q = 0;
  let prev = (x[0] - mean) * (x[0] - mean);
  den += prev;
  for (let i = 1; i < n; i++) {
    const d2 = (x[i] - mean) * (x[i] - mean);
    den += d2;
    q += d2 * prev;
    prev = d2;
  }
  return den > 0 ? Math.sqrt(q) / den : NaN;
}

/** Autocorrelation of |x| at each lag (volatility clustering). */
export function absAutocorrelation(x: ArrayLike<number>, lags: ArrayLike<number>, out?: Float64Array): Float64Array {
  const a = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = Math.abs(x[i]);
  return autocorrelation(a, lags, out);
}

/** Pearson correlation of x and y (NaN if either is constant or empty). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y, 'pearson(x, y)');
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (let i = 0; i < n; i++) {
    const a = x[i] - mx;
    const b = y[i] - my;
    cxy += a * b;
    cxx += a * a;
    cyy += b * b;
  }
  return cxx > 0 && cyy > 0 ? cxy / Math.sqrt(cxx * cyy) : NaN;
}

/**
 * Sums `values` into n bins [t0 + k·dt, t0 + (k+1)·dt); observations outside [t0, t0 + n·dt)
 * are ignored, except that t = t0 + n·dt exactly joins the last bin. Returns `out`.
 */
export function binSums(times: ArrayLike<number>, values: ArrayLike<number>, t0: number, dt: number, n: number, out?: Float64Array): Float64Array {
  assertSameLength(times, values, 'binSums(times, values)');
  assertFinite(t0, 't0');
  assertPositive(dt, 'dt');
  if (!Number.isInteger(n) || n < 1) throw new StatsError(`n must be an integer >= 1, got ${String(n)}`);
  const res = out ?? new Float64Array(n);
  res.fill(0, 0, n);
  for (let i = 0; i < times.length; i++) {
    let k = Math.floor((times[i] - t0) / dt);
    if (k === n && times[i] === t0 + n * dt) k = n - 1;
    if (k >= 0 && k < n) res[k] += values[i];
  }
  return res;
}

export interface SpreadStats {
  /** Mean over observations (one per event), ticks. */
  meanTicks: number;
  /** Time-weighted mean (each spread held until the next observation), ticks; NaN without times. */
  timeWeightedMeanTicks: number;
  /** Mean of spread / mid × 10,000 over observations, bps (mids in ticks). */
  meanBps: number;
  /** Share of observations at 1, 2, ..., maxTicks−1 ticks and, last, at >= maxTicks ticks (index i ↔ i+1 ticks). */
  distributionTicks: number[];
}

/**
 * Spread statistics. `spreadsTicks[i]` and `midsTicks[i]` are observed at `times[i]` (optional,
 * for the time-weighted mean; the last value is held until `tEnd`). Spreads are rounded to whole
 * ticks for the distribution. Non-finite or non-positive spreads (a side empty) are skipped.
 */
export function spreadStats(spreadsTicks: ArrayLike<number>, midsTicks: ArrayLike<number>, times?: ArrayLike<number>, tEnd?: number, maxTicks = 10): SpreadStats {
  assertSameLength(spreadsTicks, midsTicks, 'spreadStats(spreads, mids)');
  if (times !== undefined) assertSameLength(spreadsTicks, times, 'spreadStats(spreads, times)');
  if (!Number.isInteger(maxTicks) || maxTicks < 1) throw new StatsError(`maxTicks must be an integer >= 1, got ${String(maxTicks)}`);
  const dist = new Array<number>(maxTicks).fill(0);
  let n = 0;
  let s = 0;
  let sb = 0;
  let tw = 0;
  let tt = 0;
  const m = spreadsTicks.length;
  for (let i = 0; i < m; i++) {
    const sp = spreadsTicks[i];
    if (!(sp > 0) || !Number.isFinite(sp)) continue;
    n++;
    s += sp;
    sb += (sp / midsTicks[i]) * 10000;
    const b = Math.min(maxTicks, Math.max(1, Math.round(sp))) - 1;
    dist[b]++;
    if (times !== undefined) {
      const until = i + 1 < m ? times[i + 1] : (tEnd ?? times[i]);
      const w = Math.max(0, until - times[i]);
      tw += sp * w;
      tt += w;
    }
  }
  for (let b = 0; b < maxTicks; b++) dist[b] = n > 0 ? dist[b] / n : NaN;
  return { meanTicks: s / n, timeWeightedMeanTicks: tt > 0 ? tw / tt : NaN, meanBps: sb / n, distributionTicks: dist };
}

export interface VolumeShares {
  total: number;
  /** Share of volume in the first `edgeSeconds` of the session. */
  firstShare: number;
  /** Share of volume in the last `edgeSeconds` of the session. */
  lastShare: number;
  /** Share of volume per bucket of `bucketSeconds` (the last bucket may be shorter). */
  buckets: number[];
}

/** Intraday volume shares over the session [t0, t0 + sessionSeconds]. */
export function intradayVolumeShares(times: ArrayLike<number>, qty: ArrayLike<number>, t0: number, sessionSeconds: number, bucketSeconds = 1800, edgeSeconds = 1800): VolumeShares {
  assertSameLength(times, qty, 'intradayVolumeShares(times, qty)');
  assertPositive(sessionSeconds, 'sessionSeconds');
  assertPositive(bucketSeconds, 'bucketSeconds');
  assertPositive(edgeSeconds, 'edgeSeconds');
  const nb = Math.ceil(sessionSeconds / bucketSeconds);
  const buckets = new Array<number>(nb).fill(0);
  let total = 0;
  let first = 0;
  let last = 0;
  const t1 = t0 + sessionSeconds;
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t < t0 || t > t1) continue;
    const q = qty[i];
    total += q;
    if (t < t0 + edgeSeconds) first += q;
    if (t >= t1 - edgeSeconds) last += q;
    buckets[Math.min(nb - 1, Math.floor((t - t0) / bucketSeconds))] += q;
  }
  for (let b = 0; b < nb; b++) buckets[b] = total > 0 ? buckets[b] / total : NaN;
  return { total, firstShare: first / total, lastShare: last / total, buckets };
}

/** Messages per second for each type: counts[type] / seconds. */
export function messageRates(counts: Record<string, number>, seconds: number): Record<string, number> {
  assertPositive(seconds, 'seconds');
  const rates: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new StatsError(`message count for ${k} must be a finite number >= 0, got ${String(v)}`);
    rates[k] = v / seconds;
  }
  return rates;
}

/** Mean size by level: `sizes` is row-major rows × levels; returns one mean per level. */
export function depthProfile(sizes: ArrayLike<number>, levels: number): number[] {
  if (!Number.isInteger(levels) || levels < 1) throw new StatsError(`levels must be an integer >= 1, got ${String(levels)}`);
  if (sizes.length % levels !== 0) throw new StatsError(`sizes has ${sizes.length} values, not a multiple of levels = ${levels}`);
  const rows = sizes.length / levels;
  const out = new Array<number>(levels).fill(0);
  for (let r = 0; r < rows; r++) for (let l = 0; l < levels; l++) out[l] += sizes[r * levels + l];
  for (let l = 0; l < levels; l++) out[l] = rows > 0 ? out[l] / rows : NaN;
  return out;
}

export interface SignaturePlot {
  intervalSeconds: number[];
  /** Realized variance of log mid returns per second at each interval. */
  rvPerSecond: number[];
  /** rvPerSecond / rvPerSecond at the longest interval (1 for a random walk). */
  ratio: number[];
}

/**
 * Signature plot of the mid over [t0, t0 + seconds]: at each sampling interval Δ, the sum of
 * squared log returns on the Δ grid divided by the time covered (n·Δ), and its ratio to the value
 * at the longest interval. Intervals longer than the session give NaN.
 */
export function signaturePlot(times: ArrayLike<number>, mids: ArrayLike<number>, t0: number, seconds: number, intervals: ArrayLike<number>): SignaturePlot {
  assertPositive(seconds, 'seconds');
  const rv: number[] = [];
  const iv: number[] = [];
  let longest = -1;
  let longestRv = NaN;
  for (let j = 0; j < intervals.length; j++) {
    const dt = intervals[j];
    assertPositive(dt, 'signature interval');
    iv.push(dt);
    const n = Math.floor(seconds / dt + 1e-9);
    if (n < 1) {
      rv.push(NaN);
      continue;
    }
    const grid = resampleLast(times, mids, t0, dt, n);
    let s = 0;
    for (let k = 0; k < n; k++) {
      const r = Math.log(grid[k + 1] / grid[k]);
      s += r * r;
    }
    const v = s / (n * dt);
    rv.push(v);
    if (dt > longest) {
      longest = dt;
      longestRv = v;
    }
  }
  return { intervalSeconds: iv, rvPerSecond: rv, ratio: rv.map((v) => v / longestRv) };
}

/**
 * Lag-1 autocorrelation of `horizon`-second log returns of the mid over [t0, t0 + seconds], taken
 * from every start second (overlapping returns on the 1-second grid): ρ = mean of
 * (r_k − r̄)(r_{k+h} − r̄) over the pairs / mean of (r_k − r̄)², with r_k = ln m_{k+h} − ln m_k and
 * h = horizon. Its expectation is the ACF of non-overlapping h-second returns at lag 1 (for a
 * stationary mid), but it averages h grid offsets, so its variance is usually lower (not with a
 * few large spikes that revert within the horizon: each weighs on every start second): a random walk plus
 * iid noise of variance η² on the log mid has ρ = −η² / (h·σ² + 2η²) (σ² per second) either way.
 * The first horizon of the session is left out (its start is the last observation before the
 * window, as for `returnsOnGrid`'s first return). NaN when the window holds fewer than 2 horizons
 * of pairs or the returns do not vary.
 */
export function overlappingReturnAcf(times: ArrayLike<number>, mids: ArrayLike<number>, t0: number, seconds: number, horizon = 60): number {
  assertPositive(seconds, 'seconds');
  if (!Number.isInteger(horizon) || horizon < 1) throw new StatsError(`horizon must be an integer >= 1 (seconds), got ${String(horizon)}`);
  const n = Math.floor(seconds + 1e-9);
  if (n < 4 * horizon) return NaN;
  const g = resampleLast(times, mids, t0, 1, n);
  for (let k = 0; k <= n; k++) {
    if (!(g[k] > 0)) throw new StatsError(`overlappingReturnAcf: mid at grid second ${k} is not > 0 (${g[k]})`);
    g[k] = Math.log(g[k]);
  }
  // Returns r_k for k = horizon .. n − horizon (start k, end k + horizon).
  const lo = horizon;
  const hi = n - horizon;
  let mean = 0;
  for (let k = lo; k <= hi; k++) mean += g[k + horizon] - g[k];
  const cnt = hi - lo + 1;
  mean /= cnt;
  let den = 0;
  for (let k = lo; k <= hi; k++) {
    const r = g[k + horizon] - g[k] - mean;
    den += r * r;
  }
  let num = 0;
  for (let k = lo; k + horizon <= hi; k++) num += (g[k + horizon] - g[k] - mean) * (g[k + 2 * horizon] - g[k + horizon] - mean);
  const pairs = cnt - horizon;
  return den > 0 ? num / pairs / (den / cnt) : NaN;
}

export interface StylizedFactsInput {
  /** Observation times of the mid (seconds, non-decreasing), e.g. one per event. */
  midTimes: ArrayLike<number>;
  /** Mid price in ticks at each of `midTimes` (> 0). */
  mids: ArrayLike<number>;
  /** Spread in ticks at each of `midTimes` (<= 0 or non-finite = a side empty, skipped). */
  spreadsTicks: ArrayLike<number>;
  /** Market orders: times (seconds), quantities (shares) and aggressor signs (+1 buy, −1 sell). */
  tradeTimes: ArrayLike<number>;
  tradeQty: ArrayLike<number>;
  tradeSign: ArrayLike<number>;
  /** Start of the session on the same clock as the times (default: midTimes[0]). */
  sessionStart?: number;
  /** Session length, seconds (23,400 for 09:30–16:00). */
  sessionSeconds: number;
  /** Dollars per tick, to report the spread in dollars too (optional). */
  tick?: number;
  /** Executed volume that no market order carries (e.g. hidden executions): times and shares; counted in volume figures. */
  extraVolumeTimes?: ArrayLike<number>;
  extraVolumeQty?: ArrayLike<number>;
  /** Messages per type over the session (e.g. { limit: 24368, cancel: 13436, market: 7956 }); reported per second. */
  messageCounts?: Record<string, number>;
  /** Row-major snapshots rows × levels of bid and ask sizes, for the depth profile. */
  depth?: { levels: number; bidSizes: ArrayLike<number>; askSizes: ArrayLike<number> };
  /** Return sampling intervals, seconds (default [60, 300]); the first is "the" return interval. */
  returnIntervals?: number[];
  /** Lags of the |r| ACF (default 1..10), in return intervals. */
  absLags?: number[];
  /** Lags of the trade-sign ACF, in trades (default [1, 10, 100]). */
  signLags?: number[];
  /** Signature-plot intervals, seconds (default [1, 5, 10, 30, 60, 300, 900]). */
  signatureIntervals?: number[];
  /** Volume bucket, seconds (default 1800). */
  volumeBucketSeconds?: number;
  /**
   * Drop the return of the first interval (from the opening quote, often wide or one-sided), so
   * returns run between the ends of consecutive intervals (default true; LOBSTER's reference
   * figures for GOOG are computed so: 389 one-minute returns).
   */
  dropFirstReturn?: boolean;
}

export interface ReturnFacts {
  intervalSeconds: number;
  n: number;
  mean: number;
  sd: number;
  /** Raw kurtosis (Gaussian 3). */
  kurtosis: number;
  excessKurtosis: number;
  acf1: number;
  /** Robust standard error of `acf1` under no autocorrelation (`acf1RobustSe`). */
  acf1Se: number;
}

export interface StylizedFacts {
  sessionSeconds: number;
  midStart: number;
  midEnd: number;
  spread: SpreadStats & { meanDollars: number };
  returns: ReturnFacts[];
  /** ACF of |r| at `absLags` for the first return interval. */
  absAcf: { lag: number; acf: number }[];
  /** corr(volume per interval, |r|) for the first return interval. */
  volumeAbsReturnCorr: number;
  signAcf: { lag: number; acf: number }[];
  trades: { count: number; meanQty: number; buyShare: number };
  volume: VolumeShares;
  messageRates: Record<string, number>;
  depth: { bid: number[]; ask: number[] } | null;
  signature: SignaturePlot;
}

/** Every stylized fact of one session as a plain (JSON-ready) object. Units as in the file header. */
export function stylizedFacts(input: StylizedFactsInput): StylizedFacts {
  const { midTimes, mids, spreadsTicks, tradeTimes, tradeQty, tradeSign, sessionSeconds } = input;
  assertSameLength(midTimes, mids, 'stylizedFacts(midTimes, mids)');
  assertSameLength(midTimes, spreadsTicks, 'stylizedFacts(midTimes, spreadsTicks)');
  assertSameLength(tradeTimes, tradeQty, 'stylizedFacts(tradeTimes, tradeQty)');
  assertSameLength(tradeTimes, tradeSign, 'stylizedFacts(tradeTimes, tradeSign)');
  assertPositive(sessionSeconds, 'sessionSeconds');
  if (midTimes.length === 0) throw new StatsError('stylizedFacts needs at least one mid observation, got 0');
  const t0 = input.sessionStart ?? midTimes[0];
  assertFinite(t0, 'sessionStart');
  const t1 = t0 + sessionSeconds;
  const intervals = input.returnIntervals ?? [60, 300];
  const absLags = input.absLags ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const signLags = input.signLags ?? [1, 10, 100];
  const skip = (input.dropFirstReturn ?? true) ? 1 : 0;
  const extraT = input.extraVolumeTimes ?? [];
  const extraQ = input.extraVolumeQty ?? [];
  assertSameLength(extraT, extraQ, 'stylizedFacts(extraVolumeTimes, extraVolumeQty)');

  const returns: ReturnFacts[] = [];
  let absAcf: { lag: number; acf: number }[] = [];
  let corr = NaN;
  for (let j = 0; j < intervals.length; j++) {
    const dt = intervals[j];
    assertPositive(dt, 'return interval');
    const n = Math.floor(sessionSeconds / dt + 1e-9);
    if (n < 2 + skip) {
      returns.push({ intervalSeconds: dt, n: 0, mean: NaN, sd: NaN, kurtosis: NaN, excessKurtosis: NaN, acf1: NaN, acf1Se: NaN });
      continue;
    }
    const r = logReturns(resampleLast(midTimes, mids, t0, dt, n)).subarray(skip);
    const mo = moments(r);
    returns.push({ intervalSeconds: dt, n: mo.n, mean: mo.mean, sd: mo.sd, kurtosis: mo.kurtosis, excessKurtosis: mo.excessKurtosis, acf1: autocorrelation(r, [1])[0], acf1Se: acf1RobustSe(r) });
    if (j === 0) {
      const acf = absAutocorrelation(r, absLags);
      absAcf = absLags.map((lag, i) => ({ lag, acf: acf[i] }));
      const vol = binSums(tradeTimes, tradeQty, t0, dt, n);
      if (extraT.length > 0) {
        const extra = binSums(extraT, extraQ, t0, dt, n);
        for (let k = 0; k < n; k++) vol[k] += extra[k];
      }
      const ar = new Float64Array(r.length);
      for (let k = 0; k < r.length; k++) ar[k] = Math.abs(r[k]);
      corr = pearson(vol.subarray(skip), ar);
    }
  }

  const sacf = autocorrelation(tradeSign, signLags);
  let qsum = 0;
  let buys = 0;
  for (let i = 0; i < tradeQty.length; i++) {
    qsum += tradeQty[i];
    if (tradeSign[i] > 0) buys++;
  }

  let volTimes: ArrayLike<number> = tradeTimes;
  let volQty: ArrayLike<number> = tradeQty;
  if (extraT.length > 0) {
    const vt = new Float64Array(tradeTimes.length + extraT.length);
    const vq = new Float64Array(vt.length);
    for (let i = 0; i < tradeTimes.length; i++) {
      vt[i] = tradeTimes[i];
      vq[i] = tradeQty[i];
    }
    for (let i = 0; i < extraT.length; i++) {
      vt[tradeTimes.length + i] = extraT[i];
      vq[tradeTimes.length + i] = extraQ[i];
    }
    volTimes = vt;
    volQty = vq;
  }

  const rates = messageRates(input.messageCounts ?? {}, sessionSeconds);

  let depth: { bid: number[]; ask: number[] } | null = null;
  if (input.depth !== undefined) {
    depth = { bid: depthProfile(input.depth.bidSizes, input.depth.levels), ask: depthProfile(input.depth.askSizes, input.depth.levels) };
  }

  const spread = spreadStats(spreadsTicks, mids, midTimes, t1);
  const last = resampleLast(midTimes, mids, t1, 1, 0);
  return {
    sessionSeconds,
    midStart: resampleLast(midTimes, mids, t0, 1, 0)[0],
    midEnd: last[0],
    spread: { ...spread, meanDollars: input.tick !== undefined ? spread.meanTicks * input.tick : NaN },
    returns,
    absAcf,
    volumeAbsReturnCorr: corr,
    signAcf: signLags.map((lag, i) => ({ lag, acf: sacf[i] })),
    trades: { count: tradeTimes.length, meanQty: tradeTimes.length > 0 ? qsum / tradeTimes.length : NaN, buyShare: tradeTimes.length > 0 ? buys / tradeTimes.length : NaN },
    volume: intradayVolumeShares(volTimes, volQty, t0, sessionSeconds, input.volumeBucketSeconds ?? 1800),
    messageRates: rates,
    depth,
    signature: signaturePlot(midTimes, mids, t0, sessionSeconds, input.signatureIntervals ?? [1, 5, 10, 30, 60, 300, 900]),
  };
}

/** The headline figures of a session's facts, flat (tables, means over seeds, real against simulated). */
export interface FactsHeadline {
  spreadMeanBps: number;
  kurtosis1m: number;
  kurtosis5m: number;
  acf1Return1m: number;
  /** Robust standard error of `acf1Return1m` (`acf1RobustSe`). */
  acf1Return1mSe: number;
  sd1mBps: number;
  absAcfLag1: number;
  absAcfLag2: number;
  absAcfLag10: number;
  volumeAbsReturnCorr: number;
  signAcfLag1: number;
  signAcfLag10: number;
  signAcfLag100: number;
  volumeShareFirst30m: number;
  volumeShareLast30m: number;
  meanMarketOrderQty: number;
}

/** Reads the headline figures off `f` (NaN where the session was too short for one). */
export function factsHeadline(f: StylizedFacts): FactsHeadline {
  const r1 = f.returns[0];
  const r5 = f.returns[1];
  const acf = (lag: number): number => f.absAcf.find((a) => a.lag === lag)?.acf ?? NaN;
  const sacf = (lag: number): number => f.signAcf.find((a) => a.lag === lag)?.acf ?? NaN;
  return {
    spreadMeanBps: f.spread.meanBps,
    kurtosis1m: r1?.kurtosis ?? NaN,
    kurtosis5m: r5?.kurtosis ?? NaN,
    acf1Return1m: r1?.acf1 ?? NaN,
    acf1Return1mSe: r1?.acf1Se ?? NaN,
    sd1mBps: 1e4 * (r1?.sd ?? NaN),
    absAcfLag1: acf(1),
    absAcfLag2: acf(2),
    absAcfLag10: acf(10),
    volumeAbsReturnCorr: f.volumeAbsReturnCorr,
    signAcfLag1: sacf(1),
    signAcfLag10: sacf(10),
    signAcfLag100: sacf(100),
    volumeShareFirst30m: f.volume.firstShare,
    volumeShareLast30m: f.volume.lastShare,
    meanMarketOrderQty: f.trades.meanQty,
  };
}
