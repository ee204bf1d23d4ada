import { describe, expect, it } from 'vitest';
import { AliasTable, Rng, streams, deriveSeed, RandomError } from '../../../simulator/random/index.ts';

const N = 200_000;

/** Sample mean and variance of n draws. */
function moments(draw: () => number, n = N): { mean: number; variance: number; m4: number } {
  let s = 0;
  let s2 = 0;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = draw();
    xs[i] = x;
    s += x;
  }
  const mean = s / n;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - mean;
    s2 += d * d;
    m4 += d * d * d * d;
  }
  return { mean, variance: s2 / (n - 1), m4: m4 / n };
}

/** |sample mean − μ| < 4 sd of the sample mean, sd = σ/√n. */
function expectMean(mean: number, mu: number, sigma2: number, n = N): void {
  expect(Math.abs(mean - mu)).toBeLessThan(4 * Math.sqrt(sigma2 / n));
}

/**
 * |sample variance − σ²| < 4 sd of the sample variance; Var(s²) ≈ (μ4 − σ⁴)/n, with μ4 the
 * distribution's fourth central moment.
 */
function expectVariance(variance: number, sigma2: number, mu4: number, n = N): void {
  expect(Math.abs(variance - sigma2)).toBeLessThan(4 * Math.sqrt((mu4 - sigma2 * sigma2) / n));
}

describe('Rng determinism and independence', () => {
  it('gives the same sequence for the same seed and stream', () => {
    const a = Rng.fromSeed(42, 'market');
    const b = Rng.fromSeed(42, 'market');
    for (let i = 0; i < 1000; i++) expect(a.next()).toBe(b.next());
    const c = streams(42).get('market');
    const d = Rng.fromSeed(42, 'market');
    expect(c.normal()).toBe(d.normal());
  });

  it('gives different sequences for different seeds and names', () => {
    expect(Rng.fromSeed(1, 'market').next()).not.toBe(Rng.fromSeed(2, 'market').next());
    expect(Rng.fromSeed(1, 'market').next()).not.toBe(Rng.fromSeed(1, 'agent').next());
  });

  it('keeps named streams independent: draws in one never shift another', () => {
    const s1 = streams(7);
    const s2 = streams(7);
    for (let i = 0; i < 12345; i++) s1.get('randomize').next();
    const x = s1.get('market');
    const y = s2.get('market');
    for (let i = 0; i < 100; i++) expect(x.next()).toBe(y.next());
  });

  it('forks child streams that do not depend on the parent position', () => {
    const a = Rng.fromSeed(3);
    const b = Rng.fromSeed(3);
    b.next();
    b.next();
    expect(a.fork('child').next()).toBe(b.fork('child').next());
  });

  it('shows no linear correlation between two streams (|r| < 4/sqrt(n))', () => {
    const a = Rng.fromSeed(11, 'a');
    const b = Rng.fromSeed(11, 'b');
    let sxy = 0;
    for (let i = 0; i < N; i++) sxy += (a.next() - 0.5) * (b.next() - 0.5);
    const r = sxy / N / (1 / 12);
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(N));
  });

  it('derives distinct child seeds deterministically', () => {
    expect(deriveSeed(5, 0)).toBe(deriveSeed(5, 0));
    const set = new Set<number>();
    for (let i = 0; i < 1000; i++) set.add(deriveSeed(5, i));
    expect(set.size).toBe(1000);
    for (const s of set) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });

  it('rejects bad seeds with a typed error naming the value', () => {
    expect(() => Rng.fromSeed(-1)).toThrow(RandomError);
    expect(() => Rng.fromSeed(1.5)).toThrow(/1.5/);
    expect(() => Rng.fromSeed(Number.NaN)).toThrow(/NaN/);
  });
});

describe('distribution moments (4-sd tolerances from theory)', () => {
  it('uniform', () => {
    const r = Rng.fromSeed(1, 'u');
    const m = moments(() => r.uniform(2, 5));
    expectMean(m.mean, 3.5, 9 / 12);
    expectVariance(m.variance, 9 / 12, 81 / 80);
  });

  it('integer in range covers [lo, hi] uniformly', () => {
    const r = Rng.fromSeed(1, 'i');
    const counts = new Float64Array(7);
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const k = r.int(-3, 3);
      if (k < -3 || k > 3 || !Number.isInteger(k)) outside++;
      else counts[k + 3]++;
    }
    expect(outside).toBe(0);
    const p = 1 / 7;
    for (const c of counts) expect(Math.abs(c / N - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / N));
  });

  it('exponential', () => {
    const r = Rng.fromSeed(1, 'e');
    const rate = 2.5;
    const m = moments(() => r.exponential(rate));
    expectMean(m.mean, 1 / rate, 1 / rate ** 2);
    expectVariance(m.variance, 1 / rate ** 2, 9 / rate ** 4);
  });

  it('normal', () => {
    const r = Rng.fromSeed(1, 'n');
    const m = moments(() => r.normal(1, 3));
    expectMean(m.mean, 1, 9);
    expectVariance(m.variance, 9, 3 * 81);
  });

  it('lognormal', () => {
    const r = Rng.fromSeed(1, 'ln');
    const mu = 0.2;
    const s = 0.5;
    const m = moments(() => r.lognormal(mu, s));
    const mean = Math.exp(mu + (s * s) / 2);
    const v = (Math.exp(s * s) - 1) * Math.exp(2 * mu + s * s);
    expectMean(m.mean, mean, v);
  });

  it('geometric', () => {
    const r = Rng.fromSeed(1, 'g');
    const p = 0.3;
    const m = moments(() => r.geometric(p));
    expectMean(m.mean, 1 / p, (1 - p) / (p * p));
  });

  it('poisson, small and large lambda', () => {
    for (const lambda of [0.7, 4, 29.5, 30, 250]) {
      const r = Rng.fromSeed(1, `p${lambda}`);
      const m = moments(() => r.poisson(lambda), 100_000);
      expectMean(m.mean, lambda, lambda, 100_000);
      // Poisson: μ4 = λ(1 + 3λ).
      expectVariance(m.variance, lambda, lambda * (1 + 3 * lambda), 100_000);
    }
  });

  it('categorical by the alias method matches its weights', () => {
    const w = [1, 0, 3, 0.5, 5.5];
    const total = w.reduce((a, b) => a + b, 0);
    const t = new AliasTable(w);
    const r = Rng.fromSeed(1, 'c');
    const counts = new Float64Array(w.length);
    for (let i = 0; i < N; i++) counts[t.sample(r)]++;
    for (let k = 0; k < w.length; k++) {
      const p = w[k] / total;
      expect(Math.abs(counts[k] / N - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / N));
    }
    expect(counts[1]).toBe(0);
    expect(() => new AliasTable([])).toThrow(RandomError);
    expect(() => new AliasTable([1, -1])).toThrow(/-1/);
  });
});
