/**
 * Log-likelihood and time-rescaling (compensator) of an exponential-kernel Hawkes model on an
 * observed event series, both O(N·D·K) through the recursion
 *   R^k_j(t) = Σ_{t_m^j < t} e^{−β_k (t − t_m^j)},  R(t') = e^{−β_k (t' − t)} R(t)  between events,
 * so λ_i(t) = μ_i s(t) + Σ_k β_k Σ_j α^k_ij R^k_j(t) and the compensator is
 *   Λ_i(t0, t) = μ_i ∫_{t0}^t s + Σ_k Σ_j α^k_ij (N_j(t) − R^k_j(t)).
 * Events at the same time do not excite each other (the kernel acts on t_m < t strictly).
 * Models here are not required to be stationary (a fit may not be); shapes are checked.
 */
import { FlowError } from './errors.ts';
import type { BaselineProfile, UShapeSpec } from './profile.ts';
import { UShapeProfile } from './profile.ts';

/** Parameters as plain data (HawkesParams fits); stationarity not required. */
export interface HawkesModel {
  /** μ_i, events per second. */
  mu: readonly number[];
  /** One entry per exponential component: decay β_k (1/s) and branching α^k[i][j] (target i, source j). */
  components: readonly { decay: number; branching: readonly (readonly number[])[] }[];
  /** Optional baseline profile (known, not fitted). */
  profile?: UShapeSpec | undefined;
}

/** An event series: times in seconds (non-decreasing), dims integers in [0, D). */
export interface EventSeries {
  times: ArrayLike<number>;
  dims: ArrayLike<number>;
}

/** Flat typed-array form of a model. alpha[(k·D + i)·D + j] = α^k_ij. */
export interface FlatModel {
  D: number;
  K: number;
  mu: Float64Array;
  beta: Float64Array;
  alpha: Float64Array;
  profile: BaselineProfile | null;
}

export function flattenModel(model: HawkesModel): FlatModel {
  const D = model.mu.length;
  const K = model.components.length;
  if (D < 1) throw new FlowError('model.mu must have at least one dimension');
  if (K < 1) throw new FlowError('model.components must have at least one component');
  const mu = Float64Array.from(model.mu);
  for (let i = 0; i < D; i++) if (!(mu[i] >= 0) || !Number.isFinite(mu[i])) throw new FlowError(`model.mu[${i}] must be a finite number >= 0, got ${mu[i]}`);
  const beta = new Float64Array(K);
  const alpha = new Float64Array(K * D * D);
  for (let k = 0; k < K; k++) {
    const c = model.components[k];
    if (!(c.decay > 0) || !Number.isFinite(c.decay)) throw new FlowError(`model.components[${k}].decay must be a finite number > 0, got ${c.decay}`);
    beta[k] = c.decay;
    if (c.branching.length !== D) throw new FlowError(`model.components[${k}].branching must have ${D} rows, got ${c.branching.length}`);
    for (let i = 0; i < D; i++) {
      const row = c.branching[i];
      if (row.length !== D) throw new FlowError(`model.components[${k}].branching[${i}] must have ${D} columns, got ${row.length}`);
      for (let j = 0; j < D; j++) {
        const v = row[j];
        if (!(v >= 0) || !Number.isFinite(v)) throw new FlowError(`model.components[${k}].branching[${i}][${j}] must be a finite number >= 0, got ${v}`);
        alpha[(k * D + i) * D + j] = v;
      }
    }
  }
  return { D, K, mu, beta, alpha, profile: model.profile ? new UShapeProfile(model.profile) : null };
}

/** Checks an event series against D dimensions and the window [t0, t1]; returns N. */
export function checkSeries(series: EventSeries, D: number, t0: number, t1: number): number {
  const { times, dims } = series;
  if (times.length !== dims.length) throw new FlowError(`times and dims must have the same length, got ${times.length} and ${dims.length}`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) throw new FlowError(`the window must satisfy t0 <= t1 (finite seconds), got t0=${t0}, t1=${t1}`);
  let prev = t0;
  for (let n = 0; n < times.length; n++) {
    const t = times[n];
    if (!(t >= prev) || !(t <= t1)) throw new FlowError(`times must be non-decreasing within [${t0}, ${t1}]: times[${n}] = ${t} after ${prev}`);
    prev = t;
    const d = dims[n];
    if (!Number.isInteger(d) || d < 0 || d >= D) throw new FlowError(`dims[${n}] must be an integer in [0, ${D - 1}], got ${d}`);
  }
  return times.length;
}

/**
 * Log-likelihood (natural log, of the event times and dimensions) of `model` for events observed
 * on [t0, t1] seconds, the process starting empty at t0. O(N·D·K).
 */
export function logLikelihood(model: HawkesModel, series: EventSeries, t1: number, t0 = 0): number {
  const m = flattenModel(model);
  const N = checkSeries(series, m.D, t0, t1);
  const { D, K, mu, beta, alpha, profile } = m;
  const { times, dims } = series;
  const R = new Float64Array(K * D);
  let ll = 0;
  let tPrev = t0;
  let n = 0;

  while (n < N) {
    const t = times[n];
    let g = n + 1;
    while (g < N && times[g] === t) g++;
    const dt = t - tPrev;
    for (let k = 0; k < K; k++) {
      const f = Math.exp(-beta[k] * dt);
      for (let j = 0; j < D; j++) R[k * D + j] *= f;
    }
    const sv = profile === null ? 1 : profile.value(t);
    for (let e = n; e < g; e++) {
      const i = dims[e];
      let l = mu[i] * sv;
      for (let k = 0; k < K; k++) {
        let s = 0;
        const a = (k * D + i) * D;
        for (let j = 0; j < D; j++) s += alpha[a + j] * R[k * D + j];
        l += beta[k] * s;
      }
      ll += Math.log(l);
    }
    for (let e = n; e < g; e++) for (let k = 0; k < K; k++) R[k * D + dims[e]] += 1;
    tPrev = t;
    n = g;
  }
  // Compensator over [t0, t1]: μ_i ∫ s + Σ_m Σ_k (Σ_i α^k_{i,j_m}) (1 − e^{−β_k (t1 − t_m)}).
  const Is = profile === null ? t1 - t0 : profile.integral(t0, t1);
  let comp = 0;
  for (let i = 0; i < D; i++) comp += mu[i] * Is;
  const counts = new Float64Array(D);
  for (let e = 0; e < N; e++) counts[dims[e]]++;
  const dt = t1 - tPrev;
  for (let k = 0; k < K; k++) {
    const f = Math.exp(-beta[k] * dt);
    for (let j = 0; j < D; j++) {
      let col = 0;
      for (let i = 0; i < D; i++) col += alpha[(k * D + i) * D + j];
      comp += col * (counts[j] - R[k * D + j] * f);
    }
  }
  return ll - comp;
}

/**
 * Time-rescaling residuals: for each dimension i, the compensator increments Λ_i between its
 * consecutive events (the first from t0). Under the model they are i.i.d. Exp(1). O(N·D·K).
 */
export function rescaledInterArrivals(model: HawkesModel, series: EventSeries, t0 = 0): Float64Array[] {
  const m = flattenModel(model);
  const N = series.times.length;
  const t1 = N > 0 ? series.times[N - 1] : t0;
  checkSeries(series, m.D, t0, t1);
  const { D, K, mu, beta, alpha, profile } = m;
  const { times, dims } = series;
  const counts = new Float64Array(D);
  for (let e = 0; e < N; e++) counts[dims[e]]++;
  const out: Float64Array[] = [];
  for (let i = 0; i < D; i++) out.push(new Float64Array(counts[i]));
  const filled = new Int32Array(D);
  const lastComp = new Float64Array(D);
  const R = new Float64Array(K * D);
  const Nj = new Float64Array(D);
  let tPrev = t0;
  let n = 0;
  while (n < N) {
    const t = times[n];
    let g = n + 1;
    while (g < N && times[g] === t) g++;
    const dt = t - tPrev;
    for (let k = 0; k < K; k++) {
      const f = Math.exp(-beta[k] * dt);
      for (let j = 0; j < D; j++) R[k * D + j] *= f;
    }
    const Is = profile === null ? t - t0 : profile.integral(t0, t);
    for (let e = n; e < g; e++) {
      const i = dims[e];
      let c = mu[i] * Is;
      for (let k = 0; k < K; k++) {
        const a = (k * D + i) * D;
        for (let j = 0; j < D; j++) c += alpha[a + j] * (Nj[j] - R[k * D + j]);
      }
      out[i][filled[i]++] = c - lastComp[i];
      lastComp[i] = c;
    }
    for (let e = n; e < g; e++) {
      const j = dims[e];
      Nj[j]++;
      for (let k = 0; k < K; k++) R[k * D + j] += 1;
    }
    tPrev = t;
    n = g;
  }
  return out;
}
