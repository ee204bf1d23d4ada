import { describe, expect, it } from 'vitest';
import {
  acHoldings,
  acSellFraction,
  scheduleMoments,
  sellNowMoments,
  solveAlmgrenChriss,
  twapMoments,
  type AcParams,
} from '../../../env/ac/closed-form.ts';
import { EnvError } from '../../../env/core.ts';

// The paper's example (docs/reference.md, Table 1): X = 1e6, T = 5 days, N = 5, σ = 0.95 $/√day,
// ε = 0.0625 $, η = 2.5e−6 $·day/share, γ = 2.5e−7 $/share.
const paper: AcParams = { X: 1e6, T: 5, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 0 };

// docs/reference.md's table, to the digits printed there, extended to 15 significant digits by the same
// formulas in 30-digit arithmetic (mpmath); the printed table is these values rounded.
const rows = [
  {
    lambda: 1e-6,
    kappa: 0.607076163247063,
    x: [1e6, 541955.554373922, 289854.219409935, 147897.487821723, 62141.801605766, 0],
    E: 911226.986303794,
    V: 364128572058.141,
  },
  {
    lambda: 2e-6,
    kappa: 0.846297134501256,
    x: [1e6, 428598.845747017, 182932.814261768, 76295.7216154616, 27643.3773969064, 0],
    E: 1140715.16704979,
    V: 201931287150.524,
  },
  {
    lambda: 1e-5,
    kappa: 1.72671086562289,
    x: [1e6, 177868.309681141, 31636.1961506193, 5621.62799245074, 969.246205594954, 0],
    E: 1845211.26162461,
    V: 29485150288.2675,
  },
];

function expectRel(actual: number, expected: number, rel: number): void {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThanOrEqual(1e-9);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(rel);
}

describe('Almgren–Chriss closed form', () => {
  for (const row of rows) {
    it(`reproduces the paper's row λ = ${row.lambda} to a relative 1e−6`, () => {
      const s = solveAlmgrenChriss({ ...paper, lambda: row.lambda });
      expectRel(s.kappa, row.kappa, 1e-6);
      expect(s.holdings.length).toBe(6);
      for (let j = 0; j <= 5; j++) expectRel(s.holdings[j], row.x[j], 1e-6);
      expectRel(s.expectedCost, row.E, 1e-6);
      expectRel(s.variance, row.V, 1e-6);
      // The closed form equals the direct sums over the schedule.
      const m = scheduleMoments({ ...paper, lambda: row.lambda }, s.holdings);
      expectRel(m.expectedCost, row.E, 1e-9);
      expectRel(m.variance, row.V, 1e-9);
    });
  }

  it('reproduces the TWAP row (λ = 0): linear holdings, E = 662,500, V = 1.083e12', () => {
    const s = solveAlmgrenChriss(paper);
    expect(s.kappa).toBe(0);
    for (let j = 0; j <= 5; j++) expectRel(s.holdings[j], 1e6 * (1 - j / 5), 1e-12);
    expectRel(s.expectedCost, 662500, 1e-6);
    expectRel(s.variance, 1.083e12, 1e-6);
    const t = twapMoments(paper);
    expectRel(t.expectedCost, 662500, 1e-12);
    expectRel(t.variance, 1.083e12, 1e-12);
    const m = scheduleMoments(paper, s.holdings);
    expectRel(m.expectedCost, 662500, 1e-12);
    expectRel(m.variance, 1.083e12, 1e-12);
  });

  it('tends to TWAP as λ → 0 (no jump at κ = 0)', () => {
    const s = solveAlmgrenChriss({ ...paper, lambda: 1e-14 });
    expect(s.kappa).toBeGreaterThan(0);
    expectRel(s.expectedCost, 662500, 1e-6);
    expectRel(s.variance, 1.083e12, 1e-6);
  });

  it('reproduces the sell-now row: E = 2,562,500, V = 0, the limit of λ → ∞', () => {
    const now = sellNowMoments({ ...paper, lambda: 1 });
    expectRel(now.expectedCost, 2562500, 1e-12);
    expect(now.variance).toBe(0);
    const holdings = [1e6, 0, 0, 0, 0, 0];
    const m = scheduleMoments(paper, holdings);
    expectRel(m.expectedCost, 2562500, 1e-12);
    expect(m.variance).toBe(0);
    const huge = solveAlmgrenChriss({ ...paper, lambda: 1e6 });
    expectRel(huge.expectedCost, 2562500, 1e-6);
    expect(huge.variance / 1.083e12).toBeLessThan(1e-6);
    expect(Number.isFinite(huge.expectedCost)).toBe(true);
  });

  it('is time consistent: re-solving from (t_k, x_k) gives the same continuation', () => {
    for (const row of rows) {
      const p = { ...paper, lambda: row.lambda };
      const full = solveAlmgrenChriss(p);
      for (let k = 1; k < 5; k++) {
        const rest = acHoldings(full.kappa, full.tau, 5 - k, full.holdings[k]);
        for (let j = 0; j <= 5 - k; j++) expectRel(rest[j], full.holdings[k + j], 1e-12);
        // The per-decision sell fraction reproduces the next holding.
        const f = acSellFraction(full.kappa, full.tau, 5 - k);
        expectRel(full.holdings[k] * (1 - f), full.holdings[k + 1], 1e-12);
      }
    }
  });

  it('with λ = 0 sells the TWAP slice of what is left: fraction 1/m', () => {
    for (let m = 1; m <= 50; m++) expect(acSellFraction(0, 0.1, m)).toBe(1 / m);
    expect(acSellFraction(3, 1, 1)).toBe(1);
  });

  it('stays finite for very large κT', () => {
    const s = solveAlmgrenChriss({ ...paper, N: 500, lambda: 1e3 });
    expect(Number.isFinite(s.expectedCost) && Number.isFinite(s.variance)).toBe(true);
    for (const x of s.holdings) expect(Number.isFinite(x)).toBe(true);
    expect(acSellFraction(1e4, 1, 10)).toBeCloseTo(1, 12);
  });

  it('rejects bad parameters with a BaselineError naming the field', () => {
    expect(() => solveAlmgrenChriss({ ...paper, sigma: Number.NaN })).toThrow(/sigma.*NaN/);
    expect(() => solveAlmgrenChriss({ ...paper, N: 2.5 })).toThrow(EnvError);
    expect(() => solveAlmgrenChriss({ ...paper, X: -1 })).toThrow(/X must/);
    expect(() => solveAlmgrenChriss({ ...paper, gamma: 1 })).toThrow(/eta − gamma/);
    expect(() => scheduleMoments(paper, [1, 0])).toThrow(/N\+1 = 6/);
  });
});
