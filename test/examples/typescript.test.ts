/**
 * The README's "your own policy in TypeScript" example: `evaluate --modules FILE --policy NAME`
 * imports the module (in the evaluation workers too), and the registered policy gets a row in
 * the same table as the baselines, on the same seeds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../experiments/cli-capture.ts';
import { SpreadAwarePolicy } from '../../examples/typescript/spread-aware.ts';
import { makePolicy } from '../../agents/baselines/registry.ts';
import { make } from '../../env/index.ts';

afterEach(() => vi.restoreAllMocks());

async function cli(args: string[]): Promise<string> {
  return (await runCli(args)).stdout;
}

describe('examples/typescript/spread-aware.ts', () => {
  it('registers a policy that stays in the action space and sells everything', () => {
    const policy = makePolicy('spread-aware', {});
    expect(policy).toBeInstanceOf(SpreadAwarePolicy);
    const env = make('Liquidate-v0');
    const start = env.reset({ seed: 3 });
    policy.reset?.(start.info, { seed: 3, actionSpace: env.actionSpace });
    let observation = start.observation;
    let info: { remainingQty: number } = start.info;
    let done = false;
    while (!done) {
      const action = policy.act(observation, info) as Float64Array;
      expect(action[0]).toBeGreaterThanOrEqual(0);
      expect(action[0]).toBeLessThanOrEqual(3);
      const r = env.step(action);
      ({ observation, info } = r);
      done = r.terminated || r.truncated;
    }
    expect(info.remainingQty).toBe(0);
  });

  it('runs through evaluate --modules beside the baselines, on the same seeds', async () => {
    const out = await cli(['evaluate', '--modules', 'examples/typescript/spread-aware.ts', '--policy', 'spread-aware,twap', '--episodes', '12', '--workers', '2', '--json']);
    const res = JSON.parse(out) as { policies: Record<string, { episodes: number }> } & Record<string, unknown>;
    const text = JSON.stringify(res);
    expect(text).toContain('spread-aware');
    expect(text).toContain('twap');
  });
});
