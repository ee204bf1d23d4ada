/** Defaults of the evaluation, shared by `evaluate` and `benchmark` (no imports: the CLI loads this at start). */

/** Risk aversion (1/bps) of the AC baseline and of the E + λ·Var column. */
export const DEFAULT_LAMBDA_PER_BPS = 0.01;
/** POV's participation rate. */
export const DEFAULT_POV_RHO = 0.1;
/** Seeds of the AC calibration. */
export const DEFAULT_AC_CALIBRATION_SEEDS = 500;
