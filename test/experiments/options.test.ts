import { describe, expect, it } from 'vitest';
import { intOption, parseJsonObject, positiveOption } from '../../experiments/options.ts';

describe('command-line option parsers', () => {
  it('accept valid values', () => {
    expect(intOption('--n', 1)('12')).toBe(12);
    expect(positiveOption('--x')('0.5')).toBe(0.5);
  });

  it('reject bad values with the option, the value and what is allowed', () => {
    expect(() => intOption('--n', 1)('0')).toThrow('--n must be an integer >= 1, got 0');
    expect(() => intOption('--n', 1)('1.5')).toThrow(/1\.5/);
    expect(() => intOption('--n', 0)('abc')).toThrow(/abc/);
    expect(() => positiveOption('--x')('-1')).toThrow('--x must be a number > 0, got -1');
    expect(() => positiveOption('--x')('Infinity')).toThrow(/Infinity/);
  });

  it('parse a JSON object option and reject other JSON', () => {
    expect(parseJsonObject('--env-options', '{"a":1}')).toEqual({ a: 1 });
    expect(() => parseJsonObject('--env-options', '[1]')).toThrow('--env-options must be a JSON object, got [1]');
    expect(() => parseJsonObject('--env-options', '{')).toThrow(/--env-options must be a JSON object: /);
  });
});
