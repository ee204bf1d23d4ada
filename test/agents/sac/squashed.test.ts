import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { squashedGaussianSample } from '../../../agents/sac/index.ts';
import { log1mTanhSq } from '../../../agents/nn/index.ts';
import { setupTf } from './helpers.ts';

beforeAll(setupTf);

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2), erfc by the Numerical Recipes Chebyshev fit (relative error < 1.2e-7). */
function phi(z: number): number {
  const x = -z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? y : 2 - y;
  return 0.5 * erfc;
}

/** log π(a) from the TensorFlow.js implementation for env actions `a` (1-D action space [lo, hi]). */
function logDensity(a: Float64Array, mu: number, logStd: number, lo: number, hi: number): Float64Array {
  const c = (hi + lo) / 2;
  const h = (hi - lo) / 2;
  const n = a.length;
  const eps = new Float32Array(n);
  for (let i = 0; i < n; i++) eps[i] = (Math.atanh((a[i] - c) / h) - mu) / Math.exp(logStd);
  const lp = tf.tidy(() => squashedGaussianSample(tf.fill([n, 1], mu) as tf.Tensor2D, tf.fill([n, 1], logStd) as tf.Tensor2D, tf.tensor2d(eps, [n, 1]), Math.log(h)).logProb);
  const out = Float64Array.from(lp.dataSync());
  lp.dispose();
  return out;
}

describe('tanh-squashed Gaussian log-probability', () => {
  const cases = [
    { mu: 0, logStd: 0, lo: -1, hi: 1 },
    { mu: 0.7, logStd: -0.5, lo: 0, hi: 5 },
    { mu: -1.2, logStd: 0.3, lo: -2, hi: 2 },
  ];

  it('is a density: it integrates to 1 over the action interval', () => {
    for (const { mu, logStd, lo, hi } of cases) {
      // Midpoint rule on a fine grid in a: p(a) itself must integrate to 1 over [lo, hi].
      const m = 40_000;
      const da = (hi - lo) / m;
      const a = new Float64Array(m);
      for (let i = 0; i < m; i++) a[i] = lo + (i + 0.5) * da;
      const lp = logDensity(a, mu, logStd, lo, hi);
      let total = 0;
      for (let i = 0; i < m; i++) total += Math.exp(lp[i]) * da;
      // float32 log-probs (relative error ~1e-6) and the midpoint rule's O(da²) error are far below 1e-3.
      expect(Math.abs(total - 1)).toBeLessThan(1e-3);
    }
  });

  it('matches the finite difference of the CDF F(a) = Φ((atanh((a − c)/h) − μ)/σ)', () => {
    for (const { mu, logStd, lo, hi } of cases) {
      const c = (hi + lo) / 2;
      const h = (hi - lo) / 2;
      const sigma = Math.exp(logStd);
      const F = (x: number): number => phi((Math.atanh((x - c) / h) - mu) / sigma);
      const points = Float64Array.from([0.1, 0.3, 0.5, 0.7, 0.9], (q) => lo + q * (hi - lo));
      const lp = logDensity(points, mu, logStd, lo, hi);
      const delta = 1e-3 * (hi - lo);
      for (let i = 0; i < points.length; i++) {
        const fd = (F(points[i] + delta) - F(points[i] - delta)) / (2 * delta);
        // Φ's approximation error (< 1.2e-7 relative) over 2δ and float32 rounding stay below 1e-3 relative.
        expect(Math.abs(Math.exp(lp[i]) - fd) / fd).toBeLessThan(1e-3);
      }
    }
  });

  it('stays finite and exact where tanh saturates (|u| = 20)', () => {
    for (const u of [20, -20]) {
      const lp = tf.tidy(() => squashedGaussianSample(tf.tensor2d([[0]]), tf.tensor2d([[Math.log(10)]]), tf.tensor2d([[u / 10]]), 0).logProb.dataSync()[0]);
      const expected = -0.5 * (u / 10) ** 2 - Math.log(10) - 0.5 * Math.log(2 * Math.PI) - log1mTanhSq(u);
      expect(Number.isFinite(lp)).toBe(true);
      expect(Math.abs(lp - expected)).toBeLessThan(1e-4 * Math.abs(expected));
    }
  });
});
