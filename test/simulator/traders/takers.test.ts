import { describe, expect, it } from 'vitest';
import { parseMarketSpec } from '../../../configs/index.ts';
import { Market, AGENT_OWNER, BUY, OWNER_TAKER } from '../../../simulator/index.ts';

describe('Hawkes takers in the market', () => {
  it('send market orders at the stationary Hawkes rate (I − A)⁻¹μ, within 4 sd', () => {
    const spec = parseMarketSpec({
      intraday: { enabled: false },
      takers: { muBuy: 0.08, muSell: 0.08, selfFast: 0.35, selfSlow: 0.2, crossFast: 0.01, crossSlow: 0.01 },
      marketMakers: { enabled: false },
      fundamental: { enabled: false },
      momentum: { enabled: false },
      noise: { enabled: false },
      institutional: { enabled: false },
    });
    const T = 20000;
    const m = Market.fromSpec(spec, 3);
    m.runUntil(T);
    // Only the takers send market orders here. Symmetric 2-D: total rate μ/(1 − n), n = self + cross.
    const mu = 0.16;
    const n = 0.35 + 0.2 + 0.01 + 0.01;
    const rate = mu / (1 - n);
    // Var N(T)/T → μ/(1 − n)³ (docs/reference.md) for the summed process.
    const sd = Math.sqrt(mu / ((1 - n) ** 3 * T));
    expect(Math.abs(m.counts.market / T - rate)).toBeLessThan(4 * sd);
    expect(m.takers.meanRate).toBeCloseTo(rate, 10);
  });
});

describe('agent excitation of the takers', () => {
  it('adds the agent cluster and leaves every baseline taker order in place (common random numbers)', () => {
    const spec = parseMarketSpec({ takers: { agentExcitation: 2 } });
    const takerTimes = (agent: boolean): number[] => {
      const m = Market.fromSpec(spec, 6);
      m.runUntil(300);
      if (agent) for (let k = 0; k < 20; k++) m.submitMarket(AGENT_OWNER, BUY, 1000);
      m.runUntil(900);
      const o = m.marketOrders();
      const out: number[] = [];
      for (let i = 0; i < o.owner.length; i++) if (o.owner[i] === OWNER_TAKER) out.push(o.time[i]);
      return out;
    };
    const base = takerTimes(false);
    const treated = takerTimes(true);
    const set = new Set(treated);
    for (const t of base) expect(set.has(t)).toBe(true);
    // 20 orders above the mean taker size × 2 excitations, each a cluster of 1/(1 − n) − 1 ≈ 1.33 orders on average.
    expect(treated.length).toBeGreaterThan(base.length);
  });
});
