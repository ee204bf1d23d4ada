import { describe, expect, it } from 'vitest';
import { makePolicy } from '../../../agents/index.ts';
import { makeEnvForPolicy, runEpisode } from '../../../experiments/evaluate/index.ts';

// Every baseline runs on the execution env (Liquidate-v0 on the simulated market), in the action
// mode it declares, on the same seeds. Short episodes: 2 minutes, 10-second decisions.
const envOptions = { horizonSeconds: 120, decisionSeconds: 10 };
const seeds = [1_000_000_000, 1_000_000_001, 1_000_000_002];
const ac = { sigma: 0.9, eta: 0.01, gamma: 0.0015, epsilon: 0.74, lambdaPerBps: 0.01 };

describe('baselines on Liquidate-v0', () => {
  for (const [name, options] of [
    ['twap', {}],
    ['passive-twap', {}],
    ['vwap', {}],
    ['pov', { rho: 0.1 }],
    ['ac', ac],
    ['sell-now', {}],
    ['random', {}],
  ] as const) {
    it(`${name} completes every episode with a non-increasing inventory`, () => {
      const policy = makePolicy(name, options);
      const env = makeEnvForPolicy('Liquidate-v0', envOptions, policy);
      expect(env.metadata.actionMode).toBe(policy.actionMode);
      for (const seed of seeds) {
        const r = runEpisode(env, policy, seed);
        expect(r.completion).toBe(1);
        expect(r.inventory[0]).toBe(r.quantity);
        expect(r.inventory[r.inventory.length - 1]).toBe(0);
        for (let k = 1; k < r.inventory.length; k++) expect(r.inventory[k]).toBeLessThanOrEqual(r.inventory[k - 1]);
        expect(Number.isFinite(r.isBps)).toBe(true);
        expect(r.passiveShare).toBeGreaterThanOrEqual(0);
        expect(r.passiveShare).toBeLessThanOrEqual(1);
        if (name === 'twap' || name === 'vwap' || name === 'ac' || name === 'sell-now' || name === 'pov') expect(r.passiveFills).toBe(0);
        // Sell-now sends everything at the first decision; a thin bid side may leave a remainder.
        if (name === 'sell-now') expect(r.inventory[1]).toBeLessThan(r.inventory[0]);
        if (name === 'twap') expect(r.steps).toBe(12);
      }
      env.close();
    });
  }

  it('TWAP and passive TWAP see the same market: the same quantity and start on each seed', () => {
    const t = makePolicy('twap');
    const p = makePolicy('passive-twap');
    const et = makeEnvForPolicy('Liquidate-v0', envOptions, t);
    const ep = makeEnvForPolicy('Liquidate-v0', envOptions, p);
    for (const seed of seeds) {
      const a = runEpisode(et, t, seed);
      const b = runEpisode(ep, p, seed);
      expect(b.quantity).toBe(a.quantity);
      expect(b.startSeconds).toBe(a.startSeconds);
    }
  });
});
