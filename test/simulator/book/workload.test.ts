import { describe, expect, it } from 'vitest';
import { runBookWorkload } from '../../../simulator/book/index.ts';

describe('bench book workload', () => {
  it('holds a realistic steady state with the intended mix, and is deterministic', () => {
    const N = 200_000;
    const r = runBookWorkload({ messages: N, seed: 7, validate: true });
    // Market orders are exactly Bernoulli(0.15) per message: 4 standard deviations.
    const sd = Math.sqrt((0.15 * 0.85) / N);
    expect(Math.abs(r.markets / N - 0.15)).toBeLessThan(4 * sd);
    expect(r.limits + r.cancels + r.markets).toBe(N);
    // Limits and cancels balance around the target of 4,000 resting orders (45% / 40% at target).
    expect(r.limits / N).toBeGreaterThan(0.4);
    expect(r.limits / N).toBeLessThan(0.5);
    expect(r.meanRestingOrders).toBeGreaterThan(2000);
    expect(r.meanRestingOrders).toBeLessThan(8000);
    expect(r.meanLevelsPerSide).toBeGreaterThan(50);
    expect(r.meanLevelsPerSide).toBeLessThan(200);
    expect(r.fills).toBeGreaterThan(0);
    expect(r.messagesPerSecond).toBeGreaterThan(0);
    const again = runBookWorkload({ messages: 20_000, seed: 7 });
    const twice = runBookWorkload({ messages: 20_000, seed: 7 });
    expect([again.fills, again.restingOrders, again.midEnd, again.cancels]).toEqual([twice.fills, twice.restingOrders, twice.midEnd, twice.cancels]);
  });

  it('rejects a bad message count', () => {
    expect(() => runBookWorkload({ messages: 0, seed: 1 })).toThrow(/messages must be a positive integer, got 0/);
  });
});
