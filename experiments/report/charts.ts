/**
 * The benchmark report's charts as vega-lite specs. Each builder takes plain rows and returns a
 * spec; `render.ts` turns specs into SVG and PNG. Colours follow one fixed policy order so a
 * policy has the same colour in every chart.
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const WIDTH = 560;
const HEIGHT = 300;

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
  return {
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
  };
}

export interface EpisodeValue {
  policy: string;
  isBps: number;
}

/**
 * Distribution of implementation shortfall per policy: box plots (whiskers at 1.5 IQR) with the
 * mean marked as a black tick. Extreme outliers are clipped to the 1st–99th percentile range of
 * all values so one wild episode does not flatten every box; the clipping is stated in the title.
 */
export function isDistributionChart(rows: readonly EpisodeValue[], policies: readonly string[]): TopLevelSpec {
  const sorted = rows.map((r) => r.isBps).filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] : 0);
  const lo = q(0.01);
  const hi = q(0.99);
  const values = rows.map((r) => ({ policy: r.policy, isBps: Math.min(hi, Math.max(lo, r.isBps)) }));
  return {
    $schema: SCHEMA,
    title: { text: 'Implementation shortfall per episode', subtitle: `bps of arrival notional; lower is better; axis clipped to the 1st–99th percentile [${lo.toFixed(1)}, ${hi.toFixed(1)}]` },
    width: WIDTH,
    height: Math.max(160, 34 * policies.length),
    data: { values },
    layer: [
      {
        mark: { type: 'boxplot', extent: 1.5, size: 18, median: { color: 'white' }, outliers: { size: 6, opacity: 0.3 } },
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: [...policies], title: null },
          x: { field: 'isBps', type: 'quantitative', title: 'implementation shortfall (bps)' },
          color: { field: 'policy', type: 'nominal', scale: colourScale(policies), legend: null },
        },
      },
      {
        mark: { type: 'tick', color: 'black', thickness: 2, size: 22 },
        encoding: {
          y: { field: 'policy', type: 'nominal', sort: [...policies] },
          x: { aggregate: 'mean', field: 'isBps', type: 'quantitative' },
        },
      },
    ],
  };
}

export interface InventoryPoint {
  policy: string;
  /** Elapsed fraction of the horizon, 0..1. */
  t: number;
  /** Mean remaining inventory as a fraction of the parent order, 0..1. */
  remaining: number;
}

/** Mean remaining inventory per policy against elapsed time; Almgren–Chriss's schedule dashed. */
export function inventoryChart(points: readonly InventoryPoint[], policies: readonly string[], acSchedule?: readonly { t: number; remaining: number }[]): TopLevelSpec {
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      data: { values: points.map((p) => ({ ...p })) },
      mark: { type: 'line', strokeWidth: 2, interpolate: 'linear' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'elapsed fraction of the horizon', scale: { domain: [0, 1] } },
        y: { field: 'remaining', type: 'quantitative', title: 'mean remaining inventory (fraction)', scale: { domain: [0, 1] } },
        color: { field: 'policy', type: 'nominal', scale: colourScale(policies), title: 'policy' },
      },
    },
  ];
  if (acSchedule && acSchedule.length > 0) {
    layers.push({
      data: { values: acSchedule.map((p) => ({ t: p.t, remaining: p.remaining, label: 'AC closed-form schedule' })) },
      mark: { type: 'line', strokeDash: [6, 4], color: 'black', strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative' },
        y: { field: 'remaining', type: 'quantitative' },
      },
    });
  }
  return {
    $schema: SCHEMA,
    title: { text: 'Mean inventory trajectory', subtitle: acSchedule?.length ? 'dashed: Almgren–Chriss closed-form schedule for the calibrated market' : '' },
    width: WIDTH,
    height: HEIGHT,
    layer: layers,
  } as TopLevelSpec;
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
  return {
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
              size: { field: 'qty', type: 'quantitative', title: 'fill (shares)' },
              color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['aggressive fill', 'passive fill'], range: ['#e45756', '#54a24b'] } },
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
  } as TopLevelSpec;
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
  return {
    $schema: SCHEMA,
    title: { text: 'Paired difference in IS against the baselines', subtitle: 'mean and 95% interval over the same seeds, bps; left of 0 = cheaper than the baseline' },
    data: { values: rows.map((r) => ({ ...r, label: `vs ${r.against}` })) },
    facet: { column: { field: 'label', type: 'nominal', title: null, sort: against.map((a) => `vs ${a}`) } },
    spec: {
      width: 280,
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
  } as TopLevelSpec;
}
