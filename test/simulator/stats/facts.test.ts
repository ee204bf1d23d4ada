import { describe, expect, it } from 'vitest';
import { Rng } from '../../../simulator/random/index.ts';
import {
  StatsError,
  absAutocorrelation,
  acf1RobustSe,
  autocorrelation,
  binSums,
  depthProfile,
  intradayVolumeShares,
  logReturns,
  messageRates,
  moments,
  overlappingReturnAcf,
  pearson,
  resampleLast,
  signaturePlot,
  spreadStats,
  stylizedFacts,
} from '../../../simulator/stats/index.ts';

function normals(seed: number, n: number): Float64Array {
  const rng = Rng.fromSeed(seed, 'facts-test');
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

describe('resampling, returns and bins', () => {
  it('takes the last observation at or before each grid time', () => {
    const times = [0.5, 1, 2.5, 7];
    const values = [10, 11, 12, 13];
    expect(Array.from(resampleLast(times, values, 0, 1, 8))).toEqual([10, 11, 11, 12, 12, 12, 12, 13, 13]);
    expect(() => resampleLast([], [], 0, 1, 3)).toThrow(StatsError);
    expect(() => resampleLast(times, values, 0, 0, 3)).toThrow(/dt must be a finite number > 0, got 0/);
  });

  it('computes log returns and bin sums', () => {
    const r = logReturns([100, 110, 99]);
    expect(r[0]).toBeCloseTo(Math.log(1.1), 15);
    expect(r[1]).toBeCloseTo(Math.log(0.9), 15);
    expect(() => logReturns([1, 0])).toThrow(/not > 0/);
    expect(Array.from(binSums([0, 0.5, 1, 2.9, 3, 5], [1, 2, 3, 4, 5, 6], 0, 1, 3))).toEqual([3, 3, 9]);
  });
});

describe('moments', () => {
  it('Gaussian sample: raw kurtosis 3 and skewness 0 within 4 standard deviations', () => {
    const n = 100_000;
    const m = moments(normals(1, n));
    expect(Math.abs(m.mean)).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(m.variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    expect(Math.abs(m.skewness)).toBeLessThan(4 * Math.sqrt(6 / n));
    expect(Math.abs(m.kurtosis - 3)).toBeLessThan(4 * Math.sqrt(24 / n));
    expect(m.excessKurtosis).toBeCloseTo(m.kurtosis - 3, 12);
  });

  it('exact values on a small case', () => {
    // x = [-1, -1, 1, 1]: variance 1, m4 1 -> raw kurtosis 1.
    const m = moments([-1, -1, 1, 1]);
    expect([m.mean, m.variance, m.kurtosis, m.excessKurtosis]).toEqual([0, 1, 1, -2]);
    expect(Number.isNaN(moments([2, 2]).kurtosis)).toBe(true);
  });
});

describe('autocorrelation', () => {
  it('Markov (AR(1)) trade signs: ACF ρ^k within 4 Bartlett standard deviations', () => {
    const n = 100_000;
    const rho = 0.6;
    const rng = Rng.fromSeed(2, 'signs');
    const s = new Int8Array(n);
    s[0] = 1;
    for (let i = 1; i < n; i++) s[i] = rng.bernoulli((1 + rho) / 2) ? s[i - 1] : -s[i - 1];
    const lags = [1, 2, 5, 10, 100];
    const acf = autocorrelation(s, lags);
    for (let j = 0; j < lags.length; j++) {
      const k = lags[j];
      const r2k = Math.pow(rho, 2 * k);
      const variance = ((1 + rho * rho) * (1 - r2k)) / (1 - rho * rho) - 2 * k * r2k;
      expect(Math.abs(acf[j] - Math.pow(rho, k))).toBeLessThan(4 * Math.sqrt(variance / n));
    }
  });

  it('exact values on a small case; |x| ACF; bad lags', () => {
    // x = [1, -1, 1, -1]: mean 0, lag 1 = -3/4, lag 2 = 2/4.
    expect(Array.from(autocorrelation([1, -1, 1, -1], [0, 1, 2, 4]))).toEqual([1, -0.75, 0.5, NaN]);
    // |x| constant: NaN.
    expect(Number.isNaN(absAutocorrelation([1, -1, 1, -1], [1])[0])).toBe(true);
    expect(() => autocorrelation([1, 2], [1.5])).toThrow(/lag must be an integer >= 0, got 1.5/);
  });

  it('Pearson correlation of a bivariate normal within 4 standard deviations of ρ', () => {
    const n = 50_000;
    const r = 0.5;
    const x = normals(3, n);
    const z = normals(4, n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = r * x[i] + Math.sqrt(1 - r * r) * z[i];
    expect(Math.abs(pearson(x, y) - r)).toBeLessThan(4 * ((1 - r * r) / Math.sqrt(n)));
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 14);
    expect(() => pearson([1, 2], [1])).toThrow(/lengths differ/);
  });
});

describe('acf1RobustSe', () => {
  it('exact value on a small case; NaN when undefined', () => {
    // x = [1, −1, 2, 0]: d = [0.5, −1.5, 1.5, −0.5], d² = [0.25, 2.25, 2.25, 0.25], Σd² = 5,
    // Σ d_t² d_{t−1}² = 0.5625 + 5.0625 + 0.5625 = 6.1875.
    expect(acf1RobustSe([1, -1, 2, 0])).toBeCloseTo(Math.sqrt(6.1875) / 5, 14);
    expect(acf1RobustSe([1, 2])).toBeNaN();
    expect(acf1RobustSe([3, 3, 3, 3])).toBeNaN();
  });

  it('is 1/√n for iid returns, within 5 sd of its own sampling error', () => {
    // n·se² = n·Σ d_t²d_{t−1}² / (Σd²)². For standard normals the numerator's sum has mean n and
    // variance n·Var(z²z'²) + 2n·Cov(z_t²z_{t−1}², z_{t+1}²z_t²) = 8n + 4n; the denominator's
    // relative sd is 2·√(2/n). So √n·se has relative sd about ½·√(12/n + 8/n) = √(5/n).
    const n = 20000;
    const se = acf1RobustSe(normals(31, n));
    expect(Math.abs(se * Math.sqrt(n) - 1)).toBeLessThan(5 * Math.sqrt(5 / n));
  });

  it('grows with moving variance and matches the spread of the ACF over samples', () => {
    // Returns σ_t·z_t with σ = 1 and 3 in alternating blocks of 50: no autocorrelation, but
    // n·Var(ACF) = E[σ_t²σ_{t−1}²] / E[σ²]² = (0.98·41 + 0.02·9) / 25 = 1.6144 (2% of the pairs
    // straddle a block edge).
    const n = 1000;
    const reps = 400;
    const rng = Rng.fromSeed(5, 'robust-se');
    const acfs = new Float64Array(reps);
    let seSum = 0;
    const x = new Float64Array(n);
    for (let r = 0; r < reps; r++) {
      const phase = rng.uniform() < 0.5 ? 0 : 50;
      for (let i = 0; i < n; i++) x[i] = (Math.floor((i + phase) / 50) % 2 === 0 ? 1 : 3) * rng.normal();
      acfs[r] = autocorrelation(x, [1])[0];
      seSum += acf1RobustSe(x);
    }
    const meanSe = seSum / reps;
    // Its mean over samples: √(1.6144/n) within a few percent (each sample's n·se² has relative sd
    // of order √(20/n) ≈ 0.14; over 400 samples 0.007).
    expect(Math.abs(meanSe / Math.sqrt(1.6144 / n) - 1)).toBeLessThan(0.05);
    // The iid figure would be 1/√n: 21% too small.
    expect(meanSe * Math.sqrt(n)).toBeGreaterThan(1.2);
    // The sd of the ACF over the 400 samples (relative sampling error about 1/√(2·400) = 0.035):
    // within 4 of those of the robust standard error.
    const m = acfs.reduce((a, b) => a + b, 0) / reps;
    const sd = Math.sqrt(acfs.reduce((a, b) => a + (b - m) ** 2, 0) / (reps - 1));
    expect(Math.abs(sd / meanSe - 1)).toBeLessThan(4 / Math.sqrt(2 * reps));
  });
});

describe('spread, volume, depth and signature', () => {
  it('spread statistics in ticks and bps, event- and time-weighted', () => {
    const s = spreadStats([1, 3, 1, NaN], [100, 100, 200, 100], [0, 1, 3, 4], 5, 3);
    expect(s.meanTicks).toBeCloseTo(5 / 3, 14);
    expect(s.meanBps).toBeCloseTo((100 + 300 + 50) / 3, 10);
    // 1 tick for 1 s, 3 ticks for 2 s, 1 tick for 1 s (the NaN row is skipped).
    expect(s.timeWeightedMeanTicks).toBeCloseTo((1 + 6 + 1) / 4, 14);
    expect(s.distributionTicks).toEqual([2 / 3, 0, 1 / 3]);
  });

  it('intraday volume shares', () => {
    const v = intradayVolumeShares([0, 10, 20, 50, 99, 100, 150], [1, 1, 2, 4, 2, 5, 9], 0, 100, 25, 20);
    expect(v.total).toBe(15);
    expect(v.firstShare).toBeCloseTo(2 / 15, 14);
    expect(v.lastShare).toBeCloseTo(7 / 15, 14);
    expect(v.buckets).toEqual([4 / 15, 0, 4 / 15, 7 / 15]);
  });

  it('message rates per type', () => {
    expect(messageRates({ limit: 30, cancel: 15 }, 10)).toEqual({ limit: 3, cancel: 1.5 });
    expect(() => messageRates({ limit: -1 }, 10)).toThrow(/limit must be a finite number >= 0, got -1/);
    expect(() => messageRates({}, 0)).toThrow(/seconds/);
  });

  it('depth profile by level', () => {
    expect(depthProfile([1, 2, 3, 3, 4, 5], 3)).toEqual([2, 3, 4]);
    expect(() => depthProfile([1, 2, 3], 2)).toThrow(/not a multiple/);
  });

  it('signature plot of a random walk is flat within 4 standard deviations', () => {
    const n = 200_000;
    const z = normals(7, n);
    const times = new Float64Array(n + 1);
    const mids = new Float64Array(n + 1);
    mids[0] = 10000;
    for (let i = 1; i <= n; i++) {
      times[i] = i;
      mids[i] = mids[i - 1] * Math.exp(1e-4 * z[i - 1]);
    }
    const sig = signaturePlot(times, mids, 0, n, [1, 10, 100]);
    expect(sig.ratio[2]).toBe(1);
    // Each RV(Δ) has relative sd sqrt(2 / (n/Δ)); the ratio's sd is at most the sum of the two.
    for (let j = 0; j < 2; j++) {
      const sd = Math.sqrt(2 / (n / sig.intervalSeconds[j])) + Math.sqrt(2 / (n / 100));
      expect(Math.abs(sig.ratio[j] - 1)).toBeLessThan(4 * sd);
    }
    expect(sig.rvPerSecond[0]).toBeCloseTo(1e-8, 9);
  });
});

describe('overlappingReturnAcf', () => {
  /** A mid on the 1-s grid: a log random walk (sd `sigma` a second) observed with iid log noise of sd `eta`. */
  function noisyWalk(seed: number, n: number, sigma: number, eta: number): { times: Float64Array; mids: Float64Array } {
    const rng = Rng.fromSeed(seed, 'overlap-acf');
    const times = new Float64Array(n + 1);
    const mids = new Float64Array(n + 1);
    let w = Math.log(10_000);
    for (let i = 0; i <= n; i++) {
      if (i > 0) w += sigma * rng.normal();
      times[i] = i;
      mids[i] = Math.exp(w + eta * rng.normal());
    }
    return { times, mids };
  }
  /** The non-overlapping estimator on the same path: the ACF at lag 1 of h-second returns (first return left out, as realism does). */
  function plainAcf(mids: Float64Array, n: number, h: number): number {
    const grid = resampleLast(Float64Array.from({ length: mids.length }, (_, i) => i), mids, 0, h, Math.floor(n / h));
    return autocorrelation(logReturns(grid).slice(1), [1])[0];
  }

  it('reads ρ = −η²/(h·σ² + 2η²) for a random walk with noise, and 0 without noise, within 4 sd of the non-overlapping estimator', () => {
    const n = 2_000_000;
    const h = 60;
    const sigma = 1e-4;
    // η² = 30·σ²: ρ = −30 / (60 + 60) = −0.25.
    const noisy = noisyWalk(3, n, sigma, Math.sqrt(30) * sigma);
    const sdBound = 1 / Math.sqrt(n / h);
    expect(Math.abs(overlappingReturnAcf(noisy.times, noisy.mids, 0, n, h) + 0.25)).toBeLessThan(4 * sdBound);
    const walk = noisyWalk(4, n, sigma, 0);
    expect(Math.abs(overlappingReturnAcf(walk.times, walk.mids, 0, n, h))).toBeLessThan(4 * sdBound);
  });

  it('has the non-overlapping estimator\'s mean on 6.5-hour days and a smaller spread across them', () => {
    const days = 200;
    const n = 23_400;
    const h = 60;
    const sigma = 1e-4;
    const over: number[] = [];
    const plain: number[] = [];
    for (let d = 0; d < days; d++) {
      const p = noisyWalk(100 + d, n, sigma, Math.sqrt(30) * sigma);
      over.push(overlappingReturnAcf(p.times, p.mids, 0, n, h));
      plain.push(plainAcf(p.mids, n, h));
    }
    const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
    const sd = (x: number[]): number => Math.sqrt(x.reduce((a, b) => a + (b - mean(x)) ** 2, 0) / (x.length - 1));
    // Both centre on −0.25 (within 4 standard errors plus the ACF estimator's O(1/N) bias, N = 390 returns).
    for (const x of [over, plain]) expect(Math.abs(mean(x) + 0.25)).toBeLessThan((4 * sd(x)) / Math.sqrt(days) + 2 / (n / h));
    expect(sd(over)).toBeLessThan(sd(plain));
    expect(Number.isNaN(overlappingReturnAcf([0], [1], 0, 100, 60))).toBe(true);
    expect(() => overlappingReturnAcf([0], [1], 0, 1000, 0)).toThrow(/horizon must be an integer >= 1/);
  });
});

describe('stylizedFacts', () => {
  it('assembles every figure for a synthetic session', () => {
    const seconds = 23_400;
    const rng = Rng.fromSeed(8, 'session');
    const midTimes = new Float64Array(seconds);
    const mids = new Float64Array(seconds);
    const spreads = new Float64Array(seconds);
    let logMid = Math.log(50_000);
    for (let i = 0; i < seconds; i++) {
      midTimes[i] = i + 0.5;
      logMid += 2e-5 * rng.normal();
      mids[i] = Math.exp(logMid);
      spreads[i] = 1 + (i % 2);
    }
    const nTrades = 5000;
    const tradeTimes = new Float64Array(nTrades);
    const tradeQty = new Float64Array(nTrades);
    const tradeSign = new Int8Array(nTrades);
    for (let i = 0; i < nTrades; i++) {
      tradeTimes[i] = (i * seconds) / nTrades;
      tradeQty[i] = 100;
      tradeSign[i] = i % 4 < 2 ? 1 : -1;
    }
    const f = stylizedFacts({
      midTimes,
      mids,
      spreadsTicks: spreads,
      tradeTimes,
      tradeQty,
      tradeSign,
      sessionStart: 0,
      sessionSeconds: seconds,
      tick: 0.01,
      messageCounts: { limit: 2340, market: nTrades },
      depth: { levels: 2, bidSizes: [1, 2, 3, 4], askSizes: [5, 6, 7, 8] },
    });
    expect(f.returns.map((r) => [r.intervalSeconds, r.n])).toEqual([[60, 389], [300, 77]]);
    // Gaussian 1-minute returns: sd of the sample kurtosis ≈ sqrt(24 / n).
    expect(Math.abs(f.returns[0].kurtosis - 3)).toBeLessThan(4 * Math.sqrt(24 / 389));
    expect(Math.abs(f.returns[0].acf1)).toBeLessThan(4 / Math.sqrt(389));
    expect(f.spread.meanTicks).toBeCloseTo(1.5, 3);
    expect(f.spread.meanDollars).toBeCloseTo(0.015, 5);
    // Signs + + - - ...: ACF at lag 1 = 0, lag 10 = -1, lag 100 = +1 (up to the mean-removal edge).
    expect(f.signAcf.map((a) => a.lag)).toEqual([1, 10, 100]);
    expect(f.signAcf[0].acf).toBeCloseTo(0, 3);
    expect(f.signAcf[1].acf).toBeCloseTo(-1, 2);
    expect(f.signAcf[2].acf).toBeCloseTo(1, 1);
    expect(f.volume.firstShare).toBeCloseTo(1800 / seconds, 2);
    expect(f.volume.buckets).toHaveLength(13);
    expect(f.messageRates).toEqual({ limit: 0.1, market: nTrades / seconds });
    expect(f.depth).toEqual({ bid: [2, 3], ask: [6, 7] });
    expect(f.absAcf).toHaveLength(10);
    expect(f.trades).toEqual({ count: nTrades, meanQty: 100, buyShare: 0.5 });
    // Volume independent of returns: |corr| within 4 sd (1/sqrt(n)) of 0.
    expect(Math.abs(f.volumeAbsReturnCorr)).toBeLessThan(4 / Math.sqrt(389));
    expect(f.signature.ratio[f.signature.ratio.length - 1]).toBe(1);
    expect(() => stylizedFacts({ midTimes, mids, spreadsTicks: spreads.subarray(1), tradeTimes, tradeQty, tradeSign, sessionSeconds: seconds })).toThrow(/lengths differ/);
  });
});
