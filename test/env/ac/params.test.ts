import { describe, expect, it } from 'vitest';
import { EnvError } from '../../../env/core.ts';
import { acOptimal, parseAcOptions, scheduleCost, twapClosedForm } from '../../../env/ac/index.ts';

// REFERENCE.md, Almgren–Chriss Table 1 (values computed from the closed forms).
const TABLE = [
  { lambda: 1e-6, kappa: 0.607076, x: [1e6, 541955.6, 289854.2, 147897.5, 62141.8, 0], E: 911226.99, V: 3.641286e11 },
  { lambda: 2e-6, kappa: 0.846297, x: [1e6, 428598.8, 182932.8, 76295.7, 27643.4, 0], E: 1140715.17, V: 2.019313e11 },
  { lambda: 1e-5, kappa: 1.726711, x: [1e6, 177868.3, 31636.2, 5621.6, 969.2, 0], E: 1845211.26, V: 2.948515e10 },
];

describe('Almgren–Chriss closed forms', () => {
  const p = parseAcOptions({});

  it('defaults to the paper example', () => {
    expect(p).toMatchObject({ X: 1e6, S0: 50, T: 5, N: 5, sigma: 0.95, epsilon: 0.0625, eta: 2.5e-6, gamma: 2.5e-7, lambda: 1e-6, tau: 1, aMax: 5 });
  });

  for (const row of TABLE) {
    it(`reproduces Table 1 for lambda = ${row.lambda}`, () => {
      const c = acOptimal(p, row.lambda);
      expect(c.kappa).toBeCloseTo(row.kappa, 5);
      for (let j = 0; j <= 5; j++) expect(Math.abs(c.holdings[j] - row.x[j])).toBeLessThan(0.06);
      expect(Math.abs(c.E - row.E)).toBeLessThan(0.01);
      expect(Math.abs(c.V / row.V - 1)).toBeLessThan(1e-6);
      // The closed form equals the exact discrete sums over its own schedule.
      const s = scheduleCost(p, c.holdings);
      expect(Math.abs(s.E / c.E - 1)).toBeLessThan(1e-12);
      expect(Math.abs(s.V / c.V - 1)).toBeLessThan(1e-12);
    });
  }

  it('reproduces TWAP and is cheaper in E + lambda V than TWAP', () => {
    const t = twapClosedForm(p);
    expect(t.E).toBeCloseTo(662500, 6);
    expect(Math.abs(t.V / 1.083e12 - 1)).toBeLessThan(1e-12);
    const s = scheduleCost(p, t.holdings);
    expect(Math.abs(s.E / t.E - 1)).toBeLessThan(1e-12);
    expect(Math.abs(s.V / t.V - 1)).toBeLessThan(1e-12);
    const o = acOptimal(p);
    expect(o.E + p.lambda * o.V).toBeLessThan(t.E + p.lambda * t.V);
  });

  it('rejects invalid options with an EnvError naming the field and value', () => {
    expect(() => parseAcOptions({ N: 0 })).toThrow(EnvError);
    expect(() => parseAcOptions({ N: 2.5 })).toThrow(/N: N must be an integer/);
    expect(() => parseAcOptions({ sigma: -1 })).toThrow(/sigma.*got -1/);
    expect(() => parseAcOptions({ eta: NaN })).toThrow(/eta/);
    expect(() => parseAcOptions({ bogus: 1 })).toThrow(/bogus/);
    expect(() => parseAcOptions({ eta: 1e-8, gamma: 1e-6 })).toThrow(/eta - gamma\*tau\/2 > 0/);
  });
});
