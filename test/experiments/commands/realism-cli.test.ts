/**
 * `execution-gym realism` end to end on a short simulated LOBSTER day: the JSON carries the return
 * ACF's robust standard errors and the chance that every seed stays within ±0.1 computed from them,
 * and the text prints the same; with several markets, `--markdown` prints one table whose cells are
 * the JSON's figures and whose last row lists the targets `realismTargets` marks unmet (and impact's,
 * where measured).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-capture.ts';
import { normalCdf } from '../../../experiments/stats/index.ts';
import { acfPassProbability, missedTargets, realismMarkdownTable } from '../../../experiments/report/realism-table.ts';
import type { RealismComparison } from '../../../simulator/calibration/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'realism-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A simulated level-1 LOBSTER day written by `simulate --lobster`: its two files. */
async function simulatedDay(name: string, market: string, seed: number, seconds: number): Promise<{ messages: string; orderbook: string }> {
  const day = join(dir, name);
  await runCli(['simulate', '--market', market, '--seed', String(seed), '--seconds', String(seconds), '--lobster', day, '--levels', '1', '--json']);
  const files = readdirSync(day);
  return { messages: join(day, files.find((f) => f.includes('_message_')) as string), orderbook: join(day, files.find((f) => f.includes('_orderbook_')) as string) };
}

describe('execution-gym realism', () => {
  it('reports the return ACF robust standard errors and the chance that every seed passes', async () => {
    const { messages, orderbook } = await simulatedDay('day', 'default', 7, 1800);
    const args = ['realism', '--messages', messages, '--orderbook', orderbook, '--market', 'default', '--seconds', '1800', '--session-seconds', '1800', '--seeds', '3', '--seed', '11', '--workers', '0'];
    const { stdout } = await runCli([...args, '--json']);
    const res = JSON.parse(stdout) as { real: Record<string, number>; sim: Record<string, number>; perSeed: Record<string, number>[]; acfPassProbability: { file: number; sim: number } };
    const se = res.sim.acf1Return1mSe;
    expect(res.real.acf1Return1mSe).toBeGreaterThan(0);
    expect(se).toBeGreaterThan(0);
    // The mean over the seeds of each seed's own.
    expect(se).toBeCloseTo(res.perSeed.reduce((a, p) => a + p.acf1Return1mSe, 0) / 3, 12);
    // (2Φ(0.1/se) − 1)^seeds for each side.
    expect(res.acfPassProbability.sim).toBeCloseTo((2 * normalCdf(0.1 / se) - 1) ** 3, 12);
    expect(res.acfPassProbability.file).toBeCloseTo((2 * normalCdf(0.1 / res.real.acf1Return1mSe) - 1) ** 3, 12);
    const text = (await runCli(args)).stdout;
    expect(text).toMatch(/its robust standard error/);
    expect(text).toContain(`probability ${res.acfPassProbability.file.toFixed(3)} (s.e. ${res.real.acf1Return1mSe.toFixed(3)})`);
  });

  it('prints one markdown table for several markets, cell for cell the JSON figures', async () => {
    const { messages, orderbook } = await simulatedDay('day2', 'default', 8, 1200);
    const args = ['realism', '--messages', messages, '--orderbook', orderbook, '--market', 'default', '--market', 'calm', '--seconds', '1200', '--session-seconds', '1200', '--seeds', '2', '--seed', '21', '--workers', '0'];
    const json = (await runCli([...args, '--json'])).stdout.trim().split('\n');
    expect(json).toHaveLength(2);
    const res = json.map((l) => JSON.parse(l) as RealismComparison & { market: string; targets: { fact: string; met: boolean }[] });
    expect(res.map((r) => r.market)).toEqual(['default', 'calm']);
    const table = (await runCli([...args, '--markdown'])).stdout;
    const rows = table.trim().split('\n');
    expect(rows[0]).toMatch(/^\| fact \| real \(.*_message_.*\) \| default \(2 seeds\) \| calm \(2 seeds\) \|$/);
    const cells = (label: string): string[] => {
      const row = rows.find((r) => r.startsWith(`| ${label} |`));
      expect(row, label).toBeDefined();
      return (row as string).slice(2, -2).split(' | ').slice(1);
    };
    expect(cells('market orders /s')).toEqual([res[0].real.marketPerSecond.toFixed(3), ...res.map((r) => `${r.sim.marketPerSecond.toFixed(3)} ± ${r.simSd.marketPerSecond.toFixed(3)}`)]);
    expect(cells('market-order branching')[2]).toBe(`${res[1].sim.moBranching.toFixed(3)} ± ${res[1].simSd.moBranching.toFixed(3)}`);
    expect(cells('KS D market-order sizes').slice(1)).toEqual(res.map((r) => r.ks.marketOrderSize.statistic.toFixed(3)));
    const worst = res.map((r) => Math.max(...r.perSeed.map((h) => Math.abs(h.acf1Return1m))));
    expect(cells('max over seeds \\|ACF r lag 1\\| (seeds above 0.1)').slice(1)).toEqual(
      worst.map((w, i) => `${w.toFixed(3)} (${res[i].perSeed.filter((h) => !(Math.abs(h.acf1Return1m) < 0.1)).length})`),
    );
    // The chance of a clean set of seeds: at ACF 0 (the JSON's acfPassProbability) and about the seeds' mean.
    const pAt = (se: number, m: number): number => (normalCdf((0.1 - m) / se) - normalCdf((-0.1 - m) / se)) ** 2;
    expect(cells("P(all seeds' \\|ACF r lag 1\\| < 0.1): at ACF 0 / at the mean")).toEqual([
      pAt(res[0].real.acf1Return1mSe, 0).toFixed(3),
      ...res.map((r) => `${pAt(r.sim.acf1Return1mSe, 0).toFixed(3)} / ${pAt(r.sim.acf1Return1mSe, r.sim.acf1Return1m).toFixed(3)}`),
    ]);
    expect(acfPassProbability(0.05, 10, 0.1)).toBeCloseTo((2 * normalCdf(2) - 1) ** 10, 12);
    expect(acfPassProbability(0.05, 10, 0.1, 0.1)).toBeCloseTo((normalCdf(0) - normalCdf(-4)) ** 10, 12);
    expect(acfPassProbability(NaN, 10, 0.1)).toBeNaN();
    const unmet = res.map((r) => r.targets.filter((t) => !t.met).map((t) => t.fact.replace(/\|/g, '\\|')).join(', ') || 'none');
    expect(cells('targets not met').slice(1)).toEqual(unmet);
    expect(table).not.toMatch(/impact δ/);
    // A level-1 file: the flow at the best is the level-N flow, not repeated.
    expect(res[0].real.level1LimitPerSecond).toBe(res[0].real.limitPerSecond);
    expect(table).not.toMatch(/at the best/);
    // Impact's bounds join the missed targets where a column carries it.
    const withImpact = { label: 'x', comparison: res[0], impact: { delta: 0.91, r2: 0.99, relaxed1: 0.6, relaxed2: 0.85 } };
    expect(missedTargets(withImpact)).toEqual([...missedTargets({ label: 'x', comparison: res[0] }), 'impact δ', 'impact left 2T']);
    const t2 = realismMarkdownTable([withImpact], 'real');
    expect(t2).toContain('| impact δ (R²) | 0.4–0.7 (literature) | 0.910 (0.990) |');
    expect(t2).toContain('| share of the peak left 1T / 2T | 0.4–0.8 (literature) | 0.60 / 0.85 |');
    expect(() => realismMarkdownTable([])).toThrow(/at least one column/);
  });

  it('--impact-seeds carries the market\'s impact fit, as `impact` measures it on the same seeds', async () => {
    const { messages, orderbook } = await simulatedDay('day3', 'calm', 9, 600);
    const args = ['realism', '--messages', messages, '--orderbook', orderbook, '--market', 'calm', '--seconds', '600', '--session-seconds', '600', '--seeds', '2', '--seed', '31', '--workers', '0', '--impact-seeds', '2'];
    const res = JSON.parse((await runCli([...args, '--json'])).stdout) as { impact: { delta: number; r2: number; relaxed1: number; relaxed2: number } };
    const ref = JSON.parse((await runCli(['impact', '--market', 'calm', '--seeds', '2', '--seed', '31', '--json'])).stdout) as { delta: number; r2: number; relaxed1: number; relaxed2: number };
    expect(res.impact).toEqual({ delta: ref.delta, r2: ref.r2, relaxed1: ref.relaxed1, relaxed2: ref.relaxed2 });
    expect(Number.isFinite(res.impact.delta)).toBe(true);
    const text = (await runCli(args)).stdout;
    expect(text).toContain(`impact: δ ${ref.delta.toFixed(3)} (R² ${ref.r2.toFixed(3)})`);
  });

  it('refuses a missing market, --json with --markdown, and one impact seed', async () => {
    const base = ['realism', '--messages', 'm.csv', '--orderbook', 'o.csv'];
    await expect(runCli(base)).rejects.toThrow(/needs --market/);
    await expect(runCli([...base, '--market', 'default', '--json', '--markdown'])).rejects.toThrow(/one of --json and --markdown/);
    await expect(runCli([...base, '--market', 'default', '--impact-seeds', '1'])).rejects.toThrow(/0 \(not measured\) or at least 2, got 1/);
  });
});
