/**
 * Intraday baseline profiles s(t): a dimensionless multiplier of the Hawkes baseline μ.
 *
 * The U-shape (docs/reference.md, VWAP section) over a session of L seconds, τ = (t mod L) / L:
 *   g(τ) = 1 + a·e^{−τ/τo} + b·e^{−(1−τ)/τc},   s(t) = g(τ) / c,   c = ∫₀¹ g(τ) dτ,
 * so s averages exactly 1 over a session and μ keeps its meaning of a mean baseline rate
 * (events per second). The profile repeats every session. g is convex, so its maximum on a
 * session is at an end point: max s = max(g(0), g(1)) / c, the bound thinning uses.
 */
import { FlowError } from './errors.ts';

/** A baseline multiplier s(t) ≥ 0 with a known upper bound and a closed-form integral. */
export interface BaselineProfile {
  /** s(t), dimensionless, t in seconds. */
  value(t: number): number;
  /** sup_t s(t): the thinning bound. */
  readonly max: number;
  /** ∫_{t0}^{t1} s(t) dt in seconds (t0 ≤ t1). */
  integral(t0: number, t1: number): number;
}

export interface UShapeSpec {
  /** Session length L in seconds (e.g. 23,400 for 09:30–16:00). */
  sessionSeconds: number;
  /** a ≥ 0: extra activity at the open, as a multiple of the midday level (default 0). */
  open?: number | undefined;
  /** τo > 0: time constant of the open's decay, as a fraction of the session (default 0.02). */
  openTau?: number | undefined;
  /** b ≥ 0: extra activity at the close (default 0). */
  close?: number | undefined;
  /** τc > 0: time constant of the close's build-up, as a fraction of the session (default 0.02). */
  closeTau?: number | undefined;
}

export class UShapeProfile implements BaselineProfile {
  readonly sessionSeconds: number;
  readonly max: number;
  private readonly a: number;
  private readonly to: number;
  private readonly b: number;
  private readonly tc: number;
  /** 1 / c: normalizes the session mean to 1. */
  private readonly invC: number;
  private readonly ec: number;

  constructor(spec: UShapeSpec) {
    const { sessionSeconds, open = 0, openTau = 0.02, close = 0, closeTau = 0.02 } = spec;
    const ok = (x: number, lo: number, strict: boolean): boolean => Number.isFinite(x) && (strict ? x > lo : x >= lo);
    if (!ok(sessionSeconds, 0, true)) throw new FlowError(`profile.sessionSeconds must be a finite number > 0, got ${sessionSeconds}`);
    if (!ok(open, 0, false)) throw new FlowError(`profile.open must be a finite number >= 0, got ${open}`);
    if (!ok(close, 0, false)) throw new FlowError(`profile.close must be a finite number >= 0, got ${close}`);
    if (!ok(openTau, 0, true)) throw new FlowError(`profile.openTau must be a finite number > 0, got ${openTau}`);
    if (!ok(closeTau, 0, true)) throw new FlowError(`profile.closeTau must be a finite number > 0, got ${closeTau}`);
    this.sessionSeconds = sessionSeconds;
    this.a = open;
    this.to = openTau;
    this.b = close;
    this.tc = closeTau;
    this.ec = Math.exp(-1 / closeTau);
    const c = 1 + open * openTau * -Math.expm1(-1 / openTau) + close * closeTau * -Math.expm1(-1 / closeTau);
    this.invC = 1 / c;
    const g0 = 1 + open + close * this.ec;
    const g1 = 1 + open * Math.exp(-1 / openTau) + close;
    this.max = Math.max(g0, g1) * this.invC;
  }

  value(t: number): number {
    const L = this.sessionSeconds;
    let tau = (t % L) / L;
    if (tau < 0) tau += 1;
    return (1 + this.a * Math.exp(-tau / this.to) + this.b * Math.exp(-(1 - tau) / this.tc)) * this.invC;
  }

  /** ∫₀^t s, t any real: whole sessions contribute L each. */
  private cumulative(t: number): number {
    const L = this.sessionSeconds;
    const n = Math.floor(t / L);
    const tau = t / L - n;
    const within = tau + this.a * this.to * -Math.expm1(-tau / this.to) + this.b * this.tc * (Math.exp(-(1 - tau) / this.tc) - this.ec);
    return n * L + L * within * this.invC;
  }

  integral(t0: number, t1: number): number {
    return this.cumulative(t1) - this.cumulative(t0);
  }
}

/**
 * Shares of the activity ∫s over `buckets` equal intervals of [t0, t1] (sum 1; equal shares
 * when `profile` is null), written to `out`, which is returned. For VWAP schedules.
 * The caller checks t0 < t1, an integer buckets >= 1 and out.length >= buckets.
 */
export function bucketShares(profile: BaselineProfile | null, t0: number, t1: number, buckets: number, out: Float64Array): Float64Array {
  const h = (t1 - t0) / buckets;
  let total = 0;
  for (let i = 0; i < buckets; i++) {
    const a = t0 + i * h;
    out[i] = profile === null ? h : profile.integral(a, a + h);
    total += out[i];
  }
  for (let i = 0; i < buckets; i++) out[i] /= total;
  return out;
}
