import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BaselineError, calibrateAc, calibrateAcCached } from '../../../agents/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'calibrate-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('AC calibration on the default preset', () => {
  const options = { seeds: 3, horizonSeconds: 120, settleSeconds: 30 };
  const cal = calibrateAc('default', options);

  it('returns finite parameters in ticks, seconds and shares', () => {
    for (const x of [cal.sigma, cal.eta, cal.gamma, cal.epsilon, cal.etaBeyondPermanent]) expect(Number.isFinite(x)).toBe(true);
    expect(cal.sigma).toBeGreaterThan(0);
    expect(cal.eta).toBeGreaterThanOrEqual(0);
    expect(cal.gamma).toBeGreaterThanOrEqual(0);
    // A spread is at least one tick whenever both sides rest: the half spread is >= 0.5 tick.
    expect(cal.epsilon).toBeGreaterThanOrEqual(0.5);
    expect(cal.units).toEqual({ price: 'ticks', time: 'seconds', quantity: 'shares' });
  });

  it('a bigger child order walks deeper into the same book: the shortfall grows with size', () => {
    // Paired runs share the seed, so each larger order's first shares fill exactly like the smaller
    // one's and the rest no better: the average shortfall is non-decreasing, seed by seed.
    for (let j = 1; j < cal.perSize.length; j++) {
      expect(cal.perSize[j].meanQty).toBeGreaterThan(cal.perSize[j - 1].meanQty);
      expect(cal.perSize[j].shortfallTicks).toBeGreaterThanOrEqual(cal.perSize[j - 1].shortfallTicks - 1e-9);
    }
    // A market sell fills at or below the best bid: the shortfall is at least the half spread before it.
    expect(cal.perSize[0].shortfallTicks).toBeGreaterThanOrEqual(0.5);
  });

  it('is deterministic and cached per preset and options', () => {
    expect(calibrateAc('default', options)).toEqual(cal);
    const first = calibrateAcCached('default', options, tmp);
    expect(first.cached).toBe(false);
    const again = calibrateAcCached('default', options, tmp);
    expect(again.cached).toBe(true);
    expect(again.calibration).toEqual(first.calibration);
    expect(again.calibration.sigma).toBe(cal.sigma);
  });

  it('rejects bad options with a BaselineError naming the option', () => {
    expect(() => calibrateAc('default', { seeds: 0 })).toThrow(BaselineError);
    expect(() => calibrateAc('default', { sizes: [0.1, -1] })).toThrow(/sizes\[1\]/);
    expect(() => calibrateAc('no-such-preset')).toThrow(/unknown market preset/);
  });
});
