import { describe, expect, it } from 'vitest';
import { Discrete, SpaceError, spaceFromJSON } from '../../../env/spaces/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('Discrete', () => {
  it('contains integers in [start, start + n)', () => {
    const d = new Discrete(3, -1);
    expect(d.contains(-1)).toBe(true);
    expect(d.contains(1)).toBe(true);
    expect(d.contains(2)).toBe(false);
    expect(d.contains(0.5)).toBe(false);
    expect(d.contains(NaN)).toBe(false);
    expect(d.contains('0')).toBe(false);
    expect(d.explain(5)).toMatch(/integer in \[-1, 1\], got 5/);
  });

  it('rejects bad construction', () => {
    expect(() => new Discrete(0)).toThrow(SpaceError);
    expect(() => new Discrete(2.5)).toThrow(/got 2.5/);
    expect(() => new Discrete(2, 0.5)).toThrow(/start/);
  });

  it('samples every value with probability 1/n (counts within 4 sd)', () => {
    const d = new Discrete(4, 10);
    const rng = Rng.fromSeed(5, 'test');
    const counts = [0, 0, 0, 0];
    const n = 8000;
    for (let i = 0; i < n; i++) {
      const x = d.sample(rng);
      expect(d.contains(x)).toBe(true);
      counts[x - 10]++;
    }
    const sd = Math.sqrt(n * 0.25 * 0.75);
    for (const c of counts) expect(Math.abs(c - n / 4)).toBeLessThan(4 * sd);
  });

  it('is seeded and round-trips through JSON', () => {
    const d = new Discrete(100);
    d.seed(9);
    const a = [d.sample(), d.sample(), d.sample()];
    d.seed(9);
    expect([d.sample(), d.sample(), d.sample()]).toEqual(a);
    expect(spaceFromJSON(d.toJSON()).toJSON()).toEqual({ type: 'Discrete', n: 100, start: 0 });
  });
});
