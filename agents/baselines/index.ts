export { BaselineError } from './errors.ts';
export { type Decision, readDecision, sliceMultiple, actionBounds, BASELINE_AMAX, BASELINE_ENV_OPTIONS } from './context.ts';
export { TwapPolicy } from './twap.ts';
export { PassiveTwapPolicy, type PassiveTwapOptions } from './passive-twap.ts';
export { VwapPolicy, type VwapOptions } from './vwap.ts';
export { PovPolicy, type PovOptions } from './pov.ts';
export { AlmgrenChrissPolicy, type AcPolicyOptions } from './ac.ts';
export { SellNowPolicy } from './sell-now.ts';
export { CatchUpPolicy } from './catch-up.ts';
export { ImbalancePolicy, type ImbalanceOptions } from './imbalance.ts';
export { RandomPolicy, type RandomOptions } from './random.ts';
export {
  type AnyPolicy,
  type PolicyFactory,
  type PolicyLoader,
  type PolicySpec,
  registerPolicy,
  registerPolicyLoader,
  listPolicies,
  makePolicy,
  parsePolicySpec,
  isPolicyPath,
  loadPolicy,
  checkPolicy,
  nearestName,
  type PolicyChecker,
} from './registry.ts';
export { type AcCalibration, type AcCalibrationOptions, type AcSizeRow, calibrateAc, calibrateAcOn, calibrateAcCached, normalizeCalibrationOptions, simulatorFingerprint } from './calibrate.ts';
