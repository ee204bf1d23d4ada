/**
 * IntMap: an open-addressing hash map from positive integer keys (< 2^53) to int32 values, the
 * id -> slot and page -> page tables of the fast book (order-book.ts).
 *
 * Layout: `keys` (Float64Array, 0 = empty) and `vals` (Int32Array) of a power-of-two capacity,
 * kept at most half full. Fibonacci hashing of the key's two 32-bit halves picks the home slot;
 * collisions probe linearly; deletion shifts the following run back (no tombstones), so lookups
 * stay short however many keys come and go. Nothing is allocated except when the table doubles.
 */

/** `get` of an absent key. */
export const NONE = -1;

/** Open-addressing hash map from positive integer keys (< 2^53) to int32 values. Key 0 = empty. */
export class IntMap {
  keys: Float64Array;
  vals: Int32Array;
  mask: number;
  shift: number;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity) c *= 2;
    this.keys = new Float64Array(c);
    this.vals = new Int32Array(c);
    this.mask = c - 1;
    this.shift = Math.clz32(c) + 1;
  }

  /** Home slot: Fibonacci hashing, taking the top bits of the product (good for any key stride). */
  private home(key: number): number {
    return Math.imul((key >>> 0) ^ ((key / 4294967296) >>> 0), 0x9e3779b1) >>> this.shift;
  }

  get(key: number): number {
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(key);
    for (;;) {
      const k = keys[i];
      if (k === key) return this.vals[i];
      if (k === 0) return NONE;
      i = (i + 1) & mask;
    }
  }

  /** Inserts a key known to be absent. */
  insert(key: number, val: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = this.mask;
    let i = this.home(key);
    while (keys[i] !== 0) i = (i + 1) & mask;
    keys[i] = key;
    this.vals[i] = val;
    this.size++;
  }

  /** Removes a key known to be present (backward-shift deletion: no tombstones). */
  remove(key: number): void {
    const keys = this.keys;
    const vals = this.vals;
    const mask = this.mask;
    let i = this.home(key);
    while (keys[i] !== key) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = keys[j];
      if (k === 0) break;
      const home = this.home(k);
      // Move k back into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        keys[i] = k;
        vals[i] = vals[j];
        i = j;
      }
    }
    keys[i] = 0;
    this.size--;
  }

  private grow(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    const c = oldK.length * 2;
    this.keys = new Float64Array(c);
    this.vals = new Int32Array(c);
    this.mask = c - 1;
    this.shift = Math.clz32(c) + 1;
    this.size = 0;
    for (let i = 0; i < oldK.length; i++) if (oldK[i] !== 0) this.insert(oldK[i], oldV[i]);
  }
}
