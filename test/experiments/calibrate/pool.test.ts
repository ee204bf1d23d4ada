import { describe, expect, it } from 'vitest';
import { SessionPool } from '../../../experiments/calibrate/index.ts';
import { inProcessSessions, simulatedSession, type SessionJob } from '../../../simulator/calibration/index.ts';

describe('SessionPool', () => {
  it('returns the same headlines, in the jobs\' order, as this thread, for more jobs than workers', async () => {
    const jobs: SessionJob[] = [];
    for (const market of ['default', 'large-tick', 'calm']) for (const seed of [1, 2]) jobs.push({ spec: { name: market, sessionSeconds: 23400 }, seed, options: { seconds: 90, levels: seed } });
    const here = await inProcessSessions(jobs);
    const pool = new SessionPool(2);
    try {
      expect(await pool.run(jobs)).toEqual(here);
      // Whole sessions (the samples `realism` compares, typed arrays included) are this thread's too.
      const whole = await pool.runSessions(jobs.slice(0, 3));
      expect(whole).toEqual(jobs.slice(0, 3).map((j) => simulatedSession(j.spec, j.seed, j.options)));
      expect(whole[0].spreads1s).toBeInstanceOf(Float64Array);
      // Reused for a second batch; an empty batch is empty.
      expect(await pool.run(jobs.slice(0, 1))).toEqual(here.slice(0, 1));
      expect(await pool.run([])).toEqual([]);
      // A failing session rejects its batch with the worker's message; the pool stays usable.
      await expect(pool.run([jobs[0], { spec: { sessionSeconds: -1 }, seed: 1, options: {} }])).rejects.toThrow(/session 1 failed in a worker: MarketConfigError: [^]*sessionSeconds/);
      // The failed batch's other session finishes later and is dropped; the next batch gets its own results.
      expect(await pool.run(jobs)).toEqual(here);
    } finally {
      await pool.close();
    }
    await expect(pool.run(jobs)).rejects.toThrow(/closed/);
    expect(() => new SessionPool(0)).toThrow(/integer number of workers >= 1, got 0/);
    expect(() => new SessionPool(1.5)).toThrow(/got 1.5/);
  });
});
