import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmark } from '../../../experiments/benchmark/run.ts';
import { resolveBudget, BUDGETS } from '../../../experiments/benchmark/budgets.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('benchmark budgets', () => {
  it('validates overrides and rejects unknown budgets', () => {
    expect(resolveBudget('quick')).toEqual(BUDGETS.quick);
    expect(resolveBudget('standard', { episodes: 10 }).episodes).toBe(10);
    expect(() => resolveBudget('huge')).toThrow(/quick, standard, full/);
    expect(() => resolveBudget('quick', { episodes: 1 })).toThrow(/episodes/);
  });

  it('keeps standard at >= 1,000 held-out episodes per policy', () => {
    expect(BUDGETS.standard.episodes).toBeGreaterThanOrEqual(1000);
    expect(BUDGETS.full.episodes).toBeGreaterThanOrEqual(1000);
  });
});

describe('benchmark end to end (quick budget, tiny configuration)', () => {
  it('trains, evaluates, checks the AC world and writes every output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eg-bench-'));
    try {
      const res = await runBenchmark({
        budget: 'quick',
        overrides: { seeds: 2, ppoSteps: 256, sacSteps: 64, limitSteps: 256, sacLimitSteps: 64, acPpoSteps: 128, acSacSteps: 32, episodes: 6, acEpisodes: 4, heldOutEpisodes: 3, latencyEpisodes: 2, heldOutPresets: ['calm'], numEnvs: 2, sacNumEnvs: 1, workers: 0 },
        seed: 3,
        outDir: dir,
        backend: 'cpu',
      });
      const policies = ['ppo', 'sac', 'ppo-limit', 'sac-limit', 'twap', 'passive-twap', 'catch-up', 'vwap', 'pov', 'ac', 'sell-now'];
      // results.csv: a header and one row per (policy, episode).
      const csv = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
      expect(csv.length).toBe(1 + policies.length * 6);
      const header = csv[0].split(',');
      expect(header).toContain('isBps');
      const policyCol = header.indexOf('policy');
      expect(new Set(csv.slice(1).map((l) => l.split(',')[policyCol]))).toEqual(new Set(policies));
      expect(readFileSync(join(dir, 'ac-results.csv'), 'utf8').trim().split('\n').length).toBe(1 + 4 * 4);
      // summary.json parses and has a figure per policy.
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
        policies: Record<string, { meanIsBps: number }>;
        files: string[];
        acCheck: unknown[];
        crossSeed: { agent: string; baseline: string; seeds: number; perSeed: unknown[]; meanLowBps: number; meanBps: number; meanHighBps: number }[];
        heldOut: { market: string; verdicts: unknown[] }[];
        latency: { levels: string[]; cells: { policy: string; level: string; episodes: number }[] };
      };
      // The latency section: passive TWAP, catch-up and the four agents at five order latencies.
      expect(summary.latency.levels).toEqual(['0', '100µs', '1ms', '10ms', '100ms']);
      expect(summary.latency.cells.map((c) => c.policy)).toEqual(['passive-twap', 'catch-up', 'ppo', 'sac', 'ppo-limit', 'sac-limit'].flatMap((p) => Array(5).fill(p)));
      expect(summary.latency.cells.every((c) => c.episodes === 2)).toBe(true);
      expect(readFileSync(join(dir, 'latency.csv'), 'utf8').trim().split('\n').length).toBe(1 + 6 * 5 * 2);
      // Two training seeds per agent, each against five baselines; the other seed's records in seeds.csv.
      expect(summary.crossSeed).toHaveLength(4 * 5);
      for (const c of summary.crossSeed) {
        expect(c.seeds).toBe(2);
        expect(c.perSeed).toHaveLength(2);
        expect(c.meanLowBps <= c.meanBps && c.meanBps <= c.meanHighBps).toBe(true);
      }
      expect(readFileSync(join(dir, 'seeds.csv'), 'utf8').trim().split('\n').length).toBe(1 + 4 * 6);
      expect(summary.heldOut.map((h) => h.market)).toEqual(['calm']);
      expect(summary.heldOut[0].verdicts).toHaveLength(4);
      expect(Object.keys(summary.policies).sort()).toEqual([...policies].sort());
      for (const p of policies) expect(Number.isFinite(summary.policies[p].meanIsBps)).toBe(true);
      expect(summary.acCheck).toHaveLength(4);
      // Every listed file exists; SVGs are SVG, PNGs are PNG.
      for (const f of summary.files) {
        const path = join(dir, f);
        expect(existsSync(path), f).toBe(true);
        expect(statSync(path).size, f).toBeGreaterThan(0);
        if (f.endsWith('.png')) expect([...readFileSync(path).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
        if (f.endsWith('.svg')) expect(readFileSync(path, 'utf8').startsWith('<svg')).toBe(true);
      }
      for (const chart of ['learning-curves', 'is-distribution', 'inventory', 'example-episode', 'paired-differences', 'performance-profiles', 'cost-risk', 'participation', 'order-size', 'diagnostics', 'ac-trajectories']) {
        expect(summary.files).toContain(`${chart}.png`);
      }
      const md = readFileSync(join(dir, 'report.md'), 'utf8');
      expect(md).toContain('## Latency');
      expect(md).toContain('| ppo-limit | 100ms | 2 |');
      for (const p of policies) expect(md).toContain(`| ${p} |`);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
      expect(res.table.split('\n')).toHaveLength(2 + policies.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
