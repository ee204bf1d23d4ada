/**
 * The latency experiment: the same policies on the same seeds as the order-entry latency rises
 * (0, 100 µs, 1 ms, 10 ms, 100 ms by default, or a connection preset), and what it costs.
 *
 * Each level is the execution task's `latency` option (configs/latency.ts) with a fixed order
 * latency; the data latency (observation and fill reports) is zero, equal to the order latency
 * (`data: 'same'`) or a fixed number of seconds. Level 0 runs the latency-free task (bit-identical
 * to no option) and still reports the connection's counts.
 *
 * Per policy and level: the mean IS with a bootstrap interval, the paired difference against the
 * same policy at the first level (same seeds, so the difference is the latency's cost alone), the
 * share of cancels that lost the race against a fill, and the fill rate of passive orders
 * (shares filled passively / shares sent as limit orders).
 */
import type { PolicySpec } from '../../agents/index.ts';
import { LATENCY_PRESETS, type LatencyInput } from '../../configs/latency.ts';
import type { EpisodeRecord } from '../evaluate/episode.ts';
import { evaluate, type EvaluateOptions } from '../evaluate/evaluate.ts';
import { bootstrapMeanCi, mean } from '../stats/index.ts';

/** The issue's levels: 0, 100 µs, 1 ms, 10 ms, 100 ms (seconds). */
export const DEFAULT_LATENCY_LEVELS = [0, 100e-6, 1e-3, 10e-3, 100e-3] as const;

/** A level: a fixed order latency in seconds, or a connection preset by name. */
export type LatencyLevel = { kind: 'fixed'; seconds: number; label: string } | { kind: 'preset'; name: string; label: string };

/** How the data path's latency follows the level: zero, the same as the order path, or fixed seconds. */
export type DataLatency = 'zero' | 'same' | number;

/** Units per second: dividing by them is one correctly rounded step (100us → exactly 1e-4). */
const PER_SECOND: Record<string, number> = { s: 1, ms: 1e3, us: 1e6, 'µs': 1e6, ns: 1e9 };

/** Seconds as the shortest readable label (0, 100µs, 1ms, 2.5s). */
export function latencyLabel(seconds: number): string {
  if (seconds === 0) return '0';
  if (seconds < 1e-3) return `${+(seconds * 1e6).toPrecision(6)}µs`;
  if (seconds < 1) return `${+(seconds * 1e3).toPrecision(6)}ms`;
  return `${+seconds.toPrecision(6)}s`;
}

/**
 * Parses `--levels`: comma-separated latencies with a unit (0, 100us, 1ms, 0.25s; µs also
 * accepted) or preset names (colocated, retail). @throws naming the bad entry and what is allowed.
 */
export function parseLatencyLevels(list: string): LatencyLevel[] {
  const out: LatencyLevel[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    if (LATENCY_PRESETS[raw] !== undefined) {
      out.push({ kind: 'preset', name: raw, label: raw });
      continue;
    }
    const m = /^([0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)\s*(s|ms|us|µs|ns)?$/i.exec(raw);
    const unit = m?.[2]?.toLowerCase();
    if (m === null || (unit === undefined && Number(m[1]) !== 0)) {
      throw new Error(`--levels: ${JSON.stringify(raw)} is not a latency; write a number with a unit (0, 100us, 1ms, 0.5s) or a preset (${Object.keys(LATENCY_PRESETS).join(', ')})`);
    }
    const seconds = Number(m[1]) / (unit === undefined ? 1 : PER_SECOND[unit]);
    if (!(seconds >= 0 && seconds <= 3600)) throw new Error(`--levels: ${JSON.stringify(raw)} must be between 0 and 1 hour`);
    out.push({ kind: 'fixed', seconds, label: latencyLabel(seconds) });
  }
  if (out.length === 0) throw new Error('--levels needs at least one latency');
  if (new Set(out.map((l) => l.label)).size !== out.length) throw new Error(`--levels lists a latency twice: ${list}`);
  return out;
}

/** The env's `latency` option for a level. */
export function latencyOption(level: LatencyLevel, data: DataLatency): LatencyInput {
  if (level.kind === 'preset') return LATENCY_PRESETS[level.name];
  const dataSeconds = data === 'zero' ? 0 : data === 'same' ? level.seconds : data;
  return { name: `order ${level.label}`, order: { distribution: 'fixed', seconds: level.seconds }, data: { distribution: 'fixed', seconds: dataSeconds } };
}

export interface LatencyCell {
  policy: string;
  level: string;
  /** Order latency, seconds (NaN for a preset). */
  orderSeconds: number;
  episodes: number;
  meanIsBps: number;
  ciLowBps: number;
  ciHighBps: number;
  /** Paired against the same policy at the first level: mean difference (bps) and its bootstrap interval. */
  vsFirst: { meanDiffBps: number; ciLowBps: number; ciHighBps: number } | null;
  /** Cancels sent (all episodes) and the share that arrived after their order had filled; null without cancels. */
  cancelsSent: number;
  cancelLateShare: number | null;
  /** Shares sent as limit orders, and the share of them filled passively; null without limit orders. */
  limitQtySent: number;
  passiveFillRate: number | null;
  /** Mean share of the executed shares filled passively. */
  passiveShare: number;
}

/** One policy's records at one level, as a table cell; `first` is the same policy at the first level. */
export function latencyCell(policy: string, level: LatencyLevel, records: readonly EpisodeRecord[], first: readonly EpisodeRecord[] | null, bootstrapSeed = 0): LatencyCell {
  const is = records.map((r) => r.isBps);
  const ci = bootstrapMeanCi(is, { seed: bootstrapSeed });
  let vsFirst: LatencyCell['vsFirst'] = null;
  if (first !== null) {
    const bySeed = new Map(first.map((r) => [r.seed, r.isBps]));
    const diffs: number[] = [];
    for (const r of records) {
      const b = bySeed.get(r.seed);
      if (b === undefined) throw new Error(`latency sweep: seed ${r.seed} of ${policy} at ${level.label} has no episode at the first level`);
      diffs.push(r.isBps - b);
    }
    const dci = bootstrapMeanCi(diffs, { seed: bootstrapSeed });
    vsFirst = { meanDiffBps: mean(diffs), ciLowBps: dci.low, ciHighBps: dci.high };
  }
  let cancels = 0;
  let late = 0;
  let sent = 0;
  let passive = 0;
  for (const r of records) {
    if (Number.isFinite(r.cancelsSent)) cancels += r.cancelsSent;
    if (Number.isFinite(r.cancelsLate)) late += r.cancelsLate;
    if (Number.isFinite(r.limitQtySent)) sent += r.limitQtySent;
    const p = r.passivePath[r.passivePath.length - 1];
    if (Number.isFinite(p)) passive += p;
  }
  const shares = records.map((r) => r.passiveShare).filter((x) => Number.isFinite(x));
  return {
    policy,
    level: level.label,
    orderSeconds: level.kind === 'fixed' ? level.seconds : Number.NaN,
    episodes: records.length,
    meanIsBps: mean(is),
    ciLowBps: ci.low,
    ciHighBps: ci.high,
    vsFirst,
    cancelsSent: cancels,
    cancelLateShare: cancels > 0 ? late / cancels : null,
    limitQtySent: sent,
    passiveFillRate: sent > 0 ? passive / sent : null,
    passiveShare: shares.length > 0 ? mean(shares) : Number.NaN,
  };
}

export interface LatencySweepOptions extends Pick<EvaluateOptions, 'workers' | 'pool' | 'modules' | 'maxSteps'> {
  data?: DataLatency;
  /** Called before each (policy, level) run, and with progress inside it. */
  onRun?: (policy: string, level: LatencyLevel) => Promise<((done: number, total: number) => void) | undefined> | ((done: number, total: number) => void) | undefined;
  /** Called after each run. */
  onRunDone?: (policy: string, level: LatencyLevel) => void;
}

export interface LatencySweep {
  envId: string;
  envOptions: Record<string, unknown>;
  data: DataLatency;
  levels: LatencyLevel[];
  episodes: number;
  cells: LatencyCell[];
  /** Every episode, tagged with its level. */
  records: (EpisodeRecord & { level: string })[];
}

/** Runs every policy at every level on `seeds`; cells in (policy, level) order. */
export async function runLatencySweep(
  policies: Readonly<Record<string, PolicySpec>>,
  envId: string,
  envOptions: Record<string, unknown>,
  levels: readonly LatencyLevel[],
  seeds: readonly number[],
  options: LatencySweepOptions = {},
): Promise<LatencySweep> {
  if (levels.length === 0) throw new Error('latency sweep: no levels');
  if (envOptions.latency !== undefined) throw new Error('latency sweep: the env options already set latency; the sweep sets it per level');
  const data = options.data ?? 'zero';
  if (typeof data === 'number' && !(data >= 0 && data <= 3600)) throw new Error(`latency sweep: data latency must be seconds in [0, 3600], got ${data}`);
  const cells: LatencyCell[] = [];
  const records: (EpisodeRecord & { level: string })[] = [];
  for (const [name, spec] of Object.entries(policies)) {
    let first: EpisodeRecord[] | null = null;
    for (const level of levels) {
      const onProgress = await options.onRun?.(name, level);
      const recs = await evaluate(spec, envId, { ...envOptions, latency: latencyOption(level, data) }, seeds, {
        workers: options.workers,
        pool: options.pool,
        modules: options.modules,
        maxSteps: options.maxSteps,
        onProgress,
      });
      for (const r of recs) r.policy = name;
      options.onRunDone?.(name, level);
      cells.push(latencyCell(name, level, recs, first));
      for (const r of recs) records.push({ ...r, level: level.label });
      if (first === null) first = recs;
    }
  }
  return { envId, envOptions, data, levels: [...levels], episodes: seeds.length, cells, records };
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

/** The sweep as a Markdown table (one row per policy and level). */
export function formatLatencyTable(sweep: LatencySweep): string {
  const first = sweep.levels[0].label;
  const lines = [
    `| policy | order latency | episodes | mean IS (bps) | 95% CI | vs ${first} (bps) | 95% CI | cancels lost to a fill | passive fill rate | passive share |`,
    '| --- | --- | ---: | ---: | --- | ---: | --- | ---: | ---: | ---: |',
  ];
  for (const c of sweep.cells) {
    const v = c.vsFirst;
    const race = c.cancelLateShare === null ? '— (none sent)' : `${(100 * c.cancelLateShare).toFixed(1)}% of ${c.cancelsSent}`;
    lines.push(
      `| ${c.policy} | ${c.level} | ${c.episodes} | ${fmt(c.meanIsBps)} | [${fmt(c.ciLowBps)}, ${fmt(c.ciHighBps)}] | ${v === null ? '–' : fmt(v.meanDiffBps)} | ${v === null ? '–' : `[${fmt(v.ciLowBps)}, ${fmt(v.ciHighBps)}]`} | ${race} | ${c.passiveFillRate === null ? '—' : `${(100 * c.passiveFillRate).toFixed(1)}%`} | ${fmt(c.passiveShare, 3)} |`,
    );
  }
  return lines.join('\n') + '\n';
}
