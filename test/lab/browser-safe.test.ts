/**
 * PPO's training loop, which the lab runs in a worker, reaches no Node module through its static
 * runtime imports (the same walk as test/agents/browser-safe.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { nodeImports } from '../node-imports.ts';

describe('browser-safe training loop', () => {
  it('agents/ppo/loop.ts reaches no Node module', () => {
    expect(nodeImports('agents/ppo/loop.ts')).toEqual([]);
  });
  it('the walk sees Node in train.ts, which keeps the Node parts', () => {
    expect(nodeImports('agents/ppo/train.ts').length).toBeGreaterThan(0);
  });
});
