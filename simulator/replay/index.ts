export { LobsterFormatError, ReplayError } from './errors.ts';
export { NumericCsvReader } from './csv.ts';
export type { NumericCsvOptions } from './csv.ts';
export {
  LobsterType,
  MSG_TIME,
  MSG_TYPE,
  MSG_ID,
  MSG_SIZE,
  MSG_PRICE,
  MSG_DIRECTION,
  MESSAGE_COLUMNS,
  EMPTY_ASK_PRICE,
  EMPTY_BID_PRICE,
  PRICE_SCALE,
  forEachMessageBatch,
  readLobsterMessages,
  openOrderbook,
  readLobsterOrderbook,
  groupExecutions,
  assertLevels,
} from './lobster.ts';
export type { LobsterMessages, LobsterOrderbook, MarketOrders } from './lobster.ts';
export { LobsterWriter } from './writer.ts';
export type { LobsterWriterOptions } from './writer.ts';
export { OneStepChecker, checkLobsterFiles } from './check.ts';
export type { MismatchDetail, OneStepReport, OneStepFileReport } from './check.ts';
export { lobsterFacts } from './facts.ts';
export type { LobsterFacts, LobsterFactsOptions } from './facts.ts';
export { ReplayBook, ReplayTrades, replayLobsterFiles, inferTickSize, SYNTHETIC_OWNER, HISTORICAL_OWNER, HISTORICAL_TAKER } from './replay-book.ts';
export type { ReplayBookOptions, ReplayReport, ReplayFileReport, ReplayMismatch, ExecutionMode } from './replay-book.ts';
export { fitLobsterDay, presetFromFit, initialKnobs, refinePreset, fitIntraday, fitPowerLaw } from './calibrate.ts';
export type { CalibrationOptions, CalibrationFit, LognormalFit, PresetKnobs, RefineOptions, RefineStep } from './calibrate.ts';
export { realSession, simulatedSession, summarize, compareRealism } from './realism.ts';
export type { RealismHeadline, RealismSession, RealSessionOptions, SimSessionOptions, RealismComparison } from './realism.ts';
