/**
 * Calibration of the agent-based market from a real LOBSTER day: direct fits (fit.ts), a preset
 * refined by simulated moments (refine.ts), and the realism comparison of real and simulated
 * sessions with the same statistics (realism.ts).
 */
export { fitLobsterDay, fitIntraday, fitPowerLaw, fitActivity } from './fit.ts';
export type { CalibrationOptions, CalibrationFit, LognormalFit, ActivityFit, ActivityFitOptions } from './fit.ts';
export { presetFromFit, initialKnobs, refinePreset, inProcessSessions, informedScales, deepScales, heldOutPassProbability } from './refine.ts';
export type { PresetKnobs, RefineOptions, RefineStep, SessionJob, SessionRunner } from './refine.ts';
export { realSession, simulatedSession, summarize, summarizeHeadlines, compareRealism, realismTargets, depletionGaps, PER_SEED_ACF_BOUND } from './realism.ts';
export type { RealismHeadline, RealismSession, RealSessionOptions, SimSessionOptions, RealismComparison, RealismTarget, DepletionGaps } from './realism.ts';
