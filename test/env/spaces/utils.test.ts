import { describe, expect, it } from 'vitest';
import { Box, Dict, Discrete, MultiDiscrete, SpaceError, explain, flatDim, flatten, flattenSpace, spaceFromJSON } from '../../../env/spaces/index.ts';

describe('space utils', () => {
  const d = new Dict({ pos: new Box([-1, -2], [1, 2]), k: new Discrete(3, 1), m: new MultiDiscrete([2, 2]) });

  it('flattens Box as is, Discrete and MultiDiscrete one-hot, Dict keys in sorted order', () => {
    expect(flatDim(d)).toBe(3 + 4 + 2);
    const f = flatten(d, { pos: [0.5, -1], k: 2, m: [1, 0] });
    // keys sorted: k, m, pos
    expect(Array.from(f)).toEqual([0, 1, 0, 0, 1, 1, 0, 0.5, -1]);
    const fs = flattenSpace(d);
    expect(fs.contains(f)).toBe(true);
    expect(Array.from(fs.low)).toEqual([0, 0, 0, 0, 0, 0, 0, -1, -2]);
    expect(Array.from(fs.high)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('flattenSpace of a 2-d Box is its 1-d version', () => {
    const b = new Box(0, 1, [2, 2]);
    expect(flattenSpace(b).shape).toEqual([4]);
  });

  it('explains why a value is outside a space', () => {
    expect(explain(d, { pos: [0, 0], k: 1, m: [0, 0] })).toBeNull();
    expect(explain(d, { pos: [0, 3], k: 1, m: [0, 0] })).toMatch(/^pos: element 1 = 3/);
    expect(explain(d, { pos: [0, 0], k: 1 })).toMatch(/missing key 'm'/);
    expect(explain(d, { pos: [0, 0], k: 1, m: [0, 0], q: 1 })).toMatch(/unexpected key 'q'/);
  });

  it('spaceFromJSON rejects unknown descriptions with a SpaceError', () => {
    expect(() => spaceFromJSON({ type: 'Tuple' })).toThrow(SpaceError);
    expect(() => spaceFromJSON(null)).toThrow(/must be an object/);
    expect(() => spaceFromJSON({ type: 'Box', low: ['x'], high: [1], shape: [1] })).toThrow(/low\[0\]/);
  });
});
