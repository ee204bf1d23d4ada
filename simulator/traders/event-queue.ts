/**
 * A binary min-heap of scheduled events in typed arrays (the traders' wake-ups).
 *
 * Layout: parallel columns `time` (Float64, simulated seconds), `key` (Int32: what to run,
 * `kind << 8 | index`) and `seq` (Float64: insertion counter). Order: by time, then by `seq`, so
 * two events at the same time run in the order they were scheduled (deterministic tie-break).
 * Invariant: for every i > 0, entry (i − 1) >> 1 is not after entry i. Grows by doubling;
 * push/pop allocate nothing once grown. Cancellation is lazy: the owner of an event keeps the time
 * it expects and ignores a popped event whose time does not match (see `MarketMakers`).
 */
import { grownColumn } from '../book/index.ts';

export class EventQueue {
  private time: Float64Array;
  private key: Int32Array;
  private seq: Float64Array;
  private n = 0;
  private counter = 0;

  constructor(capacity = 64) {
    this.time = new Float64Array(capacity);
    this.key = new Int32Array(capacity);
    this.seq = new Float64Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
    this.counter = 0;
  }

  /** Time of the earliest event, or +Infinity when empty. */
  peekTime(): number {
    return this.n === 0 ? Infinity : this.time[0];
  }

  /** Key of the earliest event (undefined behaviour when empty). */
  peekKey(): number {
    return this.key[0];
  }

  push(time: number, key: number): void {
    if (this.n === this.time.length) this.grow();
    const s = this.counter++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] < time || (this.time[p] === time && this.seq[p] < s)) break;
      this.time[i] = this.time[p];
      this.key[i] = this.key[p];
      this.seq[i] = this.seq[p];
      i = p;
    }
    this.time[i] = time;
    this.key[i] = key;
    this.seq[i] = s;
  }

  /** Removes the earliest event and returns its key (read `peekTime()` before if needed). */
  pop(): number {
    const top = this.key[0];
    const n = --this.n;
    if (n > 0) {
      const t = this.time[n];
      const k = this.key[n];
      const s = this.seq[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        const r = c + 1;
        if (r < n && (this.time[r] < this.time[c] || (this.time[r] === this.time[c] && this.seq[r] < this.seq[c]))) c = r;
        if (t < this.time[c] || (t === this.time[c] && s < this.seq[c])) break;
        this.time[i] = this.time[c];
        this.key[i] = this.key[c];
        this.seq[i] = this.seq[c];
        i = c;
      }
      this.time[i] = t;
      this.key[i] = k;
      this.seq[i] = s;
    }
    return top;
  }

  private grow(): void {
    const cap = this.time.length * 2;
    this.time = grownColumn(this.time, cap);
    this.key = grownColumn(this.key, cap);
    this.seq = grownColumn(this.seq, cap);
  }
}
