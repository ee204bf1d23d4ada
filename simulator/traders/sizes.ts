/** Order-size draws shared by the traders (allocation-free). */
import type { Rng } from '../random/index.ts';

/**
 * A lognormal size with median `median` shares and log-sd `sigma`, rounded to whole lots of
 * `lot` shares with probability `lotProbability` (at least one lot), else to whole shares (at least 1).
 */
export function drawSize(rng: Rng, median: number, sigma: number, lot: number, lotProbability: number): number {
  const x = sigma > 0 ? median * Math.exp(sigma * rng.normal()) : median;
  if (lotProbability > 0 && rng.next() < lotProbability) {
    const n = Math.round(x / lot);
    return (n < 1 ? 1 : n) * lot;
  }
  const q = Math.round(x);
  return q < 1 ? 1 : q;
}

/** Mean of `drawSize` ignoring rounding (lognormal mean), shares. */
export function meanSize(median: number, sigma: number): number {
  return median * Math.exp((sigma * sigma) / 2);
}
