import { describe, expect, it } from 'vitest';
import { drawSize, meanSize, InstitutionalTraders } from '../../../simulator/traders/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { parseMarketSpec } from '../../../configs/index.ts';
import type { MarketParams } from '../../../configs/index.ts';

describe('order sizes', () => {
  it('rounds to whole lots with at least the given probability, never below one share', () => {
    const rng = Rng.fromSeed(2, 'sizes');
    const n = 4000;
    let lots = 0;
    for (let i = 0; i < n; i++) {
      const q = drawSize(rng, 150, 0.8, 100, 0.7);
      expect(Number.isInteger(q)).toBe(true);
      expect(q).toBeGreaterThanOrEqual(1);
      if (q % 100 === 0) lots++;
    }
    // Lot-rounded share: 0.7 plus the few share-rounded draws that happen to be multiples of 100.
    expect(lots / n).toBeGreaterThan(0.7 - 4 * Math.sqrt(0.21 / n));
  });

  it('gives the lognormal mean size', () => {
    expect(meanSize(100, 0)).toBe(100);
    expect(meanSize(100, 1)).toBeCloseTo(100 * Math.exp(0.5), 10);
  });

  it('gives institutional parents the Pareto mean number of children', () => {
    const p = parseMarketSpec({ institutional: { tailExponent: 2.5, minChildren: 5, maxChildren: 100000 } }) as unknown as MarketParams;
    const t = new InstitutionalTraders();
    t.configure(p, Rng.fromSeed(1, 'inst'));
    // Continuous Pareto(α = 2.5, m = 5): mean = α m / (α − 1) = 8.33 (the cap is far).
    expect(t.expectedChildren()).toBeCloseTo((2.5 * 5) / 1.5, 3);
  });
});
