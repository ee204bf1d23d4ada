/**
 * The latency experiment (experiments/latency/sweep.ts, `execution-gym latency`): level parsing,
 * the env option of a level, the cells' statistics by their definitions, and the sweep itself:
 * its first level at zero latency is the latency-free task, bit for bit, and the same seeds meet
 * every level.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LATENCY_LEVELS, latencyCell, latencyLabel, latencyOption, parseLatencyLevels, runLatencySweep } from '../../../experiments/latency/sweep.ts';
import { evaluate, evaluationSeeds } from '../../../experiments/evaluate/index.ts';
import { parseDataLatency } from '../../../experiments/commands/latency.ts';
import { runCli } from '../cli-capture.ts';
import { LATENCY_PRESETS } from '../../../configs/latency.ts';
import { mean } from '../../../experiments/stats/index.ts';
import { defaultActionMode, makeEnvForPolicy } from '../../../experiments/evaluate/run.ts';
import { interfaceOptions } from '../../../agents/index.ts';

afterEach(() => vi.restoreAllMocks());

describe('parseLatencyLevels', () => {
  it('reads units and presets', () => {
    const levels = parseLatencyLevels('0, 100us,1ms,10ms,100ms');
    expect(levels.map((l) => (l.kind === 'fixed' ? l.seconds : NaN))).toEqual([...DEFAULT_LATENCY_LEVELS]);
    expect(levels.map((l) => l.label)).toEqual(['0', '100µs', '1ms', '10ms', '100ms']);
    expect(parseLatencyLevels('250ns,2.5s,40µs').map((l) => (l.kind === 'fixed' ? l.seconds : NaN))).toEqual([250e-9, 2.5, 40e-6]);
    expect(parseLatencyLevels('colocated,retail')).toEqual([
      { kind: 'preset', name: 'colocated', label: 'colocated' },
      { kind: 'preset', name: 'retail', label: 'retail' },
    ]);
    expect(latencyLabel(0.0015)).toBe('1.5ms');
  });

  it('refuses what is not a latency, naming it', () => {
    expect(() => parseLatencyLevels('5')).toThrow(/"5" is not a latency.*unit/);
    expect(() => parseLatencyLevels('1min')).toThrow(/"1min"/);
    expect(() => parseLatencyLevels('-1ms')).toThrow(/"-1ms"/);
    expect(() => parseLatencyLevels('2h')).toThrow(/"2h"/);
    expect(() => parseLatencyLevels('7200s')).toThrow(/between 0 and 1 hour/);
    expect(() => parseLatencyLevels('1ms,1000us')).toThrow(/twice/);
    expect(() => parseLatencyLevels(' , ')).toThrow(/at least one/);
  });

  it('--data: zero, same or one latency', async () => {
    expect(await parseDataLatency('zero')).toBe('zero');
    expect(await parseDataLatency('same')).toBe('same');
    expect(await parseDataLatency('2ms')).toBe(2e-3);
    await expect(parseDataLatency('retail')).rejects.toThrow(/--data must be zero, same or one latency/);
    await expect(parseDataLatency('1ms,2ms')).rejects.toThrow(/--data/);
    await expect(parseDataLatency('fast')).rejects.toThrow(/"fast"/);
  });
});

describe('latencyOption', () => {
  it('fixes the order latency and sets the data latency as asked', () => {
    const [lvl] = parseLatencyLevels('10ms');
    expect(latencyOption(lvl, 'zero')).toMatchObject({ order: { distribution: 'fixed', seconds: 0.01 }, data: { distribution: 'fixed', seconds: 0 } });
    expect(latencyOption(lvl, 'same')).toMatchObject({ order: { seconds: 0.01 }, data: { seconds: 0.01 } });
    expect(latencyOption(lvl, 0.003)).toMatchObject({ data: { seconds: 0.003 } });
    const [preset] = parseLatencyLevels('retail');
    expect(latencyOption(preset, 'zero')).toBe(LATENCY_PRESETS.retail);
  });
});

describe('the sweep', () => {
  const seeds = evaluationSeeds(4, 77);

  it('level 0 is the latency-free task bit for bit; cells follow their definitions on the same seeds', async () => {
    const levels = parseLatencyLevels('0,20ms');
    const sweep = await runLatencySweep({ 'passive-twap': 'passive-twap' }, 'Liquidate-Limit-v0', {}, levels, seeds, { workers: 0 });
    const plain = await evaluate('passive-twap', 'Liquidate-Limit-v0', {}, seeds, { workers: 0 });
    const at0 = sweep.records.filter((r) => r.level === '0');
    const at20 = sweep.records.filter((r) => r.level === '20ms');
    expect(at0.map((r) => r.isBps)).toEqual(plain.map((r) => r.isBps));
    expect(at0.map((r) => r.seed)).toEqual(seeds);
    expect(at20.map((r) => r.seed)).toEqual(seeds);
    // At zero latency every cancel arrives before anything else can happen: none loses a race.
    expect(at0.every((r) => r.cancelsLate === 0)).toBe(true);
    expect(at0.reduce((s, r) => s + r.cancelsSent, 0)).toBeGreaterThan(0);

    const [c0, c20] = sweep.cells;
    expect(c0.vsFirst).toBeNull();
    expect(c0.meanIsBps).toBe(mean(plain.map((r) => r.isBps)));
    expect(c0.cancelLateShare).toBe(0);
    expect(c20.vsFirst!.meanDiffBps).toBeCloseTo(mean(at20.map((r, i) => r.isBps - at0[i].isBps)), 12);
    const cancels = at20.reduce((s, r) => s + r.cancelsSent, 0);
    const late = at20.reduce((s, r) => s + r.cancelsLate, 0);
    expect(c20.cancelsSent).toBe(cancels);
    expect(c20.cancelLateShare).toBe(late / cancels);
    const sent = at20.reduce((s, r) => s + r.limitQtySent, 0);
    const passive = at20.reduce((s, r) => s + r.passivePath[r.passivePath.length - 1], 0);
    expect(c20.limitQtySent).toBe(sent);
    expect(c20.passiveFillRate).toBe(passive / sent);
    expect(c20.passiveFillRate!).toBeGreaterThan(0);
    expect(c20.passiveFillRate!).toBeLessThanOrEqual(1);
    expect(c20.ciLowBps).toBeLessThanOrEqual(c20.meanIsBps);
    expect(c20.ciHighBps).toBeGreaterThanOrEqual(c20.meanIsBps);
  });

  it('a cell refuses records whose seed has no first-level episode', () => {
    const [lvl] = parseLatencyLevels('1ms');
    const rec = { seed: 5, isBps: 1, cancelsSent: 0, cancelsLate: 0, limitQtySent: 0, passivePath: [0], passiveShare: 0 } as never;
    const other = { ...(rec as object), seed: 6 } as never;
    expect(() => latencyCell('p', lvl, [rec], [other])).toThrow(/seed 5 of p at 1ms has no episode at the first level/);
  });

  it('refuses env options that already set latency', async () => {
    await expect(runLatencySweep({ twap: 'twap' }, 'Liquidate-v0', { latency: 'retail' }, parseLatencyLevels('0'), seeds, { workers: 0 })).rejects.toThrow(/already set latency/);
  });
});

describe('trained policies keep their action mode on another env id of the same market', () => {
  it('an env id default mode', () => {
    expect(defaultActionMode('Liquidate-v0')).toBe('market');
    expect(defaultActionMode('Liquidate-Limit-v0')).toBe('limit');
    expect(defaultActionMode('No-Such-v0')).toBeUndefined();
  });

  it("a trained policy brings its interface options, never its training market", () => {
    const trainedWith = { market: 'large-tick', randomize: false, latency: 'retail', quantity: 5000, features: 'extended', aMax: 4, rewardBaseline: 'twap' };
    expect(interfaceOptions(trainedWith)).toEqual({ features: 'extended', aMax: 4 });
    const policy = { name: 'ppo', envId: 'Liquidate-v0', envOptions: interfaceOptions(trainedWith), act: () => new Float64Array(1) };
    const env = makeEnvForPolicy('Liquidate-Limit-v0', { market: 'calm' }, policy);
    try {
      // Market orders (its training env's mode) with its features, on the evaluator's market.
      expect(env.metadata.actionMode).toBe('market');
      expect(env.actionSpace.shape).toEqual([1]);
      const plain = makeEnvForPolicy('Liquidate-v0', { market: 'calm', features: 'extended', aMax: 4 }, { name: 'x', act: () => 0 });
      expect(env.reset({ seed: 9 }).info).toEqual(plain.reset({ seed: 9 }).info);
      plain.close();
    } finally {
      env.close();
    }
  });
});

describe('execution-gym latency', () => {
  const cli = async (args: string[]): Promise<string> => (await runCli(args)).stdout;

  it('prints one JSON object with a cell per policy and level; a shipped market-order PPO runs beside passive baselines', async () => {
    const out = await cli(['latency', '--policy', 'passive-twap,ppo-liquidate', '--levels', '0,5ms', '--episodes', '2', '--workers', '0', '--json']);
    const result = JSON.parse(out) as { env: string; levels: string[]; cells: { policy: string; level: string; episodes: number; passiveShare: number; cancelLateShare: number | null }[] };
    expect(result.env).toBe('Liquidate-Limit-v0');
    expect(result.levels).toEqual(['0', '5ms']);
    expect(result.cells.map((c) => `${c.policy}@${c.level}`)).toEqual(['passive-twap@0', 'passive-twap@5ms', 'ppo-liquidate@0', 'ppo-liquidate@5ms']);
    expect(result.cells.every((c) => c.episodes === 2)).toBe(true);
    // The PPO sends market orders only: nothing passive, no cancels.
    expect(result.cells[2].passiveShare).toBe(0);
    expect(result.cells[2].cancelLateShare).toBeNull();
  });

  it('checks its input before any episode', async () => {
    await expect(cli(['latency', '--levels', '3', '--episodes', '1'])).rejects.toThrow(/"3" is not a latency/);
    await expect(cli(['latency', '--data', 'slow', '--episodes', '1'])).rejects.toThrow(/--data/);
    await expect(cli(['latency', '--env-options', '{"latency":"retail"}', '--episodes', '1'])).rejects.toThrow(/must not set latency/);
    await expect(cli(['latency', '--policy', 'pasive-twap', '--episodes', '1'])).rejects.toThrow(/did you mean passive-twap/);
  });
});
