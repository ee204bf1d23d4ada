/** Bad arguments to a baseline (parameters, policy names, options). The message names the value and what is allowed. */
export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Throws BaselineError unless `value` is a finite number (and, where asked, positive / non-negative / an integer). */
export function checkNumber(
  what: string,
  value: unknown,
  rule: 'finite' | 'positive' | 'nonnegative' | 'positive-integer' = 'finite',
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule === 'finite' ||
      (rule === 'positive' && value > 0) ||
      (rule === 'nonnegative' && value >= 0) ||
      (rule === 'positive-integer' && Number.isInteger(value) && value >= 1));
  if (!ok) {
    const allowed = {
      finite: 'a finite number',
      positive: 'a finite number > 0',
      nonnegative: 'a finite number >= 0',
      'positive-integer': 'an integer >= 1',
    }[rule];
    throw new BaselineError(`${what} must be ${allowed}, got ${String(value)}`);
  }
  return value as number;
}
