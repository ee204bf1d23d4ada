export { StatsError } from './errors.ts';
export { logGamma, incompleteBeta, gammaP, gammaQ, erfc, normalCdf, studentTCdf, studentTTwoSided } from '../../simulator/stats/special.ts';
export {
  checkSample,
  checkPaired,
  mean,
  variance,
  std,
  quantileSorted,
  bootstrapMeanCi,
  meanVariance,
  probabilityBeat,
  type Sample,
  type BootstrapOptions,
} from './summary.ts';
export { pairedTTest, wilcoxonSignedRank, WILCOXON_EXACT_MAX_N, type PairedTResult, type WilcoxonResult } from './tests.ts';
export {
  scoreMatrix,
  iqm,
  matrixMean,
  matrixIqm,
  stratifiedBootstrapCi,
  performanceProfile,
  pairedDifferences,
  type ScoreMatrix,
  type StratifiedBootstrapOptions,
} from './aggregate.ts';
