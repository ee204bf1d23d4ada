/** Option parsing shared by the envs: zod errors become EnvErrors naming each field, its value and the rule. */
import type { z } from 'zod';
import { EnvError } from './core.ts';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  try {
    return JSON.stringify(v).slice(0, 200);
  } catch {
    return String(v);
  }
}

/** Parses `input` with `schema`. @throws EnvError "invalid <what> options: field: rule (got value); ..." */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const msg = r.error.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') return `unknown option(s) ${i.keys.map((k) => `'${path ? `${path}.` : ''}${k}'`).join(', ')}`;
      // zod's "expected tuple, received number" does not say what a tuple looks like here.
      const message = i.code === 'invalid_type' && i.expected === 'tuple' ? 'expected a list of two numbers [lo, hi]' : i.message;
      return `${path || '(options)'}: ${message} (got ${show(valueAt(input, i.path))})`;
    })
    .join('; ');
  throw new EnvError(`invalid ${what} options: ${msg}`);
}
