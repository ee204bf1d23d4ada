import { describe, expect, it } from 'vitest';
import { Box, SpaceError, spaceFromJSON } from '../../../env/spaces/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('Box', () => {
  it('broadcasts scalar bounds and infers the shape from array bounds', () => {
    const b = new Box(-1, 2, [2, 3]);
    expect(b.size).toBe(6);
    expect(Array.from(b.low)).toEqual([-1, -1, -1, -1, -1, -1]);
    const c = new Box([0, 1], [1, 5]);
    expect(c.shape).toEqual([2]);
    expect(Array.from(c.high)).toEqual([1, 5]);
  });

  it('rejects bad construction with a SpaceError naming the value', () => {
    expect(() => new Box(1, 0, [1])).toThrow(SpaceError);
    expect(() => new Box(1, 0, [1])).toThrow(/low\[0\] = 1 must be <= high\[0\] = 0/);
    expect(() => new Box(NaN, 1, [1])).toThrow(/NaN/);
    expect(() => new Box(0, 1, [0])).toThrow(/positive integers, got \[0\]/);
    expect(() => new Box(0, 1, [1.5])).toThrow(SpaceError);
    expect(() => new Box(0, 1)).toThrow(/needs a shape/);
    expect(() => new Box([0, 0], [1, 1, 1])).toThrow(/length 3, expected 2/);
    expect(() => new Box(0, 1, [1], 'int8' as never)).toThrow(/dtype/);
    expect(() => new Box(Infinity, Infinity, [1])).toThrow(SpaceError);
  });

  it('contains checks type, length, bounds and finiteness', () => {
    const b = new Box([0, -Infinity], [1, Infinity]);
    expect(b.contains(new Float64Array([0.5, -1e300]))).toBe(true);
    expect(b.contains([1, 3])).toBe(true);
    expect(b.contains(new Float32Array([0, 0]))).toBe(true);
    expect(b.contains(new Float64Array([1.0000001, 0]))).toBe(false);
    expect(b.contains(new Float64Array([NaN, 0]))).toBe(false);
    expect(b.contains(new Float64Array([0, Infinity]))).toBe(false);
    expect(b.contains(new Float64Array([0]))).toBe(false);
    expect(b.contains(0.5)).toBe(false);
    expect(b.contains(['0', 0])).toBe(false);
    expect(b.explain(new Float64Array([2, 0]))).toMatch(/element 0 = 2 is outside \[0, 1\]/);
  });

  it('samples inside the space, seeded, for every kind of bound', () => {
    const b = new Box([0, 0, -Infinity, -Infinity], [1, Infinity, 0, Infinity], [4], 'float32');
    b.seed(7);
    const first = b.sample();
    b.seed(7);
    expect(b.sample()).toEqual(first);
    const rng = Rng.fromSeed(1, 'test');
    for (let i = 0; i < 2000; i++) {
      const x = b.sample(rng);
      expect(b.contains(x)).toBe(true);
      for (let j = 0; j < 4; j++) expect(Math.fround(x[j])).toBe(x[j]);
    }
  });

  it('samples uniformly on bounded dimensions (mean within 4 sd)', () => {
    const b = new Box(2, 6, [1]);
    const rng = Rng.fromSeed(3, 'test');
    const n = 20000;
    let s = 0;
    for (let i = 0; i < n; i++) s += b.sample(rng)[0];
    // Uniform(2, 6): mean 4, sd 4/sqrt(12).
    expect(Math.abs(s / n - 4)).toBeLessThan((4 * (4 / Math.sqrt(12))) / Math.sqrt(n));
  });

  it('round-trips through JSON, infinite bounds included', () => {
    const b = new Box([0, -Infinity], [1, Infinity], [2], 'float32');
    const j = JSON.parse(JSON.stringify(b.toJSON()));
    expect(j.low).toEqual([0, '-inf']);
    const c = spaceFromJSON(j) as Box;
    expect(c).toBeInstanceOf(Box);
    expect(c.toJSON()).toEqual(b.toJSON());
    expect(c.isBounded()).toBe(false);
  });
});
