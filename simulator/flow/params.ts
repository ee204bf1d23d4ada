/**
 * Parameters of a D-dimensional linear Hawkes process whose kernels are sums of K exponentials:
 *
 *   λ_i(t) = μ_i·s(t) + Σ_k Σ_j Σ_{t_m^j < t} α^k_ij · β_k · e^{−β_k (t − t_m^j)}
 *
 * - μ_i (`mu[i]`): baseline rate of dimension i, events per second (the session mean when a
 *   profile s(t) is given, since s averages 1 over a session).
 * - α^k_ij (`components[k].branching[i][j]`): the L1 norm of the kernel from source j to target i
 *   in component k: the expected number of direct children in i of one event in j (dimensionless).
 * - β_k (`components[k].decay`): the decay rate of component k in 1/s (mean delay 1/β_k seconds).
 *   One decay per component, shared by every pair (i, j): this is what makes the per-event state
 *   update O(D·K) (state S^k_i = the component-k excitation of i) and lets the exact sampler draw
 *   one candidate time per component (all of S^k decays at the same rate). Pair-specific time
 *   scales are obtained with more components and zeros in their branching matrices.
 *
 * Stationarity: the spectral radius ρ(A) of the total branching matrix A = Σ_k α^k must be < 1;
 * the schema rejects ρ(A) ≥ 1 with a message that gives ρ(A).
 */
import { z } from 'zod';
import { FlowError } from './errors.ts';

/** Largest number of dimensions accepted. */
export const MAX_DIMS = 64;
/** Largest number of exponential components accepted. */
export const MAX_COMPONENTS = 8;

const finiteNonNeg = z.number().min(0);

export const HawkesComponentSchema = z
  .object({
    /** β_k, 1/s. */
    decay: z.number().positive(),
    /** α^k[i][j]: D×D, target i, source j, dimensionless. */
    branching: z.array(z.array(finiteNonNeg)),
  })
  .strict();

export const UShapeProfileSchema = z
  .object({
    /** Session length in seconds; the profile repeats every session. */
    sessionSeconds: z.number().positive(),
    /** Extra activity at the open (multiple of the midday level). */
    open: finiteNonNeg.default(0),
    /** Open decay time constant, fraction of the session. */
    openTau: z.number().positive().default(0.02),
    /** Extra activity at the close. */
    close: finiteNonNeg.default(0),
    /** Close build-up time constant, fraction of the session. */
    closeTau: z.number().positive().default(0.02),
  })
  .strict();

export const HawkesParamsSchema = z
  .object({
    /** μ_i, events per second. */
    mu: z.array(finiteNonNeg).min(1).max(MAX_DIMS),
    /** Exponential components, K ≥ 1. */
    components: z.array(HawkesComponentSchema).min(1).max(MAX_COMPONENTS),
    /** Optional intraday U-shaped baseline multiplier (mean 1 over a session). */
    profile: UShapeProfileSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const D = p.mu.length;
    let shapeOk = true;
    p.components.forEach((c, k) => {
      if (c.branching.length !== D) {
        shapeOk = false;
        ctx.addIssue({ code: 'custom', path: ['components', k, 'branching'], message: `must have ${D} rows (one per dimension, as mu), got ${c.branching.length}` });
        return;
      }
      c.branching.forEach((row, i) => {
        if (row.length !== D) {
          shapeOk = false;
          ctx.addIssue({ code: 'custom', path: ['components', k, 'branching', i], message: `must have ${D} columns, got ${row.length}` });
        }
      });
    });
    if (!shapeOk) return;
    const rho = spectralRadius(totalBranchingOf(p.components, D));
    if (!(rho < 1)) {
      ctx.addIssue({
        code: 'custom',
        path: ['components'],
        message: `not stationary: the spectral radius of the total branching matrix (sum over components) is ${rho.toPrecision(6)}, it must be < 1`,
      });
    }
  });

/** Parsed, validated parameters (defaults filled). */
export type HawkesParams = z.output<typeof HawkesParamsSchema>;
/** What a YAML file or caller may give (profile fields optional). */
export type HawkesParamsInput = z.input<typeof HawkesParamsSchema>;

/** Parses and validates; throws FlowError whose message lists every offending field. */
export function parseHawkesParams(input: unknown): HawkesParams {
  const r = HawkesParamsSchema.safeParse(input);
  if (!r.success) throw new FlowError(`invalid Hawkes parameters:\n${z.prettifyError(r.error)}`);
  return r.data;
}

function totalBranchingOf(components: readonly { branching: number[][] }[], D: number): number[][] {
  const A: number[][] = [];
  for (let i = 0; i < D; i++) {
    const row = new Array<number>(D).fill(0);
    for (const c of components) for (let j = 0; j < D; j++) row[j] += c.branching[i][j];
    A.push(row);
  }
  return A;
}

/** A = Σ_k α^k, the total branching matrix (D×D, target i, source j). */
export function totalBranching(params: HawkesParams): number[][] {
  return totalBranchingOf(params.components, params.mu.length);
}

/**
 * Spectral radius of a non-negative square matrix. The matrix is split into its strongly
 * connected components (reachability closure, O(D³)): ρ(A) is the largest ρ of a diagonal block,
 * and each block is irreducible. A one-node block is its diagonal entry; a larger block B is
 * handled by power iteration on B + I (primitive: irreducible with a positive diagonal, so the
 * Perron root is the unique eigenvalue of largest modulus even when B is periodic, e.g.
 * [[0,1],[1,0]]) with Collatz–Wielandt bounds min_i (Bx)_i/x_i ≤ ρ ≤ max_i (Bx)_i/x_i, which
 * converge for a primitive block; it stops when they agree to 1e-13 relative (at most 10,000
 * iterations) and returns their midpoint minus 1. Reducible matrices (dimensions that nothing
 * excites, or that excite nothing) never reach the iteration as a whole.
 * @throws FlowError for a non-square matrix or a negative or non-finite entry.
 */
export function spectralRadius(A: readonly (readonly number[])[]): number {
  const D = A.length;
  for (const row of A) {
    if (row.length !== D) throw new FlowError(`spectralRadius needs a square matrix, got a row of length ${row.length} in a ${D}-row matrix`);
    for (const v of row) if (!(v >= 0) || !Number.isFinite(v)) throw new FlowError(`spectralRadius needs finite non-negative entries, got ${v}`);
  }
  // reach[i][j]: j is reachable from i by a path of one or more positive entries.
  const reach: boolean[][] = A.map((row) => row.map((v) => v > 0));
  for (let k = 0; k < D; k++) {
    for (let i = 0; i < D; i++) {
      if (!reach[i][k]) continue;
      for (let j = 0; j < D; j++) if (reach[k][j]) reach[i][j] = true;
    }
  }
  const done = new Uint8Array(D);
  let rho = 0;
  for (let i = 0; i < D; i++) {
    if (done[i] === 1) continue;
    const block: number[] = [i];
    done[i] = 1;
    for (let j = i + 1; j < D; j++) {
      if (done[j] === 0 && reach[i][j] && reach[j][i]) {
        block.push(j);
        done[j] = 1;
      }
    }
    const r = block.length === 1 ? A[i][i] : irreducibleRadius(A, block);
    if (r > rho) rho = r;
  }
  return rho;
}

/** ρ of the irreducible principal submatrix of A on `idx` (power iteration on B + I, see spectralRadius). */
function irreducibleRadius(A: readonly (readonly number[])[], idx: readonly number[]): number {
  const n = idx.length;
  let x = new Float64Array(n).fill(1);
  let y = new Float64Array(n);
  let lo = 0;
  let hi = Infinity;
  for (let it = 0; it < 10_000; it++) {
    lo = Infinity;
    hi = 0;
    let norm = 0;
    for (let a = 0; a < n; a++) {
      const row = A[idx[a]];
      let s = x[a];
      for (let b = 0; b < n; b++) s += row[idx[b]] * x[b];
      y[a] = s;
      const r = s / x[a];
      if (r < lo) lo = r;
      if (r > hi) hi = r;
      if (s > norm) norm = s;
    }
    for (let a = 0; a < n; a++) y[a] /= norm;
    const t = x;
    x = y;
    y = t;
    if (hi - lo <= 1e-13 * hi) break;
  }
  return Math.max(0, (lo + hi) / 2 - 1);
}

/** Solves M x = b by Gaussian elimination with partial pivoting (small dense systems). */
function solve(M: number[][], b: number[]): number[] {
  const n = b.length;
  const a = M.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= n; k++) a[r][k] -= f * a[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r][n];
    for (let k = r + 1; k < n; k++) s -= a[r][k] * x[k];
    x[r] = s / a[r][r];
  }
  return x;
}

/** (I − A)⁻¹ as a dense matrix. */
function inverseIMinusA(params: HawkesParams): number[][] {
  const A = totalBranching(params);
  const D = A.length;
  const M = A.map((row, i) => row.map((v, j) => (i === j ? 1 : 0) - v));
  const cols: number[][] = [];
  for (let j = 0; j < D; j++) cols.push(solve(M, Array.from({ length: D }, (_, i) => (i === j ? 1 : 0))));
  return Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => cols[j][i]));
}

/** Stationary mean intensity Λ = (I − A)⁻¹ μ, events per second per dimension (with a profile: its session mean). */
export function meanIntensity(params: HawkesParams): number[] {
  const inv = inverseIMinusA(params);
  return inv.map((row) => row.reduce((s, v, j) => s + v * params.mu[j], 0));
}

/**
 * Asymptotic covariance of the counts per unit time, lim Cov(N(T)) / T = (I − A)⁻¹ diag(Λ) (I − A)⁻ᵀ
 * (events² per second). In 1-D it is μ / (1 − n)³; the empirical rate N_i(T)/T has
 * sd ≈ √(Σ_ii / T).
 */
export function rateCovariance(params: HawkesParams): number[][] {
  const inv = inverseIMinusA(params);
  const L = meanIntensity(params);
  const D = L.length;
  const out: number[][] = [];
  for (let i = 0; i < D; i++) {
    const row: number[] = [];
    for (let j = 0; j < D; j++) {
      let s = 0;
      for (let m = 0; m < D; m++) s += inv[i][m] * L[m] * inv[j][m];
      row.push(s);
    }
    out.push(row);
  }
  return out;
}
