import { describe, expect, it } from 'vitest';
import { MultiDiscrete, SpaceError, spaceFromJSON } from '../../../env/spaces/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('MultiDiscrete', () => {
  it('contains integer vectors within each range', () => {
    const m = new MultiDiscrete([2, 3], [0, -1]);
    expect(m.contains([1, 1])).toBe(true);
    expect(m.contains(new Int32Array([0, -1]))).toBe(true);
    expect(m.contains([2, 0])).toBe(false);
    expect(m.contains([0, 0.5])).toBe(false);
    expect(m.contains([0])).toBe(false);
    expect(m.explain([0, 2])).toMatch(/element 1 = 2 is not an integer in \[-1, 1\]/);
  });

  it('rejects bad construction', () => {
    expect(() => new MultiDiscrete([])).toThrow(SpaceError);
    expect(() => new MultiDiscrete([2, 0])).toThrow(/nvec\[1\]/);
    expect(() => new MultiDiscrete([2], [0, 0])).toThrow(/start/);
  });

  it('samples inside, seeded, and round-trips through JSON', () => {
    const m = new MultiDiscrete([2, 5, 7]);
    const rng = Rng.fromSeed(2, 'test');
    for (let i = 0; i < 500; i++) expect(m.contains(m.sample(rng))).toBe(true);
    m.seed(4);
    const a = m.sample();
    m.seed(4);
    expect(m.sample()).toEqual(a);
    expect(spaceFromJSON(m.toJSON()).toJSON()).toEqual(m.toJSON());
  });
});
