/**
 * `execution-gym realism` end to end on a short simulated LOBSTER day: the JSON carries the return
 * ACF's robust standard errors and the chance that every seed stays within ±0.1 computed from them,
 * and the text prints the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-capture.ts';
import { normalCdf } from '../../../experiments/stats/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'realism-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('execution-gym realism', () => {
  it('reports the return ACF robust standard errors and the chance that every seed passes', async () => {
    const day = join(dir, 'day');
    await runCli(['simulate', '--market', 'default', '--seed', '7', '--seconds', '1800', '--lobster', day, '--levels', '1', '--json']);
    const files = readdirSync(day);
    const messages = join(day, files.find((f) => f.includes('_message_')) as string);
    const orderbook = join(day, files.find((f) => f.includes('_orderbook_')) as string);
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
});
