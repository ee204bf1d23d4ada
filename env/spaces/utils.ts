/**
 * Space utilities (Gymnasium's `spaces.utils`): flat dimensions, flattening values into a
 * Float64Array (Discrete and MultiDiscrete one-hot, as Gymnasium), the flattened Box, rebuilding
 * a space from its JSON description, and `explain` for error messages.
 */
import { type Space, SpaceError, show } from './space.ts';
import { Box, boundsFromJSON, type BoxDtype } from './box.ts';
import { Discrete } from './discrete.ts';
import { MultiDiscrete } from './multi-discrete.ts';
import { Dict } from './dict.ts';

/** Length of the flattened value (Discrete: n; MultiDiscrete: sum(nvec); Dict: sum of parts). */
export function flatDim(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return space.n;
  if (space instanceof MultiDiscrete) return space.nvec.reduce((a, b) => a + b, 0);
  if (space instanceof Dict) return space.keys.reduce((a, k) => a + flatDim(space.spaces[k]), 0);
  throw new SpaceError(`cannot flatten an unknown space: ${show(space.toJSON())}`);
}

/**
 * Writes the flattened `value` into `out` at `offset` and returns the next offset.
 * Box: copied; Discrete: one-hot; MultiDiscrete: concatenated one-hots; Dict: keys in sorted order.
 */
export function flattenInto(space: Space<unknown>, value: unknown, out: Float64Array, offset = 0): number {
  if (space instanceof Box) {
    const v = value as ArrayLike<number>;
    for (let i = 0; i < space.size; i++) out[offset + i] = v[i];
    return offset + space.size;
  }
  if (space instanceof Discrete) {
    out.fill(0, offset, offset + space.n);
    out[offset + (value as number) - space.start] = 1;
    return offset + space.n;
  }
  if (space instanceof MultiDiscrete) {
    const v = value as ArrayLike<number>;
    let o = offset;
    for (let i = 0; i < space.nvec.length; i++) {
      out.fill(0, o, o + space.nvec[i]);
      out[o + v[i] - space.start[i]] = 1;
      o += space.nvec[i];
    }
    return o;
  }
  if (space instanceof Dict) {
    let o = offset;
    const v = value as Record<string, unknown>;
    for (const k of space.keys) o = flattenInto(space.spaces[k], v[k], out, o);
    return o;
  }
  throw new SpaceError(`cannot flatten an unknown space: ${show(space.toJSON())}`);
}

/** A new Float64Array holding the flattened value. */
export function flatten(space: Space<unknown>, value: unknown): Float64Array {
  const out = new Float64Array(flatDim(space));
  flattenInto(space, value, out, 0);
  return out;
}

/** The Box of flattened values (one-hot parts in [0, 1]). */
export function flattenSpace(space: Space<unknown>): Box {
  if (space instanceof Box) return space.shape.length === 1 ? space : new Box(space.low, space.high, [space.size], space.dtype);
  const n = flatDim(space);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  fillBounds(space, low, high, 0);
  return new Box(low, high, [n], 'float64');
}

function fillBounds(space: Space<unknown>, low: Float64Array, high: Float64Array, offset: number): number {
  if (space instanceof Box) {
    low.set(space.low, offset);
    high.set(space.high, offset);
    return offset + space.size;
  }
  if (space instanceof Dict) {
    let o = offset;
    for (const k of space.keys) o = fillBounds(space.spaces[k], low, high, o);
    return o;
  }
  const n = flatDim(space);
  low.fill(0, offset, offset + n);
  high.fill(1, offset, offset + n);
  return offset + n;
}

/** Why `value` is not an element of `space`, or null when it is. */
export function explain(space: Space<unknown>, value: unknown): string | null {
  if (space instanceof Box || space instanceof Discrete || space instanceof MultiDiscrete) return space.explain(value);
  if (space instanceof Dict) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return `expected an object with keys ${space.keys.join(', ')}, got ${show(value)}`;
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v)) if (!space.keys.includes(k)) return `unexpected key '${k}' (allowed: ${space.keys.join(', ')})`;
    for (const k of space.keys) {
      if (!(k in v)) return `missing key '${k}'`;
      const why = explain(space.spaces[k], v[k]);
      if (why !== null) return `${k}: ${why}`;
    }
    return null;
  }
  return space.contains(value) ? null : `${show(value)} is not in ${show(space.toJSON())}`;
}

/** Rebuilds a space from `toJSON()` output. @throws SpaceError on an unknown or malformed description. */
export function spaceFromJSON(json: unknown): Space<unknown> {
  if (typeof json !== 'object' || json === null) throw new SpaceError(`space JSON must be an object, got ${show(json)}`);
  const j = json as Record<string, unknown>;
  switch (j.type) {
    case 'Box':
      return new Box(boundsFromJSON(j.low, 'low'), boundsFromJSON(j.high, 'high'), j.shape as number[], (j.dtype ?? 'float64') as BoxDtype);
    case 'Discrete':
      return new Discrete(j.n as number, (j.start ?? 0) as number);
    case 'MultiDiscrete':
      return new MultiDiscrete(j.nvec as number[], j.start as number[] | undefined);
    case 'Dict': {
      const sp = j.spaces;
      if (typeof sp !== 'object' || sp === null) throw new SpaceError(`Dict JSON needs 'spaces', got ${show(sp)}`);
      const out: Record<string, Space<unknown>> = {};
      for (const [k, v] of Object.entries(sp)) out[k] = spaceFromJSON(v);
      return new Dict(out);
    }
    default:
      throw new SpaceError(`unknown space type ${show(j.type)} (allowed: Box, Discrete, MultiDiscrete, Dict)`);
  }
}
