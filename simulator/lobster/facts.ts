/**
 * Stylized facts of a real LOBSTER day: turns message and orderbook columns into the inputs of
 * `stylizedFacts` (stats/) with these conventions, chosen to match the reference figures in
 * LOBSTER's README:
 * - mid and spread from level 1 of each orderbook row (the book after each message), in ticks;
 *   rows with an empty side are skipped;
 * - market orders = visible executions (type 4) grouped by timestamp and side; their signs feed
 *   the trade-sign ACF; hidden executions (type 5) count in volume (figures and shares) but not
 *   as market orders unless `hiddenAsMarketOrders`;
 * - message counts: `limit` (type 1), `cancel` (types 2 and 3), `market` (grouped orders),
 *   `marketInclHidden` (visible and hidden executions grouped by timestamp and side: LOBSTER's
 *   README's "market orders 0.34/s"), `hiddenExecution` (type 5 rows), `halt` (type 7);
 * - returns from the mid at the end of each interval, the first interval's return dropped.
 */
import { stylizedFacts } from '../stats/index.ts';
import type { StylizedFacts } from '../stats/index.ts';
import { ReplayError } from './errors.ts';
import { LobsterType, PRICE_SCALE, groupExecutions } from './format.ts';
import type { LobsterMessages, LobsterOrderbook } from './format.ts';

export interface LobsterFactsOptions {
  /** One tick in LOBSTER price units (dollars × 10,000); default 100 ($0.01). */
  tickSize?: number;
  /** Session start, seconds after midnight (default 34,200 = 09:30). */
  sessionStart?: number;
  /** Session length, seconds (default 23,400 = until 16:00). */
  sessionSeconds?: number;
  /** Count hidden executions as market orders too (default false). */
  hiddenAsMarketOrders?: boolean;
}

export interface LobsterFacts extends StylizedFacts {
  /** Share of executed volume that was hidden (type 5). */
  hiddenVolumeShare: number;
  /** Mean spread in cents (for comparison with LOBSTER's README). */
  meanSpreadCents: number;
}

export function lobsterFacts(m: LobsterMessages, book: LobsterOrderbook, options: LobsterFactsOptions = {}): LobsterFacts {
  if (m.length !== book.length) throw new ReplayError(`message and orderbook row counts differ: ${m.length} and ${book.length}`);
  const tick = options.tickSize ?? 100;
  if (!Number.isInteger(tick) || tick < 1) throw new ReplayError(`tickSize must be a positive integer (dollars × 10,000), got ${String(tick)}`);
  const t0 = options.sessionStart ?? 34200;
  const seconds = options.sessionSeconds ?? 23400;
  const cols = 4 * book.levels;
  const midTimes = new Float64Array(m.length);
  const mids = new Float64Array(m.length);
  const spreads = new Float64Array(m.length);
  let k = 0;
  for (let i = 0; i < m.length; i++) {
    const o = i * cols;
    const ask = book.values[o];
    const bid = book.values[o + 2];
    if (!(book.values[o + 1] > 0) || !(book.values[o + 3] > 0)) continue;
    midTimes[k] = m.time[i];
    mids[k] = (ask + bid) / 2 / tick;
    spreads[k] = (ask - bid) / tick;
    k++;
  }
  if (k === 0) throw new ReplayError('no orderbook row has both sides: no mid price');
  const orders = groupExecutions(m, options.hiddenAsMarketOrders ?? false);
  const withHidden = options.hiddenAsMarketOrders ? orders.length : groupExecutions(m, true).length;
  let hiddenRows = 0;
  let hiddenVol = 0;
  let visibleVol = 0;
  let limits = 0;
  let cancels = 0;
  let halts = 0;
  for (let i = 0; i < m.length; i++) {
    switch (m.type[i]) {
      case LobsterType.SUBMIT:
        limits++;
        break;
      case LobsterType.CANCEL:
      case LobsterType.DELETE:
        cancels++;
        break;
      case LobsterType.EXECUTE:
        visibleVol += m.size[i];
        break;
      case LobsterType.EXECUTE_HIDDEN:
        hiddenRows++;
        hiddenVol += m.size[i];
        break;
      case LobsterType.HALT:
        halts++;
        break;
      default:
        break;
    }
  }
  let extraT: Float64Array | undefined;
  let extraQ: Float64Array | undefined;
  if (!(options.hiddenAsMarketOrders ?? false)) {
    extraT = new Float64Array(hiddenRows);
    extraQ = new Float64Array(hiddenRows);
    for (let i = 0, j = 0; i < m.length; i++) {
      if (m.type[i] === LobsterType.EXECUTE_HIDDEN) {
        extraT[j] = m.time[i];
        extraQ[j] = m.size[i];
        j++;
      }
    }
  }
  const facts = stylizedFacts({
    midTimes: midTimes.subarray(0, k),
    mids: mids.subarray(0, k),
    spreadsTicks: spreads.subarray(0, k),
    tradeTimes: orders.time.subarray(0, orders.length),
    tradeQty: orders.qty.subarray(0, orders.length),
    tradeSign: orders.sign.subarray(0, orders.length),
    extraVolumeTimes: extraT,
    extraVolumeQty: extraQ,
    sessionStart: t0,
    sessionSeconds: seconds,
    tick: tick / PRICE_SCALE,
    messageCounts: { limit: limits, cancel: cancels, market: orders.length, marketInclHidden: withHidden, hiddenExecution: hiddenRows, halt: halts },
    depth: depthOf(book),
  });
  const executed = hiddenVol + visibleVol;
  return { ...facts, hiddenVolumeShare: executed > 0 ? hiddenVol / executed : NaN, meanSpreadCents: facts.spread.meanDollars * 100 };
}

function depthOf(book: LobsterOrderbook): { levels: number; bidSizes: Float64Array; askSizes: Float64Array } {
  const L = book.levels;
  const bid = new Float64Array(book.length * L);
  const ask = new Float64Array(book.length * L);
  for (let r = 0; r < book.length; r++) {
    for (let l = 0; l < L; l++) {
      const o = r * 4 * L + 4 * l;
      ask[r * L + l] = book.values[o + 1];
      bid[r * L + l] = book.values[o + 3];
    }
  }
  return { levels: L, bidSizes: bid, askSizes: ask };
}
