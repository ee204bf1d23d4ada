import { describe, expect, it } from 'vitest';
import { AliasTable, Rng } from '../../../simulator/random/index.ts';
import { UShapeProfile, simulateHawkes } from '../../../simulator/flow/index.ts';
import { parseMarketSpec } from '../../../configs/index.ts';
import { Market } from '../../../simulator/index.ts';
import { fitActivity, fitIntraday, fitLobsterDay, fitPowerLaw, initialKnobs, inProcessSessions, heldOutPassProbability, presetFromFit, refinePreset } from '../../../simulator/calibration/index.ts';
import { SessionPool } from '../../../experiments/calibrate/index.ts';
import { normalCdf } from '../../../simulator/stats/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/lobster/index.ts';

const T = 23400;
const T0 = 34200;
const TICK = 100;

/** Discrete power law P(d) ∝ d^−e on [lo, hi]: sampler, and Var(ln d) for the MLE's standard error. */
function powerLaw(e: number, lo: number, hi: number): { table: AliasTable; varLog: number } {
  const w: number[] = [];
  for (let d = lo; d <= hi; d++) w.push(d ** -e);
  const z = w.reduce((a, b) => a + b, 0);
  let m1 = 0;
  let m2 = 0;
  w.forEach((x, i) => {
    const l = Math.log(lo + i);
    m1 += (x / z) * l;
    m2 += (x / z) * l * l;
  });
  return { table: new AliasTable(w), varLog: m2 - m1 * m1 };
}

interface Truth {
  limitMedian: number;
  limitSigma: number;
  cancelHazard: number;
  exponent: number;
  adds: number;
  deletes: number;
}

/**
 * A synthetic LOBSTER day in columns: market orders from a 2-D Hawkes process (each one or two
 * visible execution rows at one timestamp, or a hidden execution), limit adds at a power-law
 * distance from the opposite best with lognormal sizes, each deleted after an Exp(hazard)
 * lifetime; a one-level book with a constant 4-tick spread around a fixed mid.
 */
function syntheticDay(seed: number): { m: LobsterMessages; b: LobsterOrderbook; truth: Truth; orders: number } {
  const rng = Rng.fromSeed(seed, 'calibrate-test');
  const truth: Truth = { limitMedian: 300, limitSigma: 0.8, cancelHazard: 0.2, exponent: 0.8, adds: 0, deletes: 0 };
  const hawkes = simulateHawkes(
    { mu: [0.08, 0.08], components: [{ decay: 3, branching: [[0.35, 0.02], [0.02, 0.35]] }] },
    rng.fork('hawkes'),
    T,
  );
  type Row = [number, number, number, number, number, number];
  const rows: Row[] = [];
  const bid = 50000;
  const ask = 50004;
  let id = 1;
  for (let i = 0; i < hawkes.times.length; i++) {
    const t = T0 + hawkes.times[i];
    const sign = hawkes.dims[i] === 0 ? 1 : -1;
    const dir = -sign;
    const px = (sign > 0 ? ask : bid) * TICK;
    if (rng.bernoulli(0.2)) rows.push([t, 5, 0, 1 + rng.int(0, 99), px, dir]);
    else for (let k = rng.int(1, 2); k > 0; k--) rows.push([t, 4, 900000 + id++, 1 + rng.int(0, 199), px, dir]);
  }
  const pl = powerLaw(truth.exponent, 1, 40);
  let t = T0;
  for (;;) {
    t += rng.exponential(1);
    if (t >= T0 + T) break;
    const side = rng.bernoulli(0.5) ? 1 : -1;
    const d = 1 + pl.table.sample(rng);
    const price = (side === 1 ? ask - d : bid + d) * TICK;
    const qty = Math.max(1, Math.round(truth.limitMedian * Math.exp(truth.limitSigma * rng.normal())));
    const oid = id++;
    rows.push([t, 1, oid, qty, price, side]);
    truth.adds++;
    const end = t + rng.exponential(truth.cancelHazard);
    if (end < T0 + T) {
      rows.push([end, 3, oid, qty, price, side]);
      truth.deletes++;
    }
  }
  // Stable sort by time keeps the rows of one timestamp together and in order.
  rows.sort((a, b) => a[0] - b[0]);
  const n = rows.length;
  const m: LobsterMessages = {
    length: n,
    time: Float64Array.from(rows, (r) => r[0]),
    type: Int8Array.from(rows, (r) => r[1]),
    orderId: Float64Array.from(rows, (r) => r[2]),
    size: Float64Array.from(rows, (r) => r[3]),
    price: Float64Array.from(rows, (r) => r[4]),
    direction: Int8Array.from(rows, (r) => r[5]),
  };
  const values = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) values.set([ask * TICK, 100, bid * TICK, 100], 4 * i);
  return { m, b: { length: n, levels: 1, values }, truth, orders: hawkes.times.length };
}

describe('fitLobsterDay', () => {
  const { m, b, truth, orders } = syntheticDay(7);
  const fit = fitLobsterDay(m, b);

  it('reads tick, spread, price and file rates exactly', () => {
    expect(fit.tickSize).toBe(TICK);
    expect(fit.tickDollars).toBe(0.01);
    expect(fit.initialPriceTicks).toBe(50002);
    expect(fit.spread.eventMeanTicks).toBe(4);
    expect(fit.spread.timeWeightedTicks).toBeCloseTo(4, 12);
    expect(fit.spread.floorTicks).toBe(4);
    expect(fit.rates.limit).toBe(truth.adds / T);
    expect(fit.rates.cancel).toBe(truth.deletes / T);
    // Market orders = executions grouped by timestamp and side, hidden ones included.
    expect(fit.rates.market).toBe(orders / T);
    expect(fit.hawkes.events).toBe(orders);
    expect(fit.volatility.sd1m).toBe(0);
  });

  it('recovers sizes, placement exponent and cancel hazard within 4 standard errors', () => {
    const n = fit.limitSize.n;
    expect(n).toBe(truth.adds);
    // log(median) is a mean of n normal draws (rounding to whole shares at a median of 300 is negligible).
    expect(Math.abs(Math.log(fit.limitSize.median / truth.limitMedian))).toBeLessThan((4 * truth.limitSigma) / Math.sqrt(n));
    expect(Math.abs(fit.limitSize.sigma - truth.limitSigma)).toBeLessThan((4 * truth.limitSigma) / Math.sqrt(2 * n));
    // Power-law MLE: sd = 1 / sqrt(n Var(ln d)); the grid step is 0.01.
    const pl = powerLaw(truth.exponent, 1, 40);
    expect(fit.placement.maxDistanceTicks).toBeLessThanOrEqual(40);
    expect(Math.abs(fit.placement.exponent - truth.exponent)).toBeLessThan(4 / Math.sqrt(fit.placement.n * pl.varLog) + 0.01);
    // Exponential MLE: deletions / observed lifetime, sd = θ / sqrt(deletions).
    expect(Math.abs(fit.cancelHazard.perSecond - truth.cancelHazard)).toBeLessThan((4 * truth.cancelHazard) / Math.sqrt(truth.deletes));
  });

  it('fits a stationary two-component Hawkes flow that beats Poisson in the time-rescaling KS', () => {
    expect(fit.hawkes.decays).toHaveLength(2);
    expect(fit.hawkes.spectralRadius).toBeLessThan(1);
    expect(fit.hawkes.ksHawkes).toBeLessThan(fit.hawkes.ksPoisson);
    // Pooled KS of n Exp(1) variables: 4/sqrt(n) is far beyond the 1% critical value 1.63/sqrt(n).
    expect(fit.hawkes.ksHawkes).toBeLessThan(4 / Math.sqrt(orders));
  });

  it('writes a preset of the market schema that the simulator runs', () => {
    const spec = presetFromFit(fit, initialKnobs(fit), 'synthetic');
    const parsed = parseMarketSpec(spec, 'test');
    expect(parsed.name).toBe('synthetic');
    expect(parsed.takers.muBuy).toBeGreaterThan(0);
    const market = Market.fromSpec(parsed, 3, { warmupSeconds: 10 });
    market.runUntil(300);
    expect(market.counts.limit).toBeGreaterThan(0);
    expect(market.book.bestBid()).toBeGreaterThan(0);
  });

  it("scales the takers' kernels (capped at spectral radius 0.95), their slow component and median size by their knobs; noise sizes keep the file's mean", () => {
    type Takers = { selfFast: number; selfSlow: number; crossFast: number; crossSlow: number; sizeMedian: number; sizeSigma: number };
    const takers = (k: Partial<ReturnType<typeof initialKnobs>>): Takers => (presetFromFit(fit, { ...initialKnobs(fit), ...k }, 's') as { takers: Takers }).takers;
    const rho = (t: Takers): number => t.selfFast + t.selfSlow + t.crossFast + t.crossSlow;
    const one = takers({});
    const more = takers({ excitationScale: 1.2 });
    // Each value is rounded to 3 decimals: four of them sum to within 2e-3 of the exact product.
    expect(Math.abs(rho(more) - Math.min(0.95, 1.2 * rho(one)))).toBeLessThan(4e-3);
    expect(rho(takers({ excitationScale: 100 }))).toBeLessThanOrEqual(0.95 + 2e-3);
    // The slow knob scales the slow component only (and is capped at 1); the calibrated takers run two metaorders.
    const half = takers({ slowScale: 0.5 });
    expect(one.selfSlow).toBeGreaterThan(0.01);
    expect(half.selfFast).toBe(one.selfFast);
    expect(half.crossFast).toBe(one.crossFast);
    expect(Math.abs(half.selfSlow - one.selfSlow / 2)).toBeLessThan(1e-3);
    expect(Math.abs(half.crossSlow - one.crossSlow / 2)).toBeLessThan(1e-3);
    expect(takers({ slowScale: 2 })).toEqual(one);
    expect((presetFromFit(fit, initialKnobs(fit), 's') as { takers: { metaorderConcurrent: number } }).takers.metaorderConcurrent).toBe(2);
    expect(takers({ sizeScale: 0.5 }).sizeMedian).toBeCloseTo(one.sizeMedian / 2, 2);
    expect(takers({ sizeScale: 0.5 }).sizeSigma).toBe(one.sizeSigma);
    const noise = (presetFromFit(fit, initialKnobs(fit), 's') as { noise: { sizeSigma: number } }).noise;
    expect(noise.sizeSigma).toBe(one.sizeSigma);
    // The cap-spread knob is the informed traders' maxOrderSigma (3 decimals); it starts at 0.3.
    const informed = (k: Partial<ReturnType<typeof initialKnobs>>): { maxOrderSigma: number } => (presetFromFit(fit, { ...initialKnobs(fit), ...k }, 's') as { fundamental: { maxOrderSigma: number } }).fundamental;
    expect(initialKnobs(fit).capSpread).toBe(0.3);
    expect(informed({}).maxOrderSigma).toBe(0.3);
    expect(informed({ capSpread: 0.12345 }).maxOrderSigma).toBe(0.123);
    // The slow component's time-constant knob: decaySlow = the file's slow decay / knob (≤ 1), never above the fast decay.
    type Decays = { decayFast: number; decaySlow: number };
    const decays = (k: Partial<ReturnType<typeof initialKnobs>>): Decays => (presetFromFit(fit, { ...initialKnobs(fit), ...k }, 's') as { takers: Decays }).takers;
    const d1 = decays({});
    expect(d1.decaySlow).toBeLessThan(d1.decayFast);
    expect(decays({ slowTimeScale: 0.5 }).decaySlow).toBeCloseTo(2 * d1.decaySlow, 3);
    expect(decays({ slowTimeScale: 2 })).toEqual(d1);
    expect(decays({ slowTimeScale: 1e-6 }).decaySlow).toBe(d1.decayFast);
    // The flow-learning half-life knob is fundamental.flowHalfLifeSeconds (3 decimals); it starts at 30 s.
    expect(initialKnobs(fit).flowHalfLife).toBe(30);
    const halfLife = (k: Partial<ReturnType<typeof initialKnobs>>): number => (presetFromFit(fit, { ...initialKnobs(fit), ...k }, 's') as { fundamental: { flowHalfLifeSeconds: number } }).fundamental.flowHalfLifeSeconds;
    expect(halfLife({})).toBe(30);
    expect(halfLife({ flowHalfLife: 44.44449 })).toBe(44.444);
  });

  it('refines the knobs by simulation and returns the best point seen', async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    const r = await refinePreset(fit, target, 'synthetic', { iterations: 1, restarts: 1, seconds: 600, seed: 2, seeds: 1, validationSeeds: 0 });
    expect(r.validation).toEqual([]);
    // The first point and the 2 other points of the start scan, 14 finite differences (the makers'
    // jitter is held without the file's spreads), then 1–3 backtracking trials.
    expect(r.history.length).toBeGreaterThanOrEqual(18);
    expect(r.history.length).toBeLessThanOrEqual(20);
    // The flow-learning half-life is a knob: one finite difference steps it by e^0.2 from 30 s.
    expect(r.history.filter((h) => Math.abs(h.knobs.flowHalfLife - 30 * Math.exp(0.2)) < 1e-9)).toHaveLength(1);
    // The scan: the takers' excitation ×1, ×2 (slow component ×0.3), ×3 (slow ×0.05).
    // The first point reads a kernel decay far from the target's 50/s, so the scan ran.
    expect(Math.abs(Math.log(r.history[0].sim.moBranchingDecay / 50))).toBeGreaterThan(Math.log(10));
    const scan = [
      [1, 1],
      [2, 0.3],
      [3, 0.05],
    ];
    r.history.slice(0, 3).forEach((h, i) => {
      expect(h.knobs.excitationScale).toBeCloseTo(scan[i][0], 12);
      expect(h.knobs.slowScale).toBeCloseTo(scan[i][1], 12);
    });
    const misfit = Math.min(...r.history.map((h) => h.misfit));
    expect(r.history.find((h) => h.misfit === misfit)?.knobs).toEqual(r.knobs);
    expect(() => parseMarketSpec(r.spec)).not.toThrow();
    await expect(refinePreset(fit, { ...target, spreadMeanTicks: 0 }, 'x', { iterations: 1, restarts: 1 })).rejects.toThrow(/spreadMeanTicks/);
    await expect(refinePreset(fit, { ...target, moBranching: Number.NaN }, 'x', { iterations: 1, restarts: 1 })).rejects.toThrow(/moBranching/);
    await expect(refinePreset(fit, { ...target, limitJoinShare: Number.NaN }, 'x', { iterations: 1, restarts: 1 })).rejects.toThrow(/limitJoinShare/);
    await expect(refinePreset(fit, { ...target, moBranchingDecay: -1 }, 'x', { iterations: 1, restarts: 1 })).rejects.toThrow(/moBranchingDecay must be a finite number > 0, got -1/);
    // A file with no joining adds still calibrates (the share's target is floored at 1%).
    expect((await refinePreset(fit, { ...target, limitJoinShare: 0 }, 'z', { iterations: 1, restarts: 1, seconds: 60, seed: 2, seeds: 1 })).history.length).toBeGreaterThanOrEqual(16);
    // With the first point's decay as the target's there is no scan: the finite differences follow it.
    const same = await refinePreset(fit, { ...target, moBranchingDecay: r.history[0].sim.moBranchingDecay }, 'synthetic', { iterations: 1, restarts: 1, seconds: 600, seed: 2, seeds: 1 });
    expect(same.history[0].knobs).toEqual(r.history[0].knobs);
    expect(same.history.length).toBeGreaterThanOrEqual(16);
    expect(same.history.length).toBeLessThanOrEqual(18);
    expect(same.history.slice(1, 15).every((h) => h.knobs.excitationScale === 1 || h.knobs.excitationScale === Math.exp(0.2))).toBe(true);
    // A file too short for a 1-minute volatility (sd 0 or NaN) drops that residual and the return
    // ACF's: the first point's misfit is the one with the target set to its own simulated sd (a log
    // miss of 0) less the squared ACF residual (weight 5).
    const o1 = { iterations: 1, restarts: 1, seconds: 300, seed: 2, seeds: 1, validationSeeds: 0 };
    const noVol = await refinePreset(fit, { ...target, sd1mBps: 0 }, 'v0', o1);
    const own = await refinePreset(fit, { ...target, sd1mBps: noVol.history[0].sim.sd1mBps }, 'v0', o1);
    // (5-minute sessions: a finite sd and return ACF, so the comparison has something to drop.)
    expect(noVol.history[0].sim.sd1mBps).toBeGreaterThan(0);
    const acf = own.history[0].sim.acf1Return1mOverlap;
    expect(Number.isFinite(acf)).toBe(true);
    expect(noVol.history[0].misfit).toBeCloseTo(own.history[0].misfit - (5 * acf) ** 2, 12);
    expect((await refinePreset(fit, { ...target, sd1mBps: Number.NaN }, 'v0', o1)).history[0].misfit).toBe(noVol.history[0].misfit);
    // A runner that loses sessions is an error, not a silent misfit.
    await expect(refinePreset(fit, target, 'w', { iterations: 1, restarts: 1, seconds: 60, seeds: 1, runSessions: async (jobs) => (await inProcessSessions(jobs)).slice(1) })).rejects.toThrow(/returned 0 sessions for 1 jobs/);
  });

  it("adds the size KS D against the file's sizes as a residual and moves the cap spread in the finite differences", async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    const marketOrderSizes = Float64Array.from({ length: 400 }, (_, i) => 100 * (1 + (i % 5)));
    const opts = { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 2, validationSeeds: 0 };
    const without = await refinePreset(fit, target, 'k', opts);
    const withSizes = await refinePreset(fit, target, 'k', { ...opts, marketOrderSizes });
    // The same first point (same knobs and seeds): the misfits differ by exactly the squared KS D (weight 1).
    const a = without.history[0];
    const b = withSizes.history[0];
    expect(b.knobs).toEqual(a.knobs);
    expect(Number.isNaN(a.sim.marketOrderSizeKs)).toBe(true);
    expect(b.sim.marketOrderSizeKs).toBeGreaterThan(0);
    expect(b.misfit - a.misfit).toBeCloseTo(b.sim.marketOrderSizeKs ** 2, 12);
    // One finite-difference point steps the cap spread (log step 0.2) and only it.
    const k0 = initialKnobs(fit);
    expect(withSizes.history.filter((h) => Math.abs(h.knobs.capSpread - k0.capSpread * Math.exp(0.2)) < 1e-12).length).toBeGreaterThanOrEqual(1);
  });

  it("adds the spread's KS D against the file's 1-second spreads as a residual, and moves the makers' jitter only then", async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    // A file whose spread is 4 ticks three seconds in four and 8 the fourth.
    const spreads = Float64Array.from({ length: 600 }, (_, i) => (i % 4 === 3 ? 8 : 4));
    const opts = { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 2, validationSeeds: 0 };
    const without = await refinePreset(fit, target, 'j', opts);
    const withSpreads = await refinePreset(fit, target, 'j', { ...opts, spreads });
    // The same first point: the misfits differ by exactly the squared mean KS D at weight 0.5.
    const a = without.history[0];
    const b = withSpreads.history[0];
    expect(b.knobs).toEqual(a.knobs);
    expect(Number.isNaN(a.sim.spreadKs)).toBe(true);
    expect(b.sim.spreadKs).toBeGreaterThan(0);
    expect(b.sim.spreadKs).toBeLessThanOrEqual(1);
    expect(b.misfit - a.misfit).toBeCloseTo((0.5 * b.sim.spreadKs) ** 2, 12);
    // The makers' jitter: 0.4 at the start, written to the preset; one finite-difference point steps
    // it (log step 0.2) with the spreads, none without, and without them no point moves it.
    const k0 = initialKnobs(fit);
    expect(k0.makerJitter).toBe(0.4);
    const spec0 = presetFromFit(fit, k0, 'j') as { marketMakers: { halfSpreadJitter: number; distanceFloorTicks: number }; fundamental: { learningRate: number } };
    expect(spec0.marketMakers.halfSpreadJitter).toBe(0.4);
    // The day's spread floor under the makers' quotes too, and the learning rate that puts every
    // calibrated day's permanent share of impact inside 0.4-0.8 (REALISM.md).
    expect(spec0.marketMakers.distanceFloorTicks).toBe(Math.max(1, fit.spread.floorTicks));
    expect(spec0.fundamental.learningRate).toBe(0.0007);
    const stepped = (h: { knobs: { makerJitter: number } }[]): number => h.filter((x) => Math.abs(x.knobs.makerJitter - 0.4 * Math.exp(0.2)) < 1e-12).length;
    expect(stepped(withSpreads.history)).toBe(1);
    expect(stepped(without.history)).toBe(0);
    expect(without.history.every((h) => h.knobs.makerJitter === 0.4)).toBe(true);
    // (The paths' lengths are not compared: after the finite differences each path backtracks
    // through one to three points, as many as its own misfits ask for.)
  });

  it('fits the adds and cancels at the best and the adds\' distance beside the level-N rates on a level-N file, and only there', async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    const level1 = { level1LimitPerSecond: 0.2, level1CancelPerSecond: 0.1, addDistanceTicks: 3 };
    const opts = { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 1, validationSeeds: 0 };
    const l3 = await refinePreset(fit, target, 'l', { ...opts, levels: 3 });
    const l3With = await refinePreset(fit, { ...target, ...level1 }, 'l', { ...opts, levels: 3 });
    // Same first point (same knobs, seeds and view): the misfits differ by exactly the three squared
    // log misses of the level-1 rates and the add distance (weight 1).
    const a = l3.history[0];
    const b = l3With.history[0];
    expect(b.knobs).toEqual(a.knobs);
    expect(b.sim).toEqual(a.sim);
    // The level-3 view counts more than the adds and cancels at the best.
    expect(a.sim.limitPerSecond).toBeGreaterThan(a.sim.level1LimitPerSecond);
    expect(a.sim.level1LimitPerSecond).toBeGreaterThan(0);
    expect(a.sim.level1CancelPerSecond).toBeGreaterThan(0);
    // The level-3 view's adds land further from the opposite best than a level-1 view's.
    expect(a.sim.addDistanceTicks).toBeGreaterThan(1);
    const miss = Math.log(a.sim.level1LimitPerSecond / 0.2) ** 2 + Math.log(a.sim.level1CancelPerSecond / 0.1) ** 2 + Math.log(a.sim.addDistanceTicks / 3) ** 2;
    expect(b.misfit - a.misfit).toBeCloseTo(miss, 10);
    // On a level-1 view the level-1 rates are the level-N ones: given or not, they change nothing.
    const l1 = await refinePreset(fit, target, 'l', { ...opts, levels: 1 });
    const l1With = await refinePreset(fit, { ...target, ...level1 }, 'l', { ...opts, levels: 1 });
    expect(l1With.history.map((h) => h.misfit)).toEqual(l1.history.map((h) => h.misfit));
    expect(l1.history[0].sim.level1LimitPerSecond).toBe(l1.history[0].sim.limitPerSecond);
    expect(l1.history[0].sim.addDistanceTicks).toBeLessThan(a.sim.addDistanceTicks);
    // A level-N file with no adds at the best (or none that does not cross) has no level-1 rate
    // (or distance) to fit: left out, not an error.
    const none = await refinePreset(fit, { ...target, level1LimitPerSecond: 0, level1CancelPerSecond: Number.NaN, addDistanceTicks: Number.NaN }, 'l', { ...opts, levels: 3 });
    expect(none.history[0].misfit).toBe(a.misfit);
  });

  it("validates the path's 4 best distinct points on fresh seeds and returns the best of them there", async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    const seen: number[] = [];
    const heads: Awaited<ReturnType<typeof inProcessSessions>> = [];
    const runSessions = async (jobs: Parameters<typeof inProcessSessions>[0]) => {
      for (const j of jobs) seen.push(j.seed);
      const hs = await inProcessSessions(jobs);
      heads.push(...hs);
      return hs;
    };
    const r = await refinePreset(fit, target, 'v', { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 2, validationSeeds: 3, runSessions });
    const byMisfit = [...r.history].sort((a, b) => a.misfit - b.misfit);
    expect(r.validation.length).toBe(4);
    // The validated points are the 4 best of the path, in order (their knobs are the path's objects).
    expect(r.validation.map((v) => v.knobs)).toEqual(byMisfit.slice(0, 4).map((h) => h.knobs));
    // The last 12 sessions are the validation's: seeds 1003–1005 for each point, none of the path's (3–4).
    expect(seen.slice(-12)).toEqual([1003, 1004, 1005, 1003, 1004, 1005, 1003, 1004, 1005, 1003, 1004, 1005]);
    expect(seen.slice(0, -12).every((x) => x === 3 || x === 4)).toBe(true);
    // Each point's probability of meeting every target on 10 held-out seeds, from its 3 fresh sessions;
    // the pick: the most likely, then the smallest misfit.
    r.validation.forEach((v, n) => {
      const pass = heldOutPassProbability(heads.slice(-12).slice(3 * n, 3 * n + 3), target, 10, { sizes: false, spreads: false });
      expect(v.logPassProbability).toBe(pass.logProbability);
      expect(v.passProbability).toBe(Math.exp(pass.logProbability));
    });
    const likeliest = r.validation.reduce((a, v) => ((v.logPassProbability as number) > (a.logPassProbability as number) || (v.logPassProbability === a.logPassProbability && v.misfit < a.misfit) ? v : a));
    expect(r.knobs).toBe(likeliest.knobs);
    expect(r.spec).toEqual(presetFromFit(fit, r.knobs, 'v'));
    await expect(refinePreset(fit, target, 'v', { iterations: 1, restarts: 1, seconds: 60, seeds: 1, validationSeeds: -1 })).rejects.toThrow(/validationSeeds must be an integer >= 0, got -1/);
  });

  it('heldOutPassProbability: each target from the validation mean and its errors, the per-seed ACF to the power of the seeds', async () => {
    const target = { limitPerSecond: 1, cancelPerSecond: 0.5, marketPerSecond: 0.4, spreadMeanTicks: 10, meanMarketOrderQty: 100, moBranching: 0.5 };
    const [h0] = await inProcessSessions([{ spec: presetFromFit(fit, initialKnobs(fit), 'p'), seed: 1, options: { seconds: 60 } }]);
    // Every held-to target met far inside its bound, identical sessions: probability 1.
    const ok = { ...h0, ...target, acf1Return1mSe: Number.NaN, kurtosis1m: 6, absAcfLag1: 0.2, absAcfLag2: 0.2, volumeAbsReturnCorr: 0.3, signAcfLag1: 0.6, signAcfLag10: 0.1, signAcfLag100: 0.01, volumeEdgeRatio: 1.3, spreadKs: 0.05, marketOrderSizeKs: 0.05, acf1Return1m: 0 };
    const same = heldOutPassProbability([ok, ok, ok, ok], target, 10, { sizes: true, spreads: true });
    expect(same.logProbability).toBe(0);
    expect(same.perTarget.map((t) => t.fact)).toEqual(['limitPerSecond', 'cancelPerSecond', 'marketPerSecond', 'spreadMeanTicks', 'meanMarketOrderQty', 'moBranching', 'kurtosis1m', 'absAcfLag1', 'absAcfLag2', 'volumeAbsReturnCorr', 'signAcfLag1', 'signAcfLag10', 'signAcfLag100', 'volumeEdgeRatio', 'spreadKs', 'marketOrderSizeKs', 'acf1Return1m on every seed']);
    // Identical sessions beyond a bound: probability 0 (the log floored at log 1e-300).
    expect(heldOutPassProbability([1, 2].map(() => ({ ...ok, marketPerSecond: 0.4 * 1.12 })), target, 10, { sizes: false, spreads: false }).logProbability).toBeCloseTo(Math.log(1e-300), 9);
    // Market orders −5% ± 4% (relative, over 4 sessions: −9, −1, −5, −5): the held-out mean ~ N(−0.05, sd²/4 + sd²/10).
    const mk = [-0.09, -0.01, -0.05, -0.05];
    const acfs = [0.05, -0.05, 0.02, -0.02];
    const heads = mk.map((x, i) => ({ ...ok, marketPerSecond: 0.4 * (1 + x), acf1Return1m: acfs[i] }));
    const sd = Math.sqrt(mk.reduce((a, x) => a + (x + 0.05) ** 2, 0) / 3);
    const s = Math.sqrt(sd ** 2 / 4 + sd ** 2 / 10);
    const pMarket = normalCdf((0.1 + 0.05) / s) - normalCdf((-0.1 + 0.05) / s);
    // The per-seed ACF: mean 0; without the sessions' robust errors, each held-out seed's sd is
    // √(sd² + sd²/4); all 10 within ±0.1.
    const sdAcf = Math.sqrt(acfs.reduce((a, x) => a + x * x, 0) / 3) * Math.sqrt(1 + 1 / 4);
    const pAcf = (normalCdf(0.1 / sdAcf) - normalCdf(-0.1 / sdAcf)) ** 10;
    const got = heldOutPassProbability(heads, target, 10, { sizes: false, spreads: false });
    expect(got.perTarget.find((t) => t.fact === 'marketPerSecond')?.probability).toBeCloseTo(pMarket, 12);
    expect(got.perTarget.find((t) => t.fact === 'acf1Return1m on every seed')?.probability).toBeCloseTo(pAcf, 12);
    expect(got.logProbability).toBeCloseTo(Math.log(pMarket) + Math.log(pAcf), 12);
    expect(pMarket).toBeGreaterThan(0.9);
    expect(pMarket).toBeLessThan(0.999);
    // With the sessions' robust errors (0.03 and 0.05): √(mean of their squares + sd²/4).
    const withSe = heads.map((h, i) => ({ ...h, acf1Return1mSe: i % 2 === 0 ? 0.03 : 0.05 }));
    const sdAcf2 = Math.sqrt((0.03 ** 2 + 0.05 ** 2) / 2 + sdAcf ** 2 / (1 + 1 / 4) / 4);
    expect(heldOutPassProbability(withSe, target, 10, { sizes: false, spreads: false }).perTarget.find((t) => t.fact === 'acf1Return1m on every seed')?.probability).toBeCloseTo((normalCdf(0.1 / sdAcf2) - normalCdf(-0.1 / sdAcf2)) ** 10, 12);
    // A figure the file cannot give (NaN there, e.g. no 1-minute returns) is no target; one not passed is.
    const facts = heldOutPassProbability(heads, { ...target, kurtosis1m: Number.NaN, acf1Return1m: Number.NaN, absAcfLag1: 0.2 }, 10, { sizes: false, spreads: false }).perTarget.map((t) => t.fact);
    expect(facts).not.toContain('kurtosis1m');
    expect(facts).not.toContain('acf1Return1m on every seed');
    expect(facts).toContain('absAcfLag1');
    expect(facts).toContain('absAcfLag2');
    // Without the file's sizes and spreads, their KS targets are left out.
    expect(got.perTarget.some((t) => t.fact === 'spreadKs' || t.fact === 'marketOrderSizeKs')).toBe(false);
    // The branching's bound is absolute (0.1 about the file's 0.5): 0.45 met, 0.39 missed.
    expect(heldOutPassProbability([{ ...ok, moBranching: 0.45 }], target, 10, { sizes: false, spreads: false }).logProbability).toBe(0);
    expect(heldOutPassProbability([{ ...ok, moBranching: 0.39 }], target, 10, { sizes: false, spreads: false }).perTarget.find((t) => t.fact === 'moBranching')?.probability).toBe(0);
  });

  it('picks, among the validated points, the one most likely to meet every target held out, before the smallest misfit', async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    // On the validation seeds, point 0 sits on every target but market orders +12% (misfit
    // ln(1.12)² = 0.0128), point 1 on every target but the three rates +9% each (3·ln(1.09)² =
    // 0.0223: larger, but every bound met), the others 50% off everywhere; every other held-to
    // figure inside its bound, the same on each session (so each probability is 0 or 1).
    const runSessions = async (jobs: Parameters<typeof inProcessSessions>[0]) => {
      const heads = await inProcessSessions(jobs);
      if (jobs[0].seed < 1000) return heads;
      const specs: string[] = [];
      return heads.map((h, n) => {
        const key = JSON.stringify(jobs[n].spec);
        if (!specs.includes(key)) specs.push(key);
        const p = specs.indexOf(key);
        const f = p === 0 ? [1, 1, 1.12] : p === 1 ? [1.09, 1.09, 1.09] : [1.5, 1.5, 1.5];
        const g = p <= 1 ? 1 : 1.5;
        return { ...h, limitPerSecond: f[0] * target.limitPerSecond, cancelPerSecond: f[1] * target.cancelPerSecond, marketPerSecond: f[2] * target.marketPerSecond, spreadMeanTicks: g * target.spreadMeanTicks, depth1: g * target.depth1, moBranching: g * target.moBranching, meanMarketOrderQty: g * target.meanMarketOrderQty, limitJoinShare: g * target.limitJoinShare, moBranchingDecay: g * target.moBranchingDecay, sd1mBps: g * target.sd1mBps, acf1Return1mOverlap: 0, acf1Return1m: 0, kurtosis1m: 6, absAcfLag1: 0.2, absAcfLag2: 0.2, volumeAbsReturnCorr: 0.3, signAcfLag1: 0.6, signAcfLag10: 0.1, signAcfLag100: 0.01, volumeEdgeRatio: 1.3 };
      });
    };
    const r = await refinePreset(fit, target, 'g', { iterations: 1, restarts: 1, seconds: 60, seed: 3, seeds: 1, validationSeeds: 2, runSessions });
    expect(r.validation.length).toBe(4);
    expect(r.validation[0].misfit).toBeCloseTo(Math.log(1.12) ** 2, 10);
    expect(r.validation[1].misfit).toBeCloseTo(3 * Math.log(1.09) ** 2, 10);
    expect(r.validation[0].passProbability).toBeLessThan(1e-299);
    expect(r.validation[0].missed).toEqual(['marketPerSecond 0.336 (p 0.00)']);
    expect(r.validation[1].passProbability).toBe(1);
    expect(r.validation[1].missed).toEqual([]);
    expect(r.validation[2].missed?.length).toBeGreaterThan(3);
    // The smallest misfit is point 0's; the pick is point 1.
    expect(r.knobs).toBe(r.validation[1].knobs);
    expect(r.spec).toEqual(presetFromFit(fit, r.validation[1].knobs, 'g'));
  });

  it('runs one path a restart, each on its own sessions, and validates the best points of all of them together', async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    const seen: number[][] = [];
    const runSessions = async (jobs: Parameters<typeof inProcessSessions>[0]) => {
      seen.push(jobs.map((j) => j.seed));
      return inProcessSessions(jobs);
    };
    const opts = { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 2, validationSeeds: 2 };
    const one = await refinePreset(fit, target, 'r', opts);
    const two = await refinePreset(fit, target, 'r', { ...opts, restarts: 2, runSessions });
    // Path 0 is the one-path run itself (same sessions, same steps); path 1 starts from the same knobs on seeds 5–6.
    const p0 = two.history.filter((h) => h.path === 0);
    const p1 = two.history.filter((h) => h.path === 1);
    expect(p0).toEqual(one.history);
    expect(two.history).toEqual([...p0, ...p1]);
    expect(p1[0].knobs).toEqual(p0[0].knobs);
    expect(p1[0].misfit).not.toBe(p0[0].misfit);
    const batches = seen.slice(0, -1);
    const firstOfPath1 = batches.findIndex((b) => b[0] === 5);
    expect(firstOfPath1).toBeGreaterThan(0);
    expect(batches.slice(0, firstOfPath1).every((b) => b.every((x) => x === 3 || x === 4))).toBe(true);
    expect(batches.slice(firstOfPath1).every((b) => b.every((x) => x === 5 || x === 6))).toBe(true);
    // Validation: each path's 4 best points, in order, that write a preset not taken before (the
    // paths share their start, so one may be the other's), all on the same fresh seeds 1003–1004.
    const taken = new Set<string>();
    const best4 = (hs: typeof p0) => {
      const out: typeof p0 = [];
      for (const h of [...hs].sort((a, b) => a.misfit - b.misfit)) {
        const key = JSON.stringify(presetFromFit(fit, h.knobs, 'r'));
        if (out.length === 4 || taken.has(key)) continue;
        taken.add(key);
        out.push(h);
      }
      return out;
    };
    const expected = [...best4(p0), ...best4(p1)];
    expect(two.validation.map((v) => v.knobs)).toEqual(expected.map((h) => h.knobs));
    expect(two.validation.map((v) => v.path)).toEqual(expected.map((h) => h.path));
    expect(expected.filter((h) => h.path === 1).length).toBe(4);
    expect(seen[seen.length - 1]).toEqual(Array.from({ length: 8 }, () => [1003, 1004]).flat());
    // The first 4 validated points are the one-path run's, on the same seeds: the same misfits.
    expect(two.validation.slice(0, 4)).toEqual(one.validation);
    const pick = two.validation.reduce((a, v) => ((v.logPassProbability as number) > (a.logPassProbability as number) || (v.logPassProbability === a.logPassProbability && v.misfit < a.misfit) ? v : a));
    expect(two.knobs).toBe(pick.knobs);
    expect(two.spec).toEqual(presetFromFit(fit, two.knobs, 'r'));
    // Without validation, the smaller of the two paths' best misfits.
    const noVal = await refinePreset(fit, target, 'r', { ...opts, restarts: 2, validationSeeds: 0 });
    const least = noVal.history.reduce((a, h) => (h.misfit < a.misfit ? h : a));
    expect(noVal.knobs).toBe(least.knobs);
    // By default, six paths.
    const dflt = await refinePreset(fit, target, 'r', { iterations: 1, seconds: 60, seed: 3, seeds: 1, validationSeeds: 0 });
    expect([...new Set(dflt.history.map((h) => h.path))]).toEqual([0, 1, 2, 3, 4, 5]);
    // Bad restarts are refused before anything runs, naming the value and the range (1000 / seeds).
    const batchesBefore = seen.length;
    for (const bad of [0, 1.5, 501]) {
      await expect(refinePreset(fit, target, 'r', { ...opts, restarts: bad, runSessions })).rejects.toThrow(new RegExp(`restarts must be an integer in \\[1, 500\\].*got ${bad}`));
    }
    expect(seen.length).toBe(batchesBefore);
  });

  it('gives the same preset bit for bit whether its sessions run in this thread or on worker threads', async () => {
    const target = { limitPerSecond: 0.5, cancelPerSecond: 0.3, marketPerSecond: 0.3, spreadMeanTicks: 6, depth1: 200, moBranching: 0.4, meanMarketOrderQty: 150, limitJoinShare: 0.3, moBranchingDecay: 50, sd1mBps: 10 };
    // The file's market-order sizes travel with each job (the size KS residual).
    const marketOrderSizes = Float64Array.from({ length: 400 }, (_, i) => 100 * (1 + (i % 5)));
    const opts = { iterations: 1, restarts: 1, seconds: 120, seed: 3, seeds: 2, marketOrderSizes, validationSeeds: 2 };
    const here = await refinePreset(fit, target, 'same', opts);
    expect(here.history.every((h) => Number.isFinite(h.sim.marketOrderSizeKs))).toBe(true);
    const pool = new SessionPool(2);
    try {
      const there = await refinePreset(fit, target, 'same', { ...opts, runSessions: (jobs) => pool.run(jobs) });
      expect(there.history).toEqual(here.history);
      expect(there.spec).toEqual(here.spec);
    } finally {
      await pool.close();
    }
  });

  it('rejects mismatched files', () => {
    expect(() => fitLobsterDay(m, { ...b, length: b.length - 1 })).toThrow(/row counts differ/);
  });
});

describe('fitPowerLaw and fitIntraday', () => {
  it('fitPowerLaw recovers the exponent within 4 standard errors', () => {
    const rng = Rng.fromSeed(11, 'pl');
    const pl = powerLaw(1.3, 1, 60);
    const n = 20000;
    const d = Float64Array.from({ length: n }, () => 1 + pl.table.sample(rng));
    expect(Math.abs(fitPowerLaw(d, 1, 60) - 1.3)).toBeLessThan(4 / Math.sqrt(n * pl.varLog) + 0.01);
  });

  it('fitIntraday reproduces the open and close shares of a U-shaped Poisson flow within 4 sd', () => {
    const spec = { sessionSeconds: T, open: 2, openTau: 0.02, close: 8, closeTau: 0.03 };
    const prof = new UShapeProfile(spec);
    const rng = Rng.fromSeed(5, 'intraday');
    const rate = 4;
    const times: number[] = [];
    for (let t = rng.exponential(rate * prof.max); t < T; t += rng.exponential(rate * prof.max)) {
      if (rng.next() * prof.max < prof.value(t)) times.push(t);
    }
    const f = fitIntraday(times, T);
    const fitted = new UShapeProfile({ sessionSeconds: T, open: f.open, openTau: f.openTau, close: f.close, closeTau: f.closeTau });
    const n = times.length;
    for (const [a, c] of [
      [0, 1800],
      [T - 1800, T],
    ]) {
      const share = times.filter((t) => t >= a && t < c).length / n;
      const p = prof.integral(a, c) / T;
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      expect(Math.abs(fitted.integral(a, c) / T - share)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it('fitActivity recovers the log-OU factor of a Cox flow, and finds none in a Poisson flow', () => {
    // 40 flat sessions, 1 event/s times A = e^(X − sd²/2), X an OU (sd 0.4, τ 300 s) on a 1-s grid.
    // 15,600 one-minute bins: the autocovariance at lag ℓ has a relative sd of about
    // √(τ/(60·N))/e^(−ℓ/τ) ≈ 3% (ℓ = 2 min) to 13% (ℓ = 10 min), so the regression over those lags
    // recovers ln sd² and 1/τ to a few percent; the bounds (15%, 30%) are about three of its sds.
    const days = 40;
    const seconds = days * T;
    const sd = 0.4;
    const tau = 300;
    const flat = { open: 0, openTau: 0.02, close: 0, closeTau: 0.02 };
    const rng = Rng.fromSeed(21, 'activity');
    const phi = Math.exp(-1 / tau);
    const innov = sd * Math.sqrt(1 - phi * phi);
    let x = sd * rng.normal();
    const cox: number[] = [];
    const poisson: number[] = [];
    for (let t = 0; t < seconds; t++) {
      x = phi * x + innov * rng.normal();
      const k = rng.poisson(Math.exp(x - 0.5 * sd * sd));
      for (let i = 0; i < k; i++) cox.push(t + rng.next());
      const j = rng.poisson(1);
      for (let i = 0; i < j; i++) poisson.push(t + rng.next());
    }
    const f = fitActivity(cox, seconds, flat);
    expect(Math.abs(f.sd / sd - 1)).toBeLessThan(0.15);
    expect(Math.abs(f.meanReversionSeconds / tau - 1)).toBeLessThan(0.3);
    expect(f.lags).toBeGreaterThanOrEqual(5);
    // Weights scale the bins: a constant weight changes nothing.
    const w = fitActivity(cox, seconds, flat, { weights: new Float64Array(cox.length).fill(100) });
    expect(w.sd).toBeCloseTo(f.sd, 10);
    // No factor: the autocovariance is noise of size 1/(60·√N) ≈ 1e-4, so sd ≈ 0.01 at most.
    expect(fitActivity(poisson, seconds, flat).sd).toBeLessThan(0.05);
    expect(() => fitActivity(cox, seconds, flat, { maxLag: 2 })).toThrow(/maxLag/);
    expect(() => fitActivity(cox, seconds, flat, { weights: [1] })).toThrow(/weights must have one entry per time/);
  });
});
