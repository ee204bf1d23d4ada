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
 * `fileView`: read the market orders as a LOBSTER file shows them (`timestampGroups`), not by
 * the aggressive order.
 */
export function sessionFacts(
  market: Market,
  t0: number,
  seconds: number,
  messageCounts: { limit: number; cancel: number; market?: number },
  depth?: StylizedFactsInput['depth'],
  options: { fileView?: boolean } = {},
): SessionFacts {
  const mo = options.fileView === true ? timestampGroups(market.marketOrders(0)) : market.marketOrders(0);
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

/**
 * Market orders as a LOBSTER file shows them: one per run of consecutive executions at one
 * timestamp on one side (what `groupExecutions` reads from a file). Two aggressive orders sent
 * at the same instant on the same side are one market order there (a fundamental trader's IOC
 * and its limit at the value, sent together: 4–7% of the tape's orders on the shipped presets).
 * Quantities add up; the time, sign and owner are the first order's.
 */
export function timestampGroups(mo: MarketOrderSeries): MarketOrderSeries {
  const n = mo.time.length;
  let k = 0;
  for (let i = 0; i < n; i++) if (i === 0 || mo.time[i] !== mo.time[i - 1] || mo.sign[i] !== mo.sign[i - 1]) k++;
  const out: MarketOrderSeries = { time: new Float64Array(k), qty: new Float64Array(k), sign: new Float64Array(k), owner: new Int32Array(k) };
  let j = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || mo.time[i] !== mo.time[i - 1] || mo.sign[i] !== mo.sign[i - 1]) {
      j++;
      out.time[j] = mo.time[i];
      out.sign[j] = mo.sign[i];
      out.owner[j] = mo.owner[i];
    }
    out.qty[j] += mo.qty[i];
  }
  return out;
}
