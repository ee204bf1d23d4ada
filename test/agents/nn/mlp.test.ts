import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, Mlp, orthogonal, Adam, clipByGlobalNorm, NnError, forwardJs } from '../../../agents/nn/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

function gram(w: Float32Array, rows: number, cols: number, byColumns: boolean): number[][] {
  const n = byColumns ? cols : rows;
  const g: number[][] = [];
  for (let a = 0; a < n; a++) {
    g.push([]);
    for (let b = 0; b < n; b++) {
      let s = 0;
      const len = byColumns ? rows : cols;
      for (let k = 0; k < len; k++) s += byColumns ? w[k * cols + a] * w[k * cols + b] : w[a * cols + k] * w[b * cols + k];
      g[a].push(s);
    }
  }
  return g;
}

describe('orthogonal initialization', () => {
  it.each([
    [8, 3],
    [3, 8],
    [5, 5],
  ])('%i×%i has orthonormal columns/rows scaled by the gain', (rows, cols) => {
    const gain = Math.SQRT2;
    const w = orthogonal(rows, cols, gain, Rng.fromSeed(3, 'w'));
    const g = gram(w, rows, cols, rows >= cols);
    for (let a = 0; a < g.length; a++) for (let b = 0; b < g.length; b++) expect(g[a][b]).toBeCloseTo(a === b ? gain * gain : 0, 5);
  });

  it('is deterministic in the seed', () => {
    expect(orthogonal(4, 4, 1, Rng.fromSeed(5, 'x'))).toEqual(orthogonal(4, 4, 1, Rng.fromSeed(5, 'x')));
  });
});

describe('Mlp', () => {
  it('computes tanh(x·W0 + b0)·W1 + b1 and rejects bad sizes', () => {
    const net = new Mlp('pi', { sizes: [2, 3, 1], activation: 'tanh', outputGain: 1 }, Rng.fromSeed(1, 'net'));
    expect(net.names).toEqual(['pi/l0/w', 'pi/l0/b', 'pi/l1/w', 'pi/l1/b']);
    const [w0, , w1] = net.variables.map((v) => v.arraySync() as number[][]);
    const x = [0.3, -0.7];
    const h = [0, 1, 2].map((j) => Math.tanh(x[0] * w0[0][j] + x[1] * w0[1][j]));
    const want = h.reduce((s, hj, j) => s + hj * (w1 as unknown as number[][])[j][0], 0);
    const got = tf.tidy(() => net.apply(tf.tensor2d([x])).dataSync()[0]);
    expect(got).toBeCloseTo(want, 5);
    net.dispose();
    expect(() => new Mlp('bad', { sizes: [2], activation: 'tanh', outputGain: 1 }, Rng.fromSeed(1))).toThrow(NnError);
  });
});

describe('forwardJs', () => {
  it.each(['tanh', 'relu'] as const)('matches the TensorFlow.js forward pass (%s)', (activation) => {
    const net = new Mlp('f', { sizes: [5, 16, 8, 3], activation, outputGain: 1 }, Rng.fromSeed(9, 'net'));
    const rng = Rng.fromSeed(10, 'x');
    const x = Float32Array.from({ length: 4 * 5 }, () => rng.normal());
    const want = tf.tidy(() => net.apply(tf.tensor2d(x, [4, 5])).dataSync());
    const got = new Float64Array(4 * 3 + 2);
    forwardJs(net.snapshot(), x, 0, 4, got, 2);
    for (let k = 0; k < 12; k++) expect(got[k + 2]).toBeCloseTo(want[k], 5);
    net.dispose();
  });
});

describe('Adam and clipping', () => {
  it('matches PyTorch Adam on f(θ) = ½θ² for three steps', () => {
    const theta = tf.variable(tf.tensor1d([1.0]));
    const opt = new Adam([theta], { epsilon: 1e-8 });
    let p = 1;
    let m = 0;
    let v = 0;
    for (let t = 1; t <= 3; t++) {
      const g = p;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      p -= (0.1 / (1 - 0.9 ** t)) * (m / (Math.sqrt(v) / Math.sqrt(1 - 0.999 ** t) + 1e-8));
      tf.tidy(() => opt.apply([theta.clone()], 0.1));
    }
    expect(theta.dataSync()[0]).toBeCloseTo(p, 5);
    const saved = opt.exportState('opt');
    expect(saved.step).toBe(3);
    opt.dispose();
    theta.dispose();
  });

  it('clips the global norm to maxNorm', () => {
    const { norm, total } = tf.tidy(() => {
      const r = clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
      const total = Math.sqrt(r.grads.reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0));
      return { norm: r.norm.dataSync()[0], total };
    });
    expect(norm).toBeCloseTo(5, 5);
    expect(total).toBeCloseTo(1, 4);
  });
});
