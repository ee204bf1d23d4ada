/**
 * Calibrating Almgren–Chriss to a simulated market preset: σ, η, γ and ε measured in the
 * simulator (prices in ticks, time in seconds, quantities in shares).
 *
 * Method (for each of `seeds` calibration seeds s = 0, 1, …, which lie in the training range
 * [0, 1e9), never among evaluation seeds; per seed the market's parameters are randomized from
 * the preset exactly as an episode's are, and the start time is drawn uniformly over the session
 * from the stream `calibrate/start` so that the intraday profile is averaged over):
 *
 * - ε (fixed cost per share) = the mean half spread, from the 1-second mid/spread series of the
 *   undisturbed run A over `horizonSeconds`.
 * - σ (ticks per √second) from the same series: σ² = Σ (Δmid)² / (count · τ) over
 *   non-overlapping increments of τ = `intervalSeconds` (the decision interval, so the
 *   microstructure noise of the bid–ask bounce weighs as much as it does for the schedule).
 * - Paired runs for impact: for each child size q (fractions `sizes` of the expected market volume
 *   of one interval τ at the start time), run B_q = the same seed and parameters, and at the start
 *   submit a market SELL of q shares (the agent's owner). Then
 *   · the execution shortfall per share s(q) = mid before the order − average fill price;
 *   · the permanent shift Δ(q) = mid_A − mid_B averaged over a window of τ centred
 *     `settleSeconds` after the order (the same seed, so the difference is the order's effect
 *     plus the divergence it caused; many seeds average the latter out).
 * - Fits through the origin over every (seed, size) pair (least squares, AC's linear model):
 *   γ = Σ q Δ / Σ q² (AC: g(v) = γv moves the price by γ n), and
 *   η = τ · Σ q (s − half spread before the order) / Σ q² (AC: h(v) = ε + η n/τ is the whole
 *   execution-price concession of a trade; its own permanent part does not enter AC's execution
 *   price, so it is not subtracted). `etaBeyondPermanent` also reports the fit of s − ε − Δ, the
 *   part of the concession that later reverts, for comparison.
 *
 * The simulated impact is concave (square-root like), so a linear fit is a compromise over the
 * sizes used: the defaults span the TWAP slices of parent orders of 2–25% of horizon volume.
 * Cost per seed: one undisturbed run of max(horizon, settle + τ) simulated seconds and
 * sizes.length paired runs of settle + τ/2 seconds (each after the preset's warm-up).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMarketConfig, writeJsonAtomic, type MarketSpec } from '../../configs/index.ts';
import { Rng } from '../../simulator/random/index.ts';
import { AGENT_OWNER, SELL } from '../../simulator/index.ts';
import { SimulatedMarketSource, type ExecutionMarket, type MarketSource } from '../../env/index.ts';
import { BaselineError, checkNumber } from './errors.ts';

export interface AcCalibrationOptions {
  /** Number of calibration seeds (paired runs per size), default 500. */
  seeds?: number;
  /** Length of the undisturbed run used for σ and ε, seconds (default 600). */
  horizonSeconds?: number;
  /** τ: the AC interval (the env's decision interval), seconds (default 10). */
  intervalSeconds?: number;
  /** When the permanent shift is read after the child order, seconds (default 60). */
  settleSeconds?: number;
  /** Child sizes as fractions of the expected market volume of one interval (default [0.05, 0.1, 0.2, 0.5, 1, 2]). */
  sizes?: number[];
  /** Fixed session start time (seconds from the open) instead of a random one per seed. */
  startSeconds?: number;
}

export interface AcSizeRow {
  /** The size as a fraction of one interval's expected volume. */
  fraction: number;
  /** Mean child size, shares. */
  meanQty: number;
  /** Mean execution shortfall per share vs the pre-trade mid, ticks (± standard error). */
  shortfallTicks: number;
  shortfallSe: number;
  /** Mean permanent mid shift `settleSeconds` later, ticks (± standard error). */
  permanentTicks: number;
  permanentSe: number;
}

export interface AcCalibration {
  /** Preset name or path (or 'custom'). */
  market: string;
  units: { price: 'ticks'; time: 'seconds'; quantity: 'shares' };
  /** σ, ticks / √second. */
  sigma: number;
  /** η, ticks per (share / second) = ticks·seconds/share. */
  eta: number;
  /** γ, ticks per share. */
  gamma: number;
  /** ε, ticks (mean half spread). */
  epsilon: number;
  /** η fitted to the shortfall beyond the half spread AND the permanent shift (the reverting part). */
  etaBeyondPermanent: number;
  /** τ used, seconds. */
  intervalSeconds: number;
  settleSeconds: number;
  horizonSeconds: number;
  seeds: number;
  /** Mean expected market volume of one interval at the start times, shares. */
  intervalVolume: number;
  /** Mean mid at the start, ticks. */
  midTicks: number;
  perSize: AcSizeRow[];
}

function meanSe(xs: number[]): { mean: number; se: number } {
  const n = xs.length;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return { mean: m, se: n > 1 ? Math.sqrt(v / (n - 1) / n) : Number.NaN };
}

/** Mean of series samples with index in [lo, hi). */
function windowMean(series: Float64Array, length: number, lo: number, hi: number): number {
  const a = Math.max(0, lo);
  const b = Math.min(length, hi);
  if (b <= a) throw new BaselineError(`calibration window [${lo}, ${hi}) is outside the recorded series (length ${length})`);
  let s = 0;
  for (let i = a; i < b; i++) s += series[i];
  return s / (b - a);
}

/** The options with their defaults filled in (validated). @throws BaselineError naming a bad option. */
export function normalizeCalibrationOptions(options: AcCalibrationOptions = {}): Required<Omit<AcCalibrationOptions, 'startSeconds'>> & { startSeconds?: number } {
  const seeds = checkNumber('calibration seeds', options.seeds ?? 500, 'positive-integer');
  const horizonSeconds = checkNumber('calibration horizonSeconds', options.horizonSeconds ?? 600, 'positive');
  const intervalSeconds = checkNumber('calibration intervalSeconds', options.intervalSeconds ?? 10, 'positive');
  const settleSeconds = checkNumber('calibration settleSeconds', options.settleSeconds ?? 60, 'positive');
  const sizes = options.sizes ?? [0.05, 0.1, 0.2, 0.5, 1, 2];
  if (!Array.isArray(sizes) || sizes.length === 0) throw new BaselineError(`calibration sizes must be a non-empty array, got ${String(sizes)}`);
  sizes.forEach((f, i) => checkNumber(`calibration sizes[${i}]`, f, 'positive'));
  const out: Required<Omit<AcCalibrationOptions, 'startSeconds'>> & { startSeconds?: number } = { seeds, horizonSeconds, intervalSeconds, settleSeconds, sizes: [...sizes] };
  if (options.startSeconds !== undefined) out.startSeconds = checkNumber('calibration startSeconds', options.startSeconds, 'nonnegative');
  return out;
}

/** Measures σ, η, γ, ε of a market preset (name, path or spec); see the file header for the method. */
export function calibrateAc(market: string | MarketSpec, options: AcCalibrationOptions = {}): AcCalibration {
  const spec = typeof market === 'string' ? loadMarketConfig(market) : market;
  return calibrateAcOn(new SimulatedMarketSource(spec, null, 'calibrate-ac'), typeof market === 'string' ? market : 'custom', options);
}

/**
 * The same measurement on any market source (the simulated market, a replayed LOBSTER day): per
 * calibration seed the source plans a market (its `randomize` stream), the start is drawn in its
 * session, and the undisturbed and disturbed runs are opened from the same plan.
 */
export function calibrateAcOn(source: MarketSource<ExecutionMarket>, label: string, options: AcCalibrationOptions = {}): AcCalibration {
  const o = normalizeCalibrationOptions(options);
  const nSeeds = o.seeds;
  const horizon = o.horizonSeconds;
  const tau = o.intervalSeconds;
  const settle = o.settleSeconds;
  const sizes = o.sizes;
  const runLength = Math.max(horizon, settle + tau);

  let sqSum = 0;
  let sqCount = 0;
  let halfSpreadSum = 0;
  let halfSpreadCount = 0;
  let volumeSum = 0;
  let midSum = 0;
  // Regression sums through the origin.
  let qq = 0;
  let qPerm = 0;
  let qTemp = 0;
  let qRevert = 0;
  const rows = sizes.map(() => ({ q: [] as number[], s: [] as number[], d: [] as number[] }));

  for (let seed = 0; seed < nSeeds; seed++) {
    const plan = source.plan(seed, Rng.fromSeed(seed, 'randomize'));
    const latest = Math.max(plan.sessionBegin, plan.sessionEnd - runLength);
    const start = o.startSeconds ?? Rng.fromSeed(seed, 'calibrate/start').uniform(plan.sessionBegin, latest);
    const a = plan.open(start);
    const mid0 = a.mid();
    const halfSpread0 = a.spread() / 2;
    const intervalVolume = a.expectedVolume(start, start + tau);
    volumeSum += intervalVolume;
    midSum += mid0;
    a.runUntil(start + runLength + 1);
    const sr = a.series;
    const step = Math.max(1, Math.round(tau / sr.dt));
    const last = Math.min(sr.length, Math.floor(horizon / sr.dt) + 1);
    for (let k = step; k < last; k += step) {
      const d = sr.mid[k] - sr.mid[k - step];
      sqSum += d * d;
      sqCount++;
    }
    for (let k = 0; k < last; k++) {
      const s = sr.spread[k];
      if (Number.isFinite(s)) {
        halfSpreadSum += s / 2;
        halfSpreadCount++;
      }
    }
    const centre = Math.round(settle / sr.dt);
    const half = Math.max(1, Math.round(tau / sr.dt / 2));
    const midA = windowMean(sr.mid, sr.length, centre - half, centre + half);

    for (let j = 0; j < sizes.length; j++) {
      const q = Math.max(1, Math.round(sizes[j] * intervalVolume));
      const b = plan.open(start);
      const of = b.outsideFills;
      of.clear();
      const filled = b.submitMarket(AGENT_OWNER, SELL, q);
      if (!(filled > 0)) continue;
      let notional = 0;
      for (let i = 0; i < of.length; i++) notional += of.price[i] * of.qty[i];
      const avg = notional / filled;
      // B only needs to reach the end of the settle window.
      b.runUntil(start + (centre + half + 1) * b.series.dt);
      const midB = windowMean(b.series.mid, b.series.length, centre - half, centre + half);
      const shortfall = mid0 - avg;
      const perm = midA - midB;
      const hs = Number.isFinite(halfSpread0) ? halfSpread0 : 0;
      qq += filled * filled;
      qPerm += filled * perm;
      qTemp += filled * (shortfall - hs);
      qRevert += filled * (shortfall - hs - perm);
      rows[j].q.push(filled);
      rows[j].s.push(shortfall);
      rows[j].d.push(perm);
    }
  }
  if (!(qq > 0)) throw new BaselineError('calibration: no child order was filled (empty book?)');
  const perSize: AcSizeRow[] = sizes.map((fraction, j) => {
    const s = meanSe(rows[j].s);
    const d = meanSe(rows[j].d);
    return { fraction, meanQty: meanSe(rows[j].q).mean, shortfallTicks: s.mean, shortfallSe: s.se, permanentTicks: d.mean, permanentSe: d.se };
  });
  return {
    market: label,
    units: { price: 'ticks', time: 'seconds', quantity: 'shares' },
    sigma: Math.sqrt(sqSum / (sqCount * tau)),
    eta: Math.max(0, (tau * qTemp) / qq),
    gamma: Math.max(0, qPerm / qq),
    epsilon: halfSpreadSum / halfSpreadCount,
    etaBeyondPermanent: (tau * qRevert) / qq,
    intervalSeconds: tau,
    settleSeconds: settle,
    horizonSeconds: horizon,
    seeds: nSeeds,
    intervalVolume: volumeSum / nSeeds,
    midTicks: midSum / nSeeds,
    perSize,
  };
}

/** A hash of the simulator's source files: a calibration is a function of the code too. */
export function simulatorFingerprint(): string {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator');
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.ts')) h.update(path.slice(root.length)).update(readFileSync(path));
    }
  };
  if (existsSync(root)) walk(root);
  return h.digest('hex').slice(0, 16);
}

/**
 * `calibrateAc` with a file cache: the result is kept in `<cacheDir>/<name>-<hash>.json`, the
 * hash covering the market (the preset spec, or a source's identity), the options and the
 * simulator's source (simulatorFingerprint), so editing a preset, an option or the market
 * recalibrates. `market` is a preset (name, path or spec) or any market source with a name.
 * Returns the calibration and whether it came from the cache.
 */
export function calibrateAcCached(
  market: string | MarketSpec | { source: MarketSource<ExecutionMarket>; name: string },
  options: AcCalibrationOptions = {},
  cacheDir = join('runs', 'cache', 'ac-calibration'),
): { calibration: AcCalibration; cached: boolean; path: string } {
  let source: MarketSource<ExecutionMarket>;
  let label: string;
  if (typeof market === 'object' && 'source' in market) {
    source = market.source;
    label = market.name;
  } else {
    source = new SimulatedMarketSource(typeof market === 'string' ? loadMarketConfig(market) : (market as MarketSpec), null, 'calibrate-ac');
    label = typeof market === 'string' ? market : 'custom';
  }
  const hash = createHash('sha256')
    .update(JSON.stringify({ v: 2, market: source.identity(), options: normalizeCalibrationOptions(options), simulator: simulatorFingerprint() }))
    .digest('hex')
    .slice(0, 16);
  const name = basename(label).replace(/\.(ya?ml|json|csv)$/i, '').replace(/[^A-Za-z0-9_-]/g, '_');
  const path = join(cacheDir, `${name}-${hash}.json`);
  if (existsSync(path)) {
    try {
      const c = JSON.parse(readFileSync(path, 'utf8')) as AcCalibration;
      if ([c.sigma, c.eta, c.gamma, c.epsilon].every((x) => typeof x === 'number' && Number.isFinite(x))) return { calibration: c, cached: true, path };
    } catch {
      // A damaged cache file is recomputed and replaced.
    }
  }
  const calibration = calibrateAcOn(source, label, options);
  writeJsonAtomic(path, calibration);
  return { calibration, cached: false, path };
}
