import { describe, expect, it } from 'vitest';
import { parseMarketSpec } from '../../../configs/index.ts';
import { Market, randomizeMarket, AGENT_OWNER, BUY, SELL } from '../../../simulator/index.ts';
import { FundamentalTraders, meanSize } from '../../../simulator/traders/index.ts';
import type { TraderHost } from '../../../simulator/traders/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

function traders(fundamental: Record<string, unknown>): { f: FundamentalTraders; unit: number } {
  const p = randomizeMarket(parseMarketSpec({ fundamental: { volOfVol: 0, jumpRate: 0, learningRate: 0, ...fundamental } }), Rng.fromSeed(1, 'randomize'));
  const f = new FundamentalTraders();
  f.configure(p, Rng.fromSeed(1, 'market').fork('fundamental'));
  return { f, unit: meanSize(p.takers.sizeMedian, p.takers.sizeSigma) };
}

describe('fundamental traders', () => {
  it('learn from order flow: each market order moves the estimate by κ·sign·(q/unit)^γ, decaying with the half-life', () => {
    const { f, unit } = traders({ flowImpactTicks: 2, flowSizeExponent: 0.4, flowHalfLifeSeconds: 30 });
    expect(f.learnsFlow).toBe(true);
    const v = f.value;
    expect(f.estimate(0)).toBe(v);
    f.onMarketOrder(10, BUY, 4 * unit);
    expect(f.estimate(10) - v).toBeCloseTo(2 * Math.pow(4, 0.4), 9);
    // One half-life later half of it is left; a sell of the same size cancels what is left.
    expect(f.estimate(40) - v).toBeCloseTo(Math.pow(4, 0.4), 9);
    f.onMarketOrder(40, SELL, 4 * unit);
    expect(f.estimate(40) - v).toBeCloseTo(-Math.pow(4, 0.4), 9);
    // Concave in the size: 100 times the size moves it 100^0.4 ≈ 6.3 times as much.
    const { f: g } = traders({ flowImpactTicks: 1, flowSizeExponent: 0.4 });
    g.onMarketOrder(0, BUY, unit);
    const small = g.estimate(0) - g.value;
    const { f: h } = traders({ flowImpactTicks: 1, flowSizeExponent: 0.4 });
    h.onMarketOrder(0, BUY, 100 * unit);
    expect((h.estimate(0) - h.value) / small).toBeCloseTo(Math.pow(100, 0.4), 10);
  });

  it('is off by default and forgets the latent position at 1/latentMemorySeconds', () => {
    const { f } = traders({});
    expect(f.learnsFlow).toBe(false);
    const { f: g } = traders({ latentDepth: 2, latentMemorySeconds: 600 });
    g.latentPosition = 1000;
    g.advance(600, g.value);
    expect(g.latentPosition).toBeCloseTo(1000 * Math.exp(-1), 9);
    const { f: h } = traders({ latentDepth: 2 });
    h.latentPosition = 1000;
    h.advance(600, h.value);
    expect(h.latentPosition).toBe(1000);
  });

  it('cap each wake-up\'s order at maxOrder, or at maxOrder·e^(σZ) with maxOrderSigma σ', () => {
    // A value 1,000 ticks above the mid and no threshold: every wake-up wants 10^5 shares, far
    // above any cap, so each order's size is its wake-up's cap.
    const sizes = (extra: Record<string, unknown>): number[] => {
      const { f } = traders({ thresholdTicks: 0, aggressiveness: 100, maxOrder: 1000, limitProbability: 0, dailyVolatility: 0, ...extra });
      const out: number[] = [];
      const host = {
        now: 0,
        mid: () => f.value - 1000,
        bestBid: () => f.value - 1001,
        bestAsk: () => f.value - 999,
        placeLimit: (_o: number, _s: number, _p: number, qty: number) => (out.push(qty), 0),
        schedule: () => undefined,
        activity: () => 1,
      } as unknown as TraderHost;
      for (let k = 0; k < 4000; k++) {
        (host as { now: number }).now = k;
        f.wake(host);
      }
      return out;
    };
    expect(new Set(sizes({}))).toEqual(new Set([1000]));
    const logs = sizes({ maxOrderSigma: 0.5 }).map((q) => Math.log(q / 1000));
    expect(logs.length).toBe(4000);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    // log cap ~ N(0, 0.5²): 4 sd of the sample mean (0.5/√4000) and of the sample sd (0.5/√8000);
    // rounding to whole shares moves a log size by at most 0.5/60 at the smallest caps drawn.
    expect(Math.abs(mean)).toBeLessThan((4 * 0.5) / Math.sqrt(4000) + 0.001);
    expect(Math.abs(sd - 0.5)).toBeLessThan((4 * 0.5) / Math.sqrt(8000) + 0.001);
  });

  it('keep the latent value path and wake-ups independent of an agent (common random numbers)', () => {
    const spec = parseMarketSpec({});
    const run = (agent: boolean): Market => {
      const m = Market.fromSpec(spec, 5);
      m.runUntil(600);
      if (agent) for (let k = 0; k < 20; k++) m.submitMarket(AGENT_OWNER, BUY, 2000);
      m.runUntil(1800);
      return m;
    };
    const a = run(false);
    const b = run(true);
    // The value is advanced only at the (exogenous) wake-ups: the same path, bit for bit.
    expect(b.fundamental.value).toBe(a.fundamental.value);
    expect(b.fundamental.logVol).toBe(a.fundamental.logVol);
    // ... while the agent's buying moved the price.
    expect(b.mid()).not.toBe(a.mid());
  });
});
