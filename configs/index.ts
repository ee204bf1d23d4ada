export { writeFileAtomic, writeJsonAtomic, writeYamlAtomic, readYamlFile } from './fs.ts';
export {
  MarketConfigError,
  MarketSpecSchema,
  IntradaySchema,
  TakersSchema,
  LiquiditySchema,
  MarketMakersSchema,
  FundamentalSchema,
  MomentumSchema,
  NoiseSchema,
  InstitutionalSchema,
  parseMarketSpec,
  loadMarketConfig,
  formatIssues,
  numRangeOf,
  unwrapSchema,
  MARKETS_DIR,
  MARKET_PRESETS,
} from './market.ts';
export type { MarketSpec, MarketParams, NumParam, NumRange, Distribution, Concrete } from './market.ts';
export { LatencySchema, LatencyPathSchema, LATENCY_PRESETS, parseLatency } from './latency.ts';
export type { LatencySpec, LatencyInput, LatencyPath } from './latency.ts';
