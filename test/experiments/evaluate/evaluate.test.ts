import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makePolicy } from '../../../agents/index.ts';
import { make } from '../../../env/index.ts';
import {
  evaluate,
  evaluationSeeds,
  formatSummaryTable,
  RECORD_COLUMNS,
  runEpisode,
  summarize,
  writeRecords,
  type EpisodeRecord,
  EvaluationPool,
} from '../../../experiments/evaluate/index.ts';
import './fake-env.ts';

const fakeModule = fileURLToPath(new URL('./fake-env.ts', import.meta.url));
const seeds = evaluationSeeds(24);
const tmp = mkdtempSync(join(tmpdir(), 'eval-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('runEpisode', () => {
  it('records IS, completion, fills, passive share and the inventory path', () => {
    const env = make('FakeExec-v0', { noise: 0 });
    const r = runEpisode(env, makePolicy('twap'), seeds[0]);
    expect(r.policy).toBe('twap');
    expect(r.seed).toBe(seeds[0]);
    expect(r.steps).toBe(10);
    expect(r.inventory.length).toBe(11);
    expect(r.inventory[0]).toBe(1000);
    expect(r.inventory[10]).toBe(0);
    // TWAP sells 100 a step: the inventory is linear.
    for (let k = 0; k <= 10; k++) expect(r.inventory[k]).toBeCloseTo(1000 - 100 * k, 9);
    expect(r.completion).toBe(1);
    expect(r.completionBeforeDeadline).toBe(1);
    expect(r.fills).toBe(10);
    expect(r.aggressiveFills).toBe(10);
    expect(r.passiveShare).toBe(0);
    // Each fill costs 0.01 + 0.001·100 = 0.11 $/share on 100 $: 11 bps.
    expect(r.isBps).toBeCloseTo(11, 9);
    expect(Number.isNaN(r.slippageVwapBps)).toBe(true);
  });

  it('sell-now sells everything at the first decision', () => {
    const r = runEpisode(make('FakeExec-v0', {}), makePolicy('sell-now'), seeds[1]);
    expect(r.inventory[1]).toBe(0);
    expect(r.steps).toBe(1);
    expect(r.isBps).toBeCloseTo(((0.01 + 0.001 * 1000) / 100) * 1e4, 9);
  });
});

describe('evaluate', () => {
  const policies = ['twap', 'passive-twap', 'vwap', 'pov', 'sell-now', 'random'] as const;
  const runs: Record<string, EpisodeRecord[]> = {};

  it('runs every baseline on the same seeds, in this thread and on 2 workers with identical records', async () => {
    // No price noise: TWAP costs exactly 11 bps and sell-now 101 bps on every seed.
    for (const p of policies) runs[p] = await evaluate(p, 'FakeExec-v0', { noise: 0 }, seeds, { workers: 0 });
    let progress = 0;
    const threaded = await evaluate('passive-twap', 'FakeExec-v0', { noise: 0 }, seeds, {
      workers: 2,
      modules: [fakeModule],
      onProgress: (done, total) => {
        progress = done;
        expect(total).toBe(seeds.length);
      },
    });
    expect(progress).toBe(seeds.length);
    expect(threaded).toEqual(runs['passive-twap']);
    for (const p of policies) expect(runs[p].map((r) => r.seed)).toEqual(seeds);
  });

  it('a pool of workers started once serves several policies with the same records as fresh runs', async () => {
    const pool = new EvaluationPool(2);
    try {
      for (const p of ['twap', 'passive-twap', 'sell-now'] as const) {
        const pooled = await evaluate(p, 'FakeExec-v0', { noise: 0 }, seeds, { pool, modules: [fakeModule] });
        expect(pooled).toEqual(runs[p]);
      }
    } finally {
      await pool.close();
    }
    await expect(pool.run({ policy: 'twap', envId: 'FakeExec-v0', envOptions: {}, seeds })).rejects.toThrow(/closed/);
  });

  it('builds the env in the action mode each policy needs (passive TWAP posts limit orders)', () => {
    const passive = runs['passive-twap'];
    expect(passive.some((r) => r.passiveFills > 0)).toBe(true);
    expect(passive.every((r) => r.passiveShare >= 0 && r.passiveShare <= 1)).toBe(true);
    expect(runs.twap.every((r) => r.passiveFills === 0)).toBe(true);
  });

  it('summarizes: sell-now is the costliest here; paired comparisons against TWAP and passive TWAP', () => {
    const s = summarize(runs, { lambdaPerBps: 0.1, bootstrapSeed: 3, resamples: 500 });
    expect(Object.keys(s)).toEqual([...policies]);
    for (const p of policies) {
      expect(s[p].ciLowBps).toBeLessThanOrEqual(s[p].meanIsBps);
      expect(s[p].ciHighBps).toBeGreaterThanOrEqual(s[p].meanIsBps);
    }
    expect(s.twap.vsTwap).toBeNull();
    expect(s.twap.pBeatTwap).toBeNull();
    expect(s['passive-twap'].vsPassiveTwap).toBeNull();
    expect(s['sell-now'].meanIsBps).toBe(Math.max(...policies.map((p) => s[p].meanIsBps)));
    // Sell-now costs 101 bps on every seed and TWAP 11: P(beat) = 0 and both tests reject.
    expect(s['sell-now'].pBeatTwap).toBe(0);
    expect(s['sell-now'].vsTwap?.meanDiffBps).toBeCloseTo(90, 9);
    expect(s['sell-now'].vsTwap?.tP).toBe(0);
    // All 24 differences positive: the exact Wilcoxon p is 2 / 2^24.
    expect(s['sell-now'].vsTwap?.wilcoxonP).toBe(2 / 2 ** 24);
    expect(s.vwap.vsPassiveTwap?.baseline).toBe('passive-twap');
    expect(s.twap.meanVarianceBps).toBeCloseTo(11, 9);
    const table = formatSummaryTable(s);
    expect(table.split('\n').length).toBe(policies.length + 3);
    expect(table).toContain('sell-now');
  });

  it('writes CSV and JSONL records that read back', () => {
    const { csv, jsonl } = writeRecords(tmp, runs['passive-twap']);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(RECORD_COLUMNS.join(','));
    expect(lines.length).toBe(seeds.length + 1);
    const back = readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpisodeRecord);
    expect(back.map((r) => r.isBps)).toEqual(runs['passive-twap'].map((r) => r.isBps));
    expect(back[0].inventory).toEqual(runs['passive-twap'][0].inventory);
  });

  it("applies a policy's env options over the user's: sell-now gets the aMax it needs", async () => {
    const r = await evaluate('sell-now', 'Liquidate-AC-v0', { N: 20, aMax: 2 }, seeds.slice(0, 3), { workers: 0 });
    for (const x of r) {
      expect(x.steps).toBe(1);
      expect(x.inventory).toEqual([1e6, 0]);
    }
  });

  it('reports bad input and failures in workers clearly', async () => {
    await expect(evaluate('no-such-policy', 'FakeExec-v0', {}, seeds, { workers: 1, modules: [fakeModule] })).rejects.toThrow(/unknown policy "no-such-policy"/);
    await expect(evaluate('twap', 'FakeExec-v0', {}, [], { workers: 0 })).rejects.toThrow(/non-empty/);
    await expect(evaluate('twap', 'FakeExec-v0', {}, [1.5], { workers: 0 })).rejects.toThrow(/seeds\[0\].*1.5/);
    await expect(evaluate('twap', 'FakeExec-v0', { actionMode: 'limit' }, seeds, { workers: 0 })).rejects.toThrow(/needs actionMode 'market'/);
  });
});
