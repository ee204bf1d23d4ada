export { AlmgrenChrissEnv, AC_FEATURES } from './env.ts';
export { AcOptionsSchema, type AcOptionsInput, type AcParams, type AcClosedForm, parseAcOptions, acOptimal, twapClosedForm, scheduleCost } from './params.ts';
