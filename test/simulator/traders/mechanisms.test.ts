import { describe, expect, it } from 'vitest';
import { parseMarketSpec } from '../../../configs/index.ts';
import { HawkesProcess } from '../../../simulator/flow/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { Market, OWNER_TAKER, BUY, SELL, randomizeMarket } from '../../../simulator/index.ts';
import { FundamentalTraders, meanSize } from '../../../simulator/traders/index.ts';
import { autocorrelation, signMemory } from '../../../simulator/stats/index.ts';
import { deepScales, informedScales } from '../../../simulator/calibration/index.ts';
import type { CalibrationFit } from '../../../simulator/calibration/fit.ts';

/** Only the Hawkes takers send market orders; liquidity providers keep a book for them. */
function takersOnly(takers: Record<string, unknown>, liquidity: Record<string, unknown> = {}) {
  return parseMarketSpec({
    intraday: { enabled: false },
    takers: { muBuy: 0.2, muSell: 0.2, selfFast: 0.3, selfSlow: 0.1, crossFast: 0.02, crossSlow: 0.02, ...takers },
    liquidity: { limitRate: 4, ...liquidity },
    marketMakers: { enabled: false },
    fundamental: { enabled: false },
    momentum: { enabled: false },
    noise: { enabled: false },
    institutional: { enabled: false },
  });
}

function takerSigns(m: Market): { time: number[]; sign: number[]; qty: number[] } {
  const o = m.marketOrders();
  const out = { time: [] as number[], sign: [] as number[], qty: [] as number[] };
  for (let i = 0; i < o.owner.length; i++) {
    if (o.owner[i] !== OWNER_TAKER) continue;
    out.time.push(o.time[i]);
    out.sign.push(o.sign[i]);
    out.qty.push(o.qty[i]);
  }
  return out;
}

describe('HawkesProcess.consumeAs: choosing the dimension of an immigrant', () => {
  it('keeps every event time of a symmetric kernel (the total intensity does not depend on the dimension) and refuses excited events', () => {
    const params = { mu: [0.5, 0.5], components: [{ decay: 3, branching: [[0.4, 0.1], [0.1, 0.4]] }] };
    const a = new HawkesProcess(params);
    const b = new HawkesProcess(params);
    a.reset(Rng.fromSeed(1, 'h'), 0);
    b.reset(Rng.fromSeed(1, 'h'), 0);
    let refused = 0;
    let immigrants = 0;
    for (let n = 0; n < 5000; n++) {
      // Equal up to the rounding of the intensity sums (their terms are added in another order).
      expect(Math.abs(b.peekNextTime() - a.peekNextTime())).toBeLessThan(1e-9 * (1 + a.peekNextTime()));
      a.consume();
      if (b.peekIsBaseline()) {
        immigrants++;
        b.consumeAs(1);
      } else {
        expect(() => b.consumeAs(0)).toThrow(/not a baseline event/);
        refused++;
        b.consume();
      }
    }
    // Branching ratio 0.5: half the events are immigrants.
    expect(immigrants / 5000).toBeGreaterThan(0.45);
    expect(immigrants / 5000).toBeLessThan(0.55);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('metaorder splitting of the takers (Lillo–Mike–Farmer)', () => {
  it('gives the trade signs long memory (positive ACF at lag 100, a power-law decay) while the order times stay those of the Hawkes flow', () => {
    const T = 20000;
    const off = Market.fromSpec(takersOnly({}), 4);
    off.runUntil(T);
    const on = Market.fromSpec(takersOnly({ metaorderConcurrent: 2, metaorderTailExponent: 1.5 }), 4);
    on.runUntil(T);
    const a = takerSigns(off);
    const b = takerSigns(on);
    // The sides of immigrants change, not when anything arrives (symmetric kernel; own stream).
    for (let i = 0; i < 2000; i++) expect(Math.abs(b.time[i] - a.time[i])).toBeLessThan(1e-6);
    const n = b.sign.length;
    expect(n).toBeGreaterThan(10000);
    const lagsOff = autocorrelation(a.sign, [100]);
    const lagsOn = autocorrelation(b.sign, [1, 10, 100]);
    // Without splitting the Hawkes kernel forgets within a few orders: lag 100 is noise (sd 1/√n ≈ 0.01).
    expect(Math.abs(lagsOff[0])).toBeLessThan(4 / Math.sqrt(n));
    // With it, lag 100 is many sd above zero and the decay is a power law of exponent near α − 1 = 0.5.
    expect(lagsOn[2]).toBeGreaterThan(6 / Math.sqrt(n));
    expect(lagsOn[0]).toBeGreaterThan(lagsOn[1]);
    const m = signMemory(b.sign);
    expect(m.exponent).toBeGreaterThan(0.2);
    expect(m.exponent).toBeLessThan(0.9);
  });
});

describe('liquidity and maker options', () => {
  it('roundLotProbability 0: taker sizes are whole shares from the lognormal (few multiples of 100)', () => {
    const m = Market.fromSpec(takersOnly({ roundLotProbability: 0, sizeMedian: 44, sizeSigma: 1 }), 5);
    m.runUntil(3000);
    const q = takerSigns(m).qty;
    const lots = q.filter((x) => x % 100 === 0).length / q.length;
    // A lognormal(ln 44, 1) lands on a multiple of 100 (rounded) with probability well under 2%.
    expect(lots).toBeLessThan(0.03);
    const r = Market.fromSpec(takersOnly({ roundLotProbability: 1, sizeMedian: 44, sizeSigma: 1 }), 5);
    r.runUntil(3000);
    expect(takerSigns(r).qty.every((x) => x % 100 === 0)).toBe(true);
  });

  it('backstop: a book that empties a side without it never stays one-sided with it', () => {
    // A thin book under heavy market-order flow: sides run dry.
    const thin = (backstop: boolean) => takersOnly({ muBuy: 1, muSell: 1 }, { limitRate: 0.5, cancelRate: 0.2, backstop });
    const emptySeconds = (backstop: boolean): number => {
      const m = Market.fromSpec(thin(backstop), 2);
      m.runUntil(3000);
      let n = 0;
      for (let k = 0; k < m.series.length; k++) if (!(m.series.spread[k] > 0)) n++;
      return n;
    };
    expect(emptySeconds(false)).toBeGreaterThan(10);
    expect(emptySeconds(true)).toBe(0);
  });

  it('distanceJitter widens the spread distribution and halfSpreadJitter varies the makers\' quotes; both off draw nothing', () => {
    const base = { intraday: { enabled: false }, fundamental: { enabled: false }, momentum: { enabled: false } };
    const spreadIqr = (jitter: number): number => {
      const m = Market.fromSpec(parseMarketSpec({ ...base, liquidity: { minDistanceTicks: 4, distanceJitter: jitter, refillRate: 0.6 } }), 3);
      m.runUntil(4000);
      const s = Array.from(m.series.spread.subarray(0, m.series.length)).filter((x) => x > 0).sort((x, y) => x - y);
      return s[Math.floor(0.9 * s.length)] - s[Math.floor(0.1 * s.length)];
    };
    expect(spreadIqr(0.6)).toBeGreaterThan(spreadIqr(0));
    const quotes = (jitter: number): Set<number> => {
      const m = Market.fromSpec(parseMarketSpec({ ...base, marketMakers: { count: 1, halfSpreadTicks: 6, halfSpreadJitter: jitter, requoteSeconds: 5, inventorySkewTicks: 0 } }), 3);
      const widths = new Set<number>();
      for (let t = 10; t < 1000; t += 10) {
        m.runUntil(t);
        const ids: number[] = [];
        for (let i = 0; i < m.book.liveCount(); i++) {
          const id = m.book.liveOrderAt(i);
          if (m.book.orderOwner(id) === 16) ids.push(id);
        }
        if (ids.length === 2) widths.add(Math.abs(m.book.orderPrice(ids[0]) - m.book.orderPrice(ids[1])));
      }
      return widths;
    };
    // Without jitter a maker's quotes are 12–13 ticks apart (mid ± 6, rounded outwards); with it they vary.
    for (const w of quotes(0)) expect(w).toBeGreaterThanOrEqual(12);
    expect(quotes(0.5).size).toBeGreaterThan(quotes(0).size);
  });

  it('distanceFloorTicks: the jitter never places a provider order nearer the opposite best than the floor', () => {
    // No makers and no informed or momentum traders: inside the spread only the providers add, so the
    // spread never goes under the floor; without it the same jitter (sd 1) takes it down to 1 tick.
    const base = { intraday: { enabled: false }, fundamental: { enabled: false }, momentum: { enabled: false }, marketMakers: { enabled: false } };
    const spreads = (floor: number): number[] => {
      const m = Market.fromSpec(parseMarketSpec({ ...base, liquidity: { minDistanceTicks: 4, distanceJitter: 1, refillRate: 0.6, distanceFloorTicks: floor } }), 3);
      m.runUntil(4000);
      return Array.from(m.series.spread.subarray(0, m.series.length)).filter((x) => x > 0);
    };
    const floored = spreads(3);
    expect(Math.min(...floored)).toBe(3);
    expect(Math.min(...spreads(1))).toBe(1);
    // A floor above the inner edge is refused, naming both.
    expect(() => parseMarketSpec({ liquidity: { minDistanceTicks: 2, distanceFloorTicks: 3 } })).toThrow(/distanceFloorTicks \(3\) must be <= minDistanceTicks \(2\)/);
  });

  it('marketMakers.distanceFloorTicks: no quote nearer the opposite best than the floor, and no maker narrower than it', () => {
    // Providers without jitter stay 4 ticks out; inside that only the makers add (tight, jittered
    // half-spreads of about 1 tick), so the spread's low end is theirs. (A maker's own pair is
    // also kept apart by the clamps, its own quote being part of the best; the widening centres
    // a too-narrow pair on the fair price.)
    const base = { intraday: { enabled: false }, fundamental: { enabled: false }, momentum: { enabled: false }, liquidity: { minDistanceTicks: 4, distanceJitter: 0, refillRate: 0.6 } };
    const run = (floor: number): { spreads: number[]; widths: number[] } => {
      const m = Market.fromSpec(parseMarketSpec({ ...base, marketMakers: { count: 2, halfSpreadTicks: 1, halfSpreadJitter: 1, requoteSeconds: 2, distanceFloorTicks: floor } }), 3);
      const widths: number[] = [];
      for (let t = 5; t <= 2000; t += 5) {
        m.runUntil(t);
        for (const owner of [16, 17]) {
          const px: number[] = [];
          for (let i = 0; i < m.book.liveCount(); i++) {
            const id = m.book.liveOrderAt(i);
            if (m.book.orderOwner(id) === owner) px.push(m.book.orderPrice(id));
          }
          if (px.length === 2) widths.push(Math.abs(px[0] - px[1]));
        }
      }
      return { spreads: Array.from(m.series.spread.subarray(0, m.series.length)).filter((x) => x > 0), widths };
    };
    const floored = run(3);
    expect(Math.min(...floored.spreads)).toBe(3);
    expect(Math.min(...floored.widths)).toBe(3);
    expect(floored.widths.length).toBeGreaterThan(100);
    // Floor 1 is post-only and nothing more: the same makers make 1-tick spreads and quotes.
    const free = run(1);
    expect(Math.min(...free.spreads)).toBe(1);
    expect(Math.min(...free.widths)).toBe(1);
    for (const bad of [0, 0.5, 1e10]) expect(() => parseMarketSpec({ marketMakers: { distanceFloorTicks: bad } })).toThrow(/marketMakers\.distanceFloorTicks/);
  });
});

describe('calibrate: the informed-trading block in the day\'s units', () => {
  it('gives back the default preset\'s values at the default market\'s scales (σ1 ≈ 12 ticks, ~1 order/s of ~100 shares)', () => {
    const fit = { volatility: { sd1m: 12 / 20000, daily: 0 }, initialPriceTicks: 20000, rates: { market: 0.97 }, marketSize: { mean: 103 } } as unknown as CalibrationFit;
    const s = informedScales(fit);
    // Default preset: flowImpactTicks 2, latentDepth 4, aggressiveness 30, wakeRate 0.5.
    expect(s.flowImpactTicks).toBeCloseTo(1.25 * 12 / Math.sqrt(0.97 * 60), 12);
    expect(Math.abs(s.flowImpactTicks - 2)).toBeLessThan(0.1);
    expect(Math.abs(s.latentDepth - 4) / 4).toBeLessThan(0.1);
    // Aggressiveness is set at four times the default's ratio (faster tracking of the value).
    expect(Math.abs(s.aggressiveness - 4 * 30) / 120).toBeLessThan(0.1);
    expect(s.maxOrder).toBe(2 * 103);
    expect(s.wakeRate).toBeCloseTo(0.9 * 0.97, 12);
  });
});

describe('calibrate: the deep layer of the book in the day\'s units', () => {
  it('spans 4·σ1 beyond the band and holds 0.35·V1/σ1 shares per tick per side, whatever the tick', () => {
    const fitAt = (ticksPerDollar: number): CalibrationFit =>
      ({
        volatility: { sd1m: 11.6e-4, daily: 0 },
        initialPriceTicks: 200 * ticksPerDollar,
        rates: { market: 0.88 },
        marketSize: { mean: 218 },
        limitSize: { median: 219, sigma: 0.65 },
      }) as unknown as CalibrationFit;
    for (const [k, outer] of [[100, 12], [10, 3]] as const) {
      const fit = fitAt(k);
      const d = deepScales(fit, outer);
      const sigma1 = 11.6e-4 * 200 * k;
      const v1 = 0.88 * 60 * 218;
      const width = d.maxDistanceTicks - d.minDistanceTicks + 1;
      expect(d.minDistanceTicks).toBe(outer + 1);
      expect(width).toBe(Math.max(10, Math.round(4 * sigma1)));
      // Stationary deep orders per tick per side (M/M/∞: rate / width / hazard) times the mean limit size.
      const perTick = ((d.rate / width) / d.cancelRate) * 219 * Math.exp(0.65 ** 2 / 2);
      expect(perTick).toBeCloseTo((0.35 * v1) / sigma1, 9);
    }
  });
});

describe('order-flow learning of the surprise only (fundamental.flowSurpriseOrders)', () => {
  it('learns side − prediction, the prediction an exponential average of past signs with weight 1/N', () => {
    const p = randomizeMarket(parseMarketSpec({ fundamental: { volOfVol: 0, jumpRate: 0, learningRate: 0, flowImpactTicks: 1, flowSizeExponent: 0.5, flowHalfLifeSeconds: 1e9, flowSurpriseOrders: 4 } }), Rng.fromSeed(1, 'randomize'));
    const f = new FundamentalTraders();
    f.configure(p, Rng.fromSeed(1, 'market').fork('fundamental'));
    const unit = meanSize(p.takers.sizeMedian, p.takers.sizeSigma);
    const v = f.value;
    // n buys of one unit: the k-th adds 1 − pred_k with pred_k = 1 − (3/4)^(k−1); the total is Σ (3/4)^(k−1) → 4.
    let expected = 0;
    for (let k = 1; k <= 30; k++) {
      f.onMarketOrder(k, BUY, unit);
      expected += Math.pow(0.75, k - 1);
      // The half-life is 1e9 s: the decay over 30 s is below 1e-7 of the signal.
      expect(Math.abs(f.estimate(k) - v - expected)).toBeLessThan(1e-6);
    }
    // A predictable run moves the estimate by at most N units, not by one per order.
    expect(f.estimate(30) - v).toBeLessThan(4);
    // A surprise (a sell after the buys) counts almost double: −1 − pred ≈ −2.
    const before = f.estimate(30) - v;
    f.onMarketOrder(31, SELL, unit);
    expect(f.estimate(31) - v - before).toBeCloseTo(-1 - (1 - Math.pow(0.75, 30)), 5);
  });
});
