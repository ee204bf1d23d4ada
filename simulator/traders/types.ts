/**
 * What the background traders see of the market (`TraderHost`, implemented by `Market`), their
 * owner ids, and the kinds of scheduled events.
 *
 * Every order a trader sends goes through the host, which applies it to the book at the host's
 * current time, records the fills on the tape and tells the other traders. An invalid order from
 * a trader is a bug: the book throws its `BookError` and nothing swallows it.
 */

/** Sides as plain numbers (hot code). */
export const BUY = 1;
export const SELL = -1;

/** Owner ids of the background traders. Outside (agent) owners are >= OUTSIDE_OWNER_MIN. */
export const OWNER_LIQUIDITY = 1;
export const OWNER_TAKER = 2;
export const OWNER_FUNDAMENTAL = 3;
export const OWNER_MOMENTUM = 4;
export const OWNER_NOISE = 5;
export const OWNER_INSTITUTIONAL = 6;
/** The liquidity providers' deep, patient layer (`liquidity.deepRate`): its own cancel hazard. */
export const OWNER_DEEP_LIQUIDITY = 7;
/** Market maker i has owner OWNER_MAKER_BASE + i (i < 16). */
export const OWNER_MAKER_BASE = 16;
/** Smallest owner id for outside orders (the env's agent uses AGENT_OWNER). */
export const OUTSIDE_OWNER_MIN = 100;
export const AGENT_OWNER = 100;
/** Largest owner id accepted. */
export const MAX_OWNER = 65535;

/** Limit flags (the book's values). */
export const FLAG_POST_ONLY = 1;
export const FLAG_IOC = 2;

/** Kinds of scheduled events (`key = kind << 8 | index`). */
export const EV_MAKER = 1;
export const EV_FUNDAMENTAL = 2;
export const EV_MOMENTUM = 3;
export const EV_NOISE = 4;
export const EV_PARENT = 5;
export const EV_CHILD = 6;
/** An order of the agent's Hawkes cluster (index: dimension, 0 buy, 1 sell). */
export const EV_TAKER_CHILD = 7;
/**
 * A trader's order reaching the book after its latency: key = EV_DELAYED_BASE | slot (slot of the
 * market's pending-order store, < 2^24), apart from the `kind << 8 | index` keys.
 */
export const EV_DELAYED_BASE = 1 << 24;

/** Kinds of a delayed order (`sendDelayed`). */
export const SEND_MARKET = 0;
export const SEND_LIMIT = 1;
export const SEND_IOC = 2;
/** Who to tell about a delayed order's fills (`sendDelayed`'s `notify`). */
export const NOTIFY_NONE = 0;
export const NOTIFY_FUNDAMENTAL_LATENT = 1;

import type { OrderBook } from '../book/index.ts';

export interface TraderHost {
  /** The book, for read-only queries (liveCount, orderOwner, ...). Mutate only through the host. */
  readonly book: OrderBook;
  /** Short-term volatility over its base level (1 = normal), for the makers' widening. */
  volatilityRatio(): number;
  /** Current simulated time, seconds from the session start. */
  readonly now: number;
  /** Best bid in ticks, or 0 when the bid side is empty. */
  bestBid(): number;
  /** Best ask in ticks, or 0 when the ask side is empty. */
  bestAsk(): number;
  /** Mid in ticks, never NaN (see `Market.mid`). */
  mid(): number;
  /** Shares resting at the best bid (0 when empty). */
  bestBidQty(): number;
  /** Shares resting at the best ask (0 when empty). */
  bestAskQty(): number;
  /** Mid recorded `seconds` ago on the 1-second grid (the earliest sample if the run is shorter). */
  midAgo(seconds: number): number;
  /** Activity multiplier of the market-order sources now: the intraday profile times the stochastic activity factor. */
  activity(): number;
  /** Activity multiplier of the liquidity providers' limit and refill rates now (the profile times the factor's liquidity share). */
  liquidityActivity(): number;
  /**
   * A limit order for `owner` with `flags` 0, FLAG_POST_ONLY or FLAG_IOC; returns its id, or −1
   * when rejected (a post-only order that would cross).
   */
  placeLimit(owner: number, side: number, priceTicks: number, qty: number, flags: number): number;
  /** An immediate-or-cancel limit order; returns the filled quantity (the rest is cancelled). */
  placeIoc(owner: number, side: number, priceTicks: number, qty: number): number;
  /** A market order; returns the filled quantity. */
  placeMarket(owner: number, side: number, qty: number): number;
  /** Cancels a live order (must be live). */
  cancelOrder(id: number): void;
  /** Removes `byQty` shares (1 ≤ byQty < its remaining qty) from a live order: a partial cancel, keeping its priority. */
  reduceOrder(id: number, byQty: number): void;
  /** Whether an order id is resting in the book. */
  isLive(id: number): boolean;
  /** Schedules `key` (kind << 8 | index) at `time`. */
  schedule(time: number, key: number): void;
  /**
   * Sends an order that reaches the book `delay` seconds from now (a trader's order-entry
   * latency): `kind` SEND_MARKET, SEND_LIMIT (with `flags`) or SEND_IOC, priced when sent and
   * applied as it is when it arrives; `notify` says who learns the filled quantity.
   */
  sendDelayed(delay: number, owner: number, kind: number, side: number, priceTicks: number, qty: number, flags: number, notify: number): void;
}
