import { describe, expect, it } from 'vitest';
import { parseMarketSpec, loadMarketConfig } from '../../configs/index.ts';
import { randomizeMarket, sampleParam, isRandomized } from '../../simulator/index.ts';
import { Rng } from '../../simulator/random/index.ts';

describe('randomizeMarket', () => {
  const spec = parseMarketSpec({
    takers: { muBuy: { uniform: [0.05, 0.2] }, muSell: { loguniform: [0.01, 1] }, decayFast: { normal: { mean: 50, sd: 100, min: 20, max: 80 } } },
    marketMakers: { count: { choice: [1, 3, 5] }, size: { uniform: [100, 200] } },
  });

  it('draws every distribution within its bounds, integers as integers', () => {
    const rng = Rng.fromSeed(7, 'randomize');
    const counts = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const p = randomizeMarket(spec, rng);
      expect(p.takers.muBuy).toBeGreaterThanOrEqual(0.05);
      expect(p.takers.muBuy).toBeLessThanOrEqual(0.2);
      expect(p.takers.muSell).toBeGreaterThanOrEqual(0.01);
      expect(p.takers.muSell).toBeLessThanOrEqual(1);
      expect(p.takers.decayFast).toBeGreaterThanOrEqual(20);
      expect(p.takers.decayFast).toBeLessThanOrEqual(80);
      expect([1, 3, 5]).toContain(p.marketMakers.count);
      expect(Number.isInteger(p.marketMakers.size)).toBe(true);
      counts.set(p.marketMakers.count, (counts.get(p.marketMakers.count) ?? 0) + 1);
    }
    // Each choice has p = 1/3: binomial sd = sqrt(2000·(1/3)(2/3)) ≈ 21; allow 4 sd.
    for (const v of [1, 3, 5]) expect(Math.abs((counts.get(v) ?? 0) - 2000 / 3)).toBeLessThan(4 * 21.1);
  });

  it('log-uniform has its median at the geometric mean of the bounds', () => {
    const rng = Rng.fromSeed(3, 'randomize');
    const n = 4000;
    let below = 0;
    for (let i = 0; i < n; i++) if (sampleParam({ loguniform: [0.01, 1] }, rng) < 0.1) below++;
    // P(x < 0.1) = 1/2; sd of the count = sqrt(n)/2.
    expect(Math.abs(below - n / 2)).toBeLessThan(4 * (Math.sqrt(n) / 2));
  });

  it('is reproducible: the same stream position gives the same parameters', () => {
    const a = randomizeMarket(spec, Rng.fromSeed(11, 'randomize'));
    const b = randomizeMarket(spec, Rng.fromSeed(11, 'randomize'));
    const c = randomizeMarket(spec, Rng.fromSeed(12, 'randomize'));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('leaves fixed specs unchanged and consumes no draws for them', () => {
    const fixed = loadMarketConfig('default');
    expect(isRandomized(fixed)).toBe(false);
    expect(isRandomized(spec)).toBe(true);
    const rng = Rng.fromSeed(5, 'randomize');
    const p = randomizeMarket(fixed, rng);
    expect(p).toEqual(fixed);
    expect(rng.next()).toBe(Rng.fromSeed(5, 'randomize').next());
  });

  it('rounds integer fields drawn from continuous distributions', () => {
    const s = parseMarketSpec({ lotSize: { uniform: [50, 150] } });
    const rng = Rng.fromSeed(1, 'randomize');
    for (let i = 0; i < 100; i++) expect(Number.isInteger(randomizeMarket(s, rng).lotSize)).toBe(true);
  });
});
