/**
 * The per-policy summary of an evaluation: mean IS with a bootstrap 95% interval, standard
 * deviation, E + λ·Var, completion, slippage vs market VWAP, passive share, P(beat TWAP), and the
 * paired differences against TWAP and passive TWAP (paired t and Wilcoxon signed-rank p-values).
 * Paired statistics match episodes by seed; every policy must have been run on the same seeds.
 */
import {
  bootstrapMeanCi,
  mean,
  pairedTTest,
  probabilityBeat,
  std,
  variance,
  wilcoxonSignedRank,
} from '../stats/index.ts';
import { EvaluationError, type EpisodeRecord } from './episode.ts';

export interface PairedComparison {
  /** The baseline policy name. */
  baseline: string;
  /** Mean of (policy IS − baseline IS), bps: negative = the policy is cheaper. */
  meanDiffBps: number;
  /** Bootstrap 95% interval of that mean, bps. */
  ciLowBps: number;
  ciHighBps: number;
  /** Two-sided p-values. */
  tP: number;
  wilcoxonP: number;
}

export interface PolicySummary {
  policy: string;
  episodes: number;
  meanIsBps: number;
  ciLowBps: number;
  ciHighBps: number;
  stdIsBps: number;
  /** λ used in E + λ·Var (1/bps). */
  lambdaPerBps: number;
  /** Mean IS + λ · variance of IS (bps). */
  meanVarianceBps: number;
  /** Mean slippage vs market VWAP (bps); null when the env does not report it. */
  meanSlippageVwapBps: number | null;
  /** Mean completion before the deadline sweep (null if unknown) and at the end. */
  completionBeforeDeadline: number | null;
  completion: number | null;
  /** Mean passive share of executed quantity (null if unknown). */
  passiveShare: number | null;
  /** Mean fills per episode (null if unknown). */
  fills: number | null;
  /** P(IS < TWAP's IS) on the same seed, ties half (null without a twap run). */
  pBeatTwap: number | null;
  vsTwap: PairedComparison | null;
  vsPassiveTwap: PairedComparison | null;
}

export interface SummaryOptions {
  /** Risk aversion of the E + λ·Var column, 1/bps (default 0). */
  lambdaPerBps?: number;
  /** Seed of the bootstrap streams (default 0). */
  bootstrapSeed?: number;
  /** Bootstrap resamples (default 2,000). */
  resamples?: number;
  /** Names of the TWAP and passive-TWAP runs (default 'twap', 'passive-twap'). */
  twap?: string;
  passiveTwap?: string;
}

function meanOrNull(xs: number[]): number | null {
  const finite = xs.filter((x) => Number.isFinite(x));
  return finite.length === xs.length && xs.length > 0 ? mean(finite) : null;
}

function bySeed(records: readonly EpisodeRecord[], policy: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of records) {
    if (m.has(r.seed)) throw new EvaluationError(`policy ${policy} has seed ${r.seed} twice`);
    m.set(r.seed, r.isBps);
  }
  return m;
}

/** Paired IS arrays (policy, baseline) aligned by seed. @throws EvaluationError when the seed sets differ. */
export function pairBySeed(a: readonly EpisodeRecord[], b: readonly EpisodeRecord[], names: [string, string]): [Float64Array, Float64Array] {
  const mb = bySeed(b, names[1]);
  if (a.length !== mb.size) throw new EvaluationError(`${names[0]} has ${a.length} episodes but ${names[1]} has ${mb.size}: compare on the same seeds`);
  const x = new Float64Array(a.length);
  const y = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = mb.get(a[i].seed);
    if (v === undefined) throw new EvaluationError(`seed ${a[i].seed} of ${names[0]} is missing from ${names[1]}: compare on the same seeds`);
    x[i] = a[i].isBps;
    y[i] = v;
  }
  return [x, y];
}

function compare(policy: string, records: readonly EpisodeRecord[], baseline: string, base: readonly EpisodeRecord[] | undefined, seed: number, resamples: number): PairedComparison | null {
  if (base === undefined) return null;
  const [x, y] = pairBySeed(records, base, [policy, baseline]);
  const d = new Float64Array(x.length);
  for (let i = 0; i < d.length; i++) d[i] = x[i] - y[i];
  const ci = bootstrapMeanCi(d, { seed, resamples });
  return {
    baseline,
    meanDiffBps: mean(d),
    ciLowBps: ci.low,
    ciHighBps: ci.high,
    tP: x.length >= 2 ? pairedTTest(x, y).p : Number.NaN,
    wilcoxonP: wilcoxonSignedRank(x, y).p,
  };
}

/** Summaries keyed by policy name, in the order of `runs`. */
export function summarize(runs: Record<string, readonly EpisodeRecord[]>, options: SummaryOptions = {}): Record<string, PolicySummary> {
  const lambda = options.lambdaPerBps ?? 0;
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new EvaluationError(`lambdaPerBps must be a finite number >= 0, got ${lambda}`);
  const seed = options.bootstrapSeed ?? 0;
  const resamples = options.resamples ?? 2000;
  const twapName = options.twap ?? 'twap';
  const passiveName = options.passiveTwap ?? 'passive-twap';
  const out: Record<string, PolicySummary> = {};
  for (const [policy, records] of Object.entries(runs)) {
    if (records.length === 0) throw new EvaluationError(`policy ${policy} has no episodes`);
    const is = records.map((r) => r.isBps);
    const ci = bootstrapMeanCi(is, { seed, resamples });
    const twap = runs[twapName];
    let pBeat: number | null = null;
    if (twap !== undefined && policy !== twapName) {
      const [x, y] = pairBySeed(records, twap, [policy, twapName]);
      pBeat = probabilityBeat(x, y);
    }
    out[policy] = {
      policy,
      episodes: records.length,
      meanIsBps: mean(is),
      ciLowBps: ci.low,
      ciHighBps: ci.high,
      stdIsBps: std(is),
      lambdaPerBps: lambda,
      meanVarianceBps: mean(is) + lambda * variance(is),
      meanSlippageVwapBps: meanOrNull(records.map((r) => r.slippageVwapBps)),
      completionBeforeDeadline: meanOrNull(records.map((r) => r.completionBeforeDeadline)),
      completion: meanOrNull(records.map((r) => r.completion)),
      passiveShare: meanOrNull(records.map((r) => r.passiveShare)),
      fills: meanOrNull(records.map((r) => r.fills)),
      pBeatTwap: pBeat,
      vsTwap: policy === twapName ? null : compare(policy, records, twapName, twap, seed, resamples),
      vsPassiveTwap: policy === passiveName ? null : compare(policy, records, passiveName, runs[passiveName], seed, resamples),
    };
  }
  return out;
}

function fmt(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return x.toFixed(digits);
}

function fmtP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '—';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** A plain-text table of summaries (one row per policy), for the CLI. */
export function formatSummaryTable(summaries: Record<string, PolicySummary>): string {
  const header = [
    'policy',
    'n',
    'mean IS bps',
    '95% CI',
    'std',
    'E+λVar',
    'vs VWAP',
    'done<T',
    'passive',
    'P(beat TWAP)',
    'Δ TWAP',
    't p',
    'W p',
    'Δ pTWAP',
    't p',
    'W p',
  ];
  const rows = Object.values(summaries).map((s) => [
    s.policy,
    String(s.episodes),
    fmt(s.meanIsBps),
    `[${fmt(s.ciLowBps)}, ${fmt(s.ciHighBps)}]`,
    fmt(s.stdIsBps),
    fmt(s.meanVarianceBps),
    fmt(s.meanSlippageVwapBps),
    fmt(s.completionBeforeDeadline, 3),
    fmt(s.passiveShare, 3),
    fmt(s.pBeatTwap, 3),
    fmt(s.vsTwap?.meanDiffBps),
    fmtP(s.vsTwap?.tP),
    fmtP(s.vsTwap?.wilcoxonP),
    fmt(s.vsPassiveTwap?.meanDiffBps),
    fmtP(s.vsPassiveTwap?.tP),
    fmtP(s.vsPassiveTwap?.wilcoxonP),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
