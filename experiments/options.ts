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
