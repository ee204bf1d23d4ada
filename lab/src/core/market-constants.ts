/** Constants of the Market view shared by the page and the worker (kept apart so the page does not bundle the simulator). */

/** Allowed ranges of the live parameters (see market-session.ts). */
export const LIVE_LIMITS = { branching: [0, 0.95], tickCents: [1, 25], depth: [0.25, 4] } as const;
/** Lags of the trade-sign autocorrelation shown. */
export const SIGN_LAGS = [1, 5, 20];
/** Return interval of the kurtosis, seconds. */
export const RETURN_SECONDS = 10;
