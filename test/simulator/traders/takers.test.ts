import { describe, expect, it } from 'vitest';
import { parseMarketSpec } from '../../../configs/index.ts';
import { Market } from '../../../simulator/index.ts';

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
    // Var N(T)/T → μ/(1 − n)³ (REFERENCE.md) for the summed process.
    const sd = Math.sqrt(mu / ((1 - n) ** 3 * T));
    expect(Math.abs(m.counts.market / T - rate)).toBeLessThan(4 * sd);
    expect(m.takers.meanRate).toBeCloseTo(rate, 10);
  });
});
