export { AlmgrenChrissEnv, AC_FEATURES, type AcInfo } from './env.ts';
export { AcOptionsSchema, type AcOptionsInput, type AcEnvParams, parseAcOptions } from './params.ts';
export {
  type AcParams,
  type AcSolution,
  checkAcParams,
  acKappa,
  acSellFraction,
  acHoldings,
  sinhRatio,
  scheduleMoments,
  solveAlmgrenChriss,
  twapMoments,
  sellNowMoments,
} from './closed-form.ts';
