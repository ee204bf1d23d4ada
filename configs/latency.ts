/**
 * Latency between the agent and the exchange (the execution task's `latency` option), zod like
 * every market parameter and randomizable per episode (any number may be a distribution drawn
 * once per episode, see market.ts).
 *
 * Two paths, each a per-message distribution plus a component that rises with activity:
 * - `order`: agent → book, for every new order, cancel and re-peg (and the deadline sweep);
 * - `data`: book → agent, for the observation (the book the agent sees is this old) and for the
 *   reports of its fills.
 * A path's latency for one message is  base + loadSeconds × (messages per second over the last
 * decision interval), where `base` is drawn per message from `distribution`:
 *   fixed      `seconds`
 *   lognormal  median `seconds`, log-sd `sigma`
 *   empirical  one of `samples` (seconds), uniformly
 * Default: everything 0 (no latency; the task is then exactly the latency-free one).
 * Units: seconds; `loadSeconds` in seconds per (message per second).
 */
import { z } from 'zod';
import { MarketConfigError, formatIssues, num } from './market.ts';

/** Most seconds a path's base latency may be (an hour: a typo guard, not a model limit). */
const MAX_LATENCY = 3600;

export const LatencyPathSchema = z
  .strictObject({
    distribution: z.enum(['fixed', 'lognormal', 'empirical']).default('fixed').describe('per-message distribution of the base latency'),
    seconds: num('fixed: the latency; lognormal: the median, seconds', 0, { min: 0, max: MAX_LATENCY }),
    sigma: num('lognormal: the sd of log latency', 0.5, { min: 0, max: 5 }),
    samples: z
      .array(z.number().refine((x) => Number.isFinite(x) && x >= 0 && x <= MAX_LATENCY, { error: `samples must be finite seconds in [0, ${MAX_LATENCY}]` }))
      .optional()
      .describe('empirical: measured latencies, seconds (drawn uniformly)'),
    loadSeconds: num('extra seconds per (message per second) of the market over the last decision interval', 0, { min: 0, max: 1 }),
  })
  .refine((p) => p.distribution !== 'empirical' || (p.samples !== undefined && p.samples.length > 0), {
    error: 'an empirical latency needs samples: a non-empty list of seconds',
    path: ['samples'],
  });

export const LatencySchema = z
  .strictObject({
    name: z.string().default('custom').describe('preset name, for reports'),
    order: LatencyPathSchema.prefault({}).describe('agent → book: new orders, cancels, re-pegs, the deadline sweep'),
    data: LatencyPathSchema.prefault({}).describe('book → agent: the observation and the fill reports'),
  })
  .describe('latency between the agent and the exchange');

export type LatencySpec = z.output<typeof LatencySchema>;
export type LatencyInput = z.input<typeof LatencySchema>;
export type LatencyPath = z.output<typeof LatencyPathSchema>;

/** Built-in connection presets (seconds). */
export const LATENCY_PRESETS: Readonly<Record<string, LatencyInput>> = {
  /** No latency: orders act and the book is seen at the decision instant. */
  none: { name: 'none' },
  /**
   * Co-located: tens of microseconds each way (a server in the exchange's data centre), with a
   * lognormal jitter and a small load component.
   */
  colocated: {
    name: 'colocated',
    order: { distribution: 'lognormal', seconds: 0.00005, sigma: 0.3, loadSeconds: 0.000002 },
    data: { distribution: 'lognormal', seconds: 0.00003, sigma: 0.3, loadSeconds: 0.000001 },
  },
  /**
   * Retail-like: a broker's API over the internet, tens of milliseconds with a heavy tail that
   * worsens when the market is busy.
   */
  retail: {
    name: 'retail',
    order: { distribution: 'lognormal', seconds: 0.05, sigma: 0.6, loadSeconds: 0.002 },
    data: { distribution: 'lognormal', seconds: 0.02, sigma: 0.5, loadSeconds: 0.001 },
  },
};

/** A preset name or a spec object → a parsed spec. @throws MarketConfigError naming the field. */
export function parseLatency(input: unknown, source = 'latency'): LatencySpec {
  if (typeof input === 'string') {
    const p = LATENCY_PRESETS[input];
    if (p === undefined) throw new MarketConfigError(`unknown latency preset ${JSON.stringify(input)}; allowed: ${Object.keys(LATENCY_PRESETS).join(', ')} or an object`);
    input = p;
  }
  const r = LatencySchema.safeParse(input ?? {});
  if (!r.success) throw new MarketConfigError(`invalid latency config (${source}):\n${formatIssues(r.error.issues, input, 'latency', LatencySchema)}`);
  return r.data;
}
