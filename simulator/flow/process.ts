/**
 * A multivariate exponential-kernel Hawkes process that runs inside a discrete-event loop.
 *
 * State (all typed arrays, allocated once in the constructor; nothing is allocated per event):
 *   S[k·D + i]          excitation of dimension i from component k at time `time`, events/s:
 *                       S^k_i(t) = Σ_{t_m < t} α^k_{i,j_m} β_k e^{−β_k (t − t_m)}
 *   tot[k]              Σ_i S^k_i: every S^k_i decays at the same rate β_k, so tot[k] does too
 *   jump[(k·D + j)·D + i] = α^k_ij β_k: what an event in j adds to S^k_i (contiguous per source j)
 *   jumpTot[k·D + j]    Σ_i jump[(k·D + j)·D + i]
 * Intensity: λ_i(t) = μ_i s(t) + Σ_k S^k_i(time) e^{−β_k (t − time)} for t ≥ time, as long as no
 * event occurs in (time, t). An event in j at t: decay everything to t (K exps, D·K multiplies),
 * then add column j of `jump`: O(D·K).
 *
 * The pending event: `peekNextTime()` draws the next event (time and dimension) from the state
 * at `time` and keeps it; it stays the same until `consume()` (which applies it), `excite()`
 * (which moves the state forward and discards it: it is redrawn from the new state on the next
 * peek) or `reset()`. Discarding is exact: the state (S, time) is Markov, so given no event in
 * (time, t], the future after an outside event at t is a fresh draw from the state at t.
 *
 * Samplers (same law, different random draws):
 * - 'exact' (Dassios–Zhao style, per component, no rejections of excitation): component k's
 *   excitation is a Poisson process of intensity tot[k] e^{−β_k u}, whose first point is at
 *   u = −ln(1 + β_k ln U / tot[k]) / β_k when the log is defined (else never, probability
 *   e^{−tot[k]/β_k}). The baseline Σ_i μ_i s(t) is one more Poisson source: exponential gaps
 *   with a constant profile, thinning against max s with a profile (rejections there only).
 *   The earliest candidate wins; its dimension is drawn ∝ μ_i (baseline) or ∝ S^k_i (component k:
 *   the ratios do not change as S^k decays). 1 + K logs and one uniform per event.
 * - 'thinning' (Ogata): propose at rate M = Σ_i μ_i max s + Σ_k tot[k] (an upper bound, as the
 *   excitation only decays), accept with probability λ(t)/M, otherwise move on with the lower
 *   bound at the proposal.
 */
import type { Rng } from '../random/index.ts';
import { FlowError } from './errors.ts';
import type { HawkesParams } from './params.ts';
import { parseHawkesParams } from './params.ts';
import type { BaselineProfile } from './profile.ts';
import { UShapeProfile } from './profile.ts';

export type HawkesSampler = 'exact' | 'thinning';

export interface HawkesProcessOptions {
  /** Which sampler draws events; default 'exact'. */
  sampler?: HawkesSampler;
}

const SOURCE_NONE = -1;
const SOURCE_BASELINE = -2;

export class HawkesProcess {
  /** D, number of dimensions. */
  readonly dims: number;
  /** K, number of exponential components. */
  readonly components: number;
  readonly sampler: HawkesSampler;
  readonly params: HawkesParams;
  /** The baseline profile s(t), or null for a constant baseline (s ≡ 1). */
  readonly profile: BaselineProfile | null;
  /** Seconds: the time the state refers to: the last consumed event, outside excitation or reset. */
  time = 0;
  /** Dimension of the last consumed event (-1 before the first). */
  dim = -1;
  /** Events consumed since reset (outside excitations not counted). */
  count = 0;

  private readonly mu: Float64Array;
  private readonly muCum: Float64Array;
  private readonly muTot: number;
  private readonly baseMax: number;
  private readonly beta: Float64Array;
  private readonly jump: Float64Array;
  private readonly jumpTot: Float64Array;
  private readonly S: Float64Array;
  private readonly tot: Float64Array;
  private readonly fac: Float64Array;
  private rng: Rng | null = null;
  private pendingTime = Infinity;
  private pendingDim = -1;
  private hasPending = false;
  /** Whether the pending event is a baseline (immigrant) event (exact sampler only; false under thinning). */
  private pendingBase = false;
  /** Factor on the baseline μ·s(t) (`setBaselineScale`; 1 after reset). */
  private scale = 1;

  /** `params` is validated (parsed) here, so raw YAML objects are fine. Call `reset(rng)` before sampling. */
  constructor(params: unknown, options: HawkesProcessOptions = {}) {
    const p = parseHawkesParams(params);
    const sampler = options.sampler ?? 'exact';
    if (sampler !== 'exact' && sampler !== 'thinning') throw new FlowError(`sampler must be 'exact' or 'thinning', got ${String(sampler)}`);
    this.params = p;
    this.sampler = sampler;
    const D = p.mu.length;
    const K = p.components.length;
    this.dims = D;
    this.components = K;
    this.profile = p.profile ? new UShapeProfile(p.profile) : null;
    this.mu = Float64Array.from(p.mu);
    this.muCum = new Float64Array(D);
    let c = 0;
    for (let i = 0; i < D; i++) this.muCum[i] = c += p.mu[i];
    this.muTot = c;
    this.baseMax = c * (this.profile ? this.profile.max : 1);
    this.beta = new Float64Array(K);
    this.jump = new Float64Array(K * D * D);
    this.jumpTot = new Float64Array(K * D);
    for (let k = 0; k < K; k++) {
      const b = p.components[k].decay;
      this.beta[k] = b;
      for (let j = 0; j < D; j++) {
        let s = 0;
        for (let i = 0; i < D; i++) {
          const v = p.components[k].branching[i][j] * b;
          this.jump[(k * D + j) * D + i] = v;
          s += v;
        }
        this.jumpTot[k * D + j] = s;
      }
    }
    this.S = new Float64Array(K * D);
    this.tot = new Float64Array(K);
    this.fac = new Float64Array(K);
  }

  /**
   * Clears all excitation, sets the clock to `t0` seconds and takes `rng` as the source of every
   * later draw. Same rng state and same calls give the same event stream, bit for bit.
   */
  reset(rng: Rng, t0 = 0): void {
    if (!Number.isFinite(t0)) throw new FlowError(`reset: t0 must be a finite number of seconds, got ${t0}`);
    if (rng === null || typeof rng !== 'object' || typeof (rng as Rng).next !== 'function') throw new FlowError('reset: rng must be an Rng from simulator/random');
    this.rng = rng;
    this.time = t0;
    this.dim = -1;
    this.count = 0;
    this.S.fill(0);
    this.tot.fill(0);
    this.hasPending = false;
    this.pendingTime = Infinity;
    this.pendingDim = -1;
    this.scale = 1;
  }

  /**
   * Time in seconds of the next event of the process (Infinity if there will never be one: zero
   * baseline and no excitation). Stable until `consume()`, `excite()` or `reset()`.
   */
  peekNextTime(): number {
    if (!this.hasPending) this.draw();
    return this.pendingTime;
  }

  /** Dimension of the pending event (draws it if needed). */
  peekNextDim(): number {
    if (!this.hasPending) this.draw();
    return this.pendingDim;
  }

  /**
   * Whether the pending event is a baseline (immigrant) event, not one excited by earlier events
   * (draws it if needed). Known under the exact sampler; always false under thinning.
   */
  peekIsBaseline(): boolean {
    if (!this.hasPending) this.draw();
    return this.pendingBase;
  }

  /**
   * Applies the pending event in dimension `dim` instead of the drawn one: for a baseline event
   * only (`peekIsBaseline()`), whose dimension a caller may choose (e.g. the side of a metaorder):
   * the time is unchanged and the state is excited as by an event of `dim`.
   * @throws FlowError when the pending event is not a baseline event or `dim` is out of range.
   */
  consumeAs(dim: number): number {
    if (!this.hasPending) this.draw();
    if (!this.pendingBase) throw new FlowError('consumeAs: the pending event is not a baseline event (its dimension is the kernel\'s)');
    if (!Number.isInteger(dim) || dim < 0 || dim >= this.dims) throw new FlowError(`consumeAs: dim must be an integer in [0, ${this.dims - 1}], got ${dim}`);
    this.pendingDim = dim;
    return this.consume();
  }

  /** Applies the pending event (drawing it first if none): sets `time`, `dim`; returns the dimension. */
  consume(): number {
    if (!this.hasPending) this.draw();
    if (this.pendingTime === Infinity) throw new FlowError('consume: the process has no next event (zero baseline and no excitation)');
    const j = this.pendingDim;
    this.advance(this.pendingTime, j);
    this.hasPending = false;
    this.dim = j;
    this.count++;
    return j;
  }

  /** Draws and applies the next event; returns its dimension; its time is `this.time` (seconds). */
  nextEvent(): number {
    if (!this.hasPending) this.draw();
    return this.consume();
  }

  /**
   * An outside event in dimension `dim` at `time` seconds excites the process exactly as one of its
   * own events would (adds α^k_{i,dim} β_k to S^k_i after decaying to `time`). Requires
   * this.time ≤ time, and time ≤ the pending event's time if one was peeked (consume it first
   * otherwise). Discards the pending event; the next peek redraws from the new state.
   */
  excite(dim: number, time: number): void {
    if (!Number.isInteger(dim) || dim < 0 || dim >= this.dims) throw new FlowError(`excite: dim must be an integer in [0, ${this.dims - 1}], got ${dim}`);
    if (!Number.isFinite(time) || time < this.time) throw new FlowError(`excite: time must be a finite number of seconds >= the process time ${this.time}, got ${time}`);
    if (this.hasPending && time > this.pendingTime) {
      throw new FlowError(`excite: time ${time} is after the pending event at ${this.pendingTime}; consume() it first`);
    }
    if (this.rng === null) throw new FlowError('excite: call reset(rng) first');
    this.advance(time, dim);
    this.hasPending = false;
  }

  /**
   * From `time` on the baseline is `scale`·μ·s(t) (a Cox factor the caller holds piecewise
   * constant, e.g. a stochastic activity level). Decays the state to `time` and discards the
   * pending event (exact: given no event in (this.time, time], the state is Markov). Requires
   * this.time ≤ time ≤ the pending event's time. The factor stays until the next call or reset.
   * @throws FlowError for a scale that is not a finite number >= 0 or a time out of range.
   */
  setBaselineScale(scale: number, time: number): void {
    if (!Number.isFinite(scale) || scale < 0) throw new FlowError(`setBaselineScale: scale must be a finite number >= 0, got ${scale}`);
    if (!Number.isFinite(time) || time < this.time) throw new FlowError(`setBaselineScale: time must be a finite number of seconds >= the process time ${this.time}, got ${time}`);
    if (this.hasPending && time > this.pendingTime) {
      throw new FlowError(`setBaselineScale: time ${time} is after the pending event at ${this.pendingTime}; consume() it first`);
    }
    const D = this.dims;
    const dt = time - this.time;
    const S = this.S;
    for (let k = 0; k < this.components; k++) {
      const f = Math.exp(-this.beta[k] * dt);
      const base = k * D;
      let s = 0;
      for (let i = 0; i < D; i++) {
        let v = S[base + i] * f;
        if (v < 1e-280) v = 0;
        S[base + i] = v;
        s += v;
      }
      this.tot[k] = s;
    }
    this.time = time;
    this.scale = scale;
    this.hasPending = false;
  }

  /** The baseline factor now (1 unless `setBaselineScale` changed it). */
  baselineScale(): number {
    return this.scale;
  }

  /**
   * λ_dim(t) in events per second at `t` ≥ this.time seconds, given no event in (this.time, t)
   * (left limit: an event exactly at t is not included). Does not change the state.
   */
  intensity(dim: number, t: number): number {
    if (!Number.isInteger(dim) || dim < 0 || dim >= this.dims) throw new FlowError(`intensity: dim must be an integer in [0, ${this.dims - 1}], got ${dim}`);
    if (!Number.isFinite(t) || t < this.time) throw new FlowError(`intensity: t must be a finite number of seconds >= the process time ${this.time}, got ${t}`);
    const D = this.dims;
    let l = this.mu[dim] * this.scale * (this.profile === null ? 1 : this.profile.value(t));
    const dt = t - this.time;
    for (let k = 0; k < this.components; k++) l += this.S[k * D + dim] * Math.exp(-this.beta[k] * dt);
    return l;
  }

  /** Σ_i λ_i(t), events per second, same conditions as `intensity`. */
  totalIntensity(t: number): number {
    if (!Number.isFinite(t) || t < this.time) throw new FlowError(`totalIntensity: t must be a finite number of seconds >= the process time ${this.time}, got ${t}`);
    let l = this.muTot * this.scale * (this.profile === null ? 1 : this.profile.value(t));
    const dt = t - this.time;
    for (let k = 0; k < this.components; k++) l += this.tot[k] * Math.exp(-this.beta[k] * dt);
    return l;
  }

  /** Decays the state to `t` and adds an event in `j`. */
  private advance(t: number, j: number): void {
    const D = this.dims;
    const K = this.components;
    const dt = t - this.time;
    const S = this.S;
    const jump = this.jump;
    for (let k = 0; k < K; k++) {
      const f = Math.exp(-this.beta[k] * dt);
      const base = k * D;
      const jb = (base + j) * D;
      let s = 0;
      for (let i = 0; i < D; i++) {
        // Flush what has decayed below any meaningful rate to 0 (no denormal arithmetic).
        let v = S[base + i] * f;
        if (v < 1e-280) v = 0;
        v += jump[jb + i];
        S[base + i] = v;
        s += v;
      }
      this.tot[k] = s;
    }
    this.time = t;
  }

  private draw(): void {
    const rng = this.rng;
    if (rng === null) throw new FlowError('call reset(rng) before sampling');
    this.pendingBase = false;
    if (this.sampler === 'exact') this.drawExact(rng);
    else this.drawThinning(rng);
    this.hasPending = true;
  }

  private drawExact(rng: Rng): void {
    const K = this.components;
    const D = this.dims;
    const t0 = this.time;
    let best = Infinity;
    let source = SOURCE_NONE;
    for (let k = 0; k < K; k++) {
      const s = this.tot[k];
      if (s <= 0) continue;
      const b = this.beta[k];
      // 1 + β ln U / S, U in (0, 1]: > 0 iff the component fires at all.
      const d = 1 + (b * Math.log(1 - rng.next())) / s;
      if (d <= 0) continue;
      const t = t0 - Math.log(d) / b;
      if (t < best) {
        best = t;
        source = k;
      }
    }
    const baseMax = this.baseMax * this.scale;
    if (baseMax > 0) {
      const prof = this.profile;
      let c = t0;
      for (;;) {
        c -= Math.log(1 - rng.next()) / baseMax;
        if (c >= best) break;
        if (prof === null || rng.next() * prof.max < prof.value(c)) {
          best = c;
          source = SOURCE_BASELINE;
          break;
        }
      }
    }
    this.pendingTime = best;
    this.pendingBase = source === SOURCE_BASELINE;
    if (source === SOURCE_NONE) {
      this.pendingDim = -1;
    } else if (source === SOURCE_BASELINE) {
      const u = rng.next() * this.muTot;
      const cum = this.muCum;
      let i = 0;
      while (i < D - 1 && (cum[i] <= u || this.mu[i] === 0)) i++;
      while (this.mu[i] === 0 && i > 0) i--;
      this.pendingDim = i;
    } else {
      const base = source * D;
      const S = this.S;
      let u = rng.next() * this.tot[source];
      let i = 0;
      for (; i < D - 1; i++) {
        u -= S[base + i];
        if (u < 0 && S[base + i] > 0) break;
      }
      // Rounding can run u past the last positive entry: take the last positive one.
      while (S[base + i] <= 0 && i > 0) i--;
      this.pendingDim = i;
    }
  }

  private drawThinning(rng: Rng): void {
    const K = this.components;
    const D = this.dims;
    const t0 = this.time;
    const prof = this.profile;
    const fac = this.fac;
    let t = t0;
    let exc = 0;
    for (let k = 0; k < K; k++) exc += this.tot[k];
    const baseMax = this.baseMax * this.scale;
    const muTot = this.muTot * this.scale;
    for (;;) {
      const bound = baseMax + exc;
      if (bound <= 0) {
        this.pendingTime = Infinity;
        this.pendingDim = -1;
        return;
      }
      t -= Math.log(1 - rng.next()) / bound;
      exc = 0;
      for (let k = 0; k < K; k++) {
        const f = Math.exp(-this.beta[k] * (t - t0));
        fac[k] = f;
        exc += this.tot[k] * f;
      }
      const sv = prof === null ? 1 : prof.value(t);
      const lam = muTot * sv + exc;
      const u = rng.next() * bound;
      if (u < lam) {
        // Accepted: dimension ∝ λ_i(t); u is uniform on [0, λ) given acceptance.
        const S = this.S;
        let i = 0;
        let rem = u;
        for (; i < D - 1; i++) {
          let li = this.mu[i] * sv * this.scale;
          for (let k = 0; k < K; k++) li += S[k * D + i] * fac[k];
          rem -= li;
          if (rem < 0 && li > 0) break;
        }
        // Rounding can run past the end: take the last dimension with a positive intensity.
        for (; i > 0; i--) {
          let li = this.mu[i] * sv * this.scale;
          for (let k = 0; k < K; k++) li += S[k * D + i] * fac[k];
          if (li > 0) break;
        }
        this.pendingTime = t;
        this.pendingDim = i;
        return;
      }
    }
  }
}
