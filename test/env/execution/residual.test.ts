/**
 * Residual actions (actionBase: 'passive-twap'): the action is a change to passive TWAP's, so the
 * zero action is passive TWAP to the bit and any action equals its absolute counterpart.
 */
import { describe, expect, it } from 'vitest';
import { checkEnv, EnvError, make } from '../../../env/index.ts';
import { RESIDUAL_DISCRETE_ACTIONS, SPREAD_MAX_TICKS } from '../../../env/execution/index.ts';
import { PPO_PRESETS, ppoPreset } from '../../../agents/ppo/config.ts';
import { SAC_PRESETS, sacPreset } from '../../../agents/sac/config.ts';
import { Rng } from '../../../simulator/random/index.ts';
import type { Info } from '../../../env/core.ts';
import { PassiveTwapPolicy } from '../../../agents/baselines/passive-twap.ts';

const FAST = { market: {}, horizonSeconds: 120, decisionSeconds: 10 };

/** Passive TWAP's size (slices of what is left) from a step's info, as passive-twap computes it. */
function baseSize(info: { quantity: number; decisionCount: number; decisionIndex: number; remainingQty: number }): number {
  const left = info.decisionCount - info.decisionIndex;
  const need = (info.quantity * (info.decisionIndex + 1)) / info.decisionCount - (info.quantity - info.remainingQty);
  const slice = info.remainingQty / left;
  return slice > 0 && need > 0 ? need / slice : 0;
}

describe('actionBase passive-twap', () => {
  it('passes checkEnv in limit and hybrid modes, with a size coordinate in [−aMax, aMax]', () => {
    for (const actionMode of ['limit', 'hybrid'] as const) {
      const env = make('Liquidate-v0', { ...FAST, actionMode, actionBase: 'passive-twap', aMax: 4 });
      const box = env.actionSpace as unknown as { low: Float64Array; high: Float64Array };
      expect(box.low[0]).toBe(-4);
      expect(box.high[0]).toBe(4);
      if (actionMode === 'hybrid') expect(box.low[2]).toBe(0);
      expect(env.metadata.actionBase).toBe('passive-twap');
      expect(checkEnv(env).steps).toBeGreaterThan(0);
    }
  });

  it("the zero action is the env's passive TWAP (the twin's schedule), bit for bit (limit and hybrid modes)", () => {
    const ref = make('Liquidate-v0', { ...FAST, actionMode: 'limit', aMax: 1e6 });
    for (const actionMode of ['limit', 'hybrid'] as const) {
      const env = make('Liquidate-v0', { ...FAST, actionMode, actionBase: 'passive-twap' });
      const zero = new Float64Array(actionMode === 'hybrid' ? 3 : 2);
      for (let seed = 0; seed < 5; seed++) {
        const r = ref.reset({ seed });
        env.reset({ seed });
        let info = r.info;
        for (;;) {
          const a = ref.step(Float64Array.of(baseSize(info), 0));
          const b = env.step(zero);
          expect(b.info.fills).toEqual(a.info.fills);
          expect(b.reward).toBe(a.reward);
          expect(Array.from(b.observation)).toEqual(Array.from(a.observation));
          info = a.info as typeof info;
          expect(b.terminated).toBe(a.terminated);
          if (a.terminated) break;
        }
        expect(info.passiveQty).toBeGreaterThan(0);
      }
    }
  });

  it("the passive-twap policy posts the env's passive TWAP to the share (one formula), on 40 seeds", () => {
    // Before they shared passiveTwapSize, the policy's remaining − X(N−k−1)/N and the env's
    // X(k+1)/N − executed could round to different whole shares at a half share on rare seeds.
    const ref = make('Liquidate-v0', { ...FAST, actionMode: 'limit', aMax: 1e6 });
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'limit', actionBase: 'passive-twap' });
    const policy = new PassiveTwapPolicy();
    const zero = new Float64Array(2);
    for (let seed = 0; seed < 40; seed++) {
      let info: Info = ref.reset({ seed }).info;
      env.reset({ seed });
      policy.reset(info);
      for (;;) {
        const a = ref.step(policy.act(new Float64Array(0), info));
        const b = env.step(zero);
        expect(b.info.fills).toEqual(a.info.fills);
        expect(b.reward).toBe(a.reward);
        info = a.info;
        if (a.terminated) break;
      }
    }
  });

  it('any residual action equals the absolute action passive TWAP + change (floored at 0) in the plain env', () => {
    const rng = Rng.fromSeed(5, 'residual');
    const abs = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', aMax: 1e6 });
    const res = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', actionBase: 'passive-twap', aMax: 3 });
    for (let seed = 0; seed < 5; seed++) {
      let info = abs.reset({ seed }).info;
      res.reset({ seed });
      let floored = 0;
      for (;;) {
        const d = res.actionSpace.sample(rng) as Float64Array;
        const size = baseSize(info) + d[0];
        if (size < 0) floored++;
        const a = abs.step(Float64Array.of(Math.max(0, size), d[1], d[2]));
        const b = res.step(d);
        expect(b.info.fills).toEqual(a.info.fills);
        expect(b.reward).toBe(a.reward);
        info = a.info as typeof info;
        if (a.terminated) break;
      }
      // Uniform changes in [−3, 3] around sizes near 1 slice: some sums are negative (posted as 0).
      if (seed === 4) expect(floored).toBeGreaterThan(0);
    }
  });

  it('with the passive-twap relative reward, the zero action earns exactly 0 at every step', () => {
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', actionBase: 'passive-twap', rewardBaseline: 'passive-twap' });
    for (let seed = 0; seed < 4; seed++) {
      env.reset({ seed });
      let s;
      do {
        s = env.step(new Float64Array(3));
        expect(Math.abs(s.reward)).toBe(0);
      } while (!s.terminated);
      expect(s.info.baselineIsBps).toBe(s.info.isBps);
    }
  });

  it('is refused in market mode with an error that names the option and the mode', () => {
    expect(() => make('Liquidate-v0', { ...FAST, actionMode: 'market', actionBase: 'passive-twap' })).toThrow(EnvError);
    expect(() => make('Liquidate-v0', { ...FAST, actionMode: 'market', actionBase: 'passive-twap' })).toThrow(/actionBase 'passive-twap' needs actionMode 'limit', 'hybrid' or 'discrete', got actionMode 'market'/);
    expect(() => make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', actionBase: 'twap' })).toThrow(/actionBase/);
  });

  it('discrete residual actions: checkEnv passes, the space and metadata name the four actions', () => {
    for (const latency of ['none', 'retail'] as const) {
      const env = make('Liquidate-v0', { ...FAST, actionMode: 'discrete', actionBase: 'passive-twap', latency });
      expect((env.actionSpace as unknown as { n: number }).n).toBe(4);
      expect(env.metadata.discreteActions).toEqual([...RESIDUAL_DISCRETE_ACTIONS]);
      expect(checkEnv(env).steps).toBeGreaterThan(0);
      env.reset({ seed: 1 });
      expect(() => env.step(4)).toThrow(EnvError);
      expect(() => env.step(4)).toThrow(/invalid action .* 4/);
      expect(env.step(0).info.decisionIndex).toBe(1); // the refused actions left the env as it was
    }
  });

  it('each discrete residual action is its hybrid counterpart (join / improve without crossing / behind / take), with and without latency', () => {
    const rng = Rng.fromSeed(9, 'discrete-residual');
    const both = new Set<string>();
    // The default market's spread is rarely one tick; the large-tick one's mostly is.
    for (const [latency, market] of [['none', {}], ['colocated', {}], ['none', 'large-tick'], ['colocated', 'large-tick']] as const) {
      const abs = make('Liquidate-v0', { ...FAST, market, actionMode: 'hybrid', aMax: 1e6, latency });
      const res = make('Liquidate-v0', { ...FAST, market, actionMode: 'discrete', actionBase: 'passive-twap', latency });
      const seen = new Set<string>();
      for (let seed = 0; seed < 6; seed++) {
        const r0 = abs.reset({ seed });
        let info = r0.info as { quantity: number; decisionCount: number; decisionIndex: number; remainingQty: number };
        let observation = r0.observation;
        res.reset({ seed });
        for (;;) {
          const a = Math.floor(rng.uniform() * 4);
          const p = baseSize(info);
          // The spread the agent sees (the observation's: its view under latency); empty side: 1.
          const roomy = observation[2] < 1 && observation[2] * SPREAD_MAX_TICKS >= 1.5;
          const offset = a === 1 ? (roomy ? -1 : 0) : a === 2 ? 1 : 0;
          if (a === 1) seen.add(roomy ? 'improve' : 'improve-joins');
          const x = abs.step(Float64Array.of(a === 3 ? 0 : p, offset, a === 3 ? p : 0));
          const y = res.step(a);
          expect(y.info.fills).toEqual(x.info.fills);
          expect(y.reward).toBe(x.reward);
          info = x.info;
          observation = x.observation;
          if (x.terminated) break;
        }
      }
      seen.forEach((k) => both.add(k));
    }
    // Both branches of "improve" ran (a wide spread and a one-tick spread).
    expect(both).toEqual(new Set(['improve', 'improve-joins']));
  });

  it('discrete residual action 0 is passive TWAP to the bit; its relative reward is exactly 0', () => {
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'discrete', actionBase: 'passive-twap', rewardBaseline: 'passive-twap' });
    for (let seed = 0; seed < 4; seed++) {
      env.reset({ seed });
      let s;
      do {
        s = env.step(0);
        expect(Math.abs(s.reward)).toBe(0);
      } while (!s.terminated);
      expect(s.info.baselineIsBps).toBe(s.info.isBps);
      expect(s.info.passiveQty).toBeGreaterThan(0);
    }
  });

  it("a residual run takes its own PPO preset (the zero-centred one), never the absolute mode's", () => {
    expect(ppoPreset('Liquidate-v0', { actionMode: 'hybrid', actionBase: 'passive-twap' })).toBe(PPO_PRESETS['Liquidate-v0:hybrid:passive-twap']);
    expect(ppoPreset('Liquidate-v0', { actionMode: 'hybrid', actionBase: 'passive-twap' }).initActionBias).toEqual([0, 0, -0.5]);
    expect(ppoPreset('Liquidate-v0', { actionMode: 'limit', actionBase: 'passive-twap' })).toEqual({});
    expect(ppoPreset('Liquidate-v0', { actionMode: 'hybrid', actionBase: 'none' })).toBe(PPO_PRESETS['Liquidate-v0:hybrid']);
    expect(ppoPreset('Liquidate-v0', { actionMode: 'discrete', actionBase: 'passive-twap' })).toBe(PPO_PRESETS['Liquidate-v0:discrete:passive-twap']);
  });

  it('SAC on limit-mode residual actions starts at [0, 0], which is passive TWAP to the bit', () => {
    expect(sacPreset('Liquidate-v0', { actionMode: 'limit', actionBase: 'passive-twap' })).toBe(SAC_PRESETS['Liquidate-v0:limit:passive-twap']);
    expect(sacPreset('Liquidate-v0', { actionMode: 'hybrid', actionBase: 'passive-twap' })).toEqual({});
    const start = SAC_PRESETS['Liquidate-v0:limit:passive-twap'].initAction as number[];
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'limit', actionBase: 'passive-twap', rewardBaseline: 'passive-twap' });
    // The start must lie strictly inside the box (a tanh-squashed policy cannot start on an edge).
    const box = env.actionSpace as unknown as { low: Float64Array; high: Float64Array };
    for (let d = 0; d < start.length; d++) {
      expect(start[d]).toBeGreaterThan(box.low[d]);
      expect(start[d]).toBeLessThan(box.high[d]);
    }
    for (let seed = 0; seed < 3; seed++) {
      env.reset({ seed });
      let s;
      do {
        s = env.step(Float64Array.from(start));
        expect(Math.abs(s.reward)).toBe(0);
      } while (!s.terminated);
      expect(s.info.baselineIsBps).toBe(s.info.isBps);
    }
  });
});
