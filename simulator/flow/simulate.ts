/** Convenience: a whole event series from a Hawkes process (allocates; for tests, fitting and the CLI). */
import type { Rng } from '../random/index.ts';
import { FlowError } from './errors.ts';
import type { HawkesSampler } from './process.ts';
import { HawkesProcess } from './process.ts';

export interface SimulatedEvents {
  /** Event times, seconds, non-decreasing. */
  times: Float64Array;
  /** Event dimensions. */
  dims: Int32Array;
}

/**
 * Simulates `params` on [t0, t1) seconds from an empty state with `rng`. `maxEvents` (default
 * 50 million) guards against runaway memory; exceeding it throws FlowError.
 */
export function simulateHawkes(params: unknown, rng: Rng, t1: number, options: { t0?: number; sampler?: HawkesSampler; maxEvents?: number } = {}): SimulatedEvents {
  const t0 = options.t0 ?? 0;
  if (!Number.isFinite(t1) || t1 < t0) throw new FlowError(`t1 must be a finite number of seconds >= t0 = ${t0}, got ${t1}`);
  const maxEvents = options.maxEvents ?? 50_000_000;
  const hp = new HawkesProcess(params, options.sampler === undefined ? {} : { sampler: options.sampler });
  hp.reset(rng, t0);
  let times = new Float64Array(1024);
  let dims = new Int32Array(1024);
  let n = 0;
  while (hp.peekNextTime() < t1) {
    const d = hp.consume();
    if (n === times.length) {
      if (n >= maxEvents) throw new FlowError(`more than maxEvents = ${maxEvents} events before t1 = ${t1}`);
      const nt = new Float64Array(2 * n);
      nt.set(times);
      times = nt;
      const nd = new Int32Array(2 * n);
      nd.set(dims);
      dims = nd;
    }
    times[n] = hp.time;
    dims[n] = d;
    n++;
  }
  return { times: times.slice(0, n), dims: dims.slice(0, n) };
}
