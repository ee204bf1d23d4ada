/**
 * The benchmark report's charts as vega-lite specs. Each builder takes plain rows and returns a
 * spec; `render.ts` turns specs into SVG and PNG. Colours follow one fixed policy order so a
 * policy has the same colour in every chart.
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Sized to fill the HTML report's column (1100 px) with fonts readable at that size. */
const WIDTH = 860;
const HEIGHT = 340;

/** Fonts and sizes shared by every chart (applied by `styled`). */
export const CHART_CONFIG = {
  font: 'DejaVu Sans',
  title: { fontSize: 17, subtitleFontSize: 13, anchor: 'start' as const },
  axis: { labelFontSize: 13, titleFontSize: 14 },
  legend: { labelFontSize: 13, titleFontSize: 13 },
  header: { labelFontSize: 13, titleFontSize: 14 },
};

/** A spec with the shared style. */
export function styled(spec: TopLevelSpec): TopLevelSpec {
  return { ...spec, config: { ...CHART_CONFIG, ...((spec as { config?: object }).config ?? {}) } } as TopLevelSpec;
}

/** Fixed colour per policy name (tableau10), so charts agree with each other. */
const PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b', '#b279a2', '#ff9da6', '#9d755d', '#bab0ac'];

function colourScale(policies: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...policies], range: policies.map((_, i) => PALETTE[i % PALETTE.length]) };
}

export interface CurvePoint {
  algo: string;
  step: number;
  /** The metric's value (e.g. mean episodic return or IS in bps over the last episodes). */
  value: number;
}

/** Learning curves: one line per algorithm, metric against environment steps. */
export function learningCurveChart(points: readonly CurvePoint[], metricTitle: string, title = 'Learning curves'): TopLevelSpec {
  return styled({
    $schema: SCHEMA,
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: false, strokeWidth: 2 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'environment steps' },
      y: { field: 'value', type: 'quantitative', title: metricTitle, scale: { zero: false } },
      color: { field: 'algo', type: 'nominal', title: 'algorithm' },
    },
  });
}

export interface EpisodeValue {
  policy: string;
  isBps: number;
}

/**
 * Distribution of implementation shortfall per policy: box plots (whiskers at 1.5 IQR) with the
 * mean marked as a black tick. The axis spans the 1st–99th percentile of all values so one wild
 * episode does not flatten every box; marks beyond it are cut off (not piled at the edge), and
 * each policy's count of episodes beyond either end is written at that end.
 */
export function isDistributionChart(rows: readonly EpisodeValue[], policies: readonly string[]): TopLevelSpec {
  const sorted = rows.map((r) => r.isBps).filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] : 0);
  const lo = q(0.01);
  const hi = q(0.99);
  // Outliers (Tukey's 1.5 IQR, quartiles interpolated as vega's boxplot does) are drawn as their
  // own layer, only those inside the axis: points far outside the plot made the PNG renderer
  // (resvg) abort the process; the counts beyond each end are written beside the axis instead.
  const outliers = policies.flatMap((policy) => {
    const xs = rows.filter((r) => r.policy === policy && Number.isFinite(r.isBps)).map((r) => r.isBps).sort((a, b) => a - b);
    if (xs.length === 0) return [];
    const quantile = (p: number): number => {
      const h = (xs.length - 1) * p;
      const i = Math.floor(h);
      return i + 1 < xs.length ? xs[i] + (h - i) * (xs[i + 1] - xs[i]) : xs[i];
    };
    const q1 = quantile(0.25);
    const q3 = quantile(0.75);
    const fence = 1.5 * (q3 - q1);
    return xs.filter((x) => (x < q1 - fence || x > q3 + fence) && x >= lo && x <= hi).map((isBps) => ({ policy, isBps }));
  });
  const beyond = policies.flatMap((policy) => {
    const mine = rows.filter((r) => r.policy === policy);
    const below = mine.filter((r) => r.isBps < lo).length;
    const above = mine.filter((r) => r.isBps > hi).length;
    return [
      ...(below > 0 ? [{ policy, x: lo, text: `← ${below}`, align: 'left' }] : []),
      ...(above > 0 ? [{ policy, x: hi, text: `${above} →`, align: 'right' }] : []),
    ];
  });
  return styled({
    $schema: SCHEMA,
    title: { text: 'Implementation shortfall per episode', subtitle: `bps of arrival notional; lower is better; axis: the 1st–99th percentile [${lo.toFixed(1)}, ${hi.toFixed(1)}], with the count of episodes beyond each end` },
    width: WIDTH,
    height: Math.max(160, 34 * policies.length),
    layer: [
      {
        data: { values: rows.map((r) => ({ policy: r.policy, isBps: r.isBps })) },
        mark: { type: 'boxplot', extent: 1.5, size: 18, median: { color: 'white' }, outliers: false, clip: true },
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: [...policies], title: null },
          x: { field: 'isBps', type: 'quantitative', title: 'implementation shortfall (bps)', scale: { domain: [lo, hi], nice: false } },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
        },
      },
      {
        data: { values: outliers },
        mark: { type: 'point', size: 6, opacity: 0.3 },
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: [...policies] },
          x: { field: 'isBps', type: 'quantitative' },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
        },
      },
      {
        data: { values: rows.map((r) => ({ policy: r.policy, isBps: r.isBps })) },
        mark: { type: 'tick', color: 'black', thickness: 2, size: 22, clip: true },
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: [...policies] },
          x: { aggregate: 'mean', field: 'isBps', type: 'quantitative' },
        },
      },
      ...(['left', 'right'] as const).map((align) => ({
        data: { values: beyond.filter((b) => b.align === align) },
        mark: { type: 'text' as const, fontSize: 12, color: '#555', dy: -12, align },
        encoding: {
          y: { field: 'policy', type: 'nominal' as const, sort: [...policies] },
          x: { field: 'x', type: 'quantitative' as const },
          text: { field: 'text' },
        },
      })),
    ],
  } as TopLevelSpec);
}

export interface InventoryPoint {
  policy: string;
  /** Elapsed fraction of the horizon, 0..1. */
  t: number;
  /** Mean remaining inventory as a fraction of the parent order, 0..1. */
  remaining: number;
}

/**
 * Mean remaining inventory per policy against elapsed time; the Almgren–Chriss closed-form schedule
 * is drawn first, wide and grey, so the policies' lines (the `ac` policy's included) stay visible
 * on top of it.
 */
export function inventoryChart(points: readonly InventoryPoint[], policies: readonly string[], acSchedule?: readonly { t: number; remaining: number }[], title = 'Mean inventory trajectory'): TopLevelSpec {
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [];
  if (acSchedule && acSchedule.length > 0) {
    layers.push({
      data: { values: acSchedule.map((p) => ({ t: p.t, remaining: p.remaining })) },
      mark: { type: 'line', strokeDash: [8, 5], color: '#999', strokeWidth: 5, opacity: 0.6 },
      encoding: {
        x: { field: 't', type: 'quantitative' },
        y: { field: 'remaining', type: 'quantitative' },
      },
    });
  }
  layers.push({
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'elapsed fraction of the horizon', scale: { domain: [0, 1] } },
      y: { field: 'remaining', type: 'quantitative', title: 'mean remaining inventory (fraction)', scale: { domain: [0, 1] } },
      color: { field: 'policy', type: 'nominal', scale: colourScale(policies), title: 'policy' },
    },
  });
  return styled({
    $schema: SCHEMA,
    title: { text: title, subtitle: acSchedule?.length ? 'wide grey dashes: the Almgren–Chriss closed-form schedule' : '' },
    width: WIDTH,
    height: HEIGHT,
    layer: layers,
  } as TopLevelSpec);
}

export interface ExampleEpisode {
  policy: string;
  seed: number;
  /** Mid price series (seconds from the start, dollars). */
  mid: readonly { t: number; price: number }[];
  /** The agent's fills (seconds, dollars, shares, passive or aggressive). */
  fills: readonly { t: number; price: number; qty: number; passive: boolean }[];
  /** Remaining inventory after each decision (seconds, shares). */
  inventory: readonly { t: number; remaining: number }[];
}

/** One episode: the mid price with the agent's fills marked (size by quantity), inventory below. */
export function exampleEpisodeChart(ep: ExampleEpisode): TopLevelSpec {
  const kinds = ['aggressive fill', 'passive fill'].filter((k) => ep.fills.some((f) => (f.passive ? 'passive fill' : 'aggressive fill') === k));
  const colours: Record<string, string> = { 'aggressive fill': '#e45756', 'passive fill': '#54a24b' };
  const qtys = ep.fills.map((f) => f.qty).filter((q) => q > 0);
  const sizeDomain = qtys.length > 0 ? [Math.min(...qtys), Math.max(...qtys)] : [1, 1];
  return styled({
    $schema: SCHEMA,
    title: { text: `Example episode: ${ep.policy}, seed ${ep.seed}`, subtitle: 'top: mid price and the agent\'s fills; bottom: remaining inventory' },
    vconcat: [
      {
        width: WIDTH,
        height: 220,
        layer: [
          {
            data: { values: ep.mid.map((m) => ({ ...m })) },
            mark: { type: 'line', color: '#4c78a8', strokeWidth: 1.5 },
            encoding: {
              x: { field: 't', type: 'quantitative', title: null },
              y: { field: 'price', type: 'quantitative', title: 'mid price ($)', scale: { zero: false } },
            },
          },
          {
            data: { values: ep.fills.map((f) => ({ ...f, kind: f.passive ? 'passive fill' : 'aggressive fill' })) },
            mark: { type: 'point', filled: true, opacity: 0.8 },
            encoding: {
              x: { field: 't', type: 'quantitative' },
              y: { field: 'price', type: 'quantitative' },
              size: { field: 'qty', type: 'quantitative', title: 'fill (shares)', scale: { domain: sizeDomain, range: [30, 300] } },
              color: { field: 'kind', type: 'nominal', title: null, scale: { domain: kinds, range: kinds.map((k) => colours[k]) } },
            },
          },
        ],
      },
      {
        width: WIDTH,
        height: 120,
        data: { values: ep.inventory.map((p) => ({ ...p })) },
        mark: { type: 'line', interpolate: 'step-after', color: '#f58518', strokeWidth: 2 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds from the start' },
          y: { field: 'remaining', type: 'quantitative', title: 'remaining (shares)' },
        },
      },
    ],
  } as TopLevelSpec);
}

export interface PairedDiff {
  policy: string;
  /** The baseline the difference is taken against (e.g. 'twap', 'passive-twap'). */
  against: string;
  /** Mean of (policy IS − baseline IS) over paired episodes, bps; negative = policy cheaper. */
  meanBps: number;
  ciLowBps: number;
  ciHighBps: number;
}

/** Paired-difference 95% intervals against each baseline: a point and an error bar per policy. */
export function pairedDiffChart(rows: readonly PairedDiff[], policies: readonly string[]): TopLevelSpec {
  const against = [...new Set(rows.map((r) => r.against))];
  return styled({
    $schema: SCHEMA,
    title: { text: 'Paired difference in IS against the baselines', subtitle: 'mean and 95% interval over the same seeds, bps; left of 0 = cheaper than the baseline' },
    data: { values: rows.map((r) => ({ ...r, label: `vs ${r.against}` })) },
    facet: { column: { field: 'label', type: 'nominal', title: null, sort: against.map((a) => `vs ${a}`) } },
    spec: {
      width: Math.max(260, Math.floor((WIDTH - 120) / Math.max(1, against.length))),
      height: Math.max(140, 30 * policies.length),
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [4, 3] }, encoding: { x: { datum: 0 } } },
        {
          mark: { type: 'errorbar', ticks: true, thickness: 2 },
          encoding: {
            y: { field: 'policy', type: 'nominal', sort: [...policies], title: null },
            x: { field: 'ciLowBps', type: 'quantitative', title: 'Δ IS (bps)' },
            x2: { field: 'ciHighBps' },
            color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 60 },
          encoding: {
            y: { field: 'policy', type: 'nominal', sort: [...policies] },
            x: { field: 'meanBps', type: 'quantitative' },
            color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
          },
        },
      ],
    },
  } as TopLevelSpec);
}

export interface CostRiskPoint {
  policy: string;
  /** Mean and standard deviation of IS over the evaluation seeds, bps. */
  meanBps: number;
  sdBps: number;
}

/**
 * Cost against risk: each policy at (sd of IS, mean IS), with the Almgren–Chriss efficient
 * frontier of the calibrated model (E against √V over risk aversions λ) as a line.
 */
export function costRiskChart(points: readonly CostRiskPoint[], policies: readonly string[], frontier: readonly { sdBps: number; meanBps: number; lambda: number }[]): TopLevelSpec {
  return styled({
    $schema: SCHEMA,
    title: { text: 'Cost against risk', subtitle: 'mean IS against its standard deviation per policy, bps; line: the Almgren–Chriss frontier of the calibrated model over risk aversion λ' },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: frontier.map((f) => ({ ...f })) },
        mark: { type: 'line', color: '#888', strokeDash: [6, 4], strokeWidth: 2 },
        encoding: {
          x: { field: 'sdBps', type: 'quantitative', title: 'standard deviation of IS (bps)', scale: { zero: false } },
          y: { field: 'meanBps', type: 'quantitative', title: 'mean IS (bps)', scale: { zero: false } },
          order: { field: 'lambda', type: 'quantitative' },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'point', filled: true, size: 110 },
        encoding: {
          x: { field: 'sdBps', type: 'quantitative' },
          y: { field: 'meanBps', type: 'quantitative' },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), title: 'policy' },
        },
      },
      {
        data: { values: points.map((p) => ({ ...p })) },
        mark: { type: 'text', dx: 8, align: 'left', fontSize: 12 },
        encoding: { x: { field: 'sdBps', type: 'quantitative' }, y: { field: 'meanBps', type: 'quantitative' }, text: { field: 'policy' } },
      },
    ],
  } as TopLevelSpec);
}

export interface ParticipationPoint {
  policy: string;
  /** Elapsed fraction of the horizon at the end of the interval. */
  t: number;
  /** Share of the parent order executed in the interval (mean over episodes). */
  executed: number;
  /** Share of what was executed in the interval that filled passively (episodes with fills). */
  passive: number;
}

/** Participation (share of the parent executed per interval) and passive share over the horizon. */
export function participationChart(points: readonly ParticipationPoint[], policies: readonly string[]): TopLevelSpec {
  const enc = (field: string, title: string) => ({
    x: { field: 't', type: 'quantitative' as const, title: 'elapsed fraction of the horizon', scale: { domain: [0, 1] } },
    y: { field, type: 'quantitative' as const, title },
    color: { field: 'policy', type: 'nominal' as const, scale: colourScale(policies), title: 'policy' },
  });
  return styled({
    $schema: SCHEMA,
    title: { text: 'How the policies trade over the horizon', subtitle: 'top: share of the parent order executed in each decision interval (mean over episodes); bottom: share of it filled passively' },
    data: { values: points.map((p) => ({ ...p })) },
    vconcat: [
      { width: WIDTH, height: 200, mark: { type: 'line', strokeWidth: 2 }, encoding: enc('executed', 'executed / parent order') },
      { width: WIDTH, height: 160, mark: { type: 'line', strokeWidth: 2 }, encoding: enc('passive', 'passive share') },
    ],
  } as TopLevelSpec);
}

export interface SizePoint {
  policy: string;
  /** Centre of the order-size bin, as a share of the expected volume over the horizon. */
  sizeShare: number;
  meanBps: number;
  episodes: number;
}

/** IS against the order's size as a share of the expected volume (binned means). */
export function sizeChart(points: readonly SizePoint[], policies: readonly string[]): TopLevelSpec {
  return styled({
    $schema: SCHEMA,
    title: { text: 'Cost against order size', subtitle: 'mean IS per bin of the parent order as a share of the expected market volume over the horizon' },
    width: WIDTH,
    height: HEIGHT,
    data: { values: points.map((p) => ({ ...p, sizePct: 100 * p.sizeShare })) },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'sizePct', type: 'quantitative', title: 'order size (% of expected volume over the horizon)' },
      y: { field: 'meanBps', type: 'quantitative', title: 'mean IS (bps)' },
      color: { field: 'policy', type: 'nominal', scale: colourScale(policies), title: 'policy' },
      tooltip: [{ field: 'episodes', type: 'quantitative' }],
    },
  } as TopLevelSpec);
}

export interface DiagnosticPoint {
  algo: string;
  step: number;
  metric: string;
  value: number;
}

/** Training diagnostics (entropy, approximate KL, value loss, ...) per algorithm, one panel per metric. */
export function diagnosticsChart(points: readonly DiagnosticPoint[]): TopLevelSpec {
  const metrics = [...new Set(points.map((p) => p.metric))];
  return styled({
    $schema: SCHEMA,
    title: { text: 'Training diagnostics', subtitle: 'from metrics.jsonl (moving averages)' },
    data: { values: points.map((p) => ({ ...p })) },
    facet: { row: { field: 'metric', type: 'nominal', title: null, sort: metrics } },
    spec: {
      width: WIDTH - 100,
      height: 110,
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'environment steps' },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'algo', type: 'nominal', title: 'algorithm' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec);
}

export interface ProfilePoint {
  policy: string;
  tau: number;
  fraction: number;
  low: number;
  high: number;
}

/**
 * Performance profiles (Agarwal et al. 2021) of costs: the share of (training seed, episode)
 * results with IS at or below τ, with a stratified-bootstrap band; higher and further left is
 * better.
 */
export function performanceProfileChart(points: readonly ProfilePoint[], policies: readonly string[]): TopLevelSpec {
  return styled({
    $schema: SCHEMA,
    title: { text: 'Performance profiles', subtitle: 'share of episodes (over training seeds and held-out seeds) with IS at or below τ; band: 95% stratified bootstrap' },
    width: WIDTH,
    height: HEIGHT,
    data: { values: points.map((p) => ({ ...p })) },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: {
          x: { field: 'tau', type: 'quantitative', title: 'τ: implementation shortfall (bps)' },
          y: { field: 'low', type: 'quantitative', title: 'share of episodes with IS ≤ τ', scale: { domain: [0, 1] } },
          y2: { field: 'high' },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
        },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x: { field: 'tau', type: 'quantitative' },
          y: { field: 'fraction', type: 'quantitative' },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), title: 'policy' },
        },
      },
    ],
  } as TopLevelSpec);
}
