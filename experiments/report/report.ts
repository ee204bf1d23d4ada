/**
 * The benchmark report: `report.md` (charts linked as PNG) and a self-contained `report.html`
 * (charts inlined as SVG), from one plain `ReportData` object. Charts are written as SVG and PNG
 * beside them. Everything is written atomically.
 */
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../configs/fs.ts';
import { writeChart } from './render.ts';

export interface PolicyRow {
  policy: string;
  episodes: number;
  meanIsBps: number;
  ciLowBps: number;
  ciHighBps: number;
  stdIsBps: number;
  /** Mean objective E + λ·Var in bps (λ of the run). */
  objective?: number;
  completion?: number;
  /** Share executed before the deadline sweep. */
  completionBeforeDeadline?: number;
  /** Share of the executed shares that filled passively. */
  passiveShare?: number;
  slippageVwapBps?: number;
  pBeatTwap?: number;
  /** Paired difference vs TWAP: mean, 95% interval, paired-t and Wilcoxon p-values. */
  vsTwap?: { meanBps: number; ciLowBps: number; ciHighBps: number; pT: number; pWilcoxon: number };
  vsPassive?: { meanBps: number; ciLowBps: number; ciHighBps: number; pT: number; pWilcoxon: number };
}

export interface AcCheckRow {
  policy: string;
  /** Mean of E + λV realised by the policy (bps of X·S0) and the closed-form optimum. */
  objectiveBps: number;
  optimumBps: number;
  gapPct: number;
  /**
   * Gap to the closed-form schedule measured on the same price paths: mean of (policy − AC
   * policy) per seed, as % of the optimum, with its standard error (much tighter than gapPct).
   */
  pairedGapPct?: number;
  pairedGapSePct?: number;
}

/** A learning agent against one baseline over training seeds (experiments/stats/aggregate.ts). */
export interface CrossSeedRow {
  agent: string;
  baseline: string;
  seeds: number;
  episodes: number;
  /** Mean and IQM of the paired differences agent − baseline (bps) with stratified 95% intervals. */
  meanBps: number;
  meanLowBps: number;
  meanHighBps: number;
  iqmBps: number;
  iqmLowBps: number;
  iqmHighBps: number;
  /** Per training seed: the mean difference and its paired t / Wilcoxon p-values. */
  perSeed: { seed: number; meanBps: number; pT: number; pWilcoxon: number }[];
}

/** One held-out market (a preset the agents were not trained on, or a replayed day). */
export interface HeldOutSection {
  market: string;
  episodes: number;
  rows: PolicyRow[];
  /** Each learning agent against the better of the given baselines on this market. */
  verdicts: { agent: string; best: string; meanBps: number; ciLowBps: number; ciHighBps: number; verdict: string }[];
}

export interface ReportData {
  title: string;
  /** A warning shown first (e.g. the quick budget's agents are under-trained). */
  banner?: string;
  /** Learning agents against each baseline over training seeds (the full budget). */
  crossSeed?: CrossSeedRow[];
  heldOut?: HeldOutSection[];
  /** The latency experiment (experiments/latency/sweep.ts): its table in markdown. */
  latency?: { envId: string; episodes: number; markdown: string };
  /** Key facts of the run: command, budget, seed, machine, Node, date, backend, durations. */
  meta: Record<string, string | number>;
  rows: PolicyRow[];
  acCheck?: AcCheckRow[];
  training?: { algo: string; steps: number; seconds: number; stepsPerSecond: number; backend: string }[];
  /** Extra paragraphs (markdown) appended after the tables: method notes, caveats. */
  notes: string[];
  charts: { name: string; title: string; caption: string; spec: TopLevelSpec }[];
}

function fmt(x: number | undefined, digits = 2): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  return x.toFixed(digits);
}

function fmtP(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '–';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** The results table in markdown (also printed at the end of `benchmark`). */
export function resultsTable(rows: readonly PolicyRow[]): string {
  const head = '| policy | episodes | mean IS (bps) | 95% CI | sd | vs TWAP (bps) | p (t / Wilcoxon) | vs passive TWAP (bps) | p (t / Wilcoxon) | P(beat TWAP) |';
  const sep = '| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | --- | ---: |';
  const lines = rows.map((r) =>
    [
      r.policy,
      String(r.episodes),
      fmt(r.meanIsBps),
      `[${fmt(r.ciLowBps)}, ${fmt(r.ciHighBps)}]`,
      fmt(r.stdIsBps),
      r.vsTwap ? `${fmt(r.vsTwap.meanBps)} [${fmt(r.vsTwap.ciLowBps)}, ${fmt(r.vsTwap.ciHighBps)}]` : '–',
      r.vsTwap ? `${fmtP(r.vsTwap.pT)} / ${fmtP(r.vsTwap.pWilcoxon)}` : '–',
      r.vsPassive ? `${fmt(r.vsPassive.meanBps)} [${fmt(r.vsPassive.ciLowBps)}, ${fmt(r.vsPassive.ciHighBps)}]` : '–',
      r.vsPassive ? `${fmtP(r.vsPassive.pT)} / ${fmtP(r.vsPassive.pWilcoxon)}` : '–',
      r.pBeatTwap === undefined ? '–' : fmt(r.pBeatTwap, 3),
    ].join(' | '),
  );
  return [head, sep, ...lines.map((l) => `| ${l} |`)].join('\n');
}

function acTable(rows: readonly AcCheckRow[]): string {
  return [
    '| policy | E + λV realised (bps) | closed-form optimum (bps) | gap | paired gap vs the AC schedule (± se) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.policy} | ${fmt(r.objectiveBps, 3)} | ${fmt(r.optimumBps, 3)} | ${fmt(r.gapPct, 1)}% | ${r.pairedGapPct === undefined ? '–' : `${fmt(r.pairedGapPct, 2)}% ± ${fmt(r.pairedGapSePct, 2)}%`} |`,
    ),
  ].join('\n');
}

/** What the summary holds beyond IS: completion, passive share, slippage against VWAP. */
function detailsTable(rows: readonly PolicyRow[]): string {
  return [
    '| policy | done before the deadline | completion | passive share | vs market VWAP (bps) | E + λ·Var (bps) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.policy} | ${fmt(r.completionBeforeDeadline, 3)} | ${fmt(r.completion, 3)} | ${fmt(r.passiveShare, 3)} | ${fmt(r.slippageVwapBps)} | ${fmt(r.objective)} |`),
  ].join('\n');
}

function crossSeedTable(rows: readonly CrossSeedRow[]): string {
  return [
    '| agent | vs baseline | seeds × episodes | mean Δ (bps) [95% CI] | IQM Δ (bps) [95% CI] | per seed: mean Δ (t p / W p) |',
    '| --- | --- | ---: | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.agent} | ${r.baseline} | ${r.seeds} × ${r.episodes} | ${fmt(r.meanBps)} [${fmt(r.meanLowBps)}, ${fmt(r.meanHighBps)}] | ${fmt(r.iqmBps)} [${fmt(r.iqmLowBps)}, ${fmt(r.iqmHighBps)}] | ${r.perSeed.map((p) => `${fmt(p.meanBps)} (${fmtP(p.pT)} / ${fmtP(p.pWilcoxon)})`).join('; ')} |`,
    ),
  ].join('\n');
}

function heldOutTables(sections: readonly HeldOutSection[]): string[] {
  return sections.flatMap((h) => [
    `### ${h.market}`,
    '',
    `${h.episodes} held-out seeds.`,
    '',
    resultsTable(h.rows),
    '',
    ...(h.verdicts.length > 0
      ? [
          '| agent | best of the baselines here | Δ vs it (bps) [95% CI] | |',
          '| --- | --- | --- | --- |',
          ...h.verdicts.map((v) => `| ${v.agent} | ${v.best} | ${fmt(v.meanBps)} [${fmt(v.ciLowBps)}, ${fmt(v.ciHighBps)}] | ${v.verdict} |`),
          '',
        ]
      : []),
  ]);
}

function trainingTable(rows: NonNullable<ReportData['training']>): string {
  return [
    '| algorithm | steps | seconds | steps/s | backend |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.algo} | ${r.steps} | ${fmt(r.seconds, 0)} | ${fmt(r.stepsPerSecond, 0)} | ${r.backend} |`),
  ].join('\n');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A tiny markdown subset → HTML for the report's own text (tables, headings, paragraphs, code). */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split('\n');
  let i = 0;
  const inline = (s: string): string =>
    escapeHtml(s)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  while (i < lines.length) {
    const line = lines[i];
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].startsWith('|')) {
        rows.push(lines[i].slice(1, -1).split('|').map((c) => c.trim()));
        i++;
      }
      const [head, , ...body] = rows;
      out.push('<table><thead><tr>' + head.map((h) => `<th>${inline(h)}</th>`).join('') + '</tr></thead><tbody>');
      for (const r of body) out.push('<tr>' + r.map((c) => `<td>${inline(c)}</td>`).join('') + '</tr>');
      out.push('</tbody></table>');
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i].startsWith('```')) code.push(lines[i++]);
      i++;
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,4}) (.*)$/.exec(line);
    if (h) out.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    else if (line.startsWith('- ')) out.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.trim() !== '') out.push(`<p>${inline(line)}</p>`);
    i++;
  }
  return out.join('\n');
}

export interface WrittenReport {
  markdownPath: string;
  htmlPath: string;
  charts: { svgPath: string; pngPath: string }[];
  table: string;
}

/** Writes the charts, report.md and report.html into `dir`. */
export async function writeReport(dir: string, data: ReportData): Promise<WrittenReport> {
  const charts: { name: string; title: string; caption: string; svg: string; svgPath: string; pngPath: string }[] = [];
  for (const c of data.charts) {
    const w = await writeChart(c.spec, join(dir, c.name));
    charts.push({ name: c.name, title: c.title, caption: c.caption, ...w });
  }
  const table = resultsTable(data.rows);
  const parts: string[] = [`# ${data.title}`, ''];
  if (data.banner !== undefined) parts.push(`**${data.banner}**`, '');
  parts.push('| run | |', '| --- | --- |', ...Object.entries(data.meta).map(([k, v]) => `| ${k} | ${String(v)} |`), '');
  parts.push('## Results on held-out seeds', '', 'Implementation shortfall (IS) in bps of arrival notional; positive is a cost. Differences are paired per seed (same markets for every policy).', '', table, '');
  parts.push('### Execution details', '', detailsTable(data.rows), '');
  if (data.crossSeed?.length) {
    parts.push(
      '## Learning agents across training seeds',
      '',
      'Paired differences agent − baseline on the same held-out seeds, pooled over training seeds: mean and interquartile mean (IQM) with 95% stratified bootstrap intervals that resample training seeds and episodes (Agarwal et al., NeurIPS 2021); negative is cheaper. Per seed: the mean difference with paired t and Wilcoxon p-values.',
      '',
      crossSeedTable(data.crossSeed),
      '',
    );
  }
  if (data.heldOut?.length) parts.push('## Held-out markets', '', 'The agents trained on the default preset, evaluated without retraining on markets they never saw.', '', ...heldOutTables(data.heldOut));
  if (data.latency !== undefined) {
    parts.push(
      '## Latency',
      '',
      `The same policies on the same ${data.latency.episodes} seeds per level of ${data.latency.envId} as the order-entry latency rises (market data without delay). The paired difference is against the same policy at zero latency; a cancel lost to a fill arrived after its order had filled; the passive fill rate is the share of the limit-order shares sent that filled.`,
      '',
      data.latency.markdown,
    );
  }
  if (data.training?.length) parts.push('## Training', '', trainingTable(data.training), '');
  if (data.acCheck?.length) parts.push('## Almgren–Chriss world check', '', 'In `Liquidate-AC-v0` the closed-form schedule is optimal; the gap is how far each policy is from E + λV. The realised means carry the price paths\' noise; the paired gap compares each policy with the closed-form schedule (the `ac` policy) on the same paths.', '', acTable(data.acCheck), '');
  if (data.notes.length) parts.push('## Notes', '', ...data.notes.flatMap((n) => [n, '']));
  const textMd = parts.join('\n');
  const md = [textMd, '## Charts', '', ...charts.flatMap((c) => [`### ${c.title}`, '', `![${c.title}](${c.name}.png)`, '', c.caption, ''])].join('\n');
  const markdownPath = join(dir, 'report.md');
  writeFileAtomic(markdownPath, md);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<style>
body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
code { background: #f4f4f4; padding: 1px 4px; }
figure { margin: 2em 0; } figcaption { color: #555; font-size: 0.9em; }
svg { max-width: 100%; height: auto; }
</style></head><body>
${markdownToHtml(textMd)}
<h2>Charts</h2>
${charts.map((c) => `<figure><h3>${escapeHtml(c.title)}</h3>${c.svg.replace(/^<\?xml[^>]*>/, '')}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`).join('\n')}
</body></html>
`;
  const htmlPath = join(dir, 'report.html');
  writeFileAtomic(htmlPath, html);
  return { markdownPath, htmlPath, charts: charts.map((c) => ({ svgPath: c.svgPath, pngPath: c.pngPath })), table };
}
