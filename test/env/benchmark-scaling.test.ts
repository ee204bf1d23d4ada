// benchmarkVectorScaling lives in env/benchmark.ts; its test sits here with the vector env tests.
import { describe, expect, it } from 'vitest';
import { benchmarkVectorScaling } from '../../env/benchmark.ts';

describe('benchmarkVectorScaling', () => {
  it('times sync, 1 worker and N workers on the same envs in interleaved rounds', async () => {
    const r = await benchmarkVectorScaling({ id: 'Liquidate-AC-v0', options: { N: 5 }, numEnvs: 4, numWorkers: 2, batchSteps: 20, rounds: 2, warmupBatchSteps: 3 });
    expect(r.perRound).toHaveLength(2);
    expect(r.batchStepsPerRound).toBe(10);
    expect(r.infos).toBe('final');
    for (const x of r.perRound) for (const v of [x.sync, x.one, x.many]) expect(v).toBeGreaterThan(0);
    expect(r.stepsPerSecond1Worker).toBe((r.perRound[0].one + r.perRound[1].one) / 2);
    expect(r.speedup).toBeCloseTo(r.stepsPerSecondNWorkers / r.stepsPerSecond1Worker, 12);
    expect(r.oneWorkerVsSync).toBeCloseTo(r.stepsPerSecond1Worker / r.stepsPerSecondSync, 12);
    if (r.otherCores !== null) expect(r.otherCores).toBeGreaterThanOrEqual(0);
  });

  it('rejects a bad number of rounds', async () => {
    await expect(benchmarkVectorScaling({ numEnvs: 2, numWorkers: 2, rounds: 0 })).rejects.toThrow(/rounds must be a positive integer, got 0/);
  });
});
