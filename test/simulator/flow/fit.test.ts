import { describe, expect, it } from 'vitest';
import { FlowError, fitHawkes, logLikelihood, rescaledInterArrivals, simulateHawkes } from '../../../simulator/flow/index.ts';
import type { FitResult, HawkesModel } from '../../../simulator/flow/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { UShapeProfile } from '../../../simulator/flow/index.ts';
import { EmProblem, initialState } from '../../../simulator/flow/fit.ts';

function within(got: number, want: number, rel: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * want);
}

function expectRecovered(f: FitResult, truth: HawkesModel): void {
  truth.mu.forEach((m, i) => within(f.mu[i], m, 0.1));
  truth.components.forEach((c, k) => {
    within(f.decays[k], c.decay, 0.1);
    c.branching.forEach((row, i) => row.forEach((a, j) => within(f.branching[k][i][j], a, 0.1)));
  });
}

describe('fitHawkes (EM with decay search)', () => {
  it('recovers the 1-D reference case (μ = 1, n = 0.5, β = 2) within 10% and beats the truth in likelihood', () => {
    const truth: HawkesModel = { mu: [1], components: [{ decay: 2, branching: [[0.5]] }] };
    const T = 12_000;
    const ev = simulateHawkes(truth, Rng.fromSeed(7, 'fit'), T);
    expect(ev.times.length).toBeGreaterThanOrEqual(20_000);
    const f = fitHawkes(ev, { t1: T, components: 1 });
    expectRecovered(f, truth);
    expect(f.converged).toBe(true);
    expect(f.logLikelihood).toBeGreaterThanOrEqual(logLikelihood(truth, ev, T));
    expect(f.spectralRadius).toBeCloseTo(f.branching[0][0][0], 12);
    expect(f.numParams).toBe(3);
    expect(f.aic).toBeCloseTo(2 * 3 - 2 * f.logLikelihood, 9);
  });

  it('recovers a 2-D model with cross-excitation within 10%', () => {
    const truth: HawkesModel = { mu: [0.5, 0.4], components: [{ decay: 5, branching: [[0.4, 0.15], [0.2, 0.3]] }] };
    const T = 12_000;
    const ev = simulateHawkes(truth, Rng.fromSeed(2, 'fit'), T);
    expect(ev.times.length).toBeGreaterThanOrEqual(20_000);
    expectRecovered(fitHawkes(ev, { t1: T }), truth);
  });

  it('recovers two exponential components (fast 50/s, slow 1/s) within 10%, and AIC prefers K = 2', () => {
    const truth: HawkesModel = { mu: [1], components: [{ decay: 50, branching: [[0.3]] }, { decay: 1, branching: [[0.3]] }] };
    const T = 12_000;
    const ev = simulateHawkes(truth, Rng.fromSeed(2, 'fit'), T);
    expect(ev.times.length).toBeGreaterThanOrEqual(20_000);
    const f2 = fitHawkes(ev, { t1: T, components: 2 });
    expectRecovered(f2, truth);
    const f1 = fitHawkes(ev, { t1: T, components: 1, decays: [5] });
    expect(f2.aic).toBeLessThan(f1.aic);
    expect(f2.numParams).toBe(5);
  });

  it('fixDecays keeps the decays and fits μ, α', () => {
    const truth: HawkesModel = { mu: [1], components: [{ decay: 2, branching: [[0.5]] }] };
    const ev = simulateHawkes(truth, Rng.fromSeed(3, 'fit'), 5000);
    const f = fitHawkes(ev, { t1: 5000, decays: [3], fixDecays: true });
    expect(f.decays).toEqual([3]);
    expect(f.numParams).toBe(2);
  });

  it('runs the D = 2, K = 1 E-step (every calibration session\'s branching) bit for bit as the general one', () => {
    // Times on a 10 ms grid, so many events share a timestamp (in the same and in both
    // dimensions: the general loop adds their counts one at a time after the group), and a
    // U-shaped baseline (a weight per event).
    const truth: HawkesModel = { mu: [0.6, 0.5], components: [{ decay: 8, branching: [[0.4, 0.1], [0.15, 0.35]] }] };
    const T = 3000;
    const raw = simulateHawkes(truth, Rng.fromSeed(5, 'fit'), T);
    const times = Float64Array.from(raw.times, (t) => Math.round(t * 100) / 100);
    let ties = 0;
    for (let n = 1; n < times.length; n++) if (times[n] === times[n - 1]) ties++;
    expect(ties).toBeGreaterThan(50);
    const series = { times, dims: Int32Array.from(raw.dims) };
    const profile = new UShapeProfile({ sessionSeconds: T, open: 2, close: 5 });
    for (const fixDecays of [false, true]) {
      const p = new EmProblem(series, 2, 1, 0, T, profile);
      const fast = initialState(2, 1, Float64Array.of(1, 1), p.Is, [3]);
      const general = initialState(2, 1, Float64Array.of(1, 1), p.Is, [3]);
      for (let it = 0; it < 40; it++) {
        const a = p.step(fast, fixDecays);
        const b = p.step(general, fixDecays, true);
        expect(Object.is(a, b)).toBe(true);
      }
      expect(fast.mu).toEqual(general.mu);
      expect(fast.alpha).toEqual(general.alpha);
      expect(fast.beta).toEqual(general.beta);
    }
  });

  it('rejects bad input with FlowError', () => {
    const ev = { times: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], dims: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
    expect(() => fitHawkes({ times: [1, 2], dims: [0, 0] })).toThrow(/at least 10 events/);
    expect(() => fitHawkes({ times: [...ev.times].reverse(), dims: ev.dims })).toThrow(/non-decreasing/);
    expect(() => fitHawkes(ev, { components: 7 })).toThrow(/components/);
    expect(() => fitHawkes(ev, { dims: 1, components: 1, decays: [-1] })).toThrow(FlowError);
    expect(() => fitHawkes({ times: ev.times, dims: ev.dims.map((d, i) => (i === 3 ? 1.5 : d)) })).toThrow(/dims\[3\]/);
  });
});

describe('logLikelihood and rescaling', () => {
  // A small 2-D, two-component series with a tie, checked against the O(N²) definition.
  const model: HawkesModel = {
    mu: [0.3, 0.5],
    components: [
      { decay: 7, branching: [[0.2, 0.1], [0.3, 0.05]] },
      { decay: 0.8, branching: [[0.1, 0.2], [0.0, 0.25]] },
    ],
  };
  const times = [0.2, 0.5, 0.5, 1.1, 2.0, 2.05, 3.7, 4.0, 6.5, 6.6];
  const dims = [0, 1, 0, 1, 1, 0, 0, 1, 0, 1];
  const T = 8;
  const lam = (i: number, t: number): number => {
    let l = model.mu[i];
    for (let m = 0; m < times.length; m++) {
      if (times[m] >= t) continue;
      for (const c of model.components) l += c.branching[i][dims[m]] * c.decay * Math.exp(-c.decay * (t - times[m]));
    }
    return l;
  };
  const comp = (i: number, a: number, b: number): number => {
    let s = model.mu[i] * (b - a);
    for (let m = 0; m < times.length; m++) {
      for (const c of model.components) {
        const lo = Math.max(a, times[m]);
        if (b > lo) s += c.branching[i][dims[m]] * (Math.exp(-c.decay * (lo - times[m])) - Math.exp(-c.decay * (b - times[m])));
      }
    }
    return s;
  };

  it('matches the O(N²) definition, ties not exciting each other', () => {
    let want = 0;
    for (let n = 0; n < times.length; n++) want += Math.log(lam(dims[n], times[n]));
    want -= comp(0, 0, T) + comp(1, 0, T);
    expect(logLikelihood(model, { times, dims }, T)).toBeCloseTo(want, 11);
  });

  it('rescaled inter-arrivals are the compensator increments per dimension', () => {
    const res = rescaledInterArrivals(model, { times, dims });
    for (let i = 0; i < 2; i++) {
      let prev = 0;
      const want: number[] = [];
      for (let n = 0; n < times.length; n++) {
        if (dims[n] !== i) continue;
        want.push(comp(i, prev, times[n]));
        prev = times[n];
      }
      expect(res[i].length).toBe(want.length);
      want.forEach((w, k) => expect(res[i][k]).toBeCloseTo(w, 11));
    }
  });

  it('handles a profile: the likelihood uses μ s(t) and its integral', () => {
    const profile = { sessionSeconds: 10, open: 1, openTau: 0.1, close: 2, closeTau: 0.1 };
    const flat = logLikelihood({ mu: [1], components: [{ decay: 1, branching: [[0]] }] }, { times: [1, 5], dims: [0, 0] }, 10);
    const prof = logLikelihood({ mu: [1], components: [{ decay: 1, branching: [[0]] }], profile }, { times: [1, 5], dims: [0, 0] }, 10);
    expect(flat).toBeCloseTo(-10, 12);
    // Poisson with rate s(t): Σ log s(t_n) − ∫ s, and ∫₀^L s = L.
    const g = (tau: number): number => 1 + Math.exp(-tau / 0.1) + 2 * Math.exp(-(1 - tau) / 0.1);
    const c = 1 + 0.1 * (1 - Math.exp(-10)) + 2 * 0.1 * (1 - Math.exp(-10));
    expect(prof).toBeCloseTo(Math.log(g(0.1) / c) + Math.log(g(0.5) / c) - 10, 10);
  });
});
