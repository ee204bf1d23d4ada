import { describe, expect, it } from 'vitest';
import { RewardScaler, RunningMeanStd } from '../../../agents/common/index.ts';

describe('RewardScaler', () => {
  it('divides by the running sd of the discounted return and resets at episode ends', () => {
    const s = new RewardScaler(2, 0.5, 10, 0);
    const out = new Float64Array(2);
    s.scale([1, 2], [1, 0], [0, 0], out);
    expect(out[1]).toBe(0);
    expect(s.returns[0]).toBe(1);
    s.scale([1, 2], [1, 1], [1, 0], out);
    // env 0: G = 0.5·1 + 1 = 1.5, then reset; env 1: G = 2.
    expect(s.returns[0]).toBe(0);
    expect(s.returns[1]).toBe(2);
    const ref = new RunningMeanStd(1);
    ref.updateRows([1], 1);
    ref.updateRows([1.5, 2], 2);
    expect(s.rms.var[0]).toBeCloseTo(ref.var[0], 12);
    expect(out[0]).toBeCloseTo(1 / Math.sqrt(ref.var[0]), 12);
    expect(out[1]).toBeCloseTo(2 / Math.sqrt(ref.var[0]), 12);
  });

  it('clips, round-trips its state and rejects bad state', () => {
    const s = new RewardScaler(1, 0.9, 3, 1e-8);
    const out = new Float64Array(1);
    // Constant returns (G = 1, reset every step) drive the variance towards 0: 1/sd ≫ clip.
    for (let k = 0; k < 20; k++) s.scale([1], [1], [1], out);
    expect(s.rms.var[0]).toBeLessThan(1e-4);
    expect(out[0]).toBe(3);
    const t = new RewardScaler(1, 0.9, 3, 1e-8);
    t.load(JSON.parse(JSON.stringify(s.toJSON())));
    expect(Array.from(t.returns)).toEqual(Array.from(s.returns));
    expect(t.rms.var[0]).toBe(s.rms.var[0]);
    expect(() => t.load({ rms: s.rms.toJSON(), returns: [1, 2] })).toThrow(/needs 1 finite returns/);
    expect(() => new RewardScaler(0, 0.9)).toThrow(/positive integer, got 0/);
  });
});
