/**
 * The simulator's public face: the market (event loop, tape, outside orders), domain
 * randomization, and the trader vocabulary (sides, owners). See simulator/market.ts for the API.
 */
export { Market, MarketError, POST_ONLY, IOC, REJECTED } from './market.ts';
export { TradeTape, OutsideFills, MidSeries } from './records.ts';
export type { MarketResetOptions, MessageCounts, MessageRecorder, MarketOrderSeries } from './market.ts';
export { randomizeMarket, randomizeSpec, sampleParam, isRandomized } from './randomize.ts';
export { LatencyModel } from './latency.ts';
export {
  BUY,
  SELL,
  AGENT_OWNER,
  OUTSIDE_OWNER_MIN,
  OWNER_LIQUIDITY,
  OWNER_TAKER,
  OWNER_FUNDAMENTAL,
  OWNER_MOMENTUM,
  OWNER_NOISE,
  OWNER_INSTITUTIONAL,
  OWNER_DEEP_LIQUIDITY,
  OWNER_MAKER_BASE,
} from './traders/index.ts';
