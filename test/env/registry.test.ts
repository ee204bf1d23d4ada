import { readdirSync } from 'node:fs';
import { longDay } from './replay/days.ts';
import { describe, expect, it } from 'vitest';
import { MARKETS_DIR } from '../../configs/index.ts';
import { AlmgrenChrissEnv } from '../../env/ac/index.ts';
import { checkEnv } from '../../env/checker.ts';
import { EnvError } from '../../env/core.ts';
import { listEnvs, make, register } from '../../env/registry.ts';

describe('registry', () => {
  it('lists the built-in ids', () => {
    expect(listEnvs()).toContain('Liquidate-AC-v0');
  });

  it('make passes options and rejects unknown ids and bad options', () => {
    const env = make('Liquidate-AC-v0', { N: 7 }) as unknown as AlmgrenChrissEnv;
    expect(env.params.N).toBe(7);
    expect(() => make('Nope-v0')).toThrow(/unknown env id "Nope-v0"; registered: .*Liquidate-AC-v0/);
    expect(() => make('Liquidate-AC-v0', { N: -1 })).toThrow(EnvError);
    expect(() => make('Liquidate-AC-v0', null as never)).toThrow(/options must be an object/);
  });

  it('register refuses duplicates and malformed ids unless overwriting', () => {
    expect(() => register('Liquidate-AC-v0', () => make('Liquidate-AC-v0'))).toThrow(/already registered/);
    expect(() => register('bad id', () => make('Liquidate-AC-v0'))).toThrow(/Name-v0/);
    register('Test-AC-v0', (o) => make('Liquidate-AC-v0', { ...o, N: 3 }));
    expect((make('Test-AC-v0') as unknown as AlmgrenChrissEnv).params.N).toBe(3);
  });

  // The replay env needs a LOBSTER day: a small synthetic one.
  const needs: Record<string, Record<string, unknown>> = { 'Liquidate-Replay-v0': { ...longDay(900, 1), sessionSeconds: 900, horizonSeconds: 120 } };
  for (const id of listEnvs()) {
    it(`${id} passes checkEnv`, () => {
      expect(checkEnv(make(id, needs[id] ?? {}) as never, { maxEpisodeSteps: 500 }).steps).toBeGreaterThan(0);
    });
  }
});

describe('every shipped market preset', () => {
  const presets = readdirSync(MARKETS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length));

  it('has at least the default preset', () => {
    expect(presets).toContain('default');
  });

  for (const market of presets) {
    it(`Liquidate-v0 on preset ${market} passes checkEnv (2-minute horizon)`, () => {
      expect(checkEnv(make('Liquidate-v0', { market, horizonSeconds: 120 }) as never).steps).toBeGreaterThan(0);
    });
  }
});
