import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ActorCritic, parseActionSpace, parsePpoConfig, PpoError } from '../../../agents/ppo/index.ts';
import { initBackend, gaussianLogProbJs, log1mTanhSq } from '../../../agents/nn/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('parseActionSpace', () => {
  it('reads Box (with infinite bounds) and Discrete descriptions, and rejects others', () => {
    expect(parseActionSpace({ type: 'Box', shape: [2], low: [0, '-inf'], high: [10, 'inf'] })).toEqual({ kind: 'box', dim: 2, low: [0, -Infinity], high: [10, Infinity] });
    expect(parseActionSpace({ type: 'Box', shape: [1], low: 0, high: 5 })).toEqual({ kind: 'box', dim: 1, low: [0], high: [5] });
    expect(parseActionSpace({ type: 'Discrete', n: 4, start: 0 })).toEqual({ kind: 'discrete', n: 4, start: 0 });
    expect(() => parseActionSpace({ type: 'MultiDiscrete', nvec: [2, 2] })).toThrow(PpoError);
    expect(() => parseActionSpace({ type: 'Discrete', n: 0 })).toThrow(/n ≥ 1, got 0/);
  });
});

describe('ActorCritic', () => {
  it('acts in JS exactly as its TensorFlow.js nets compute, and starts at initActionBias', () => {
    const config = parsePpoConfig({ hiddenSizes: [16, 16], initActionBias: 1, initLogStd: -0.5 });
    const ac = new ActorCritic(3, { kind: 'box', dim: 2, low: [0, -1], high: [10, 1] }, config, Rng.fromSeed(1, 'init'));
    const obs = Float32Array.of(0.1, -0.3, 2, 1, 0, -1);
    const h1 = new Float64Array(4);
    const v1 = new Float64Array(2);
    const h2 = new Float64Array(4);
    const v2 = new Float64Array(2);
    ac.forward(obs, 2, h1, v1);
    ac.forwardTf(obs, 2, h2, v2);
    for (let k = 0; k < 4; k++) expect(h1[k]).toBeCloseTo(h2[k], 5);
    for (let k = 0; k < 2; k++) expect(v1[k]).toBeCloseTo(v2[k], 5);
    // Output gain 0.01: the initial mean is the bias ± a small term.
    for (let k = 0; k < 4; k++) expect(Math.abs(h1[k] - 1)).toBeLessThan(0.2);
    expect(Array.from(ac.logStdValues())).toEqual([-0.5, -0.5]);
    ac.dispose();
  });

  it('evaluates log-probs that match the acting side (clip and tanh modes)', () => {
    for (const actionMode of ['clip', 'tanh'] as const) {
      const config = parsePpoConfig({ hiddenSizes: [8], actionMode, initLogStd: -0.3 });
      const ac = new ActorCritic(2, { kind: 'box', dim: 1, low: [0], high: [4] }, config, Rng.fromSeed(2, 'init'));
      const obs = Float32Array.of(0.5, -0.5);
      const head = new Float64Array(1);
      const v = new Float64Array(1);
      ac.forward(obs, 1, head, v);
      const u = Float32Array.of(0.7);
      const want = gaussianLogProbJs(head, 0, ac.logStdValues(), u, 0, 1) + (ac.boxMap?.logProbCorrection(u, 0) ?? 0);
      if (actionMode === 'tanh') expect(ac.boxMap?.logProbCorrection(u, 0)).toBeCloseTo(-log1mTanhSq(0.7) - Math.log(2), 6);
      const got = tf.tidy(() => ac.evaluate(tf.tensor2d(obs, [1, 2]), tf.tensor2d(u, [1, 1])).logProb.dataSync()[0]);
      expect(got).toBeCloseTo(want, 4);
      ac.dispose();
    }
  });

  it('rejects tanh squashing of unbounded actions', () => {
    const config = parsePpoConfig({ actionMode: 'tanh' });
    expect(() => new ActorCritic(1, { kind: 'box', dim: 1, low: [-Infinity], high: [Infinity] }, config, Rng.fromSeed(3))).toThrow(/finite bounds/);
  });
});
