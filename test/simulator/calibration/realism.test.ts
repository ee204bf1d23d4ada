import { describe, expect, it } from 'vitest';
import { loadMarketConfig } from '../../../configs/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRealism, depletionGaps, realSession, realismTargets, simulatedSession, summarize } from '../../../simulator/calibration/index.ts';
import { Market } from '../../../simulator/index.ts';
import { LobsterRecorder, LobsterWriter, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/lobster/index.ts';
import type { RealismSession } from '../../../simulator/calibration/index.ts';
import { acf1RobustSe, ksTwoSample } from '../../../simulator/stats/index.ts';

const T0 = 34200;

/**
 * A small hand-made day of 1,200 s: a limit add every 2 s, a cancel every 4 s, a market order
 * (two fills at one timestamp) every 10 s alternating buy/sell, the spread alternating between 2
 * and 6 ticks every message, and the mid stepping up one tick every 60 s.
 */
function tinyDay(): { m: LobsterMessages; b: LobsterOrderbook; seconds: number } {
  const seconds = 1200;
  const rows: [number, number, number, number, number, number][] = [];
  for (let t = 1; t < seconds; t += 2) rows.push([T0 + t, 1, t, 100, 1000000, 1]);
  for (let t = 1.5; t < seconds; t += 4) rows.push([T0 + t, 3, t, 100, 1000000, 1]);
  let k = 0;
  for (let t = 5.25; t < seconds; t += 10, k++) {
    const dir = k % 2 === 0 ? -1 : 1;
    rows.push([T0 + t, 4, 1e6 + 2 * k, 50, 1000100, dir], [T0 + t, 4, 1e6 + 2 * k + 1, 30, 1000100, dir]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const n = rows.length;
  const values = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const mid = 10000 + Math.floor((rows[i][0] - T0) / 60);
    const half = i % 2 === 0 ? 1 : 3;
    values.set([(mid + half) * 100, 100, (mid - half) * 100, 100], 4 * i);
  }
  return {
    m: {
      length: n,
      time: Float64Array.from(rows, (r) => r[0]),
      type: Int8Array.from(rows, (r) => r[1]),
      orderId: Float64Array.from(rows, (r) => r[2]),
      size: Float64Array.from(rows, (r) => r[3]),
      price: Float64Array.from(rows, (r) => r[4]),
      direction: Int8Array.from(rows, (r) => r[5]),
    },
    b: { length: n, levels: 1, values },
    seconds,
  };
}

describe('realism', () => {
  const { m, b, seconds } = tinyDay();
  const real = realSession(m, b, { sessionStart: T0, sessionSeconds: seconds });

  it('measures a real day on the documented definitions', () => {
    const h = real.headline;
    expect(h.limitPerSecond).toBeCloseTo(600 / seconds, 12);
    expect(h.cancelPerSecond).toBeCloseTo(300 / seconds, 12);
    expect(h.marketPerSecond).toBeCloseTo(120 / seconds, 12);
    // Market orders alternate in sign: lag-1 sign ACF near −1.
    expect(h.signAcfLag1).toBeLessThan(-0.9);
    expect(h.meanMarketOrderQty).toBe(80);
    // Spread 2 or 6 ticks, alternating per message; the 1-second grid sees both.
    expect(h.spreadMeanTicks).toBeGreaterThan(2);
    expect(h.spreadMeanTicks).toBeLessThan(6);
    expect(real.extra.spreadEventMeanTicks).toBeCloseTo(4, 1);
    expect(real.spreads1s.every((s) => s === 2 || s === 6)).toBe(true);
    expect(real.interArrivals.length).toBe(119);
    expect(real.interArrivals.every((x) => Math.abs(x - 10) < 1e-6)).toBe(true);
    // The mid steps one tick each minute: every 1-minute return after the first is ln((m+1)/m).
    expect(real.returns1m.length).toBe(seconds / 60 - 1);
    // The table's added figures: spread quantiles on the 1-s grid, sizes, empty sides.
    expect(h.spreadP05).toBe(2);
    expect(h.spreadP95).toBe(6);
    expect(h.emptySideSeconds).toBe(0);
    expect(Array.from(real.marketOrderSizes)).toEqual(new Array(120).fill(80));
    // Strictly periodic arrivals: a Hawkes fit finds no self-excitation.
    expect(h.moBranching).toBeLessThan(0.05);
  });

  it('measures the share of level-1 adds that join a level in view (the price of the side\'s best in the row before)', () => {
    const d = tinyDay();
    // Every other add (all are buys) goes at the bid of the row before (a join), the others one tick above it (a new level).
    let k = 0;
    for (let i = 1; i < d.m.length; i++) if (d.m.type[i] === 1) d.m.price[i] = d.b.values[4 * (i - 1) + 2] + (k++ % 2 === 0 ? 0 : 100);
    const r = realSession(d.m, d.b, { sessionStart: T0, sessionSeconds: d.seconds });
    // The first row (an add) has no row before it and is not classified: 599 adds, 300 joins.
    expect(k).toBe(599);
    expect(r.headline.limitJoinShare).toBeCloseTo(300 / 599, 12);
    // Simulated: providers that always join the best (nothing else trades) join a level every time.
    const spec = { intraday: { enabled: false }, liquidity: { joinBestProbability: 1, refillRate: 0 }, takers: { enabled: false }, marketMakers: { enabled: false }, fundamental: { enabled: false }, momentum: { enabled: false }, noise: { enabled: false }, institutional: { enabled: false } };
    const h = simulatedSession(spec, 3, { seconds: 600 }).headline;
    expect(h.limitPerSecond).toBeGreaterThan(1);
    expect(h.limitJoinShare).toBe(1);
  });

  it('counts the seconds a real book side is empty on the 1-second grid', () => {
    const d = tinyDay();
    // Empty the bid from row 100 to row 199 (a side at size 0 and the LOBSTER empty price).
    const t1 = d.m.time[100] - T0;
    const t2 = d.m.time[200] - T0;
    for (let i = 100; i < 200; i++) d.b.values.set([d.b.values[4 * i], 100, -9999999999, 0], 4 * i);
    const r = realSession(d.m, d.b, { sessionStart: T0, sessionSeconds: d.seconds });
    // Grid points k = 0..seconds−2 at T0 + k: those in [t1, t2) read an empty-bid row.
    let expected = 0;
    for (let k = 0; k < d.seconds - 1; k++) if (k >= t1 && k < t2) expected++;
    expect(r.headline.emptySideSeconds).toBe(expected);
  });

  it('compares a session with itself as identical', () => {
    const c = compareRealism(real, [real, real]);
    expect(c.ks.interArrival.statistic).toBe(0);
    expect(c.ks.spread.statistic).toBe(0);
    expect(c.ks.return1m.statistic).toBe(0);
    for (const [k, v] of Object.entries(c.relativeError)) if (Number.isFinite(c.real[k as keyof typeof c.real]) && c.real[k as keyof typeof c.real] !== 0) expect(v).toBeCloseTo(0, 12);
    expect(c.simSd.limitPerSecond).toBe(0);
    expect(c.ks.marketOrderSize.statistic).toBe(0);
    expect(c.perSeed.length).toBe(2);
    expect(c.seeds).toBe(2);
    expect(c.perSeedKs).toEqual({ spread: [0, 0], marketOrderSize: [0, 0] });
    // The targets read the comparison: the rate, spread and size targets hold against itself.
    const t = Object.fromEntries(realismTargets(c).map((x) => [x.fact, x.met]));
    expect(t.limitPerSecond && t.cancelPerSecond && t.marketPerSecond && t.spreadMeanTicks && t.meanMarketOrderQty).toBe(true);
    expect(t['KS D spread (1-s grid)']).toBe(true);
    expect(t.emptySideSeconds).toBe(true);
    expect(() => summarize([])).toThrow(/at least one/);
  });

  it("measures a simulated session as its own level-1 files measure it", () => {
    // The same market and seed written as a level-1 LOBSTER view: every figure of the file's side,
    // read off the files, equals the simulated side's. The default preset's fundamental traders
    // send an IOC and a limit at one instant (4–5% of its aggressive orders): a file shows them as
    // one market order, and so must the simulated side (rates, sizes, signs, branching).
    const spec = loadMarketConfig('default');
    const seconds = 900;
    const dir = mkdtempSync(join(tmpdir(), 'eg-fileview-'));
    try {
      const market = Market.fromSpec(spec, 6);
      const w = new LobsterWriter({ messagesPath: join(dir, 'msg.csv'), orderbookPath: join(dir, 'book.csv'), levels: 1, tickSize: 100 });
      market.recorder = new LobsterRecorder(market, w);
      market.runUntil(market.now + seconds);
      market.recorder = null;
      const tape = market.marketOrders(0);
      w.close();
      const msg = readLobsterMessages(join(dir, 'msg.csv'));
      const book = readLobsterOrderbook(join(dir, 'book.csv'));
      const file = realSession(msg, book, { sessionStart: T0, sessionSeconds: seconds });
      const sim = simulatedSession(spec, 6, { seconds });
      // Some aggressive orders share an instant and a side, so the view differs from the tape.
      expect(sim.marketOrderSizes.length).toBeLessThan(tape.time.length);
      expect(sim.marketOrderSizes.length).toBeGreaterThan(100);
      const f = file.headline;
      const h = sim.headline;
      for (const k of ['limitPerSecond', 'limitJoinShare', 'cancelPerSecond', 'marketPerSecond', 'meanMarketOrderQty', 'signAcfLag1', 'signAcfLag10', 'signAcfLag100', 'kurtosis1m', 'acf1Return1m', 'sd1mBps', 'absAcfLag1', 'volumeAbsReturnCorr', 'depth1', 'spreadMeanTicks', 'spreadP05', 'spreadP50', 'spreadP95', 'emptySideSeconds', 'depletionShare', 'depletionGapTicks'] as const) {
        expect([k, h[k]]).toEqual([k, f[k]]);
      }
      // The branching's EM runs on times written with 9 decimals: equal to ~1e-9.
      expect(h.moBranching).toBeCloseTo(f.moBranching, 6);
      // The bps mean differs only by the simulated side's sample at the open (901 against 900).
      expect(h.spreadMeanBps).toBeCloseTo(f.spreadMeanBps, 2);
      expect(Array.from(sim.marketOrderSizes)).toEqual(Array.from(file.marketOrderSizes));
      // The depletion gaps as read off the files.
      const gaps = depletionGaps(msg, book, 100, T0, seconds);
      expect(gaps.gaps.length).toBeGreaterThan(10);
      expect(gaps.gaps.every((g) => Number.isInteger(g) && g >= 1)).toBe(true);
      expect(h.depletionShare).toBe(gaps.gaps.length / gaps.executions);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the adds and cancels at the best on a level-N file as its level-1 file holds them', () => {
    // One simulated session written twice, as a level-1 and as a level-3 view (two recorders on one
    // run): the level-3 file's adds and cancels at the best (each message's price against the row
    // before) are the level-1 file's adds and cancels, and the simulated side counts the same
    // whatever its view's level.
    const spec = loadMarketConfig('default');
    const seconds = 600;
    const dir = mkdtempSync(join(tmpdir(), 'eg-level1-'));
    try {
      const market = Market.fromSpec(spec, 8);
      const w1 = new LobsterWriter({ messagesPath: join(dir, 'm1.csv'), orderbookPath: join(dir, 'b1.csv'), levels: 1, tickSize: 100 });
      const w3 = new LobsterWriter({ messagesPath: join(dir, 'm3.csv'), orderbookPath: join(dir, 'b3.csv'), levels: 3, tickSize: 100 });
      const r1 = new LobsterRecorder(market, w1);
      const r3 = new LobsterRecorder(market, w3);
      const both = [r1, r3];
      market.recorder = {
        onSubmit: (...a) => both.forEach((r) => r.onSubmit(...a)),
        onCancel: (...a) => both.forEach((r) => r.onCancel(...a)),
        onReduce: (...a) => both.forEach((r) => r.onReduce(...a)),
        onExecute: (...a) => both.forEach((r) => r.onExecute(...a)),
        onCallEnd: () => both.forEach((r) => r.onCallEnd()),
      };
      market.runUntil(market.now + seconds);
      market.recorder = null;
      w1.close();
      w3.close();
      const opts = { sessionStart: T0, sessionSeconds: seconds };
      const f1 = realSession(readLobsterMessages(join(dir, 'm1.csv')), readLobsterOrderbook(join(dir, 'b1.csv')), opts).headline;
      const f3 = realSession(readLobsterMessages(join(dir, 'm3.csv')), readLobsterOrderbook(join(dir, 'b3.csv')), opts).headline;
      // The level-3 file holds more adds and cancels than the level-1 one ...
      expect(f3.limitPerSecond).toBeGreaterThan(1.5 * f1.limitPerSecond);
      expect(f3.cancelPerSecond).toBeGreaterThan(1.5 * f1.cancelPerSecond);
      // ... and exactly the level-1 file's at the best; on the level-1 file those are all of them.
      expect(f3.level1LimitPerSecond).toBe(f1.limitPerSecond);
      expect(f3.level1CancelPerSecond).toBe(f1.cancelPerSecond);
      expect(f1.level1LimitPerSecond).toBe(f1.limitPerSecond);
      expect(f1.level1CancelPerSecond).toBe(f1.cancelPerSecond);
      // The simulated side, same seed, measured as a level-3 and a level-1 view.
      const s3 = simulatedSession(spec, 8, { seconds, levels: 3 }).headline;
      const s1 = simulatedSession(spec, 8, { seconds, levels: 1 }).headline;
      expect([s3.limitPerSecond, s3.cancelPerSecond]).toEqual([f3.limitPerSecond, f3.cancelPerSecond]);
      expect([s3.level1LimitPerSecond, s3.level1CancelPerSecond]).toEqual([f1.limitPerSecond, f1.cancelPerSecond]);
      expect([s1.level1LimitPerSecond, s1.level1CancelPerSecond]).toEqual([s1.limitPerSecond, s1.cancelPerSecond]);
      // The adds' mean distance from the opposite best: the simulated side reads it at each submit
      // as the files do off the row before, over the same adds in view. The level-3 window holds
      // adds further out than the level-1 one.
      expect(s3.addDistanceTicks).toBe(f3.addDistanceTicks);
      expect(s1.addDistanceTicks).toBe(f1.addDistanceTicks);
      expect(f3.addDistanceTicks).toBeGreaterThan(f1.addDistanceTicks);
      expect(f1.addDistanceTicks).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures a simulated session as a level-1 file sees it', () => {
    const spec = loadMarketConfig('default');
    const s: RealismSession = simulatedSession(spec, 4, { seconds: 900, levels: 1 });
    const h = s.headline;
    expect(h.marketPerSecond).toBeGreaterThan(0);
    expect(h.limitPerSecond).toBeGreaterThan(0);
    // The level-1 view holds a subset of all messages.
    expect(h.limitPerSecond).toBeLessThanOrEqual(s.extra.allLevelLimitPerSecond);
    expect(h.cancelPerSecond).toBeLessThanOrEqual(s.extra.allLevelCancelPerSecond);
    expect(s.spreads1s.length).toBeGreaterThan(800);
    expect(s.returns1m.length).toBe(14);
    // The return ACF's robust standard error is that of the session's 1-minute returns.
    expect(h.acf1Return1mSe).toBeCloseTo(acf1RobustSe(s.returns1m), 12);
    expect(s.interArrivals.length).toBe(Math.round(h.marketPerSecond * 900) - 1);
    const c = compareRealism(real, [s]);
    expect(c.ks.spread.statistic).toBeGreaterThan(0);
    expect(c.ks.spread.statistic).toBeLessThanOrEqual(1);
    // With one seed, its own KS D is the pooled one; with two, each seed's is its own sample's.
    expect(c.perSeedKs.spread).toEqual([c.ks.spread.statistic]);
    expect(c.perSeedKs.marketOrderSize).toEqual([c.ks.marketOrderSize.statistic]);
    const two = compareRealism(real, [s, real]);
    expect(two.perSeedKs.spread).toEqual([c.ks.spread.statistic, 0]);
    // Same seed, same numbers.
    expect(simulatedSession(spec, 4, { seconds: 900 }).headline).toEqual(h);
    expect(() => simulatedSession(spec, 4, { seconds: 0 })).toThrow(/seconds/);
    // Given a reference sample of sizes, the headline holds this session's size KS D against it;
    // the reference changes nothing else.
    expect(Number.isNaN(h.marketOrderSizeKs)).toBe(true);
    const withRef = simulatedSession(spec, 4, { seconds: 900, sizeReference: real.marketOrderSizes });
    expect(withRef.headline.marketOrderSizeKs).toBe(ksTwoSample(withRef.marketOrderSizes, real.marketOrderSizes).statistic);
    expect(withRef.headline.marketOrderSizeKs).toBeGreaterThan(0);
    expect({ ...withRef.headline, marketOrderSizeKs: Number.NaN }).toEqual(h);
  });
});
