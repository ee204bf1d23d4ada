/**
 * The stylized facts of a simulated session, read off the market's records (its 1-second mid and
 * spread series and its tape grouped into market orders): the one definition `simulate` and the
 * realism comparison share.
 */
import type { Market, MarketOrderSeries } from '../market.ts';
import { stylizedFacts, type StylizedFacts, type StylizedFactsInput } from './facts.ts';

export interface SessionFacts {
  facts: StylizedFacts;
  /** The tape's market orders since the start (time, qty, sign, owner). */
  marketOrders: MarketOrderSeries;
}

/**
 * Facts of the session [t0, t0 + seconds] the market has just run. `messageCounts` are the
 * message counts to report (a level-N view's counts, or the market's own); a missing `market`
 * count is the number of market orders on the tape. `depth`: optional depth snapshots.
 * `fileView`: read the market orders as a LOBSTER file shows them (`Market.marketOrders`'s
 * 'file' view), not by the aggressive order.
 */
export function sessionFacts(
  market: Market,
  t0: number,
  seconds: number,
  messageCounts: { limit: number; cancel: number; market?: number },
  depth?: StylizedFactsInput['depth'],
  options: { fileView?: boolean } = {},
): SessionFacts {
  const mo = market.marketOrders(0, options.fileView === true ? 'file' : 'order');
  const s = market.series;
  const facts = stylizedFacts({
    midTimes: market.sampleTimes(),
    mids: s.mid.subarray(0, s.length),
    spreadsTicks: s.spread.subarray(0, s.length),
    tradeTimes: mo.time,
    tradeQty: mo.qty,
    tradeSign: mo.sign,
    sessionStart: t0,
    sessionSeconds: seconds,
    tick: market.tickDollars,
    messageCounts: { limit: messageCounts.limit, cancel: messageCounts.cancel, market: messageCounts.market ?? mo.time.length },
    depth,
  });
  return { facts, marketOrders: mo };
}

