import { describe, expect, it } from 'vitest';
import { benchmarkEnv, benchmarkVector, twapAction } from '../../env/benchmark.ts';
import { Box, Discrete } from '../../env/spaces/index.ts';

describe('env benchmark', () => {
  it('twapAction is one TWAP slice in market mode, 0 offset in limit mode, the 1x slice in the menu', () => {
    expect(Array.from(twapAction(new Box(0, 10, [1])) as Float64Array)).toEqual([1]);
    expect(Array.from(twapAction(new Box([0, -5], [10, 5])) as Float64Array)).toEqual([1, 0]);
    expect(twapAction(new Discrete(4))).toBe(2);
  });

  it('benchmarkEnv reports steps, rates and reset times', () => {
    const r = benchmarkEnv({ options: { market: {}, horizonSeconds: 60 }, steps: 30, warmupSteps: 6 });
    expect(r.steps).toBe(30);
    expect(r.episodes).toBe(5);
    expect(r.meanEpisodeSteps).toBe(6);
    expect(r.stepsPerSecond).toBeGreaterThan(0);
    expect(r.resetMs).toBeGreaterThan(0);
  });

  it('benchmarkVector runs the worker vector env', async () => {
    const r = await benchmarkVector({ options: { market: {}, horizonSeconds: 60 }, numEnvs: 2, numWorkers: 2, batchSteps: 10, warmupBatchSteps: 2 });
    expect(r.envSteps).toBe(20);
    expect(r.stepsPerSecond).toBeGreaterThan(0);
  });
});
