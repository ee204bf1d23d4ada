import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, SpaceError, spaceFromJSON } from '../../../env/spaces/index.ts';

describe('Dict', () => {
  const make = (): Dict => new Dict({ z: new Discrete(3), a: new Box(0, 1, [2]) });

  it('sorts keys and checks each entry', () => {
    const d = make();
    expect(d.keys).toEqual(['a', 'z']);
    expect(d.contains({ a: [0.5, 0.5], z: 2 })).toBe(true);
    expect(d.contains({ a: [0.5, 0.5], z: 3 })).toBe(false);
    expect(d.contains({ a: [0.5, 0.5] })).toBe(false);
    expect(d.contains({ a: [0.5, 0.5], z: 1, extra: 0 })).toBe(false);
    expect(d.contains([1, 2])).toBe(false);
  });

  it('rejects bad construction', () => {
    expect(() => new Dict({})).toThrow(SpaceError);
    expect(() => new Dict({ a: 3 as never })).toThrow(/'a' is not a space/);
  });

  it('samples inside, seeded, and round-trips through JSON', () => {
    const d = make();
    d.seed(11);
    const a = d.sample();
    expect(d.contains(a)).toBe(true);
    d.seed(11);
    expect(d.sample()).toEqual(a);
    expect(spaceFromJSON(JSON.parse(JSON.stringify(d.toJSON()))).toJSON()).toEqual(d.toJSON());
  });
});
