/**
 * Hawkes order flow: multivariate linear Hawkes processes with sums-of-exponentials kernels.
 *
 * Units: times in seconds, intensities and baselines μ in events per second, decays β in 1/s,
 * branching ratios α (kernel L1 norms) dimensionless. λ_i(t) = μ_i s(t) + Σ_k Σ_j α^k_ij β_k
 * Σ_{t_m^j < t} e^{−β_k (t − t_m^j)}; one decay per component (see params.ts for why).
 *
 * ## Discrete-event contract (how the market drives a HawkesProcess)
 * ```ts
 * const hp = new HawkesProcess(params);           // parses + validates (throws FlowError)
 * hp.reset(streams(seed).get('flow'), 0);
 * for (;;) {
 *   const tH = hp.peekNextTime();                 // stable until consume/excite/reset
 *   const tO = nextOtherEventTime();
 *   if (tH <= tO) { const dim = hp.consume(); handle(dim, hp.time); }
 *   else { handleOther(); if (itExcites) hp.excite(dimOfIt, tO); }  // tO ≤ tH is required
 * }
 * ```
 * - `peekNextTime()` draws the pending event lazily (Infinity when none will ever come) and
 *   returns the same value until it is consumed or invalidated; `peekNextDim()` gives its dimension.
 * - `consume()` applies the pending event, sets `time` and `dim`, returns the dimension;
 *   `nextEvent()` is peek + consume.
 * - `excite(dim, t)` (process.time ≤ t ≤ pending time) applies an outside event: the state moves
 *   to t, the pending event is discarded and redrawn from the new state at the next peek. This is
 *   exact (the state is Markov), and calling it with no event between keeps the law unchanged.
 * - `intensity(dim, t)` / `totalIntensity(t)`: λ at t ≥ time, given no event in between; reads only.
 * - Nothing is allocated per event; a rejected call (FlowError) leaves the state untouched.
 * - Randomness: only the Rng given to `reset`; same seed and same calls give bit-identical events.
 */
export { FlowError } from './errors.ts';
export {
  HawkesParamsSchema,
  HawkesComponentSchema,
  UShapeProfileSchema,
  parseHawkesParams,
  totalBranching,
  spectralRadius,
  meanIntensity,
  rateCovariance,
  MAX_DIMS,
  MAX_COMPONENTS,
} from './params.ts';
export type { HawkesParams, HawkesParamsInput } from './params.ts';
export { UShapeProfile, bucketShares } from './profile.ts';
export type { BaselineProfile, UShapeSpec } from './profile.ts';
export { HawkesProcess } from './process.ts';
export type { HawkesSampler, HawkesProcessOptions } from './process.ts';
export { logLikelihood, rescaledInterArrivals, flattenModel } from './likelihood.ts';
export type { HawkesModel, EventSeries, FlatModel } from './likelihood.ts';
export { fitHawkes } from './fit.ts';
export type { FitOptions, FitResult } from './fit.ts';
export { simulateHawkes } from './simulate.ts';
export type { SimulatedEvents } from './simulate.ts';
