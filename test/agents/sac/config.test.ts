import { describe, it, expect } from 'vitest';
import { parseSacConfig, SacConfigError, SacConfigSchema, resolvedTargetEntropy } from '../../../agents/sac/index.ts';

describe('SAC config', () => {
  it('fills documented defaults', () => {
    const c = parseSacConfig({});
    expect(c.gamma).toBe(0.99);
    expect(c.tau).toBe(0.005);
    expect(c.batchSize).toBe(128);
    expect(c.learningStarts).toBe(5000);
    expect(c.updateToDataRatio).toBe(1);
    expect(c.autotune).toBe(true);
    expect(c.normObs).toBe(false);
    expect(c.hiddenSizes).toEqual([64, 64]);
    expect(resolvedTargetEntropy(c, 3)).toBe(-3);
    expect(resolvedTargetEntropy(parseSacConfig({ targetEntropy: -0.5 }), 3)).toBe(-0.5);
    expect(SacConfigSchema.parse({})).toEqual(c);
  });

  it('rejects bad values naming the field and the value', () => {
    expect(() => parseSacConfig({ gamma: 1.5 })).toThrow(SacConfigError);
    expect(() => parseSacConfig({ gamma: 1.5 })).toThrow(/gamma.*1\.5/);
    expect(() => parseSacConfig({ batchSize: 0 })).toThrow(/batchSize.*0/);
    expect(() => parseSacConfig({ nope: 1 })).toThrow(/nope|unrecognized/i);
    expect(() => parseSacConfig({ logStdMin: 3, logStdMax: 2 })).toThrow(/logStdMin/);
    expect(() => parseSacConfig({ batchSize: 512, bufferSize: 100 })).toThrow(/batchSize/);
  });
});
