import { describe, expect, it } from 'vitest';
import {
  FlowError,
  HawkesProcess,
  UShapeProfile,
  meanIntensity,
  parseHawkesParams,
  rateCovariance,
  rescaledInterArrivals,
  simulateHawkes,
  spectralRadius,
  totalBranching,
} from '../../../simulator/flow/index.ts';
import { ksExp1, ksTwoSample } from '../../../simulator/stats/index.ts';
import type { HawkesParamsInput, HawkesSampler } from '../../../simulator/flow/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

/** docs/reference.md 1-D check case: μ = 1, n = 0.5, β = 2 → rate 2, sd √(μ/((1−n)³T)). */
const ONE_D: HawkesParamsInput = { mu: [1], components: [{ decay: 2, branching: [[0.5]] }] };
/** docs/reference.md 4-D case: μ = (0.05, 0.05, 0.3, 0.3), ρ(A) = 0.64 (block [[.5,.14],[.14,.5]] has 0.64), two components. */
const A4 = [
  [0.5, 0.14, 0, 0],
  [0.14, 0.5, 0, 0],
  [0.1, 0, 0.4, 0.1],
  [0, 0.1, 0.1, 0.4],
];
const FOUR_D: HawkesParamsInput = {
  mu: [0.05, 0.05, 0.3, 0.3],
  components: [
    { decay: 20, branching: A4.map((r) => r.map((v) => 0.6 * v)) },
    { decay: 1, branching: A4.map((r) => r.map((v) => 0.4 * v)) },
  ],
};
const TWO_D: HawkesParamsInput = {
  mu: [0.3, 0.2],
  components: [
    { decay: 30, branching: [[0.3, 0.05], [0.1, 0.2]] },
    { decay: 1.5, branching: [[0.15, 0.05], [0.02, 0.2]] },
  ],
};

function countRates(params: HawkesParamsInput, seed: number, T: number, sampler: HawkesSampler): number[] {
  const hp = new HawkesProcess(params, { sampler });
  hp.reset(Rng.fromSeed(seed, 'flow'));
  const counts = new Array<number>(hp.dims).fill(0);
  while (hp.peekNextTime() < T) counts[hp.consume()]++;
  return counts.map((c) => c / T);
}

describe('HawkesProcess rates', () => {
  for (const sampler of ['exact', 'thinning'] as const) {
    it(`${sampler}: 1-D and 4-D empirical rates within 4 sd of (I − A)⁻¹μ`, () => {
      for (const [params, T] of [
        [ONE_D, 20_000],
        [FOUR_D, 20_000],
      ] as const) {
        const p = parseHawkesParams(params);
        const L = meanIntensity(p);
        const cov = rateCovariance(p);
        const rates = countRates(params, 11, T, sampler);
        for (let i = 0; i < L.length; i++) expect(Math.abs(rates[i] - L[i])).toBeLessThan(4 * Math.sqrt(cov[i][i] / T));
      }
      expect(meanIntensity(parseHawkesParams(ONE_D))[0]).toBeCloseTo(2, 12);
      expect(spectralRadius(totalBranching(parseHawkesParams(FOUR_D)))).toBeCloseTo(0.64, 10);
    });
  }
});

describe('HawkesProcess goodness of fit', () => {
  it('rescaled inter-arrivals of every dimension are Exp(1) (KS p > 0.001), both samplers', () => {
    for (const sampler of ['exact', 'thinning'] as const) {
      for (const params of [ONE_D, FOUR_D, TWO_D]) {
        const ev = simulateHawkes(params, Rng.fromSeed(5, sampler), 10_000, { sampler });
        const res = rescaledInterArrivals(params, ev);
        for (const r of res) {
          expect(r.length).toBeGreaterThan(400);
          expect(ksExp1(r).pValue).toBeGreaterThan(0.001);
        }
      }
    }
  });
});

describe('exact and thinning samplers agree', () => {
  it('same law of the first events after an outside excitation (i.i.d. replications, two-sample KS) and equal rates', () => {
    // i.i.d. samples: from an empty 2-D two-component process excited at t = 0 in dim 0, the time of
    // the 3rd event and how many of the first 3 are in dim 1.
    const reps = 4000;
    const samples: Record<HawkesSampler, { t: Float64Array; d1: number }> = { exact: { t: new Float64Array(reps), d1: 0 }, thinning: { t: new Float64Array(reps), d1: 0 } };
    for (const sampler of ['exact', 'thinning'] as const) {
      const hp = new HawkesProcess(TWO_D, { sampler });
      const rng = Rng.fromSeed(21, sampler);
      for (let r = 0; r < reps; r++) {
        hp.reset(rng, 0);
        hp.excite(0, 0);
        for (let e = 0; e < 3; e++) samples[sampler].d1 += hp.nextEvent();
        samples[sampler].t[r] = hp.time;
      }
    }
    expect(ksTwoSample(samples.exact.t, samples.thinning.t).pValue).toBeGreaterThan(0.001);
    // Share of dim-1 events: difference of two binomial-ish proportions of 3·reps draws, within 4 sd
    // (sd bounded by √(2·0.25·3 / reps)·... conservatively using p(1−p) ≤ 1/4 and within-rep
    // correlation ≤ 1, so Var(sum of 3) ≤ 9/4).
    const diff = (samples.exact.d1 - samples.thinning.d1) / (3 * reps);
    expect(Math.abs(diff)).toBeLessThan(4 * Math.sqrt((2 * 9) / 4 / reps) / 3);
    // Raw inter-arrivals on one long path each (dependent draws: the KS p-value is indicative only,
    // so the threshold is the 0.001) and the rates within 4 sd of their difference.
    const T = 10_000;
    const a = simulateHawkes(ONE_D, Rng.fromSeed(3, 'a'), T, { sampler: 'exact' });
    const b = simulateHawkes(ONE_D, Rng.fromSeed(3, 'b'), T, { sampler: 'thinning' });
    const gaps = (x: Float64Array): Float64Array => x.subarray(1).map((t, i) => t - x[i]);
    expect(ksTwoSample(gaps(a.times), gaps(b.times)).pValue).toBeGreaterThan(0.001);
    const sd = Math.sqrt((2 * rateCovariance(parseHawkesParams(ONE_D))[0][0]) / T);
    expect(Math.abs(a.times.length / T - b.times.length / T)).toBeLessThan(4 * sd);
  });
});

describe('reproducibility', () => {
  it('the same seed gives a bit-identical event stream; another seed does not', () => {
    for (const sampler of ['exact', 'thinning'] as const) {
      const a = simulateHawkes(FOUR_D, Rng.fromSeed(99, 'x'), 2000, { sampler });
      const b = simulateHawkes(FOUR_D, Rng.fromSeed(99, 'x'), 2000, { sampler });
      const c = simulateHawkes(FOUR_D, Rng.fromSeed(100, 'x'), 2000, { sampler });
      expect(Buffer.from(a.times.buffer).equals(Buffer.from(b.times.buffer))).toBe(true);
      expect(Array.from(a.dims)).toEqual(Array.from(b.dims));
      expect(a.times.length === c.times.length && a.times.every((t, i) => t === c.times[i])).toBe(false);
    }
  });
});

/** λ_i(t) from the definition, summing over all events before t. */
function bruteIntensity(params: HawkesParamsInput, events: [number, number][], i: number, t: number): number {
  let l = params.mu[i];
  for (const [tm, j] of events) {
    if (tm >= t) continue;
    for (const c of params.components) l += c.branching[i][j] * c.decay * Math.exp(-c.decay * (t - tm));
  }
  return l;
}

describe('discrete-event contract', () => {
  it('excite() raises the later intensity exactly by α^k_ij β_k e^{−β_k (t − s)}', () => {
    const hp = new HawkesProcess(TWO_D);
    hp.reset(Rng.fromSeed(1), 0);
    hp.excite(1, 1.0);
    const p = TWO_D.components;
    const want0 = 0.3 + p[0].branching[0][1] * 30 * Math.exp(-30 * 0.5) + p[1].branching[0][1] * 1.5 * Math.exp(-1.5 * 0.5);
    expect(hp.intensity(0, 1.5)).toBeCloseTo(want0, 13);
    const before = hp.intensity(1, 1.5);
    hp.excite(1, 1.2);
    const extra = p[0].branching[1][1] * 30 * Math.exp(-30 * 0.3) + p[1].branching[1][1] * 1.5 * Math.exp(-1.5 * 0.3);
    expect(hp.intensity(1, 1.5) - before).toBeCloseTo(extra, 13);
    expect(hp.totalIntensity(1.5)).toBeCloseTo(hp.intensity(0, 1.5) + hp.intensity(1, 1.5), 13);
  });

  it('peek is stable until consumed; intensities match the definition along a stream with outside events', () => {
    for (const sampler of ['exact', 'thinning'] as const) {
      const hp = new HawkesProcess(TWO_D, { sampler });
      hp.reset(Rng.fromSeed(8, sampler), 0);
      const events: [number, number][] = [];
      const rng = Rng.fromSeed(8, 'outside');
      let nextOutside = rng.exponential(0.5);
      for (let n = 0; n < 300; n++) {
        const t = hp.peekNextTime();
        const d = hp.peekNextDim();
        expect(hp.peekNextTime()).toBe(t);
        if (t <= nextOutside) {
          expect(hp.consume()).toBe(d);
          expect(hp.time).toBe(t);
          events.push([t, d]);
        } else {
          const od = rng.int(0, 1);
          hp.excite(od, nextOutside);
          events.push([nextOutside, od]);
          nextOutside += rng.exponential(0.5);
        }
        const q = hp.time + 0.01;
        for (let i = 0; i < 2; i++) expect(hp.intensity(i, q)).toBeCloseTo(bruteIntensity(TWO_D, events, i, q), 9);
      }
    }
  });

  it('interleaving outside events with peek/excite/consume keeps the process exact (expected rate and its sd)', () => {
    // 1-D μ = 1, n = 0.5 with an outside event every second: each outside event brings n/(1 − n)
    // expected descendants, rate = μ/(1−n) + 1·n/(1−n) = 3; variance per second
    // (μ + 1·n)/(1−n)³ = 12 (Poisson immigrants, deterministic outside parents).
    const T = 10_000;
    for (const sampler of ['exact', 'thinning'] as const) {
      const hp = new HawkesProcess(ONE_D, { sampler });
      hp.reset(Rng.fromSeed(4, sampler), 0);
      let next = 1;
      let n = 0;
      while (next < T) {
        if (hp.peekNextTime() < next) {
          hp.consume();
          n++;
        } else {
          hp.excite(0, next);
          next += 1;
        }
      }
      while (hp.peekNextTime() < T) {
        hp.consume();
        n++;
      }
      expect(Math.abs(n / T - 3)).toBeLessThan(4 * Math.sqrt(12 / T));
    }
  });

  it('setBaselineScale: a piecewise-constant Cox factor on the baseline keeps the process exact (rate and sd)', () => {
    // 1-D μ = 1, n = 0.5, the baseline's factor alternating 0.4 / 1.6 each second (mean 1): every
    // change discards the pending event and redraws it. Expected rate μ·mean(scale)/(1−n) = 2 and
    // variance per second μ·mean(scale)/(1−n)³ = 8 (immigrants Poisson given the factor's path).
    const T = 10_000;
    for (const sampler of ['exact', 'thinning'] as const) {
      const hp = new HawkesProcess(ONE_D, { sampler });
      hp.reset(Rng.fromSeed(5, sampler), 0);
      let next = 0;
      let n = 0;
      let k = 0;
      while (next < T) {
        if (hp.peekNextTime() < next) {
          hp.consume();
          n++;
        } else {
          hp.setBaselineScale(k++ % 2 === 0 ? 0.4 : 1.6, next);
          next += 1;
        }
      }
      expect(Math.abs(n / T - 2)).toBeLessThan(4 * Math.sqrt(8 / T));
      // The intensity carries the factor: λ = scale·μ + excitation.
      const t = hp.time;
      hp.setBaselineScale(3, t);
      const exc = hp.intensity(0, t) - 3;
      hp.setBaselineScale(0, t);
      expect(hp.intensity(0, t)).toBeCloseTo(exc, 12);
      expect(hp.baselineScale()).toBe(0);
    }
    // A scale of 0 and no excitation: no more events.
    const quiet = new HawkesProcess(ONE_D);
    quiet.reset(Rng.fromSeed(6), 0);
    quiet.setBaselineScale(0, 0);
    expect(quiet.peekNextTime()).toBe(Infinity);
  });

  it('rejects bad calls with FlowError and leaves the state untouched', () => {
    const hp = new HawkesProcess(TWO_D);
    expect(() => hp.peekNextTime()).toThrow(/reset/);
    hp.reset(Rng.fromSeed(2), 10);
    const t = hp.peekNextTime();
    expect(() => hp.excite(2, 10)).toThrow(/dim must be an integer in \[0, 1\], got 2/);
    expect(() => hp.excite(0, 9)).toThrow(/>= the process time 10, got 9/);
    expect(() => hp.excite(0, t + 1)).toThrow(/consume\(\) it first/);
    expect(() => hp.excite(0, Number.NaN)).toThrow(FlowError);
    expect(() => hp.intensity(0, 5)).toThrow(FlowError);
    expect(() => hp.setBaselineScale(-1, 10)).toThrow(/scale must be a finite number >= 0, got -1/);
    expect(() => hp.setBaselineScale(1, 9)).toThrow(/>= the process time 10, got 9/);
    expect(() => hp.setBaselineScale(1, t + 1)).toThrow(/consume\(\) it first/);
    expect(() => hp.reset(Rng.fromSeed(2), Number.POSITIVE_INFINITY)).toThrow(/t0/);
    expect(hp.peekNextTime()).toBe(t);
    expect(hp.time).toBe(10);
    expect(() => new HawkesProcess(ONE_D, { sampler: 'magic' as HawkesSampler })).toThrow(/sampler/);
    const idle = new HawkesProcess({ mu: [0], components: [{ decay: 1, branching: [[0.5]] }] });
    idle.reset(Rng.fromSeed(1));
    expect(idle.peekNextTime()).toBe(Infinity);
    expect(() => idle.consume()).toThrow(/no next event/);
  });
});

describe('baseline profile', () => {
  it('expected count matches the exact mean ODE within 4 sd, both samplers', () => {
    const spec = { sessionSeconds: 2000, open: 2, openTau: 0.05, close: 5, closeTau: 0.05 };
    const params: HawkesParamsInput = { mu: [1], components: [{ decay: 2, branching: [[0.3]] }, { decay: 0.5, branching: [[0.2]] }], profile: spec };
    const prof = new UShapeProfile(spec);
    const T = 3000; // one and a half sessions: both ends of the U
    // E λ(t) = μ s(t) + Σ_k m_k(t), m_k' = −β_k m_k + β_k α_k E λ(t), m(0) = 0; RK4, then ∫ E λ.
    const beta = [2, 0.5];
    const alpha = [0.3, 0.2];
    const f = (t: number, m: number[]): number[] => {
      const l = prof.value(t) + m[0] + m[1];
      return [-beta[0] * m[0] + beta[0] * alpha[0] * l, -beta[1] * m[1] + beta[1] * alpha[1] * l];
    };
    const h = 0.01;
    let m = [0, 0];
    let count = 0;
    for (let t = 0; t < T - h / 2; t += h) {
      const k1 = f(t, m);
      const k2 = f(t + h / 2, [m[0] + (h / 2) * k1[0], m[1] + (h / 2) * k1[1]]);
      const k3 = f(t + h / 2, [m[0] + (h / 2) * k2[0], m[1] + (h / 2) * k2[1]]);
      const k4 = f(t + h, [m[0] + h * k3[0], m[1] + h * k3[1]]);
      // ∫ of m over the step by Simpson on the RK stages.
      count += (h / 6) * (m[0] + m[1] + 2 * (m[0] + (h / 2) * k1[0] + m[1] + (h / 2) * k1[1]) + 2 * (m[0] + (h / 2) * k2[0] + m[1] + (h / 2) * k2[1]) + m[0] + h * k3[0] + m[1] + h * k3[1]);
      m = [m[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]), m[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])];
    }
    count += prof.integral(0, T);
    // Stationary check of the ODE: far from the edges the count is ≈ ∫ s / (1 − n).
    expect(count).toBeGreaterThan(0.98 * (prof.integral(0, T) / 0.5));
    expect(count).toBeLessThan(prof.integral(0, T) / 0.5);
    // Var N = E[#immigrants]·E[cluster size²] = μ∫s/(1 − n)³ (an upper bound with truncation).
    const sd = Math.sqrt(prof.integral(0, T) / 0.125);
    const REPS = 40;
    for (const sampler of ['exact', 'thinning'] as const) {
      let total = 0;
      for (let rep = 0; rep < REPS; rep++) total += simulateHawkes(params, Rng.fromSeed(rep, `profile-${sampler}`), T, { sampler }).times.length;
      expect(Math.abs(total - REPS * count)).toBeLessThan(4 * Math.sqrt(REPS) * sd);
    }
  });
});
