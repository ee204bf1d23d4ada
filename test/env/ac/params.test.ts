import { describe, expect, it } from 'vitest';
import { EnvError } from '../../../env/core.ts';
import { parseAcOptions } from '../../../env/ac/index.ts';

// The closed form itself (Table 1 of the paper) is tested in closed-form.test.ts.
describe('Liquidate-AC-v0 options', () => {
  const p = parseAcOptions({});

  it('defaults to the paper example', () => {
    expect(p).toMatchObject({ X: 1e6, S0: 50, T: 5, N: 5, sigma: 0.95, epsilon: 0.0625, eta: 2.5e-6, gamma: 2.5e-7, lambda: 1e-6, tau: 1, aMax: 5 });
  });

  it('rejects invalid options with an EnvError naming the field and value', () => {
    expect(() => parseAcOptions({ N: 0 })).toThrow(EnvError);
    expect(() => parseAcOptions({ N: 2.5 })).toThrow(/N: N must be an integer/);
    expect(() => parseAcOptions({ sigma: -1 })).toThrow(/sigma.*got -1/);
    expect(() => parseAcOptions({ eta: NaN })).toThrow(/eta/);
    expect(() => parseAcOptions({ bogus: 1 })).toThrow(/bogus/);
    expect(() => parseAcOptions({ eta: 1e-8, gamma: 1e-6 })).toThrow(/eta - gamma\*tau\/2 > 0/);
  });
});
