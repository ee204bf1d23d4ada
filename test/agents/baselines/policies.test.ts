import { describe, expect, it } from 'vitest';
import {
  BaselineError,
  isPolicyPath,
  listPolicies,
  loadPolicy,
  makePolicy,
  registerPolicy,
  registerPolicyLoader,
  TwapPolicy,
  type AnyPolicy,
} from '../../../agents/index.ts';
import { Box } from '../../../env/index.ts';

const obs = new Float64Array(3);
const market = { actionSpace: new Box(0, 10, [1]) };
const limit = { actionSpace: new Box([0, -5], [10, 5]) };
const hybrid = { actionSpace: new Box([0, -5, 0], [1e6, 5, 1e6]) };
/** Info at decision k of N with `remaining` of X left. */
const at = (k: number, N: number, remaining: number, X: number, extra: Record<string, unknown> = {}) => ({
  decisionIndex: k,
  decisionCount: N,
  remainingQty: remaining,
  quantity: X,
  ...extra,
});

function first(p: AnyPolicy, info: Record<string, unknown>, ctx = market): number[] {
  p.reset?.(info, { seed: 1, ...ctx });
  return Array.from(p.act(obs, info) as Float64Array);
}

describe('baseline policies', () => {
  it('registers the baselines', () => {
    expect(listPolicies()).toEqual(expect.arrayContaining(['ac', 'catch-up', 'imbalance', 'passive-twap', 'pov', 'random', 'sell-now', 'twap', 'vwap']));
    for (const name of ['twap', 'passive-twap', 'vwap', 'pov', 'sell-now', 'random']) expect(makePolicy(name).name).toBe(name);
    expect(makePolicy('ac', { sigma: 1, eta: 1, gamma: 0, lambda: 0 }).name).toBe('ac');
  });

  it('declare the action mode they need', () => {
    expect(makePolicy('twap').actionMode).toBe('market');
    expect(makePolicy('passive-twap').actionMode).toBe('limit');
    expect(makePolicy('random', { actionMode: 'limit' }).actionMode).toBe('limit');
  });

  it('catch-up posts the schedule passively and crosses the spread for a shortfall beyond one slice', () => {
    // On schedule at k = 3 of 10 (70 of 100 left): post the slice (10 = 1 env slice of 70/7), cross nothing.
    expect(first(makePolicy('catch-up'), at(3, 10, 70, 100), hybrid)).toEqual([1, 0, 0]);
    // Behind by 15 at k = 3 (85 left; schedule 30, executed 15): more than one slice (10) behind:
    // cross 15 now and post one slice. Env slice = 85 / 7.
    const [post, offset, cross] = first(makePolicy('catch-up'), at(3, 10, 85, 100), hybrid);
    expect(post).toBeCloseTo(10 / (85 / 7), 12);
    expect(offset).toBe(0);
    expect(cross).toBeCloseTo(15 / (85 / 7), 12);
    // Behind by less than a slice (5): catch up passively, 15 = this slice and the 5.
    const p = first(makePolicy('catch-up'), at(3, 10, 75, 100), hybrid);
    expect(p[0]).toBeCloseTo(15 / (75 / 7), 12);
    expect(p[2]).toBe(0);
    expect(makePolicy('catch-up').actionMode).toBe('hybrid');
  });

  it('imbalance rests while the book leans its way and crosses for the shortfall when it turns (or at the end)', () => {
    const sell = at(2, 10, 80, 100, { side: 'sell' });
    const o = (imb: number) => {
      const x = new Float64Array(11);
      x[4] = imb;
      return x;
    };
    const p = makePolicy('imbalance', { threshold: 0.3 });
    p.reset?.(sell, { seed: 1, ...hybrid });
    // Bids heavy (+0.5) favours a seller: post the 10 needed by the next decision (env slice 80/8 = 10).
    expect(Array.from(p.act(o(0.5), sell) as Float64Array)).toEqual([1, 0, 0]);
    // Asks heavy (−0.5) beyond the threshold: cross the 10 now.
    expect(Array.from(p.act(o(-0.5), sell) as Float64Array)).toEqual([0, 0, 1]);
    // A buyer reads the same book the other way.
    const buy = at(2, 10, 80, 100, { side: 'buy' });
    p.reset?.(buy, { seed: 1, ...hybrid });
    expect(Array.from(p.act(o(0.5), buy) as Float64Array)).toEqual([0, 0, 1]);
    // The last decision crosses whatever the book says.
    const last = at(9, 10, 10, 100, { side: 'sell' });
    expect(Array.from(p.act(o(0.9), last) as Float64Array)).toEqual([0, 0, 1]);
    expect(() => makePolicy('imbalance', { threshold: 2 })).toThrow(BaselineError);
    expect(() => makePolicy('imbalance').reset?.(at(0, 10, 100, 100), { seed: 1 })).toThrow(/info\.side/);
  });

  it('TWAP: action 1; sell-now: the number of decisions left, clipped to the space', () => {
    expect(first(makePolicy('twap'), at(0, 5, 100, 100))).toEqual([1]);
    expect(first(makePolicy('sell-now'), at(2, 5, 60, 100))).toEqual([3]);
    expect(first(makePolicy('sell-now'), at(0, 60, 100, 100))).toEqual([10]);
  });

  it('passive TWAP posts at the touch what is needed to be on the TWAP schedule at the next decision', () => {
    // On schedule: 10 of 100 left with 1 of 10 decisions... k = 3 of N = 10, 70 left: post 10 = the slice (multiple 1).
    expect(first(makePolicy('passive-twap'), at(3, 10, 70, 100), limit)).toEqual([1, 0]);
    // Behind by 20 (nothing filled so far at k = 2): post 30 of 100 left over 8 decisions: 30 / (100/8) = 2.4.
    const [size, offset] = first(makePolicy('passive-twap', { offsetTicks: 1 }), at(2, 10, 100, 100), limit);
    expect(size).toBeCloseTo(2.4, 12);
    expect(offset).toBe(1);
    // Ahead of schedule: post nothing.
    expect(first(makePolicy('passive-twap'), at(5, 10, 30, 100), limit)[0]).toBe(0);
  });

  it('VWAP with a flat profile is TWAP; with a front-loaded profile it sells more early', () => {
    const flat = [0, 0.25, 0.5, 0.75, 1];
    const v = makePolicy('vwap', { cumulative: flat });
    expect(first(v, at(0, 4, 100, 100))[0]).toBeCloseTo(1, 12);
    expect(Array.from(v.act(obs, at(1, 4, 75, 100)) as Float64Array)[0]).toBeCloseTo(1, 12);
    // U(1) = 0.5: sell 50 of 100 with 4 decisions left: 50 / 25 = 2.
    const front = makePolicy('vwap');
    expect(first(front, at(0, 4, 100, 100, { expectedCumulativeVolume: [0, 0.5, 0.7, 0.9, 1] }))[0]).toBeCloseTo(2, 12);
    expect(() => makePolicy('vwap', { cumulative: [0, 0.6, 0.5, 1] })).toThrow(/non-decreasing.*0.5 at index 2/);
    expect(() => first(makePolicy('vwap'), at(0, 4, 100, 100))).toThrow(/vwap needs options.cumulative or info.expectedCumulativeVolume/);
  });

  it('POV sells ρ/(1 − ρ) of the others’ volume of the last interval', () => {
    const p = makePolicy('pov', { rho: 0.2 });
    // First decision: the expected interval volume 400 → 100 shares; 1000 left over 10 decisions: 100/100 = 1.
    expect(first(p, at(0, 10, 1000, 1000, { expectedVolumePerStep: 400 }))[0]).toBeCloseTo(1, 12);
    // Then others traded 800 → 200 shares of 900 left over 9: 200 / 100 = 2.
    expect((p.act(obs, at(1, 10, 900, 1000, { othersVolumeLastStep: 800 })) as Float64Array)[0]).toBeCloseTo(2, 12);
    expect(() => makePolicy('pov', { rho: 1 })).toThrow(/rho must be in \(0, 1\), got 1/);
  });

  it('random: reproducible from the episode seed, inside the action space', () => {
    const a = makePolicy('random');
    const b = makePolicy('random');
    const xs: number[] = [];
    const ys: number[] = [];
    a.reset?.({}, { seed: 5, ...market });
    b.reset?.({}, { seed: 5, ...market });
    for (let i = 0; i < 20; i++) {
      xs.push((a.act(obs) as Float64Array)[0]);
      ys.push((b.act(obs) as Float64Array)[0]);
    }
    expect(xs).toEqual(ys);
    expect(xs.every((x) => x >= 0 && x <= 2)).toBe(true);
    const l = makePolicy('random', { actionMode: 'limit' });
    l.reset?.({}, { seed: 5, ...limit });
    expect(limit.actionSpace.contains(l.act(obs))).toBe(true);
  });

  it('the registry is extensible: named factories and a loader for run directories', async () => {
    registerPolicy('test-policy', () => new TwapPolicy());
    expect(makePolicy('test-policy').name).toBe('twap');
    await expect(loadPolicy('runs/ppo-1')).rejects.toThrow(/no policy loader is registered/);
    registerPolicyLoader((path) => ({ name: `loaded:${path}`, act: () => 0 }));
    expect((await loadPolicy({ name: './runs/x' })).name).toBe('loaded:./runs/x');
    expect(isPolicyPath('twap')).toBe(false);
    expect(() => makePolicy('nope')).toThrow(BaselineError);
    expect(() => registerPolicy('Bad Name', () => new TwapPolicy())).toThrow(/policy name/);
  });

  it('rejects missing env info with a clear error', () => {
    expect(() => first(makePolicy('sell-now'), {})).toThrow(/sell-now needs info.decisionIndex/);
    expect(() => makePolicy('ac', { sigma: 1, eta: 1, gamma: 0 })).toThrow(/exactly one of lambda and lambdaPerBps/);
  });
});
