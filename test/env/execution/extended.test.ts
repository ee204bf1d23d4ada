/**
 * The extended observation (features: 'extended') and the relative reward (rewardBaseline).
 */
import { describe, expect, it } from 'vitest';
import { checkEnv, make } from '../../../env/index.ts';
import { EXTENDED_FEATURES } from '../../../env/execution/features.ts';
import { makePolicy } from '../../../agents/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

const FAST = { market: {}, horizonSeconds: 120, decisionSeconds: 10 };

describe('extended features', () => {
  it('has 15 features with true bounds, passes checkEnv, and leaves the first 11 as the standard set', () => {
    const ext = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', features: 'extended' });
    const std = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid' });
    expect(ext.observationSpace.shape).toEqual([15]);
    expect(ext.metadata.features).toEqual([...EXTENDED_FEATURES]);
    expect(checkEnv(ext).steps).toBeGreaterThan(0);
    const a = ext.reset({ seed: 3 }).observation;
    const b = std.reset({ seed: 3 }).observation;
    expect(Array.from(a.subarray(0, 11))).toEqual(Array.from(b));
  });

  it('scheduleGap, orderAge, orderOffset and fillRate follow their definitions', () => {
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'limit', features: 'extended', quantity: 12000, maxOffsetTicks: 10 });
    let r = env.reset({ seed: 11 });
    // At the start: on schedule, no order, no fills.
    expect(Array.from(r.observation.subarray(11))).toEqual([0, 0, 0, 0]);
    // A small order 3 ticks behind the touch: it probably rests; nothing executes, so at k = 1 the
    // agent is one slice (1000) behind: gap = 1 / 5.
    const ask0 = env.currentMarket!.bestAsk();
    let s = env.step(Float64Array.of(0.001, 3));
    expect(s.observation[11]).toBeCloseTo((1000 - s.info.executedQty) / 1000 / 5, 12);
    expect(s.observation[9]).toBe(1);
    // Placed one decision ago at the ask then + 3 ticks; now measured from the ask now.
    expect(s.observation[12]).toBeCloseTo(1 / 10, 12);
    expect(s.observation[13]).toBeCloseTo(Math.max(-1, Math.min(1, (ask0 + 3 - env.currentMarket!.bestAsk()) / 10)), 12);
    // Kept at the next decision (same target price needs the same ask: offset chosen to match it).
    const keep = ask0 + 3 - env.currentMarket!.bestAsk();
    if (Math.abs(keep) <= 10) {
      s = env.step(Float64Array.of(0.001, keep));
      if (s.observation[9] === 1) expect(s.observation[12]).toBeCloseTo(2 / 10, 12);
    }
    // A whole-slice order at the touch: passive fills during the step give fillRate = filled / slice / 2.
    r = env.reset({ seed: 12 });
    s = env.step(Float64Array.of(1, 0));
    const passive = s.info.fills.filter((f) => f.passive).reduce((x, f) => x + f.qty, 0);
    expect(s.observation[14]).toBeCloseTo(Math.min(1, passive / 1000 / 2), 12);
  });
});

describe('rewardBaseline', () => {
  it("the passive-TWAP policy earns exactly 0 against the passive-twap baseline (the twin runs the same schedule)", () => {
    const env = make('Liquidate-v0', { ...FAST, actionMode: 'limit', rewardBaseline: 'passive-twap', aMax: 1e6 });
    const p = makePolicy('passive-twap');
    for (let seed = 0; seed < 6; seed++) {
      const r = env.reset({ seed });
      p.reset?.(r.info, { seed, actionSpace: env.actionSpace });
      let obs = r.observation;
      let info = r.info;
      let s;
      do {
        s = env.step(p.act(obs, info) as Float64Array);
        expect(Math.abs(s.reward)).toBe(0);
        obs = s.observation;
        info = s.info as typeof info;
      } while (!s.terminated);
      expect(s.info.baselineIsBps).toBe(s.info.isBps);
    }
  });

  it('rewards sum to −(IS − the baseline IS) for any actions, with either baseline, also when the agent ends first', () => {
    const rng = Rng.fromSeed(8, 'rel');
    for (const rewardBaseline of ['twap', 'passive-twap'] as const) {
      const env = make('Liquidate-v0', { ...FAST, actionMode: 'hybrid', rewardBaseline, aMax: 5 });
      for (let seed = 0; seed < 8; seed++) {
        env.reset({ seed });
        let sum = 0;
        let s;
        do {
          s = env.step(env.actionSpace.sample(rng) as Float64Array);
          sum += s.reward;
        } while (!s.terminated);
        expect(Math.abs(sum + s.info.isBps - (s.info.baselineIsBps as number))).toBeLessThan(1e-9);
      }
    }
  });

  it("'none' is the default and changes nothing", () => {
    const a = make('Liquidate-v0', { ...FAST, rewardBaseline: 'none' });
    const b = make('Liquidate-v0', { ...FAST });
    a.reset({ seed: 2 });
    b.reset({ seed: 2 });
    const x = a.step(Float64Array.of(1));
    const y = b.step(Float64Array.of(1));
    expect(x.reward).toBe(y.reward);
    expect(x.info.baselineIsBps).toBeUndefined();
  });
});
