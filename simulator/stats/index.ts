export {
  StatsError,
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
  kolmogorovQ,
  ksTwoSample,
  stylizedFacts,
} from './facts.ts';
export type { Moments, SpreadStats, VolumeShares, SignaturePlot, KsResult, StylizedFactsInput, ReturnFacts, StylizedFacts } from './facts.ts';
