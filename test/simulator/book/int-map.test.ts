import { describe, expect, it } from 'vitest';
import { IntMap } from '../../../simulator/book/int-map.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('IntMap (id -> slot table of the fast book)', () => {
  it('matches a Map under random inserts and removes, with sequential, strided and huge keys', () => {
    const rng = Rng.fromSeed(3, 'int-map');
    const m = new IntMap(16);
    const ref = new Map<number, number>();
    const keys: number[] = [];
    let next = 1;
    for (let step = 0; step < 60_000; step++) {
      if (keys.length === 0 || rng.bernoulli(0.55)) {
        const kind = rng.int(0, 2);
        const key = kind === 0 ? next++ : kind === 1 ? 4096 * next++ : 2 ** 40 + 65536 * next++;
        const val = rng.int(0, 1_000_000);
        m.insert(key, val);
        ref.set(key, val);
        keys.push(key);
      } else {
        const i = rng.int(0, keys.length - 1);
        const key = keys[i];
        keys[i] = keys[keys.length - 1];
        keys.pop();
        m.remove(key);
        ref.delete(key);
        expect(m.get(key)).toBe(-1);
      }
      if (step % 1000 === 0) {
        expect(m.size).toBe(ref.size);
        for (const [k, v] of ref) if (m.get(k) !== v) expect.fail(`key ${k}: got ${m.get(k)}, expected ${v}`);
      }
    }
    expect(m.get(123_456_789)).toBe(-1);
  });
});
