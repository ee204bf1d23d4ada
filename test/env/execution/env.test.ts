import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../env/checker.ts';
import { EnvError } from '../../../env/core.ts';
import { ExecutionEnv, FEATURES, type Fill } from '../../../env/execution/index.ts';
import { make } from '../../../env/registry.ts';
import { Rng } from '../../../simulator/random/index.ts';

// A fixed (non-randomized) default market and a 2-minute horizon keep these tests fast.
const FAST = { market: {}, horizonSeconds: 120, decisionSeconds: 10 };
const act = (...a: number[]): Float64Array => Float64Array.from(a);

type Mode = 'market' | 'limit' | 'hybrid' | 'discrete';

function randomAction(env: ExecutionEnv, rng: Rng): Float64Array | number {
  return env.actionSpace.sample(rng);
}

describe('execution env', () => {
  for (const [id, extra] of [
    ['Liquidate-v0', {}],
    ['Acquire-v0', {}],
    ['Liquidate-Limit-v0', {}],
    ['Liquidate-v0', { actionMode: 'discrete' }],
    ['Liquidate-v0', { actionMode: 'hybrid' }],
  ] as const) {
    it(`${id} ${JSON.stringify(extra)} passes checkEnv`, () => {
      const r = checkEnv(make(id, { ...FAST, ...extra }) as never);
      expect(r.steps).toBeGreaterThan(0);
    });
  }

  it('rewards sum to exactly -IS_bps (1e-9) over many random episodes, every mode, both sides, with fees', () => {
    const rng = Rng.fromSeed(1, 'test');
    const modes: Mode[] = ['market', 'limit', 'hybrid', 'discrete'];
    let episodes = 0;
    for (const actionMode of modes) {
      for (const side of ['sell', 'buy'] as const) {
        const env = new ExecutionEnv({ ...FAST, side, actionMode, makerFeeBps: -0.2, takerFeeBps: 0.3, aMax: 3 });
        for (let ep = 0; ep < 12; ep++) {
          const r0 = env.reset({ seed: 1000 * episodes + ep });
          const arrival = r0.info.arrivalPrice as number;
          expect(arrival).toBe(r0.info.mid);
          const Q = r0.info.quantity as number;
          let sum = 0;
          let cost = 0;
          let filled = 0;
          for (;;) {
            const s = env.step(randomAction(env, rng));
            sum += s.reward;
            for (const f of s.info.fills as Fill[]) {
              const fee = (f.qty * f.price * (f.passive ? -0.2 : 0.3)) / 1e4;
              cost += (side === 'sell' ? -1 : 1) * f.qty * (f.price - arrival) + fee;
              filled += f.qty;
            }
            if (s.terminated) {
              expect(Math.abs(sum + (s.info.isBps as number))).toBeLessThan(1e-9);
              expect(s.info.remainingQty).toBe(0);
              expect(filled + (s.info.unfilledQty as number)).toBe(Q);
              if (s.info.unfilledQty === 0) expect(Math.abs(((cost / (Q * arrival)) * 1e4) - (s.info.isBps as number))).toBeLessThan(1e-9);
              break;
            }
          }
          episodes++;
        }
      }
    }
    expect(episodes).toBe(96);
  });

  it('with risk aversion the rewards sum to -IS_bps - riskBps', () => {
    const env = new ExecutionEnv({ ...FAST, riskAversion: 0.01 });
    const rng = Rng.fromSeed(2, 'test');
    for (let ep = 0; ep < 10; ep++) {
      env.reset({ seed: ep });
      let sum = 0;
      for (;;) {
        const s = env.step(randomAction(env, rng));
        sum += s.reward;
        if (s.terminated) {
          expect(Math.abs(sum + (s.info.isBps as number) + (s.info.riskBps as number))).toBeLessThan(1e-9);
          break;
        }
      }
    }
  });

  it('TWAP (action 1) sells in slices; waiting sends everything at the deadline', () => {
    const env = new ExecutionEnv({ ...FAST, quantity: 1200 });
    env.reset({ seed: 5 });
    const first = env.step(act(1));
    expect(first.info.executedQty).toBe(100);
    for (;;) {
      const s = env.step(act(1));
      if (s.terminated) {
        expect(s.info.decisionIndex).toBe(12);
        expect(s.info.executedQty).toBe(1200);
        break;
      }
    }
    env.reset({ seed: 5 });
    for (let k = 0; k < 11; k++) expect(env.step(act(0)).info.executedQty).toBe(0);
    const last = env.step(act(0));
    expect(last.terminated).toBe(true);
    expect(last.info.forcedQty).toBe(1200);
    expect(last.info.executedQty).toBe(1200);
  });

  it('the market path of a seed does not depend on the action mode when the agent does not trade', () => {
    const path = (actionMode: Mode, idle: Float64Array | number): number[] => {
      const env = new ExecutionEnv({ ...FAST, actionMode, quantity: 500 });
      const r = env.reset({ seed: 11 });
      const out = [r.info.mid as number, r.info.startSeconds as number];
      for (let k = 0; k < 11; k++) {
        const s = env.step(idle);
        out.push(s.info.mid as number, s.info.stepVolume as number, ...Array.from(s.observation.subarray(2, 9)));
      }
      return out;
    };
    const a = path('market', act(0));
    expect(path('limit', act(0, 0))).toEqual(a);
    expect(path('discrete', 0)).toEqual(a);
  });

  it('randomizes the quantity as 2-25% of the expected horizon volume; reset() continues, reset(seed) repeats', () => {
    const env = new ExecutionEnv({ market: {}, horizonSeconds: 60 });
    const seen = new Set<number>();
    const a = env.reset({ seed: 3 }).info;
    for (let i = 0; i < 30; i++) {
      const info = env.reset().info;
      const share = (info.quantity as number) / (info.expectedVolume as number);
      expect(share).toBeGreaterThanOrEqual(0.02 - 1 / (info.expectedVolume as number));
      expect(share).toBeLessThanOrEqual(0.25 + 1 / (info.expectedVolume as number));
      seen.add(info.episodeSeed as number);
    }
    expect(seen.size).toBe(30);
    expect(env.reset({ seed: 3 }).info).toEqual(a);
    // A rejected reset does not move the episode-seed sequence.
    const next = env.reset().info.episodeSeed;
    env.reset({ seed: 3 });
    expect(() => env.reset({ options: { startSeconds: 1e9 } })).toThrow(EnvError);
    expect(env.reset().info.episodeSeed).toBe(next);
    const o = env.reset({ seed: 3, options: { quantity: 777, startSeconds: 100 } }).info;
    expect(o.quantity).toBe(777);
    expect(o.startSeconds).toBe(100);
  });

  it('limit mode: passive fills at the touch are flagged passive; crossing offsets take liquidity', () => {
    const env = new ExecutionEnv({ ...FAST, actionMode: 'limit', quantity: 3000, maxOffsetTicks: 50 });
    env.reset({ seed: 8 });
    let passive = 0;
    for (let k = 0; k < 6; k++) {
      const s = env.step(act(1, 0));
      for (const f of s.info.fills as Fill[]) if (f.passive) passive++;
      expect(s.observation[FEATURES.indexOf('hasOrder')]).toBe((s.info.restingQty as number) > 0 ? 1 : 0);
    }
    expect(passive).toBeGreaterThan(0);
    // Offset -50 ticks from the ask crosses the spread: it executes at once against the bids.
    const s = env.step(act(1, -50));
    const fills = s.info.fills as Fill[];
    expect(fills.length).toBeGreaterThan(0);
    expect(fills[0].passive).toBe(false);
  });

  it('Acquire-v0 buys: fills above the arrival price are a cost', () => {
    const env = make('Acquire-v0', { ...FAST, quantity: 2000 }) as unknown as ExecutionEnv;
    const r = env.reset({ seed: 4 });
    const s = env.step(act(6));
    const f = (s.info.fills as Fill[])[0];
    expect(f.passive).toBe(false);
    expect(f.price).toBeGreaterThan(r.info.arrivalPrice as number);
    expect(s.reward).toBeLessThan(0);
  });

  it('observations stay inside their true bounds', () => {
    const env = new ExecutionEnv({ ...FAST, actionMode: 'discrete', horizonSeconds: 300 });
    const rng = Rng.fromSeed(9, 'test');
    for (let ep = 0; ep < 5; ep++) {
      expect(env.observationSpace.contains(env.reset({ seed: ep }).observation)).toBe(true);
      for (;;) {
        const s = env.step(randomAction(env, rng));
        expect(env.observationSpace.contains(s.observation)).toBe(true);
        if (s.terminated) break;
      }
    }
  });

  it('rejects invalid options and actions with EnvErrors naming the value', () => {
    expect(() => new ExecutionEnv({ horizonSeconds: 65, decisionSeconds: 10, market: {} })).toThrow(/horizonSeconds \/ decisionSeconds must be an integer.*65 \/ 10/);
    expect(() => new ExecutionEnv({ actionMode: 'twap', market: {} })).toThrow(/actionMode.*"twap"/);
    expect(() => new ExecutionEnv({ quantity: -5, market: {} })).toThrow(EnvError);
    expect(() => new ExecutionEnv({ bogus: 1, market: {} })).toThrow(/unknown option\(s\) 'bogus'/);
    expect(() => new ExecutionEnv({ market: 'no-such-preset' })).toThrow(/market: .*no-such-preset/);
    expect(() => new ExecutionEnv({ market: { takers: { nope: 1 } } })).toThrow(EnvError);
    const env = new ExecutionEnv({ ...FAST });
    expect(() => env.step(act(1))).toThrow(/before reset/);
    env.reset({ seed: 1 });
    expect(() => env.reset({ options: { quantity: 0 } })).toThrow(/quantity/);
    expect(() => env.reset({ options: { startSeconds: 1e9 } })).toThrow(/startSeconds must be in \[0, /);
    expect(() => env.reset({ seed: 1.5 })).toThrow(EnvError);
    env.reset({ seed: 1 });
    expect(() => env.step(act(11))).toThrow(/element 0 = 11 is outside \[0, 10\]/);
    expect(() => env.step(act(NaN))).toThrow(/NaN/);
    expect(() => env.step(act(1, 1))).toThrow(/length 1/);
    expect(() => env.step(1)).toThrow(EnvError);
  });
});
