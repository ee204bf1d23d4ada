/**
 * Historical replay: a LOBSTER day replayed into the L3 book (`ReplayBook`, checked against the
 * orderbook file after every message), and `ReplayDriver`, the day as a market behind the
 * execution task (the agent's orders sit in the same book as the historical ones).
 */
export { ReplayBook, ReplayTrades, inferTickSize, SYNTHETIC_OWNER, HISTORICAL_OWNER, HISTORICAL_TAKER } from './replay-book.ts';
export type { ReplayBookOptions, ReplayReport, ReplayMismatch, ExecutionMode } from './replay-book.ts';
export { replayLobsterFiles } from './files.ts';
export type { ReplayFileReport } from './files.ts';
export { ReplayDriver, ReplayDriverError, REPLAY_OUTSIDE_OWNER_MIN } from './driver.ts';
export type { ReplayDriverOptions } from './driver.ts';
