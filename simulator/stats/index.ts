export { StatsError } from './errors.ts';
export { kolmogorovSurvival, ksExp1, ksTwoSample, qqExp1, type KsResult } from './ks.ts';
export {
  resampleLast,
  logReturns,
  moments,
  autocorrelation,
  absAutocorrelation,
  pearson,
  binSums,
  spreadStats,
  intradayVolumeShares,
  depthProfile,
  messageRates,
  signaturePlot,
  stylizedFacts,
} from './facts.ts';
export type { Moments, SpreadStats, VolumeShares, SignaturePlot, StylizedFactsInput, ReturnFacts, StylizedFacts } from './facts.ts';
export { sessionFacts, type SessionFacts } from './session.ts';
