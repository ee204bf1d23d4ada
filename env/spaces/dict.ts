/**
 * Dict: a record of named sub-spaces. Keys are sorted (as Gymnasium does for plain dicts) so the
 * flattened order is stable. Values are plain objects with exactly those keys.
 */
import { type Rng, deriveSeed } from '../../simulator/random/index.ts';
import { type Space, SpaceError, spaceRng, show } from './space.ts';

export class Dict implements Space<Record<string, unknown>> {
  readonly shape: readonly number[] = Object.freeze([]);
  readonly spaces: Readonly<Record<string, Space<unknown>>>;
  /** Sorted keys. */
  readonly keys: readonly string[];
  private rng: Rng = spaceRng(0);

  /** @throws SpaceError unless `spaces` is a non-empty record of spaces. */
  constructor(spaces: Record<string, Space<unknown>>) {
    if (typeof spaces !== 'object' || spaces === null || Array.isArray(spaces)) throw new SpaceError(`Dict needs a record of spaces, got ${show(spaces)}`);
    const keys = Object.keys(spaces).sort();
    if (keys.length === 0) throw new SpaceError('Dict needs at least one sub-space');
    const copy: Record<string, Space<unknown>> = {};
    for (const k of keys) {
      const s = spaces[k] as Partial<Space<unknown>> | undefined;
      if (s === undefined || s === null || typeof s.sample !== 'function' || typeof s.contains !== 'function' || typeof s.toJSON !== 'function') {
        throw new SpaceError(`Dict entry '${k}' is not a space: ${show(s)}`);
      }
      copy[k] = s as Space<unknown>;
    }
    this.keys = Object.freeze(keys);
    this.spaces = Object.freeze(copy);
  }

  /** Seeds this space and each sub-space with a distinct derived stream. */
  seed(seed: number): void {
    this.rng = spaceRng(seed);
    for (let i = 0; i < this.keys.length; i++) this.spaces[this.keys[i]].seed(deriveSeed(seed, `dict/${this.keys[i]}`));
  }

  sample(rng?: Rng): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys) out[k] = this.spaces[k].sample(rng ?? this.rng);
    return out;
  }

  contains(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
    const v = value as Record<string, unknown>;
    const vk = Object.keys(v);
    if (vk.length !== this.keys.length) return false;
    for (const k of this.keys) if (!(k in v) || !this.spaces[k].contains(v[k])) return false;
    return true;
  }

  toJSON(): Record<string, unknown> {
    const spaces: Record<string, unknown> = {};
    for (const k of this.keys) spaces[k] = this.spaces[k].toJSON();
    return { type: 'Dict', spaces };
  }
}
