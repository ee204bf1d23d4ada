import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../../simulator/traders/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('EventQueue', () => {
  it('pops in time order, ties in scheduling order, matching a sorted reference', () => {
    const q = new EventQueue(2);
    const rng = Rng.fromSeed(1, 'queue');
    const ref: { t: number; k: number; s: number }[] = [];
    let seq = 0;
    for (let round = 0; round < 50; round++) {
      const pushes = rng.int(0, 40);
      for (let i = 0; i < pushes; i++) {
        // Coarse times so that ties are frequent.
        const t = rng.int(0, 20);
        const k = rng.int(0, 1 << 20);
        q.push(t, k);
        ref.push({ t, k, s: seq++ });
      }
      ref.sort((a, b) => a.t - b.t || a.s - b.s);
      const pops = rng.int(0, ref.length);
      for (let i = 0; i < pops; i++) {
        const e = ref.shift()!;
        expect(q.peekTime()).toBe(e.t);
        expect(q.pop()).toBe(e.k);
      }
      expect(q.size).toBe(ref.length);
    }
  });

  it('is empty with +Infinity as its next time', () => {
    const q = new EventQueue();
    expect(q.peekTime()).toBe(Infinity);
    q.push(1, 5);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
  });
});
