export {
  BUY,
  SELL,
  OWNER_LIQUIDITY,
  OWNER_TAKER,
  OWNER_FUNDAMENTAL,
  OWNER_MOMENTUM,
  OWNER_NOISE,
  OWNER_INSTITUTIONAL,
  OWNER_DEEP_LIQUIDITY,
  OWNER_MAKER_BASE,
  OUTSIDE_OWNER_MIN,
  AGENT_OWNER,
  MAX_OWNER,
} from './types.ts';
export type { TraderHost } from './types.ts';
export { EventQueue } from './event-queue.ts';
export { HawkesTakers } from './takers.ts';
export { LiquidityProviders } from './liquidity.ts';
export { MarketMakers } from './market-makers.ts';
export { FundamentalTraders } from './fundamental.ts';
export { MomentumTraders } from './momentum.ts';
export { NoiseTraders } from './noise.ts';
export { InstitutionalTraders } from './institutional.ts';
export { drawSize, meanSize } from './sizes.ts';
