import { describe, expect, it } from 'vitest';
import { AlmgrenChrissEnv } from '../../../env/ac/index.ts';
import { checkEnv } from '../../../env/checker.ts';
import { EnvError } from '../../../env/core.ts';
import { Rng } from '../../../simulator/random/index.ts';

const action = (a: number): Float64Array => new Float64Array([a]);

/** Runs one episode with the schedule of holdings `x` (x[0] = X ... x[N] = 0); returns sum of rewards and the last info. */
function runSchedule(env: AlmgrenChrissEnv, seed: number, x: ArrayLike<number>): { sum: number; info: Record<string, unknown> } {
  env.reset({ seed });
  const N = env.params.N;
  let sum = 0;
  for (let k = 1; k <= N; k++) {
    const left = N - k + 1;
    const n = x[k - 1] - x[k];
    const a = x[k - 1] > 0 ? (n * left) / x[k - 1] : 0;
    const r = env.step(action(Math.min(a, env.params.aMax)));
    sum += r.reward;
    if (r.terminated) return { sum, info: r.info };
  }
  throw new Error('episode did not end');
}

describe('Liquidate-AC-v0', () => {
  it('passes checkEnv', () => {
    const r = checkEnv(new AlmgrenChrissEnv() as never);
    expect(r.steps).toBeGreaterThan(0);
  });

  it('passes checkEnv with many decisions', () => {
    expect(checkEnv(new AlmgrenChrissEnv({ N: 50, lambda: 0 }) as never).steps).toBeGreaterThan(0);
  });

  it('rewards sum to -IS_bps - risk_bps exactly (1e-9) over random episodes', () => {
    const env = new AlmgrenChrissEnv({ N: 20 });
    const rng = Rng.fromSeed(1, 'test');
    for (let ep = 0; ep < 200; ep++) {
      env.reset({ seed: ep });
      let sum = 0;
      for (;;) {
        const r = env.step(env.actionSpace.sample(rng));
        sum += r.reward;
        if (r.terminated) {
          expect(r.info.remainingQty).toBe(0);
          expect(Math.abs(sum + (r.info.isBps as number) + (r.info.riskBps as number))).toBeLessThan(1e-9);
          expect(r.info.isBps as number).toBeCloseTo(((r.info.costUsd as number) / (1e6 * 50)) * 1e4, 12);
          break;
        }
      }
    }
  });

  it('action 1 every step is TWAP; a = decisions left sells everything at the closed-form cost', () => {
    const env = new AlmgrenChrissEnv({ sigma: 0 });
    env.reset({ seed: 3 });
    for (let k = 0; k < 5; k++) {
      const r = env.step(action(1));
      expect(r.info.tradedQty).toBeCloseTo(2e5, 6);
    }
    env.reset({ seed: 3 });
    const r = env.step(action(5));
    expect(r.terminated).toBe(true);
    // Sell now: E = εX + ηX²/τ, V = 0.
    expect(r.info.costUsd).toBeCloseTo(0.0625 * 1e6 + (2.5e-6 * 1e12) / 1, 6);
    expect(r.info.costUsd).toBeCloseTo(2562500, 6);
  });

  it('the mean TWAP cost over M seeds is within 3 sqrt(V/M) of the closed form', () => {
    const env = new AlmgrenChrissEnv();
    const { expectedCost: E, variance: V } = env.twap;
    const M = 4000;
    let sum = 0;
    const bps = 1e4 / (1e6 * 50);
    const riskBps = env.params.lambda * V * bps;
    for (let s = 0; s < M; s++) {
      env.reset({ seed: s });
      let ret = 0;
      for (;;) {
        const r = env.step(action(1));
        ret += r.reward;
        if (r.terminated) break;
      }
      // -sum(rewards) = IS_bps + lambda V_bps (the risk term is deterministic for TWAP).
      sum += -ret;
    }
    const mean = sum / M;
    expect(Math.abs(mean - (E * bps + riskBps))).toBeLessThan(3 * Math.sqrt(V / M) * bps);
  });

  it('the closed-form optimal schedule achieves E + lambda V of the closed form (3 sd)', () => {
    const env = new AlmgrenChrissEnv();
    const o = env.optimal;
    const M = 4000;
    const bps = 1e4 / (1e6 * 50);
    let sum = 0;
    for (let s = 0; s < M; s++) sum += -runSchedule(env, 100000 + s, o.holdings).sum;
    const mean = sum / M;
    expect(Math.abs(mean - (o.expectedCost + env.params.lambda * o.variance) * bps)).toBeLessThan(3 * Math.sqrt(o.variance / M) * bps);
  });

  it('rejects bad actions and call order with EnvError, state untouched', () => {
    const env = new AlmgrenChrissEnv();
    expect(() => env.step(action(1))).toThrow(/before reset/);
    const a = env.reset({ seed: 5 });
    for (const bad of [action(NaN), action(-0.1), action(5.01), action(Infinity), new Float64Array([1, 1]), 1 as never, [1] as never]) {
      if (Array.isArray(bad)) continue;
      expect(() => env.step(bad)).toThrow(EnvError);
    }
    expect(() => env.step(action(6))).toThrow(/element 0 = 6 is outside \[0, 5\]/);
    const r1 = env.step(action(1));
    const b = new AlmgrenChrissEnv();
    expect(b.reset({ seed: 5 }).observation).toEqual(a.observation);
    expect(b.step(action(1))).toEqual(r1);
    expect(() => env.reset({ seed: -1 })).toThrow(EnvError);
  });

  it('reset without a seed continues the stream; with the seed it repeats', () => {
    const env = new AlmgrenChrissEnv();
    const path = (): number[] => {
      const out: number[] = [];
      for (let k = 0; k < 5; k++) out.push(env.step(action(1)).observation[2]);
      return out;
    };
    env.reset({ seed: 8 });
    const p1 = path();
    env.reset();
    const p2 = path();
    env.reset({ seed: 8 });
    expect(path()).toEqual(p1);
    expect(p2).not.toEqual(p1);
  });

  it('stepping past the end throws', () => {
    const env = new AlmgrenChrissEnv({ N: 2 });
    env.reset({ seed: 1 });
    env.step(action(1));
    expect(env.step(action(0)).terminated).toBe(true);
    expect(() => env.step(action(1))).toThrow(/after the episode ended/);
  });
});
