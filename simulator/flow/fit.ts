/**
 * Maximum-likelihood fit of an exponential-kernel Hawkes model by EM (the branching-structure
 * EM of Lewis & Mohler / Veen & Schoenberg), in O(N·D·K) per iteration.
 *
 * E-step (per event n in dimension i, intensity λ_n): the event is a baseline event with
 * probability μ_i s(t_n)/λ_n and a child of component k and source j with probability
 * α^k_ij β_k R^k_j(t_n)/λ_n. With B_i, C^k_ij the sums of these probabilities,
 * W_k = Σ (expected parent-to-child delays of component k) (from a second recursion
 * Q^k_j(t) = Σ_{t_m<t} (t − t_m) e^{−β_k (t−t_m)}) and E^k_j = Σ_{m∈j} (1 − e^{−β_k (T − t_m)}):
 * M-step: μ_i = B_i / ∫ s;  α^k_ij = C^k_ij / E^k_j;
 *         β_k = C_k / (W_k + Σ_j (Σ_i α^k_ij) Σ_{m∈j} (T − t_m) e^{−β_k (T − t_m)}),
 * the last a generalized-EM step (the boundary term at the old β): its fixed points are
 * stationary points of the likelihood. Decays are started from a log-spaced grid (every grid
 * point, or pair of points for K = 2, is run for a few iterations; the best by likelihood is
 * run to convergence), or from the caller's `decays`, and may be held fixed.
 */
import { FlowError } from './errors.ts';
import type { EventSeries, HawkesModel } from './likelihood.ts';
import { checkSeries, logLikelihood } from './likelihood.ts';
import { spectralRadius } from './params.ts';
import type { BaselineProfile, UShapeSpec } from './profile.ts';
import { UShapeProfile } from './profile.ts';

export interface FitOptions {
  /** Number of dimensions D (default: 1 + the largest dim in the data). */
  dims?: number;
  /** Number of exponential components K (1 or 2 are tested; up to 4 accepted). Default 1. */
  components?: number;
  /** Observation window start, seconds (default 0). */
  t0?: number;
  /** Observation window end T, seconds (default: the last event time). */
  t1?: number;
  /** Initial decays (1/s), one per component, instead of the grid search. */
  decays?: number[];
  /** Hold the decays at `decays` (EM on μ and α only). */
  fixDecays?: boolean;
  /** Known baseline profile (not fitted); μ is then the session-mean baseline. */
  profile?: UShapeSpec;
  /** Maximum EM iterations of the final run (default 5,000). */
  maxIterations?: number;
  /** Stop when the log-likelihood gains less than this per iteration (default 1e-7 nats). */
  tolerance?: number;
  /** EM iterations per grid start (default 25). */
  gridIterations?: number;
}

export interface FitResult {
  /** Fitted model (may be non-stationary: check spectralRadius). */
  model: HawkesModel;
  /** μ_i, events per second. */
  mu: number[];
  /** Branching matrices α^k[i][j] per component (target i, source j). */
  branching: number[][][];
  /** Decays β_k, 1/s, in decreasing order (fastest first). */
  decays: number[];
  /** ρ(Σ_k α^k). */
  spectralRadius: number;
  /** Maximized log-likelihood (nats). */
  logLikelihood: number;
  /** Akaike information criterion 2p − 2ℓ (p = D + K·D² + K free decays). */
  aic: number;
  /** Number of free parameters p. */
  numParams: number;
  numEvents: number;
  iterations: number;
  converged: boolean;
}

/** EM parameters (exported for the tests with `EmProblem`, not from the package). */
export interface State {
  mu: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
}

/** Work buffers of one EM problem (exported for the tests, not from the package). */
export class EmProblem {
  readonly D: number;
  readonly K: number;
  readonly N: number;
  readonly times: ArrayLike<number>;
  readonly dims: ArrayLike<number>;
  readonly t0: number;
  readonly t1: number;
  readonly Is: number;
  readonly sv: Float64Array;
  private readonly R: Float64Array;
  private readonly Q: Float64Array;
  private readonly B: Float64Array;
  private readonly C: Float64Array;
  private readonly W: Float64Array;
  private readonly counts: Float64Array;

  constructor(series: EventSeries, D: number, K: number, t0: number, t1: number, profile: BaselineProfile | null) {
    this.D = D;
    this.K = K;
    this.times = series.times;
    this.dims = series.dims;
    this.N = series.times.length;
    this.t0 = t0;
    this.t1 = t1;
    this.Is = profile === null ? t1 - t0 : profile.integral(t0, t1);
    this.sv = new Float64Array(this.N);
    for (let n = 0; n < this.N; n++) this.sv[n] = profile === null ? 1 : profile.value(this.times[n]);
    this.R = new Float64Array(K * D);
    this.Q = new Float64Array(K * D);
    this.B = new Float64Array(D);
    this.C = new Float64Array(K * D * D);
    this.W = new Float64Array(K);
    this.counts = new Float64Array(D);
    for (let n = 0; n < this.N; n++) this.counts[this.dims[n]]++;
  }

  /**
   * One EM iteration in place; returns the log-likelihood of the parameters it started from.
   * `general` forces the general sweep (the tests check the D = 2, K = 1 one against it).
   */
  step(s: State, fixDecays: boolean, general = false): number {
    const { D, K, R, Q, B, C, W } = this;
    R.fill(0);
    Q.fill(0);
    B.fill(0);
    C.fill(0);
    W.fill(0);
    // The E-step's sweep over the events: the common case (D = 2, K = 1: buy/sell market orders,
    // the branching of every calibration session) in scalars, the same operations in the same
    // order as the general loop (bit for bit the same sums), without its inner loops.
    const sweep = D === 2 && K === 1 && !general ? this.sweep21(s) : this.sweep(s);
    return this.finish(s, fixDecays, sweep.ll, sweep.tPrev);
  }

  /** The general E-step sweep: fills R, Q, B, C, W; returns the log-likelihood's event sum and the last event time. */
  private sweep(s: State): { ll: number; tPrev: number } {
    const { D, K, N, times, dims, R, Q, B, C, W, sv } = this;
    const { mu, alpha, beta } = s;
    let ll = 0;
    let tPrev = this.t0;
    let n = 0;
    while (n < N) {
      const t = times[n];
      let g = n + 1;
      while (g < N && times[g] === t) g++;
      const dt = t - tPrev;
      if (dt > 0) {
        for (let k = 0; k < K; k++) {
          const f = Math.exp(-beta[k] * dt);
          for (let j = 0; j < D; j++) {
            const x = k * D + j;
            Q[x] = f * (Q[x] + dt * R[x]);
            R[x] *= f;
          }
        }
      }
      for (let e = n; e < g; e++) {
        const i = dims[e];
        const base = mu[i] * sv[e];
        let l = base;
        for (let k = 0; k < K; k++) {
          const a = (k * D + i) * D;
          let acc = 0;
          for (let j = 0; j < D; j++) acc += alpha[a + j] * R[k * D + j];
          l += beta[k] * acc;
        }
        ll += Math.log(l);
        const inv = 1 / l;
        B[i] += base * inv;
        for (let k = 0; k < K; k++) {
          const a = (k * D + i) * D;
          const bi = beta[k] * inv;
          let w = 0;
          for (let j = 0; j < D; j++) {
            const aj = alpha[a + j] * bi;
            C[a + j] += aj * R[k * D + j];
            w += aj * Q[k * D + j];
          }
          W[k] += w;
        }
      }
      for (let e = n; e < g; e++) for (let k = 0; k < K; k++) R[k * D + dims[e]] += 1;
      tPrev = t;
      n = g;
    }
    return { ll, tPrev };
  }

  /** `sweep` for D = 2, K = 1 in scalars (the same arithmetic, in the same order). */
  private sweep21(s: State): { ll: number; tPrev: number } {
    const { N, times, dims, sv } = this;
    const mu0 = s.mu[0];
    const mu1 = s.mu[1];
    const a00 = s.alpha[0];
    const a01 = s.alpha[1];
    const a10 = s.alpha[2];
    const a11 = s.alpha[3];
    const beta = s.beta[0];
    let r0 = 0;
    let r1 = 0;
    let q0 = 0;
    let q1 = 0;
    let b0 = 0;
    let b1 = 0;
    let c00 = 0;
    let c01 = 0;
    let c10 = 0;
    let c11 = 0;
    let w = 0;
    let ll = 0;
    let tPrev = this.t0;
    let n = 0;
    while (n < N) {
      const t = times[n];
      let g = n + 1;
      while (g < N && times[g] === t) g++;
      const dt = t - tPrev;
      if (dt > 0) {
        const f = Math.exp(-beta * dt);
        q0 = f * (q0 + dt * r0);
        r0 *= f;
        q1 = f * (q1 + dt * r1);
        r1 *= f;
      }
      let add0 = 0;
      let add1 = 0;
      for (let e = n; e < g; e++) {
        const buy = dims[e] === 0;
        const base = (buy ? mu0 : mu1) * sv[e];
        const ai0 = buy ? a00 : a10;
        const ai1 = buy ? a01 : a11;
        const l = base + beta * (ai0 * r0 + ai1 * r1);
        ll += Math.log(l);
        const inv = 1 / l;
        const bi = beta * inv;
        const x0 = ai0 * bi;
        const x1 = ai1 * bi;
        w += x0 * q0 + x1 * q1;
        if (buy) {
          b0 += base * inv;
          c00 += x0 * r0;
          c01 += x1 * r1;
          add0++;
        } else {
          b1 += base * inv;
          c10 += x0 * r0;
          c11 += x1 * r1;
          add1++;
        }
      }
      // One at a time, as the general loop adds them (r + 1 + 1 may round differently from r + 2).
      for (; add0 > 0; add0--) r0 += 1;
      for (; add1 > 0; add1--) r1 += 1;
      tPrev = t;
      n = g;
    }
    this.R[0] = r0;
    this.R[1] = r1;
    this.Q[0] = q0;
    this.Q[1] = q1;
    this.B[0] = b0;
    this.B[1] = b1;
    this.C[0] = c00;
    this.C[1] = c01;
    this.C[2] = c10;
    this.C[3] = c11;
    this.W[0] = w;
    return { ll, tPrev };
  }

  /** The window's end and the M-step, after a sweep; returns the log-likelihood. */
  private finish(s: State, fixDecays: boolean, llEvents: number, tPrev: number): number {
    const { D, K, R, Q, B, C, W } = this;
    const { mu, alpha, beta } = s;
    let ll = llEvents;
    // Decay R and Q to the window end: E^k_j = N_j − R^k_j(T), boundary G^k_j = Q^k_j(T).
    const dt = this.t1 - tPrev;
    let comp = 0;
    for (let i = 0; i < D; i++) comp += mu[i] * this.Is;
    for (let k = 0; k < K; k++) {
      const f = Math.exp(-beta[k] * dt);
      for (let j = 0; j < D; j++) {
        const x = k * D + j;
        Q[x] = f * (Q[x] + dt * R[x]);
        R[x] *= f;
        let col = 0;
        for (let i = 0; i < D; i++) col += alpha[(k * D + i) * D + j];
        comp += col * (this.counts[j] - R[x]);
      }
    }
    ll -= comp;
    // M-step.
    for (let i = 0; i < D; i++) mu[i] = B[i] / this.Is;
    for (let k = 0; k < K; k++) {
      let ck = 0;
      let boundary = 0;
      for (let j = 0; j < D; j++) {
        const x = k * D + j;
        const E = this.counts[j] - R[x];
        let col = 0;
        for (let i = 0; i < D; i++) {
          const a = (k * D + i) * D + j;
          ck += C[a];
          alpha[a] = E > 0 ? C[a] / E : 0;
          col += alpha[a];
        }
        boundary += col * Q[x];
      }
      if (!fixDecays && ck > 0) {
        const b = ck / (W[k] + boundary);
        if (b > 0 && Number.isFinite(b)) beta[k] = b;
      }
    }
    return ll;
  }
}

export function initialState(D: number, K: number, counts: Float64Array, Is: number, betas: ArrayLike<number>): State {
  const mu = new Float64Array(D);
  for (let i = 0; i < D; i++) mu[i] = Math.max((0.5 * counts[i]) / Is, 1e-12);
  const alpha = new Float64Array(K * D * D);
  for (let k = 0; k < K; k++) for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) alpha[(k * D + i) * D + j] = (i === j ? 0.3 : 0.05) / K / Math.max(1, 0.5 * D);
  return { mu, alpha, beta: Float64Array.from(betas) };
}

function runEm(p: EmProblem, s: State, iterations: number, tol: number, fixDecays: boolean): { ll: number; iterations: number; converged: boolean } {
  let prev = -Infinity;
  for (let it = 0; it < iterations; it++) {
    const ll = p.step(s, fixDecays);
    if (!Number.isFinite(ll)) return { ll: -Infinity, iterations: it + 1, converged: false };
    if (Math.abs(ll - prev) < tol) return { ll, iterations: it + 1, converged: true };
    prev = ll;
  }
  return { ll: prev, iterations, converged: false };
}

/**
 * Fits μ, the branching matrices and the decays of a K-component exponential Hawkes model to
 * events observed on [t0, t1] seconds. Throws FlowError on bad input (unsorted times, dims out of
 * range, K out of [1, 4], fewer than 10 events).
 */
export function fitHawkes(series: EventSeries, options: FitOptions = {}): FitResult {
  const N = series.times.length;
  if (N < 10) throw new FlowError(`fitHawkes needs at least 10 events, got ${N}`);
  let maxDim = 0;
  for (let n = 0; n < N; n++) {
    const d = series.dims[n];
    if (!Number.isInteger(d) || d < 0) throw new FlowError(`dims[${n}] must be an integer >= 0, got ${d}`);
    if (d > maxDim) maxDim = d;
  }
  const D = options.dims ?? maxDim + 1;
  if (!Number.isInteger(D) || D < 1 || D > 64) throw new FlowError(`dims must be an integer in [1, 64], got ${D}`);
  const K = options.components ?? 1;
  if (!Number.isInteger(K) || K < 1 || K > 4) throw new FlowError(`components must be an integer in [1, 4], got ${K}`);
  const t0 = options.t0 ?? 0;
  const t1 = options.t1 ?? series.times[N - 1];
  checkSeries(series, D, t0, t1);
  if (!(t1 > t0)) throw new FlowError(`the window [t0, t1] must have positive length, got [${t0}, ${t1}]`);
  const fixDecays = options.fixDecays ?? false;
  if (options.decays !== undefined) {
    if (options.decays.length !== K || options.decays.some((b) => !(b > 0) || !Number.isFinite(b))) {
      throw new FlowError(`decays must be ${K} finite numbers > 0 (1/s), got [${options.decays.join(', ')}]`);
    }
  } else if (fixDecays) {
    throw new FlowError('fixDecays needs decays');
  }
  const maxIterations = options.maxIterations ?? 5000;
  const tol = options.tolerance ?? 1e-7;
  const gridIterations = options.gridIterations ?? 25;
  const profile = options.profile ? new UShapeProfile(options.profile) : null;
  const p = new EmProblem(series, D, K, t0, t1, profile);
  const counts = new Float64Array(D);
  for (let n = 0; n < N; n++) counts[series.dims[n]]++;

  let start: Float64Array;
  if (options.decays !== undefined) {
    start = Float64Array.from(options.decays);
  } else {
    // Log-spaced grid of decays around the mean inter-event rate N/T: 10^-1 … 10^4 times it.
    const r = N / (t1 - t0);
    const grid: number[] = [];
    const step = K === 1 ? 0.5 : 1;
    for (let e = -1; e <= 4 + 1e-9; e += step) grid.push(r * 10 ** e);
    const starts: number[][] = [];
    if (K === 1) for (const g of grid) starts.push([g]);
    else {
      // Distinct scales, fastest first: every decreasing K-tuple from the grid.
      const rec = (prefix: number[], from: number): void => {
        if (prefix.length === K) {
          starts.push(prefix);
          return;
        }
        for (let a = from; a < grid.length; a++) rec([...prefix, grid[a]], a + 1);
      };
      rec([], 0);
      for (const s of starts) s.reverse();
    }
    let bestLl = -Infinity;
    start = Float64Array.from(starts[0]);
    for (const b of starts) {
      const s = initialState(D, K, counts, p.Is, b);
      const { ll } = runEm(p, s, gridIterations, 0, false);
      if (ll > bestLl) {
        bestLl = ll;
        start = Float64Array.from(b);
      }
    }
  }
  const s = initialState(D, K, counts, p.Is, start);
  const run = runEm(p, s, maxIterations, tol, fixDecays);
  // Order components fastest first.
  const order = Array.from({ length: K }, (_, k) => k).sort((a, b) => s.beta[b] - s.beta[a]);
  const mu = Array.from(s.mu);
  const decays = order.map((k) => s.beta[k]);
  const branching = order.map((k) => Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => s.alpha[(k * D + i) * D + j])));
  const model: HawkesModel = { mu, components: decays.map((decay, c) => ({ decay, branching: branching[c] })), ...(options.profile ? { profile: options.profile } : {}) };
  const total = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => branching.reduce((acc, a) => acc + a[i][j], 0)));
  const ll = logLikelihood(model, series, t1, t0);
  const numParams = D + K * D * D + (fixDecays ? 0 : K);
  return {
    model,
    mu,
    branching,
    decays,
    spectralRadius: spectralRadius(total),
    logLikelihood: ll,
    aic: 2 * numParams - 2 * ll,
    numParams,
    numEvents: N,
    iterations: run.iterations,
    converged: run.converged,
  };
}
