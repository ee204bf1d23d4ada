import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  initBackend,
  gaussianLogProb,
  gaussianEntropy,
  squashedGaussianLogProb,
  categoricalLogProb,
  categoricalEntropy,
  gaussianLogProbJs,
  gaussianEntropyJs,
  categoricalLogProbJs,
  categoricalEntropyJs,
  sampleCategoricalJs,
  sampleGaussianJs,
  BoxActionMap,
  log1mTanhSq,
} from '../../../agents/nn/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

const normPdf = (x: number, m: number, s: number): number => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));

describe('diagonal Gaussian', () => {
  const mean = [[0.5, -1.0], [2.0, 0.0]];
  const logStd = [Math.log(0.5), Math.log(2)];
  const x = [[0.0, 1.0], [2.5, -3.0]];

  it('log-prob matches the product of 1-D normal densities (tf and JS)', () => {
    const lp = tf.tidy(() => gaussianLogProb(tf.tensor2d(mean), tf.tensor1d(logStd), tf.tensor2d(x)).arraySync());
    for (let r = 0; r < 2; r++) {
      const want = Math.log(normPdf(x[r][0], mean[r][0], 0.5) * normPdf(x[r][1], mean[r][1], 2));
      expect(lp[r]).toBeCloseTo(want, 5);
      expect(gaussianLogProbJs(mean[r], 0, logStd, x[r], 0, 2)).toBeCloseTo(want, 12);
    }
  });

  it('entropy matches ½ log(2πe σ²) summed over dims', () => {
    const want = 0.5 * Math.log(2 * Math.PI * Math.E * 0.25) + 0.5 * Math.log(2 * Math.PI * Math.E * 4);
    expect(tf.tidy(() => gaussianEntropy(tf.tensor1d(logStd)).dataSync()[0])).toBeCloseTo(want, 5);
    expect(gaussianEntropyJs(logStd, 2)).toBeCloseTo(want, 12);
  });

  it('samples have the right mean and sd (4 standard errors)', () => {
    const rng = Rng.fromSeed(1, 'test');
    const n = 20000;
    const out = new Float64Array(2);
    let s = 0;
    let s2 = 0;
    for (let k = 0; k < n; k++) {
      sampleGaussianJs(rng, [1, 0], 0, [Math.log(2), 0], out, 0, 2);
      s += out[0];
      s2 += out[0] * out[0];
    }
    const m = s / n;
    const v = s2 / n - m * m;
    expect(Math.abs(m - 1)).toBeLessThan(4 * (2 / Math.sqrt(n)));
    // sd of the sample variance of a normal: σ²√(2/n)
    expect(Math.abs(v - 4)).toBeLessThan(4 * 4 * Math.sqrt(2 / n));
  });
});

describe('tanh-squashed Gaussian', () => {
  it('log-prob equals the change-of-variables density of the env action', () => {
    const map = new BoxActionMap([-1, 0], [3, 10], 'tanh');
    const mu = [0.3, -0.2];
    const ls = [Math.log(0.7), Math.log(1.3)];
    const u = [1.1, -2.4];
    const a = new Float64Array(2);
    map.toEnv(u, 0, a, 0);
    // a_d = c_d + h_d tanh(u_d) ⇒ p(a_d) = N(u_d) / (h_d (1 − tanh² u_d))
    let want = 0;
    for (let d = 0; d < 2; d++) {
      const t = Math.tanh(u[d]);
      expect(a[d]).toBeCloseTo(map.center[d] + map.halfRange[d] * t, 12);
      want += Math.log(normPdf(u[d], mu[d], Math.exp(ls[d])) / (map.halfRange[d] * (1 - t * t)));
    }
    const js = gaussianLogProbJs(mu, 0, ls, u, 0, 2) + map.logProbCorrection(u, 0);
    expect(js).toBeCloseTo(want, 10);
    const tfv = tf.tidy(() => squashedGaussianLogProb(tf.tensor2d([mu]), tf.tensor1d(ls), tf.tensor2d([u]), map.sumLogHalfRange).dataSync()[0]);
    expect(tfv).toBeCloseTo(want, 4);
  });

  it('log(1 − tanh² u) is stable for large |u|', () => {
    expect(log1mTanhSq(0)).toBeCloseTo(0, 14);
    expect(log1mTanhSq(0.5)).toBeCloseTo(Math.log(1 - Math.tanh(0.5) ** 2), 12);
    // for large u, 1 − tanh² u ≈ 4e^{−2u}
    expect(log1mTanhSq(40)).toBeCloseTo(Math.log(4) - 80, 8);
    expect(log1mTanhSq(-40)).toBeCloseTo(Math.log(4) - 80, 8);
  });

  it('clip mode clips to the bounds and adds no correction', () => {
    const map = new BoxActionMap([-1], [1], 'clip');
    const a = new Float64Array(1);
    map.toEnv([2.5], 0, a, 0);
    expect(a[0]).toBe(1);
    expect(map.logProbCorrection([2.5], 0)).toBe(0);
    expect(() => new BoxActionMap([-Infinity], [1], 'tanh')).toThrow(/finite bounds/);
  });
});

describe('categorical', () => {
  const logits = [1.0, 2.0, -0.5, 0.0];
  const z = logits.reduce((s, l) => s + Math.exp(l), 0);
  const p = logits.map((l) => Math.exp(l) / z);

  it('log-prob and entropy match softmax closed forms (tf and JS)', () => {
    const lp = tf.tidy(() => categoricalLogProb(tf.tensor2d([logits, logits]), tf.tensor1d([1, 3], 'int32')).arraySync());
    expect(lp[0]).toBeCloseTo(Math.log(p[1]), 5);
    expect(lp[1]).toBeCloseTo(Math.log(p[3]), 5);
    expect(categoricalLogProbJs(logits, 0, 4, 2)).toBeCloseTo(Math.log(p[2]), 12);
    const h = -p.reduce((s, q) => s + q * Math.log(q), 0);
    expect(tf.tidy(() => categoricalEntropy(tf.tensor2d([logits])).dataSync()[0])).toBeCloseTo(h, 5);
    expect(categoricalEntropyJs(logits, 0, 4)).toBeCloseTo(h, 12);
  });

  it('samples follow the softmax (4 sd per category)', () => {
    const rng = Rng.fromSeed(2, 'test');
    const n = 20000;
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < n; k++) counts[sampleCategoricalJs(rng, logits, 0, 4)]++;
    for (let i = 0; i < 4; i++) expect(Math.abs(counts[i] / n - p[i])).toBeLessThan(4 * Math.sqrt((p[i] * (1 - p[i])) / n));
  });
});
