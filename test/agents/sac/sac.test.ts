import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SacAgent, parseSacConfig } from '../../../agents/sac/index.ts';
import { ReplayBuffer, polyakUpdate } from '../../../agents/common/index.ts';
import { NnError } from '../../../agents/nn/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { setupTf } from './helpers.ts';

beforeAll(setupTf);

function filledBuffer(seed: number, n = 200, obsDim = 3): ReplayBuffer {
  const rb = new ReplayBuffer(n, obsDim, 1);
  const rng = Rng.fromSeed(seed, 'data');
  const o = new Float64Array(obsDim);
  const o2 = new Float64Array(obsDim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < obsDim; j++) {
      o[j] = rng.normal();
      o2[j] = rng.normal();
    }
    rb.add(o, [rng.uniform(-1, 1)], rng.normal(), o2, i % 10 === 9, i % 7 === 6);
  }
  return rb;
}

const read = (v: tf.Variable): number[] => Array.from(v.dataSync());

describe('Polyak averaging', () => {
  it('moves targets by exactly τ toward the online weights', () => {
    const online = [tf.variable(tf.tensor1d([1, 2, -4])), tf.variable(tf.tensor2d([[0.5]]))];
    const target = [tf.variable(tf.tensor1d([3, 5, 4])), tf.variable(tf.tensor2d([[-0.5]]))];
    polyakUpdate(online, target, 0.25);
    // 0.25·1 + 0.75·3 = 2.5; 0.25·2 + 0.75·5 = 4.25; 0.25·(−4) + 0.75·4 = 2; 0.25·0.5 − 0.75·0.5 = −0.25 (all exact in float32).
    expect(read(target[0])).toEqual([2.5, 4.25, 2]);
    expect(read(target[1])).toEqual([-0.25]);
    expect(read(online[0])).toEqual([1, 2, -4]);
    polyakUpdate(online, target, 0);
    expect(read(target[0])).toEqual([2.5, 4.25, 2]);
    polyakUpdate(online, target, 1);
    expect(read(target[0])).toEqual([1, 2, -4]);
    expect(() => polyakUpdate(online, target, 1.5)).toThrow(NnError);
    expect(() => polyakUpdate(online, target.slice(1), 0.5)).toThrow(/online variables/);
    for (const v of [...online, ...target]) v.dispose();
  });

  it('is what learn() applies to the critic targets', () => {
    const agent = new SacAgent(parseSacConfig({ batchSize: 16, tau: 0.1 }), { obsDim: 3, actionLow: [-1], actionHigh: [1] }, 7);
    const rb = filledBuffer(1);
    const before = agent.qf1Target.variables.map(read);
    expect(before).toEqual(agent.qf1.variables.map(read));
    agent.learn(rb.sample(16, Rng.fromSeed(2)));
    const online = agent.qf1.variables.map(read);
    const after = agent.qf1Target.variables.map(read);
    for (let k = 0; k < after.length; k++) {
      for (let i = 0; i < after[k].length; i++) {
        expect(after[k][i]).toBeCloseTo(0.1 * online[k][i] + 0.9 * before[k][i], 6);
      }
    }
    agent.dispose();
  });
});

describe('SacAgent', () => {
  it('leaks no tensors across updates and acting', () => {
    const agent = new SacAgent(parseSacConfig({ batchSize: 32, normObs: true }), { obsDim: 3, actionLow: [0], actionHigh: [3] }, 1);
    const rb = filledBuffer(2);
    const rng = Rng.fromSeed(3);
    const out = new Float64Array(4);
    const obs = new Float64Array(12);
    agent.learn(rb.sample(32, rng));
    agent.act(obs, 4, out, false);
    const n0 = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) {
      agent.learn(rb.sample(32, rng));
      agent.act(obs, 4, out, false);
      agent.act(obs, 1, out, true);
      expect(tf.memory().numTensors).toBe(n0);
    }
    agent.dispose();
  });

  it('updates the actor on the delayed schedule, and only the actor through J_π', () => {
    const agent = new SacAgent(parseSacConfig({ batchSize: 16, policyFrequency: 2 }), { obsDim: 3, actionLow: [-1], actionHigh: [1] }, 4);
    const rb = filledBuffer(3);
    const rng = Rng.fromSeed(4);
    const a0 = agent.actor.variables.map(read);
    agent.learn(rb.sample(16, rng));
    expect(agent.actor.variables.map(read)).toEqual(a0);
    expect(Number.isNaN(agent.losses.actorLoss)).toBe(true);
    agent.learn(rb.sample(16, rng));
    expect(agent.actor.variables.map(read)).not.toEqual(a0);
    expect(agent.actorOptimizer.step).toBe(2);
    expect(agent.qOptimizer.step).toBe(2);
    expect(Number.isFinite(agent.losses.actorLoss)).toBe(true);
    agent.dispose();
  });

  it('tunes α toward the target entropy: α falls while the policy is more random than the target', () => {
    // A fresh policy has σ ≈ e^−1.5 on a [−1, 1] action: its entropy is above a target of −5 nats.
    const agent = new SacAgent(parseSacConfig({ batchSize: 32, policyFrequency: 1, targetEntropy: -5, alpha: 0.5 }), { obsDim: 3, actionLow: [-1], actionHigh: [1] }, 5);
    const rb = filledBuffer(4);
    const rng = Rng.fromSeed(5);
    for (let i = 0; i < 5; i++) agent.learn(rb.sample(32, rng));
    expect(agent.losses.entropy).toBeGreaterThan(-5);
    expect(agent.alpha()).toBeLessThan(0.5);
    agent.dispose();
    const fixed = new SacAgent(parseSacConfig({ batchSize: 32, autotune: false, alpha: 0.3 }), { obsDim: 3, actionLow: [-1], actionHigh: [1] }, 5);
    for (let i = 0; i < 4; i++) fixed.learn(rb.sample(32, rng));
    expect(fixed.alpha()).toBeCloseTo(0.3, 6);
    fixed.dispose();
  });

  it('acts inside the action bounds, deterministically on the mean', () => {
    const agent = new SacAgent(parseSacConfig({}), { obsDim: 2, actionLow: [10, -1], actionHigh: [20, 0] }, 9);
    const obs = Float64Array.of(0.3, -0.2, 5, 5, -5, 1);
    const out = new Float64Array(6);
    const unit = new Float64Array(6);
    agent.act(obs, 3, out, false, unit);
    for (let i = 0; i < 3; i++) {
      expect(out[2 * i]).toBeGreaterThanOrEqual(10);
      expect(out[2 * i]).toBeLessThanOrEqual(20);
      expect(out[2 * i + 1]).toBeGreaterThanOrEqual(-1);
      expect(out[2 * i + 1]).toBeLessThanOrEqual(0);
      expect(out[2 * i]).toBeCloseTo(15 + 5 * unit[2 * i], 9);
    }
    const d1 = new Float64Array(6);
    const d2 = new Float64Array(6);
    agent.act(obs, 3, d1, true);
    agent.act(obs, 3, d2, true);
    expect(Array.from(d1)).toEqual(Array.from(d2));
    expect(() => new SacAgent(parseSacConfig({}), { obsDim: 2, actionLow: [0], actionHigh: [Infinity] }, 1)).toThrow(/bounded Box/);
    agent.dispose();
  });

  it('starts its mean at initAction when given', () => {
    const agent = new SacAgent(parseSacConfig({ initAction: [1] }), { obsDim: 2, actionLow: [0], actionHigh: [10] }, 2);
    const out = new Float64Array(1);
    agent.act(Float64Array.of(0.5, -0.5), 1, out, true);
    // The output layer's weights have gain 0.01, so the mean is the bias up to a few hundredths.
    expect(Math.abs(out[0] - 1)).toBeLessThan(0.2);
    agent.dispose();
    expect(() => new SacAgent(parseSacConfig({ initAction: [1, 2] }), { obsDim: 2, actionLow: [0], actionHigh: [10] }, 2)).toThrow(/initAction has 2 values/);
  });
});
