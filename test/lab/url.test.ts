import { describe, expect, it } from 'vitest';
import { formatLabState, parseLabState } from '../../lab/src/core/url.ts';

describe('lab URL state', () => {
  it('reads the example link of the issue', () => {
    const { state, problems } = parseLabState('?view=execute&env=Liquidate-v0&seed=7&policy=twap,passive-twap&autorun=1');
    expect(problems).toEqual([]);
    expect(state).toEqual({ view: 'execute', env: 'Liquidate-v0', seed: 7, policies: ['twap', 'passive-twap'], autorun: true });
  });

  it('round-trips a state through the query string', () => {
    const s = { view: 'train' as const, env: 'Liquidate-AC-v0', preset: 'calm', seed: 12, quantity: 5000, policies: ['twap', 'ac'], autorun: true, algo: 'ppo', backend: 'wasm', steps: 4096, epochs: 3 };
    const q = formatLabState(s);
    expect(q).toBe('?view=train&env=Liquidate-AC-v0&preset=calm&seed=12&quantity=5000&policy=twap,ac&algo=ppo&backend=wasm&steps=4096&epochs=3&autorun=1');
    expect(parseLabState(q).state).toEqual(s);
  });

  it('drops bad values, names them, and falls back to the defaults', () => {
    const { state, problems } = parseLabState('view=charts&seed=-3&quantity=1.5&steps=0');
    expect(state).toEqual({ view: 'execute', autorun: false });
    expect(problems).toEqual([
      'view must be one of execute, market, train, got "charts"',
      'seed must be an integer >= 0, got "-3"',
      'quantity must be an integer >= 1, got "1.5"',
      'steps must be an integer >= 1, got "0"',
    ]);
  });
});
