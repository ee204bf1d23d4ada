import { describe, expect, it } from 'vitest';
import {
  erfc,
  gammaP,
  gammaQ,
  incompleteBeta,
  logGamma,
  normalCdf,
  StatsError,
  studentTCdf,
  studentTTwoSided,
} from '../../../simulator/stats/index.ts';

// Reference values: scipy 1.17 (scipy.stats.t, scipy.stats.norm, scipy.special), and closed forms.
function rel(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('special functions', () => {
  it('log Γ matches scipy.special.gammaln', () => {
    expect(rel(logGamma(0.1), 2.252712651734206)).toBeLessThan(1e-13);
    expect(rel(logGamma(50.5), 146.51925549072064)).toBeLessThan(1e-13);
    expect(rel(logGamma(3), Math.log(2))).toBeLessThan(1e-13);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
  });

  it('the regularized incomplete beta matches scipy.special.betainc and I_x(1,1) = x', () => {
    expect(rel(incompleteBeta(0.3, 2.5, 0.5), 0.018927124071945658)).toBeLessThan(1e-12);
    expect(rel(incompleteBeta(0.9, 10, 3), 0.889130022255)).toBeLessThan(1e-11);
    expect(rel(incompleteBeta(0.01, 0.5, 0.5), 0.06376856085851985)).toBeLessThan(1e-12);
    expect(rel(incompleteBeta(0.37, 1, 1), 0.37)).toBeLessThan(1e-14);
    expect(incompleteBeta(0, 2, 3)).toBe(0);
    expect(incompleteBeta(1, 2, 3)).toBe(1);
  });

  it('the incomplete gamma matches scipy.special.gammainc / gammaincc', () => {
    expect(rel(gammaP(3, 2.5), 0.45618688411667035)).toBeLessThan(1e-13);
    expect(rel(gammaQ(0.5, 30), 9.485737571073857e-15)).toBeLessThan(1e-11);
    expect(rel(gammaP(1, 2) , 1 - Math.exp(-2))).toBeLessThan(1e-14);
  });

  it('the normal CDF matches scipy.stats.norm.cdf, tails included', () => {
    expect(rel(normalCdf(-1), 0.15865525393145707)).toBeLessThan(1e-13);
    expect(rel(normalCdf(0.3), 0.6179114221889526)).toBeLessThan(1e-13);
    expect(rel(normalCdf(1.959963984540054), 0.975)).toBeLessThan(1e-13);
    expect(rel(normalCdf(-6), 9.865876450376946e-10)).toBeLessThan(1e-11);
    expect(rel(normalCdf(-9), 1.1285884059538324e-19)).toBeLessThan(1e-10);
    expect(normalCdf(0)).toBe(0.5);
    expect(erfc(0)).toBe(1);
    expect(rel(erfc(-1) + erfc(1), 2)).toBeLessThan(1e-15);
  });

  it("Student's t CDF matches scipy.stats.t.cdf and the closed forms for ν = 1, 2", () => {
    const cases: [number, number, number, number][] = [
      // [t, ν, cdf, two-sided p]
      [0.5, 1, 0.6475836176504333, 0.7048327646991335],
      [-1.7, 3, 0.09384532077670502, 0.18769064155341003],
      [2.2, 7.5, 0.9694002670469419, 0.0611994659061161],
      [2.228138851986274, 10, 0.975, 0.05],
      [-3.1, 30, 0.0020922424302753724, 0.004184484860550745],
      [1.5, 200, 0.9324043393864826, 0.1351913212270349],
      [12, 4, 0.9998617857257485, 0.000276428548502973],
    ];
    for (const [t, nu, cdf, p] of cases) {
      expect(rel(studentTCdf(t, nu), cdf)).toBeLessThan(1e-12);
      expect(rel(studentTTwoSided(t, nu), p)).toBeLessThan(1e-11);
    }
    for (const t of [-20, -3, -0.4, 0, 0.9, 5]) {
      // ν = 1 is Cauchy: F(t) = ½ + atan(t)/π; ν = 2: F(t) = ½ + t / (2√(2 + t²)).
      expect(Math.abs(studentTCdf(t, 1) - (0.5 + Math.atan(t) / Math.PI))).toBeLessThan(1e-14);
      expect(Math.abs(studentTCdf(t, 2) - (0.5 + t / (2 * Math.sqrt(2 + t * t))))).toBeLessThan(1e-14);
    }
    expect(studentTCdf(Infinity, 3)).toBe(1);
    expect(studentTTwoSided(-Infinity, 3)).toBe(0);
  });

  it('rejects bad arguments with StatsError', () => {
    expect(() => studentTCdf(1, 0)).toThrow(StatsError);
    expect(() => studentTCdf(Number.NaN, 3)).toThrow(/NaN/);
    expect(() => incompleteBeta(1.5, 1, 1)).toThrow(/x in \[0, 1\], got 1.5/);
    expect(() => logGamma(-1)).toThrow(/x > 0, got -1/);
  });
});
