/**
 * The realism table: a real LOBSTER day against one or more simulated markets, one column each
 * (mean ± sd over the seeds), with the KS statistics, the issue-19 targets each market misses,
 * and optionally metaorder impact (δ and the share of the peak left). Markdown, as REALISM.md
 * carries it; `execution-gym realism --market A --market B --markdown` prints it.
 */
import type { RealismComparison, RealismHeadline } from '../../simulator/calibration/index.ts';
import { PER_SEED_ACF_BOUND, realismTargets } from '../../simulator/calibration/index.ts';
import type { ImpactResult } from '../../simulator/stats/impact.ts';
import { normalCdf } from '../stats/index.ts';

/** The impact figures a column may carry (`runImpactExperiment`'s fit and pooled relaxation). */
export type ImpactFigures = Pick<ImpactResult, 'delta' | 'r2' | 'relaxed1' | 'relaxed2'>;

export interface RealismColumn {
  /** Column header (the preset's name or file). */
  label: string;
  comparison: RealismComparison;
  impact?: ImpactFigures;
}

/**
 * Probability that `seeds` sessions all have |lag-1 ACF of 1-minute returns| < `bound` when each
 * session's ACF is normal about `mean` with standard error `se` (a session's robust s.e.,
 * `acf1Return1mSe`): (Φ((bound − mean)/se) − Φ((−bound − mean)/se))^seeds; at mean 0,
 * (2Φ(bound/se) − 1)^seeds, the most a market whose returns vary as these do can expect. NaN
 * without a finite se or mean.
 */
export function acfPassProbability(se: number, seeds: number, bound: number, mean = 0): number {
  if (!(se > 0) || !Number.isFinite(se) || !Number.isFinite(mean)) return NaN;
  return (normalCdf((bound - mean) / se) - normalCdf((-bound - mean) / se)) ** seeds;
}

/** Impact bounds of issue 19: δ in [0.4, 0.7], 0.4–0.8 of the peak left one and two durations after. */
export const IMPACT_DELTA_BOUNDS = [0.4, 0.7] as const;
export const IMPACT_LEFT_BOUNDS = [0.4, 0.8] as const;

const ROWS: readonly [string, keyof RealismHeadline, number][] = [
  ['limit orders /s (level-N view)', 'limitPerSecond', 3],
  ['cancels /s (level-N view)', 'cancelPerSecond', 3],
  ['at the best: adds /s', 'level1LimitPerSecond', 3],
  ['at the best: cancels /s', 'level1CancelPerSecond', 3],
  ['market orders /s', 'marketPerSecond', 3],
  ['mean spread, ticks (time-weighted)', 'spreadMeanTicks', 2],
  ['best-level depth, shares', 'depth1', 0],
  ['sd of 1-min returns, bps', 'sd1mBps', 2],
  ['kurtosis of 1-min returns', 'kurtosis1m', 2],
  ['ACF of 1-min returns, lag 1', 'acf1Return1m', 3],
  ['ACF of |1-min r|, lag 1', 'absAcfLag1', 3],
  ['ACF of |1-min r|, lag 2', 'absAcfLag2', 3],
  ['corr(1-min volume, |r|)', 'volumeAbsReturnCorr', 3],
  ['trade-sign ACF, lag 1', 'signAcfLag1', 3],
  ['trade-sign ACF, lag 10', 'signAcfLag10', 3],
  ['trade-sign ACF, lag 100', 'signAcfLag100', 3],
  ['trade-sign power-law exponent γ', 'signAcfExponent', 2],
  ['market-order branching', 'moBranching', 3],
  ['mean market-order size, shares', 'meanMarketOrderQty', 1],
  ['seconds with a side empty', 'emptySideSeconds', 1],
  ['U-shape (edge / middle volume)', 'volumeEdgeRatio', 2],
];

/** A markdown table cell's text: its pipes escaped. */
function cellText(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function fixed(x: number, d: number): string {
  return Number.isFinite(x) ? x.toFixed(d) : '—';
}

/** The targets a column misses (as table cells): `realismTargets`' unmet facts, then impact's where measured. */
export function missedTargets(column: RealismColumn): string[] {
  const missed = realismTargets(column.comparison)
    .filter((t) => !t.met)
    .map((t) => cellText(t.fact));
  const im = column.impact;
  if (im !== undefined) {
    const [dLo, dHi] = IMPACT_DELTA_BOUNDS;
    const [lLo, lHi] = IMPACT_LEFT_BOUNDS;
    if (!(im.delta >= dLo && im.delta <= dHi)) missed.push('impact δ');
    if (!(im.relaxed1 >= lLo && im.relaxed1 <= lHi)) missed.push('impact left 1T');
    if (!(im.relaxed2 >= lLo && im.relaxed2 <= lHi)) missed.push('impact left 2T');
  }
  return missed;
}

/**
 * The markdown table. Every column must compare with the same real day (the real column is the
 * first comparison's); throws on no columns. The rows of the flow at the best are left out on a
 * level-1 file, where they equal the level-N rates.
 */
export function realismMarkdownTable(columns: readonly RealismColumn[], realLabel = 'real'): string {
  if (columns.length === 0) throw new Error('realismMarkdownTable needs at least one column');
  const real = columns[0].comparison.real;
  const cell = (m: number, sd: number, d: number): string => `${fixed(m, d)} ± ${fixed(sd, d)}`;
  const lines: string[] = [];
  lines.push(`| fact | ${cellText(realLabel)} | ${columns.map((c) => `${cellText(c.label)} (${c.comparison.seeds} seeds)`).join(' | ')} |`);
  lines.push(`| --- | --- | ${columns.map(() => '---').join(' | ')} |`);
  const row = (label: string, realCell: string, cells: string[]): void => {
    lines.push(`| ${cellText(label)} | ${realCell} | ${cells.join(' | ')} |`);
  };
  // On a level-1 file the flow at the best is the level-N flow: its two rows would repeat two others.
  const level1File = real.level1LimitPerSecond === real.limitPerSecond && real.level1CancelPerSecond === real.cancelPerSecond;
  for (const [label, k, d] of ROWS) {
    if (level1File && (k === 'level1LimitPerSecond' || k === 'level1CancelPerSecond')) continue;
    row(label, fixed(real[k], d), columns.map((c) => cell(c.comparison.sim[k], c.comparison.simSd[k], d)));
  }
  const quantiles = (h: RealismHeadline): string => [h.spreadP05, h.spreadP25, h.spreadP50, h.spreadP75, h.spreadP95].map((x) => fixed(x, 1)).join(' / ');
  row('spread quantiles 5/25/50/75/95%, ticks (1-s grid)', quantiles(real), columns.map((c) => quantiles(c.comparison.sim)));
  row(
    `max over seeds |ACF r lag 1| (seeds above ${PER_SEED_ACF_BOUND})`,
    '—',
    columns.map((c) => {
      const a = c.comparison.perSeed.map((h) => Math.abs(h.acf1Return1m));
      return `${fixed(Math.max(...a), 3)} (${a.filter((x) => !(x < PER_SEED_ACF_BOUND)).length})`;
    }),
  );
  // The per-seed target is partly a lottery: even returns with no autocorrelation cross 0.1 on some
  // days. The chance of a clean set, for ACF 0 and for the seeds' mean, from each side's robust s.e.
  const seeds = columns[0].comparison.seeds;
  row(
    `P(all seeds' |ACF r lag 1| < ${PER_SEED_ACF_BOUND}): at ACF 0 / at the mean`,
    fixed(acfPassProbability(real.acf1Return1mSe, seeds, PER_SEED_ACF_BOUND), 3),
    columns.map((c) => {
      const se = c.comparison.sim.acf1Return1mSe;
      const k = c.comparison.seeds;
      return `${fixed(acfPassProbability(se, k, PER_SEED_ACF_BOUND), 3)} / ${fixed(acfPassProbability(se, k, PER_SEED_ACF_BOUND, c.comparison.sim.acf1Return1m), 3)}`;
    }),
  );
  row('KS D spread (1-s grid, real vs pooled seeds)', '—', columns.map((c) => fixed(c.comparison.ks.spread.statistic, 3)));
  row('KS D market-order sizes', '—', columns.map((c) => fixed(c.comparison.ks.marketOrderSize.statistic, 3)));
  row('KS D market-order inter-arrivals', '—', columns.map((c) => fixed(c.comparison.ks.interArrival.statistic, 3)));
  if (columns.some((c) => c.impact !== undefined)) {
    const literature = (b: readonly [number, number]): string => `${b[0]}–${b[1]} (literature)`;
    row('impact δ (R²)', literature(IMPACT_DELTA_BOUNDS), columns.map((c) => (c.impact ? `${fixed(c.impact.delta, 3)} (${fixed(c.impact.r2, 3)})` : '—')));
    row('share of the peak left 1T / 2T', literature(IMPACT_LEFT_BOUNDS), columns.map((c) => (c.impact ? `${fixed(c.impact.relaxed1, 2)} / ${fixed(c.impact.relaxed2, 2)}` : '—')));
  }
  row('targets not met', '—', columns.map((c) => missedTargets(c).join(', ') || 'none'));
  return lines.join('\n') + '\n';
}
