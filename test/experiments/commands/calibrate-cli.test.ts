/**
 * `execution-gym calibrate` end to end on a short simulated LOBSTER day: it writes a preset the
 * simulator runs (over the file's session), with every path's points and the validation in its JSON, and refuses bad
 * restarts before stage 2 runs.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from '../cli-capture.ts';
import { parseMarketSpec } from '../../../configs/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'calibrate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('execution-gym calibrate', () => {
  it('calibrates a preset from a simulated level-1 day with two restarts, validated together', async () => {
    const day = join(dir, 'day');
    await runCli(['simulate', '--market', 'default', '--seed', '7', '--seconds', '1200', '--lobster', day, '--levels', '1', '--json']);
    const files = readdirSync(day);
    const messages = join(day, files.find((f) => f.includes('_message_')) as string);
    const orderbook = join(day, files.find((f) => f.includes('_orderbook_')) as string);
    const out = join(dir, 'cal.yaml');
    const args = ['calibrate', '--messages', messages, '--orderbook', orderbook, '--out', out, '--session-seconds', '1200', '--seconds', '600', '--iterations', '1', '--sim-seeds', '1', '--validation-seeds', '1', '--workers', '0', '--json'];
    const { stdout, stderr } = await runCli([...args, '--restarts', '2']);
    const res = JSON.parse(stdout) as { name: string; knobs: Record<string, number>; history: { path: number; misfit: number }[]; validation: { path: number; misfit: number; logPassProbability: number; passProbability: number; knobs: Record<string, number> }[] };
    expect(res.name).toBe('cal');
    // Two paths, in order, each with its start point (the scan's 1 or 3), 14 finite differences (the
    // file's spreads given: the makers' jitter moves too) and 1–3 trials.
    const paths = res.history.map((h) => h.path);
    expect(paths.indexOf(1)).toBeGreaterThanOrEqual(16);
    expect(paths.slice(paths.indexOf(1)).every((p) => p === 1)).toBe(true);
    expect(paths.length - paths.indexOf(1)).toBeGreaterThanOrEqual(16);
    // Each path's best points (up to 4, distinct presets) validated; the preset is the one most
    // likely to pass held out there (then the smallest misfit).
    expect(res.validation.some((v) => v.path === 0) && res.validation.some((v) => v.path === 1)).toBe(true);
    expect(res.validation.every((v) => Number.isFinite(v.logPassProbability) && v.passProbability >= 0 && v.passProbability <= 1)).toBe(true);
    const pick = res.validation.reduce((a, v) => (v.logPassProbability > a.logPassProbability || (v.logPassProbability === a.logPassProbability && v.misfit < a.misfit) ? v : a));
    expect(res.knobs).toEqual(pick.knobs);
    expect(stderr).toMatch(/path 1 sim \d+:/);
    // The preset file parses as a market spec, with its knobs in the header.
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Market preset calibrated from LOBSTER files/);
    const spec = parseMarketSpec(parse(text), out);
    // The file's session (20 minutes here), which its intraday profile spans.
    expect(spec.sessionSeconds).toBe(1200);
    // Bad restarts: the option parser names the value and what is allowed.
    await expect(runCli([...args, '--restarts', '0'])).rejects.toThrow(/--restarts.*0/);
  });
});
