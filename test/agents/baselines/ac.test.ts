import { describe, expect, it } from 'vitest';
import { make, type GymEnv } from '../../../env/index.ts';
import { AlmgrenChrissPolicy, makePolicy, type AnyPolicy } from '../../../agents/index.ts';
import { solveAlmgrenChriss } from '../../../env/index.ts';

// Liquidate-AC-v0's defaults are the paper's example: X = 1e6, S0 = 50, T = 5, N = 5, σ = 0.95,
// ε = 0.0625, η = 2.5e−6, γ = 2.5e−7, λ = 1e−6. Its isBps is the cost in bps of X·S0 (no risk term).
const X = 1e6;
const S0 = 50;
const paper = { X, T: 5, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625 };
const toBps = (usd: number): number => (usd / (X * S0)) * 1e4;

function costs(env: GymEnv, policy: AnyPolicy, seeds: number[]): { is: Float64Array; actions: number[][] } {
  const is = new Float64Array(seeds.length);
  const actions: number[][] = [];
  seeds.forEach((seed, i) => {
    let { observation, info } = env.reset({ seed });
    policy.reset?.(info, { seed, actionSpace: env.actionSpace });
    const acts: number[] = [];
    for (;;) {
      const a = policy.act(observation, info) as Float64Array;
      acts.push(a[0]);
      const r = env.step(a);
      observation = r.observation;
      info = r.info;
      if (r.terminated || r.truncated) break;
    }
    is[i] = info.isBps as number;
    actions.push(acts);
  });
  return { is, actions };
}

function meanVar(xs: Float64Array): { mean: number; variance: number } {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) * (x - m);
  return { mean: m, variance: v / (xs.length - 1) };
}

const M = 4000;
const seeds = Array.from({ length: M }, (_, i) => 1_000_000_000 + i);

describe('Almgren–Chriss policy in Liquidate-AC-v0', () => {
  const lambda = 1e-6;
  const env = make('Liquidate-AC-v0', { lambda });
  const ac = new AlmgrenChrissPolicy({ ...paper, lambda, tau: 1 });
  const twap = makePolicy('twap');
  const acRun = costs(env, ac, seeds);
  const twapRun = costs(env, twap, seeds);
  const closed = solveAlmgrenChriss({ ...paper, lambda });
  const closedTwap = solveAlmgrenChriss({ ...paper, lambda: 0 });

  it('follows the closed-form schedule: actions m·(1 − x_{k+1}/x_k)', () => {
    const h = closed.holdings;
    for (let k = 0; k < 5; k++) {
      const m = 5 - k;
      const expected = m * (1 - h[k + 1] / h[k]);
      expect(Math.abs(acRun.actions[0][k] - expected)).toBeLessThan(1e-9);
    }
  });

  it('has a mean cost within 3·√(V/M) of the closed-form E', () => {
    // The cost is linear in the Gaussian price shocks for a deterministic schedule: exactly N(E, V).
    const { mean } = meanVar(acRun.is);
    expect(Math.abs(mean - toBps(closed.expectedCost))).toBeLessThan(3 * toBps(Math.sqrt(closed.variance / M)));
    const t = meanVar(twapRun.is);
    expect(Math.abs(t.mean - toBps(closedTwap.expectedCost))).toBeLessThan(3 * toBps(Math.sqrt(closedTwap.variance / M)));
  });

  it('with λ > 0 has a lower variance and a lower E + λV than TWAP (from samples)', () => {
    const c = 1e4 / (X * S0); // $ → bps of X·S0
    const a = meanVar(acRun.is);
    const t = meanVar(twapRun.is);
    const vAc = closed.variance * c * c;
    const vTw = closedTwap.variance * c * c;
    // Sample variances of Gaussian costs have sd V·√(2/(M−1)) ≈ 2.2% of V; V_TWAP / V_AC ≈ 2.97.
    const sdVar = (v: number): number => v * Math.sqrt(2 / (M - 1));
    expect(Math.abs(a.variance - vAc)).toBeLessThan(4 * sdVar(vAc));
    expect(Math.abs(t.variance - vTw)).toBeLessThan(4 * sdVar(vTw));
    expect(vTw - vAc).toBeGreaterThan(4 * Math.hypot(sdVar(vAc), sdVar(vTw)));
    expect(a.variance).toBeLessThan(t.variance);
    // The objective in bps: E_bps + λ_bps·Var_bps with λ_bps = λ / c (the same objective as in $).
    const lambdaBps = lambda / c;
    const objAc = a.mean + lambdaBps * a.variance;
    const objTwap = t.mean + lambdaBps * t.variance;
    const theoryAc = (closed.expectedCost + lambda * closed.variance) * c;
    const theoryTwap = (closedTwap.expectedCost + lambda * closedTwap.variance) * c;
    // sd of a sample objective: √(V/M + λ²·2V²/(M−1)) (mean and variance of a Gaussian sample are
    // independent). Each lies within 4 sd of its theory, and the theoretical gap (≈ 94 bps) exceeds
    // 4 sd of both combined, so the order of the sample objectives is a consequence, not luck.
    const sdObj = (v: number): number => Math.sqrt(v / M + (lambdaBps * lambdaBps * 2 * v * v) / (M - 1));
    expect(Math.abs(objAc - theoryAc)).toBeLessThan(4 * sdObj(vAc));
    expect(Math.abs(objTwap - theoryTwap)).toBeLessThan(4 * sdObj(vTw));
    expect(theoryTwap - theoryAc).toBeGreaterThan(4 * Math.hypot(sdObj(vAc), sdObj(vTw)));
    expect(objAc).toBeLessThan(objTwap);
  });

  it('with λ = 0 is TWAP: the same actions (1) and the same costs on every seed', () => {
    const ac0 = new AlmgrenChrissPolicy({ ...paper, lambda: 0, tau: 1 });
    const few = seeds.slice(0, 50);
    const a = costs(env, ac0, few);
    const t = costs(env, twap, few);
    expect(a.actions.flat().every((x) => x === 1)).toBe(true);
    expect(Array.from(a.is)).toEqual(Array.from(t.is));
  });

  it('sells everything at once when η − γτ/2 <= 0 (the κ → ∞ limit)', () => {
    const p = new AlmgrenChrissPolicy({ ...paper, gamma: 1e-5, lambda, tau: 1 });
    p.reset({ decisionIndex: 0, decisionCount: 5, remainingQty: X, executedQty: 0, quantity: X });
    expect(p.kappa).toBe(Infinity);
    expect(p.act(new Float64Array(3), { decisionIndex: 0, decisionCount: 5, remainingQty: X, executedQty: 0, quantity: X })[0]).toBe(5);
  });

  it('re-plans from the realized inventory (time consistent): starting off-schedule it follows the re-solved schedule', () => {
    const p = new AlmgrenChrissPolicy({ ...paper, lambda, tau: 1 });
    p.reset({ decisionIndex: 0, decisionCount: 5, remainingQty: X, executedQty: 0, quantity: X });
    // After selling only a TWAP slice first, the rest follows the AC schedule of 4 intervals from 8e5.
    const sol4 = solveAlmgrenChriss({ ...paper, X: 8e5, T: 4, N: 4, lambda });
    const a = p.act(new Float64Array(3), { decisionIndex: 1, decisionCount: 5, remainingQty: 8e5, executedQty: 2e5, quantity: X });
    expect(Math.abs(a[0] - 4 * (1 - sol4.holdings[1] / sol4.holdings[0]))).toBeLessThan(1e-12);
  });
});
