/**
 * Replaying LOBSTER files from disk (Node only): the message file streamed into a `ReplayBook`
 * and checked against its orderbook file after every message.
 */
import { MSG_DIRECTION, MSG_ID, MSG_PRICE, MSG_SIZE, MSG_TIME, MSG_TYPE } from '../lobster/format.ts';
import { forEachLobsterRow } from '../lobster/files.ts';
import { ReplayBook } from './replay-book.ts';
import type { ReplayReport } from './replay-book.ts';

export interface ReplayFileReport extends ReplayReport {
  /** Wall-clock seconds reading both files and replaying. */
  seconds: number;
  /** Messages per wall-clock second. */
  messagesPerSecond: number;
  /** Best bid and ask (ticks) at the end. */
  finalBestBid: number;
  finalBestAsk: number;
}

/**
 * Replays a LOBSTER message file into the L3 book, checking each message against its orderbook
 * row (streams both files). `levels` must match the orderbook file when given.
 * @throws LobsterFormatError for a malformed file or different row counts.
 */
export function replayLobsterFiles(messagesPath: string, orderbookPath: string, options: { levels?: number; tickSize?: number; maxDetails?: number } = {}): ReplayFileReport {
  const t0 = performance.now();
  let rb = new ReplayBook({ levels: 1 });
  const open = (levels: number): void => {
    rb = new ReplayBook({ levels, tickSize: options.tickSize, maxDetails: options.maxDetails });
  };
  const { rows } = forEachLobsterRow(messagesPath, orderbookPath, options.levels, open, (row, mv, o, bv, bo) => {
    const time = mv[o + MSG_TIME];
    const type = mv[o + MSG_TYPE];
    const dir = mv[o + MSG_DIRECTION];
    if (row === 0) {
      rb.seed(bv, bo, { time, type, orderId: mv[o + MSG_ID], size: mv[o + MSG_SIZE], price: mv[o + MSG_PRICE], direction: dir });
    } else {
      rb.apply(time, type, mv[o + MSG_ID], mv[o + MSG_SIZE], mv[o + MSG_PRICE], dir);
      rb.check(bv, bo);
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  return { ...rb.report(), seconds, messagesPerSecond: seconds > 0 ? rows / seconds : Infinity, finalBestBid: rb.book.bestBid(), finalBestAsk: rb.book.bestAsk() };
}
