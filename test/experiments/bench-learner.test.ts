/** `bench learner`'s pieces: the list flags, the tables (fastest per row), the timing loop and its cap. */
import { describe, expect, it } from 'vitest';
import { intList, learnerTables, type LearnerCell } from '../../experiments/commands/bench-learner.ts';
import { benchLearner } from '../../experiments/learner-bench.ts';
import { initBackend } from '../../agents/nn/index.ts';

describe('bench learner', () => {
  it('parses comma-separated integer lists and names the flag when one is bad', () => {
    expect(intList('--batches', '64, 512,4096')).toEqual([64, 512, 4096]);
    expect(() => intList('--batches', '64,abc')).toThrow('--batches must be a comma-separated list of integers in [1, 1048576], got "64,abc"');
    expect(() => intList('--hidden', '0', 4096)).toThrow(/--hidden .* \[1, 4096\], got "0"/);
    expect(() => intList('--hidden', '', 4096)).toThrow(/--hidden/);
  });

  it('tabulates wall / CPU ms per backend and names the fastest by wall time', () => {
    const cells: LearnerCell[] = [
      { backend: 'wasm', algo: 'ppo', batch: 64, hidden: 64, ms: 25.04, cpuMs: 20, reps: 3 },
      { backend: 'webgpu', algo: 'ppo', batch: 64, hidden: 64, ms: 250, cpuMs: 10, reps: 3 },
      { backend: 'webgpu', algo: 'ppo', batch: 4096, hidden: 64, ms: 40, cpuMs: 10, reps: 3 },
    ];
    const t = learnerTables(cells, ['wasm', 'webgpu']).split('\n');
    expect(t[1]).toBe('| hidden | batch | wasm | webgpu | fastest |');
    expect(t[3]).toBe('| 64 | 64 | 25.0 / 20.0 | 250 / 10.0 | wasm |');
    expect(t[4]).toBe('| 64 | 4096 | – | 40.0 / 10.0 | webgpu |');
    expect(t.some((l) => l.startsWith('SAC'))).toBe(false);
  });

  it('times each cell after a warm-up and skips larger batches once a step exceeds the cap', { timeout: 120_000 }, async () => {
    await initBackend('wasm');
    const seen: string[] = [];
    const out = await benchLearner(
      { batches: [16, 8], hidden: [4], algos: ['ppo', 'sac'] },
      { minMs: 0, minReps: 2, maxReps: 2, capMs: 0, onSkip: (a, h, b) => seen.push(`${a}/${h}/${b}`) },
    );
    // Increasing batch order; with a cap of 0 ms the first cell of each width already exceeds it.
    expect(out.map((c) => `${c.algo}/${c.hidden}/${c.batch}`)).toEqual(['ppo/4/8', 'sac/4/8']);
    expect(seen).toEqual(['ppo/4/16', 'sac/4/16']);
    for (const c of out) {
      expect(c.reps).toBe(2);
      expect(c.ms).toBeGreaterThan(0);
      expect(c.cpuMs).toBeGreaterThanOrEqual(0);
    }
  });
});
