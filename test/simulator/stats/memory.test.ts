import { describe, expect, it } from 'vitest';
import { Rng } from '../../../simulator/random/index.ts';
import { simulateHawkes } from '../../../simulator/flow/index.ts';
import { SIGN_FIT_LAGS, marketOrderBranching, quantiles, signMemory } from '../../../simulator/stats/index.ts';

/** Fits log C on log ℓ over the lags given (the same regression as signMemory). */
function fitSlope(lags: readonly number[], c: readonly number[]): number {
  const xs = lags.map(Math.log);
  const ys = c.map(Math.log);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return -sxy / sxx;
}

describe('signMemory: the power-law decay of the trade-sign ACF', () => {
  it('recovers γ = α − 1 of runs with Pareto lengths (the mechanism of order splitting)', () => {
    // Consecutive runs of one random sign, lengths L = ceil(U^(−1/α)): P(L > x) = ceil-Pareto tail.
    // The ACF is C(ℓ) = Σ_{x ≥ ℓ} P(L > x) / E[L] exactly; its log–log fit over the same lags is the reference.
    const alpha = 1.5;
    const rng = Rng.fromSeed(1, 'signs');
    const n = 400_000;
    const s = new Float64Array(n);
    for (let i = 0; i < n; ) {
      const L = Math.ceil(Math.pow(1 - rng.next(), -1 / alpha));
      const sign = rng.next() < 0.5 ? 1 : -1;
      for (let j = 0; j < L && i < n; j++) s[i++] = sign;
    }
    // P(L > x) for integer x >= 1 is x^−α (ceil of a Pareto on [1, ∞)); P(L > 0) = 1.
    const tail = (x: number): number => (x < 1 ? 1 : Math.pow(x, -alpha));
    let EL = 0;
    for (let x = 0; x < 1e6; x++) EL += tail(x);
    EL += Math.pow(1e6, 1 - alpha) / (alpha - 1);
    const theory = SIGN_FIT_LAGS.map((l) => {
      let acc = Math.pow(1e6, 1 - alpha) / (alpha - 1);
      for (let x = l; x < 1e6; x++) acc += tail(x);
      return acc / EL;
    });
    const m = signMemory(s);
    // Each ACF value has sd ≈ sqrt(Σ C²)/√n·… ≲ 0.02 here: the log–log slope over 15 lags moves by < 0.1.
    for (let i = 0; i < 5; i++) expect(Math.abs(m.acf[i] - theory[i])).toBeLessThan(0.03);
    expect(m.points).toBeGreaterThanOrEqual(10);
    expect(Math.abs(m.exponent - fitSlope(SIGN_FIT_LAGS, theory))).toBeLessThan(0.1);
    expect(Math.abs(m.exponent - (alpha - 1))).toBeLessThan(0.15);
  });

  it('independent signs: no significant lag, no exponent', () => {
    const rng = Rng.fromSeed(2, 'signs');
    const s = Float64Array.from({ length: 20_000 }, () => (rng.next() < 0.5 ? 1 : -1));
    const m = signMemory(s);
    // At most a lag or two exceed 2 sd by chance (5% each): fewer than the 3 points a fit needs.
    expect(m.points).toBeLessThan(3);
    expect(Number.isNaN(m.exponent)).toBe(true);
  });
});

describe('marketOrderBranching', () => {
  it('recovers the spectral radius of a simulated 2-D Hawkes process', () => {
    const params = { mu: [0.1, 0.1], components: [{ decay: 2, branching: [[0.4, 0.1], [0.1, 0.4]] }] };
    const ev = simulateHawkes(params, Rng.fromSeed(3, 'hawkes'), 60_000);
    const signs = Float64Array.from(ev.dims, (d) => (d === 0 ? 1 : -1));
    const r = marketOrderBranching(ev.times, signs, 0, 60_000);
    // ~24,000 events: the MLE of the branching ratio has sd ≈ 0.01; 0.05 is five of them.
    expect(Math.abs(r.branching - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(r.decay - 2) / 2).toBeLessThan(0.2);
  });

  it('a Poisson flow has branching near 0', () => {
    const rng = Rng.fromSeed(4, 'poisson');
    const t: number[] = [];
    for (let x = rng.exponential(0.2); x < 50_000; x += rng.exponential(0.2)) t.push(x);
    const signs = t.map(() => (rng.next() < 0.5 ? 1 : -1));
    expect(marketOrderBranching(t, signs, 0, 50_000).branching).toBeLessThan(0.03);
  });
});

describe('marketOrderBranching reads side runs as slow self-excitation', () => {
  it('Poisson times whose sides come in runs: near 1 at a decay below the event rate (the slow regime)', () => {
    // 0.5 orders/s, no excitation at all; the side flips with probability 1/30 per order (runs of
    // mean 30). Each run needs one immigrant, so a fit that explains the runs by excitation reads
    // up to 1 − 1/30; the kernel must outlast a few orders (decay well below 0.5/s). Calibration
    // matches the decay as well as the branching because of this (simulator/calibration/refine.ts).
    const rng = Rng.fromSeed(5, 'runs');
    const t: number[] = [];
    const signs: number[] = [];
    let side = 1;
    for (let x = rng.exponential(0.5); x < 50_000; x += rng.exponential(0.5)) {
      if (rng.next() < 1 / 30) side = -side;
      t.push(x);
      signs.push(side);
    }
    const r = marketOrderBranching(t, signs, 0, 50_000);
    expect(r.branching).toBeGreaterThan(0.8);
    expect(r.branching).toBeLessThan(1 - 1 / 30 + 0.01);
    expect(r.decay).toBeLessThan(0.5);
  });
});

describe('quantiles', () => {
  it('interpolates linearly (type 7) and ignores NaN', () => {
    expect(quantiles([4, 1, NaN, 3, 2, 5], [0, 0.25, 0.5, 1])).toEqual([1, 2, 3, 5]);
    expect(quantiles([1, 2], [0.5])).toEqual([1.5]);
    expect(() => quantiles([1], [2])).toThrow(/quantile p must be in \[0, 1\]/);
  });
});
