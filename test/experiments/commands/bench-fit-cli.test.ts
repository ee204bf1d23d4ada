/**
 * `execution-gym bench fit` on a short day: it fits, times both sweeps (which must agree bit for
 * bit, or it throws) and refuses bad options. Only the figures' shape is checked: tests never
 * assert on time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../cli-capture.ts';

afterEach(() => vi.restoreAllMocks());

describe('execution-gym bench fit', () => {
  it('fits a day of 2-D market orders and times the fast and the general EM sweep', async () => {
    const { stdout } = await runCli(['bench', 'fit', '--seconds', '2000', '--repeats', '1', '--json']);
    const r = JSON.parse(stdout) as Record<string, number>;
    // 2 × 0.17/s over 2000 s at branching 0.58: about 810 events.
    expect(r.events).toBeGreaterThan(400);
    expect(r.branching).toBeGreaterThan(0);
    expect(r.branching).toBeLessThan(1);
    for (const k of ['fitMs', 'iterationMs', 'generalIterationMs', 'speedup']) expect(Number.isFinite(r[k]) && r[k] > 0).toBe(true);
  });

  it('refuses bad options, naming the value', async () => {
    await expect(runCli(['bench', 'fit', '--seconds', '10'])).rejects.toThrow(/--seconds must be a number >= 600, got 10/);
    await expect(runCli(['bench', 'fit', '--repeats', '0'])).rejects.toThrow(/--repeats must be an integer >= 1, got 0/);
  });
});
