/**
 * LOBSTER files (https://lobsterdata.com): the format, streaming readers, a writer, the one-step
 * consistency check of a message file against its orderbook file, and the stylized facts of a
 * real day. files.ts, csv.ts, writer.ts and check.ts's `checkLobsterFiles` read or write files
 * (Node); the rest is plain computation. Replaying a day into the L3 book is in ../replay; fitting a market to one in
 * ../calibration.
 */
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
  MessageRowChecker,
  validateLobsterMessages,
  lobsterSessionWindow,
  messageCoverage,
  partialSessionNote,
  lobsterChecksum,
  groupExecutions,
  assertLevels,
} from './format.ts';
export { forEachMessageBatch, readLobsterMessages, openOrderbook, readLobsterOrderbook, forEachLobsterRow } from './files.ts';
export type { LobsterMessages, LobsterOrderbook, MarketOrders } from './format.ts';
export { LobsterWriter } from './writer.ts';
export type { LobsterWriterOptions } from './writer.ts';
export { OneStepChecker, checkLobsterFiles } from './check.ts';
export { LobsterRecorder } from './recorder.ts';
export type { MismatchDetail, OneStepReport, OneStepFileReport } from './check.ts';
export { lobsterFacts } from './facts.ts';
export type { LobsterFacts, LobsterFactsOptions } from './facts.ts';
