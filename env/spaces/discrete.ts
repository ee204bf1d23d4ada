/** Discrete(n, start): the integers {start, ..., start + n - 1}. Values are plain numbers. */
import type { Rng } from '../../simulator/random/index.ts';
import { type Space, SpaceError, spaceRng, show } from './space.ts';

export class Discrete implements Space<number> {
  readonly shape: readonly number[] = Object.freeze([]);
  readonly n: number;
  readonly start: number;
  private rng: Rng = spaceRng(0);

  /** @throws SpaceError unless n is a positive integer and start a safe integer. */
  constructor(n: number, start = 0) {
    if (!Number.isSafeInteger(n) || n < 1) throw new SpaceError(`Discrete n must be a positive integer, got ${show(n)}`);
    if (!Number.isSafeInteger(start)) throw new SpaceError(`Discrete start must be an integer, got ${show(start)}`);
    this.n = n;
    this.start = start;
  }

  seed(seed: number): void {
    this.rng = spaceRng(seed);
  }

  sample(rng?: Rng): number {
    return (rng ?? this.rng).int(this.start, this.start + this.n - 1);
  }

  contains(value: unknown): boolean {
    return typeof value === 'number' && Number.isInteger(value) && value >= this.start && value < this.start + this.n;
  }

  explain(value: unknown): string | null {
    if (this.contains(value)) return null;
    return `expected an integer in [${this.start}, ${this.start + this.n - 1}], got ${show(value)}`;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Discrete', n: this.n, start: this.start };
  }
}
