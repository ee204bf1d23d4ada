/**
 * Price impact of metaorders, measured with paired runs (ABIDES's method, docs/reference.md):
 * for each seed the same market is run twice, without and with a buy metaorder executed as POV;
 * the impact path is the difference of the two mid paths, relative to the arrival mid:
 * I(t) = (mid_with(t) − mid_without(t)) / mid(start). Averaged over seeds, per size.
 *
 * - Sizes are fractions of the expected daily volume V_D (`Market.expectedVolume` over the
 *   session, the exogenous flows). The metaorder runs from `startSeconds` for `durationSeconds`:
 *   every `sliceSeconds` it buys ρ × (others' volume in the last slice), ρ = Q / (the volume of
 *   the control run over the same window), a POV whose rate completes about on schedule. There
 *   is no final sweep (it would measure one market order's instantaneous impact): what is left
 *   unfilled is reported (`filledShare`), and the fit uses the executed size.
 * - Peak impact = mean I right after the metaorder's last child order (the first recording point
 *   after it; a POV may finish before the window ends); relaxation = mean I one and two durations
 *   after that time, as shares of the peak. I is read on a grid of `sliceSeconds` (or the curve
 *   step if finer), always comparing both runs at the same time.
 * - Common random numbers: every exogenous driver of the market (the value's path, the wake-up
 *   clocks, the limit-order arrivals, the Hawkes baseline and its sizes, noise and institutional
 *   flow) draws from its own stream that the metaorder cannot shift (see the traders' headers), so
 *   the difference of mid paths isolates the impact.
 * - Fit: log peak = log(Y σ_D) + δ log(Q/V_D) by least squares over the sizes with a positive mean
 *   peak, Q the mean executed size; σ_D (daily volatility) is measured on the runs without the metaorder (realized variance
 *   of 1-minute mid returns, scaled to the 23,400 s day).
 * Impact is whatever the market does: nothing here moves a price.
 */
import { Market, AGENT_OWNER, BUY } from '../index.ts';
import type { MarketSpec } from '../../configs/index.ts';

export class ImpactError extends Error {
  override name = 'ImpactError';
}

export interface ImpactOptions {
  spec: MarketSpec;
  /** Metaorder sizes as fractions of the expected daily volume (default 0.1% … 10%). */
  fractions?: number[];
  /** Seeds per size (paired runs), default 200. */
  seeds?: number;
  /** First seed, default 1. */
  seed0?: number;
  /** Session time the metaorder starts, seconds (default 3600). */
  startSeconds?: number;
  /** Metaorder duration T, seconds (default 1800). */
  durationSeconds?: number;
  /** POV decision interval, seconds (default 10). */
  sliceSeconds?: number;
  /** Interval of the reported mean impact curve, seconds (default 60). */
  curveStepSeconds?: number;
  /** Called after each seed with (seeds done, seeds total). */
  onProgress?: (done: number, total: number) => void;
}

export interface ImpactSize {
  /** Q / V_D. */
  fraction: number;
  /** Mean metaorder size, shares. */
  qty: number;
  /** Mean share of Q executed by the POV (no final sweep). */
  filledShare: number;
  /** Mean participation in the market's volume over the duration. */
  participation: number;
  /** Mean time from the start to the metaorder's last child order, seconds (≤ the duration; a POV may finish early). */
  completionSeconds: number;
  /** Mean impact right after the metaorder's last child (fraction of the price), its standard error. */
  peak: number;
  peakSe: number;
  /** Mean impact one and two durations after the metaorder's last child, and as shares of the peak. */
  after1: number;
  after2: number;
  relaxed1: number;
  relaxed2: number;
  /** Mean impact curve I(t) at t = start + k·curveStep (fraction of the price). */
  curve: number[];
}

export interface ImpactResult {
  seeds: number;
  startSeconds: number;
  durationSeconds: number;
  curveStepSeconds: number;
  /** Expected daily volume V_D, shares (mean over seeds). */
  dailyVolume: number;
  /** Daily volatility σ_D measured on the runs without the metaorder (fraction). */
  dailyVolatility: number;
  sizes: ImpactSize[];
  /** Fit of peak = Y σ_D (Q/V_D)^δ. */
  delta: number;
  Y: number;
  /** R² of the log-log fit and how many sizes it used. */
  r2: number;
  fitPoints: number;
  /** Relaxation shares pooled over the sizes (ratio of summed means), one and two durations after the end. */
  relaxed1: number;
  relaxed2: number;
}

/** Least squares of log y on log x. Returns slope, intercept, r². */
export function fitLogLog(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number; r2: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (!(x[i] > 0) || !(y[i] > 0)) continue;
    const a = Math.log(x[i]);
    const b = Math.log(y[i]);
    n++;
    sx += a;
    sy += b;
    sxx += a * a;
    sxy += a * b;
    syy += b * b;
  }
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN, n };
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  const cxy = sxy - (sx * sy) / n;
  const slope = cxy / vx;
  const intercept = (sy - slope * sx) / n;
  return { slope, intercept, r2: vy > 0 ? (cxy * cxy) / (vx * vy) : 1, n };
}

interface PathBuffers {
  mid: Float64Array;
}

/**
 * Runs one market from its reset time to `start + 3T`, recording the mid every `grid` seconds from
 * `start` (sample k: the state at start + k·grid, before any order sent at that time). With a
 * metaorder, every `slice` seconds from `start` it buys ρ × (others' volume in the last slice).
 * Returns the filled shares, the others' volume during the metaorder, the control window's volume,
 * and `lastChild`: the time of the last child order (start when none was sent).
 */
function runPath(market: Market, start: number, end: number, grid: number, out: PathBuffers, meta: { qty: number; rho: number; slice: number; duration: number } | null, windowSeconds: number): { filled: number; othersVolume: number; windowVolume: number; lastChild: number } {
  const n = out.mid.length;
  let filled = 0;
  let others = 0;
  let lastChild = start;
  let k = 0;
  // Records every grid point <= t (market.now must be t).
  const recordUpTo = (t: number): void => {
    while (k < n && start + k * grid <= t + 1e-9) out.mid[k++] = market.mid();
  };
  const advance = (t: number): void => {
    while (k < n && start + k * grid < t - 1e-9) {
      market.runUntil(start + k * grid);
      recordUpTo(market.now);
    }
    market.runUntil(t);
    recordUpTo(t);
  };
  advance(start);
  if (meta !== null) {
    const endMeta = start + meta.duration;
    let t = start;
    let mark = market.tape.length;
    while (t < endMeta - 1e-9) {
      const next = Math.min(endMeta, t + meta.slice);
      advance(next);
      t = next;
      let vol = 0;
      const tp = market.tape;
      for (let i = mark; i < tp.length; i++) if (tp.takerOwner[i] !== AGENT_OWNER && tp.makerOwner[i] !== AGENT_OWNER) vol += tp.qty[i];
      others += vol;
      const left = meta.qty - filled;
      const child = Math.min(left, Math.round(meta.rho * vol));
      if (child > 0) {
        filled += market.submitMarket(AGENT_OWNER, BUY, child);
        lastChild = t;
      }
      mark = market.tape.length;
      if (filled >= meta.qty) break;
    }
  }
  advance(end);
  let windowVolume = 0;
  const tp = market.tape;
  for (let i = 0; i < tp.length; i++) if (tp.time[i] >= start && tp.time[i] < start + windowSeconds) windowVolume += tp.qty[i];
  return { filled, othersVolume: others, windowVolume, lastChild };
}

/** The paired-run impact experiment. CPU-heavy: (1 + sizes) runs per seed. */
export function runImpactExperiment(options: ImpactOptions): ImpactResult {
  const fractions = options.fractions ?? [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1];
  const seeds = options.seeds ?? 200;
  const seed0 = options.seed0 ?? 1;
  const start = options.startSeconds ?? 3600;
  const T = options.durationSeconds ?? 1800;
  const slice = options.sliceSeconds ?? 10;
  const step = options.curveStepSeconds ?? 60;
  for (const f of fractions) if (!(f > 0 && f < 1)) throw new ImpactError(`fractions must be in (0, 1), got ${f}`);
  if (!Number.isInteger(seeds) || seeds < 2) throw new ImpactError(`seeds must be an integer >= 2, got ${seeds}`);
  if (!(T > 0) || !(slice > 0) || slice > T || !(step > 0)) throw new ImpactError(`need durationSeconds > 0, 0 < sliceSeconds <= durationSeconds, curveStepSeconds > 0; got ${T}, ${slice}, ${step}`);
  const pre = 600;
  const end = start + 3 * T;
  // Internal grid: the slice (so the impact is read right after the last child), finer if the curve step is.
  const grid = Math.min(slice, step);
  const gridPoints = Math.floor((3 * T) / grid + 1e-9) + 1;
  const points = Math.floor((3 * T) / step + 1e-9) + 1;
  const S = fractions.length;
  const sumCurve = fractions.map(() => new Float64Array(points));
  const sumPeak = new Float64Array(S);
  const sumPeak2 = new Float64Array(S);
  const sumAfter1 = new Float64Array(S);
  const sumAfter2 = new Float64Array(S);
  const sumDone = new Float64Array(S);
  const sumQty = new Float64Array(S);
  const sumFilled = new Float64Array(S);
  const sumPart = new Float64Array(S);
  let sumDailyVolume = 0;
  let sumRv = 0;
  let rvSeconds = 0;
  const base: PathBuffers = { mid: new Float64Array(gridPoints) };
  const treat: PathBuffers = { mid: new Float64Array(gridPoints) };
  const at = (k: number): number => (k < gridPoints ? k : gridPoints - 1);
  let market: Market | null = null;
  for (let s = 0; s < seeds; s++) {
    const seed = seed0 + s;
    market = Market.fromSpec(options.spec, seed, { startSeconds: start - pre });
    const params = market.params;
    const dailyVolume = market.expectedVolume(0, params.sessionSeconds);
    sumDailyVolume += dailyVolume;
    // The control run's volume over the metaorder's window sets the POV rate of this seed.
    const windowVolume = runPath(market, start, end, grid, base, null, T).windowVolume;
    // Realized variance of 1-minute mid returns of the control run over [start − pre, end].
    const ser = market.series;
    const per = Math.max(1, Math.round(60 / ser.dt));
    for (let k = per; k < ser.length; k += per) {
      const r = Math.log(ser.mid[k] / ser.mid[k - per]);
      sumRv += r * r;
      rvSeconds += per * ser.dt;
    }
    const arrival = base.mid[0];
    for (let j = 0; j < S; j++) {
      const qty = Math.max(1, Math.round(fractions[j] * dailyVolume));
      market.reset(params, seed, { startSeconds: start - pre });
      const rho = qty / windowVolume;
      const r = runPath(market, start, end, grid, treat, { qty, rho, slice, duration: T }, T);
      for (let c = 0; c < points; c++) {
        const k = at(Math.round((c * step) / grid));
        sumCurve[j][c] += (treat.mid[k] - base.mid[k]) / arrival;
      }
      // Peak: the first grid point after the last child; relaxation one and two durations later.
      const kDone = at(Math.round((r.lastChild - start) / grid) + 1);
      const kA1 = at(kDone + Math.round(T / grid));
      const kA2 = at(kDone + Math.round((2 * T) / grid));
      const peak = (treat.mid[kDone] - base.mid[kDone]) / arrival;
      sumPeak[j] += peak;
      sumPeak2[j] += peak * peak;
      sumAfter1[j] += (treat.mid[kA1] - base.mid[kA1]) / arrival;
      sumAfter2[j] += (treat.mid[kA2] - base.mid[kA2]) / arrival;
      sumDone[j] += r.lastChild - start;
      sumQty[j] += qty;
      sumFilled[j] += r.filled / qty;
      sumPart[j] += r.filled / (r.filled + r.othersVolume);
    }
    options.onProgress?.(s + 1, seeds);
  }
  const sizes: ImpactSize[] = fractions.map((fraction, j) => {
    const curve = Array.from(sumCurve[j], (x) => x / seeds);
    const peak = sumPeak[j] / seeds;
    const var_ = sumPeak2[j] / seeds - peak * peak;
    const after1 = sumAfter1[j] / seeds;
    const after2 = sumAfter2[j] / seeds;
    return {
      fraction,
      qty: sumQty[j] / seeds,
      filledShare: sumFilled[j] / seeds,
      participation: sumPart[j] / seeds,
      completionSeconds: sumDone[j] / seeds,
      peak,
      peakSe: Math.sqrt((Math.max(0, var_) * seeds) / (seeds - 1) / seeds),
      after1,
      after2,
      relaxed1: after1 / peak,
      relaxed2: after2 / peak,
      curve,
    };
  });
  const dailyVolatility = Math.sqrt((sumRv / rvSeconds) * 23400);
  const fit = fitLogLog(
    sizes.map((z) => z.fraction * z.filledShare),
    sizes.map((z) => z.peak),
  );
  let p = 0;
  let a1 = 0;
  let a2 = 0;
  for (const z of sizes) {
    if (z.peak > 0) {
      p += z.peak;
      a1 += z.after1;
      a2 += z.after2;
    }
  }
  return {
    seeds,
    startSeconds: start,
    durationSeconds: T,
    curveStepSeconds: step,
    dailyVolume: sumDailyVolume / seeds,
    dailyVolatility,
    sizes,
    delta: fit.slope,
    Y: Math.exp(fit.intercept) / dailyVolatility,
    r2: fit.r2,
    fitPoints: fit.n,
    relaxed1: a1 / p,
    relaxed2: a2 / p,
  };
}
