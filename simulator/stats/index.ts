export { StatsError } from './errors.ts';
export { logGamma, incompleteBeta, gammaP, gammaQ, erfc, normalCdf, studentTCdf, studentTTwoSided } from './special.ts';
export { kolmogorovSurvival, ksExp1, ksTwoSample, qqExp1, type KsResult } from './ks.ts';
export {
  resampleLast,
  logReturns,
  moments,
  autocorrelation,
  acf1RobustSe,
  absAutocorrelation,
  pearson,
  binSums,
  spreadStats,
  intradayVolumeShares,
  depthProfile,
  messageRates,
  signaturePlot,
  overlappingReturnAcf,
  stylizedFacts,
  factsHeadline,
} from './facts.ts';
export type { FactsHeadline, Moments, SpreadStats, VolumeShares, SignaturePlot, StylizedFactsInput, ReturnFacts, StylizedFacts } from './facts.ts';
export { sessionFacts, type SessionFacts } from './session.ts';
export { signMemory, marketOrderBranching, quantiles, SIGN_FIT_LAGS, type SignMemory } from './memory.ts';
