/**
 * Parsers for command-line option values (commander's `argParser`): each rejects a bad value
 * with a message that names the option, the value and what is allowed.
 */

/** An integer >= `min`. */
export function intOption(name: string, min: number): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${v}`);
    return n;
  };
}

/** A finite number > 0. */
export function positiveOption(name: string): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, got ${v}`);
    return n;
  };
}

/** `--env-options`-style JSON: the parsed object; throws naming the option for bad JSON or a non-object. */
export function parseJsonObject(name: string, text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name} must be a JSON object: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${name} must be a JSON object, got ${text}`);
  return v as Record<string, unknown>;
}
