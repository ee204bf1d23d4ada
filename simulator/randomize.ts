/**
 * Domain randomization: turns a randomizable `MarketSpec` into concrete `MarketParams` for one
 * episode, drawing every distribution from the given stream (the episode's `randomize` stream).
 *
 * Fields are visited in the schema's declaration order, one draw per distribution field (two for
 * `normal` when the polar method needs them), so the same stream position gives the same
 * parameters. Integer fields round their draw to the nearest integer; `normal` is clipped to
 * [min, max]; `choice` picks one value uniformly.
 */
import { z } from 'zod';
import { MarketSpecSchema, numRangeOf, unwrapSchema } from '../configs/index.ts';
import type { Concrete, Distribution, MarketParams, MarketSpec, NumParam } from '../configs/index.ts';
import type { Rng } from './random/index.ts';

/** Draws one value of a randomizable numeric field (`integer` rounds the draw). */
export function sampleParam(p: NumParam, rng: Rng, integer = false): number {
  if (typeof p === 'number') return p;
  const d = p as Distribution;
  let v: number;
  if ('uniform' in d) v = rng.uniform(d.uniform[0], d.uniform[1]);
  else if ('loguniform' in d) v = Math.exp(rng.uniform(Math.log(d.loguniform[0]), Math.log(d.loguniform[1])));
  else if ('normal' in d) v = Math.min(d.normal.max, Math.max(d.normal.min, rng.normal(d.normal.mean, d.normal.sd)));
  else v = d.choice[rng.int(0, d.choice.length - 1)];
  return integer ? Math.round(v) : v;
}

function walk(schema: z.ZodType, value: unknown, rng: Rng): unknown {
  const range = numRangeOf(schema);
  if (range !== undefined) return sampleParam(value as NumParam, rng, range.integer);
  const inner = unwrapSchema(schema);
  if (inner instanceof z.ZodObject && value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const shape = inner.shape as Record<string, z.ZodType>;
    for (const key of Object.keys(shape)) out[key] = walk(shape[key], (value as Record<string, unknown>)[key], rng);
    return out;
  }
  return value;
}

/**
 * Concrete parameters for one episode. Draws from `rng` (pass the episode's `randomize` stream);
 * a spec without distributions consumes no draws and is returned as concrete numbers.
 */
export function randomizeMarket(spec: MarketSpec, rng: Rng): MarketParams {
  return walk(MarketSpecSchema, spec, rng) as MarketParams;
}

/**
 * Concrete values of any randomizable config tree (`schema` built with configs' `num` fields, e.g.
 * the latency config): one draw per distribution field in declaration order, as randomizeMarket.
 */
export function randomizeSpec<T>(schema: z.ZodType, spec: T, rng: Rng): Concrete<T> {
  return walk(schema, spec, rng) as Concrete<T>;
}

/** Whether a spec holds any distribution (i.e. whether episodes differ in their parameters). */
export function isRandomized(spec: MarketSpec): boolean {
  const visit = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') return false;
    const keys = Object.keys(v);
    if (keys.length === 1 && ['uniform', 'loguniform', 'normal', 'choice'].includes(keys[0])) return true;
    return keys.some((k) => visit((v as Record<string, unknown>)[k]));
  };
  return visit(spec);
}
