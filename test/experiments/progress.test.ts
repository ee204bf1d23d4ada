import { describe, expect, it } from 'vitest';
import { estimate, formatDuration, formatRate, terminalPhases } from '../../experiments/progress.ts';

/** A fake log stream (not a terminal) that keeps the lines. */
function logStream(): { stream: NodeJS.WriteStream; lines: string[] } {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => (lines.push(...s.split('\n').filter((l) => l.length > 0)), true) } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

describe('progress', () => {
  it('formats durations in whole seconds (never 1m60s) and rates with grouping', () => {
    expect(formatDuration(59.6)).toBe('1m00s');
    expect(formatDuration(119.7)).toBe('2m00s');
    expect(formatDuration(42.2)).toBe('42s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(-1)).toBe('?');
    expect(formatRate(2390.4, 'steps')).toBe('2,390 steps/s');
    expect(formatRate(3.14159, 'episodes')).toBe('3.14 episodes/s');
  });

  it('gives no ETA before 3 items, 2% of the total and 2 s', () => {
    expect(estimate(1, 200, 30)).toBeUndefined();
    expect(estimate(3, 1000, 30)).toBeUndefined();
    expect(estimate(50, 100, 1)).toBeUndefined();
    expect(estimate(50, 100, 10)).toEqual({ eta: 10, rate: 5 });
  });

  it('in a log: the true share done every interval, never a negative ETA, counted from a resumed start', async () => {
    let t = 0;
    const { stream, lines } = logStream();
    const phase = await terminalPhases(stream, { intervalSeconds: 10, now: () => t })('train', 4096, 'steps', 1024);
    t = 5;
    phase.update(2048);
    t = 12;
    phase.update(3072);
    t = 30;
    phase.update(4096);
    phase.stop('ok');
    expect(lines[0]).toBe('train: 1024/4096 steps');
    // 2048 of the 3072 to do in 12 s: 170.7 steps/s, 1024 left: 6 s.
    expect(lines[1]).toBe('train: 3072/4096 steps (75.0%), 12s elapsed, ETA 6s, 171 steps/s');
    expect(lines[2]).toBe('train: done, 4096 steps in 30s | ok');
    expect(lines.length).toBe(3);
  });
});
