import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MARKETS_DIR,
  MARKET_PRESETS,
  MarketConfigError,
  MarketSpecSchema,
  loadMarketConfig,
  parseMarketSpec,
} from '../../configs/index.ts';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('market config', () => {
  it('parses every preset file and every preset name', () => {
    const files = readdirSync(MARKETS_DIR).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const spec = loadMarketConfig(join(MARKETS_DIR, f));
      expect(spec.name).toBe(f.replace(/\.yaml$/, ''));
    }
    for (const name of MARKET_PRESETS) expect(loadMarketConfig(name).name).toBe(name);
  });

  it('fills defaults for an empty config and keeps a description on every field', () => {
    const spec = parseMarketSpec({});
    expect(spec.tickDollars).toBe(0.01);
    expect(spec.takers.enabled).toBe(true);
    const shape = MarketSpecSchema.shape as Record<string, { description?: string }>;
    for (const key of Object.keys(shape)) expect(shape[key].description, key).toBeTruthy();
    const takers = (MarketSpecSchema.shape.takers.unwrap() as unknown as { shape: Record<string, { description?: string }> }).shape;
    for (const key of Object.keys(takers)) expect(takers[key].description, `takers.${key}`).toBeTruthy();
  });

  it('accepts every distribution shape', () => {
    const spec = parseMarketSpec({
      takers: { muBuy: { uniform: [0.05, 0.2] }, muSell: { loguniform: [0.05, 0.2] }, decayFast: { normal: { mean: 50, sd: 10, min: 10, max: 200 } } },
      marketMakers: { count: { choice: [1, 2, 3] } },
    });
    expect(spec.takers.muBuy).toEqual({ uniform: [0.05, 0.2] });
    expect(spec.marketMakers.count).toEqual({ choice: [1, 2, 3] });
  });

  it('names the field, the value and what is allowed', () => {
    const e1 = errorOf(() => parseMarketSpec({ takers: { muBuy: -1 } }));
    expect(e1).toBeInstanceOf(MarketConfigError);
    expect(e1.message).toContain('market.takers.muBuy');
    expect(e1.message).toContain('-1');
    expect(e1.message).toContain('[0, 1000]');

    const e2 = errorOf(() => parseMarketSpec({ marketMakers: { count: 2.5 } }));
    expect(e2.message).toContain('market.marketMakers.count');
    expect(e2.message).toContain('2.5');
    expect(e2.message).toContain('an integer');

    const e3 = errorOf(() => parseMarketSpec({ takrs: {} }));
    expect(e3.message).toContain('unknown field(s) takrs');
    expect(e3.message).toContain('takers');

    const e4 = errorOf(() => parseMarketSpec({ fundamental: { dailyVolatility: 'high' } }));
    expect(e4.message).toContain('market.fundamental.dailyVolatility');
    expect(e4.message).toContain('"high"');
    expect(e4.message).toContain('uniform');
  });

  it('has the impact mechanisms off by default and on in the default preset', () => {
    const f = parseMarketSpec({}).fundamental;
    expect(f.flowImpactTicks).toBe(0);
    expect(f.latentDepth).toBe(0);
    expect(f.latentMemorySeconds).toBe(0);
    const d = loadMarketConfig('default').fundamental;
    expect(d.flowImpactTicks).toBeGreaterThan(0);
    expect(d.latentDepth).toBeGreaterThan(0);
    expect(d.latentMemorySeconds).toBeGreaterThan(0);
    const e = errorOf(() => parseMarketSpec({ fundamental: { flowSizeExponent: 1.5 } }));
    expect(e.message).toContain('market.fundamental.flowSizeExponent');
    expect(e.message).toContain('1.5');
    expect(errorOf(() => parseMarketSpec({ fundamental: { flowHalfLifeSeconds: 0 } })).message).toContain('market.fundamental.flowHalfLifeSeconds');
  });

  it('rejects distributions that can leave the field range', () => {
    expect(errorOf(() => parseMarketSpec({ takers: { muBuy: { uniform: [-0.1, 0.2] } } })).message).toContain('market.takers.muBuy');
    expect(errorOf(() => parseMarketSpec({ takers: { muBuy: { uniform: [0.3, 0.1] } } })).message).toContain('lo <= hi');
    expect(errorOf(() => parseMarketSpec({ takers: { muBuy: { loguniform: [0, 1] } } })).message).toContain('lo > 0');
    expect(errorOf(() => parseMarketSpec({ marketMakers: { count: { choice: [1, 2.5] } } })).message).toContain('2.5');
    expect(errorOf(() => parseMarketSpec({ takers: { muBuy: { normal: { mean: 0.1, sd: 0.1, min: -1, max: 1 } } } })).message).toContain('min and max');
    expect(errorOf(() => parseMarketSpec({ takers: { muBuy: { gamma: [1, 2] } } })).message).toContain('allowed');
  });

  it('rejects a non-stationary taker flow for the worst draw, giving the radius', () => {
    const e = errorOf(() => parseMarketSpec({ takers: { selfFast: { uniform: [0.1, 0.6] }, selfSlow: 0.4 } }));
    expect(e.message).toContain('market.takers');
    expect(e.message).toContain('1.0200');
  });

  it('rejects inconsistent ranges between fields', () => {
    expect(errorOf(() => parseMarketSpec({ liquidity: { minDistanceTicks: 10, maxDistanceTicks: 5 } })).message).toContain('maxDistanceTicks');
    const deep = errorOf(() => parseMarketSpec({ liquidity: { deepRate: 0.1, deepMinDistanceTicks: 40, deepMaxDistanceTicks: { uniform: [20, 60] } } }));
    expect(deep).toBeInstanceOf(MarketConfigError);
    expect(deep.message).toContain('deepMaxDistanceTicks');
    expect(errorOf(() => parseMarketSpec({ liquidity: { deepCancelRate: 0 } })).message).toContain('deepCancelRate');
    expect(parseMarketSpec({}).liquidity.deepRate).toBe(0);
  });

  it('gives a clear error for an unknown preset or a missing file', () => {
    const e = errorOf(() => loadMarketConfig('nope'));
    expect(e).toBeInstanceOf(MarketConfigError);
    expect(e.message).toContain('"nope"');
    expect(e.message).toContain('default');
    expect(errorOf(() => loadMarketConfig('/nonexistent/x.yaml')).message).toContain('/nonexistent/x.yaml');
  });

  it('rejects configs that used to be accepted silently (empty file, unbounded rates, NaN), naming the field and value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eg-config-'));
    const file = (name: string, text: string): string => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    expect(() => loadMarketConfig(file('empty.yaml', ''))).toThrow(/is empty: a market config is a YAML mapping/);
    expect(() => loadMarketConfig(file('list.yaml', '- 1\n- 2\n'))).toThrow(/a YAML mapping of fields, got \[1,2\]/);
    expect(loadMarketConfig(file('braces.yaml', '{}\n')).tickDollars).toBe(0.01);
    expect(errorOf(() => loadMarketConfig(file('fast.yaml', 'liquidity:\n  limitRate: 1e7\n'))).message).toMatch(/market\.liquidity\.limitRate: got 10000000; must be a number in \[0, 1000\]/);
    expect(errorOf(() => loadMarketConfig(file('nan.yaml', 'tickDollars: .nan\n'))).message).toMatch(/market\.tickDollars: got NaN/);
    expect(errorOf(() => parseMarketSpec({ initialPriceTicks: 3e9 })).message).toMatch(/market\.initialPriceTicks: got 3000000000; must be an integer in \[10, 1000000000\]/);
    expect(errorOf(() => parseMarketSpec({ institutional: { childIntervalSeconds: 1e-9 } })).message).toMatch(/childIntervalSeconds/);
  });

  it('lists the presets that are there (every YAML file of configs/markets)', () => {
    expect([...MARKET_PRESETS]).toEqual(readdirSync(MARKETS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort());
    expect(MARKET_PRESETS).toContain('goog-2012-06-21');
    expect(errorOf(() => loadMarketConfig('nope')).message).toMatch(/allowed: calm, default, goog-2012-06-21, large-tick, thin-volatile/);
  });
});
