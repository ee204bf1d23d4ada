/**
 * What the execution task needs from a market, and how an env gets one market per episode.
 *
 * `ExecutionMarket` is satisfied by the simulated `Market` (simulator/market.ts) and by the
 * LOBSTER `ReplayDriver` (simulator/replay/driver.ts): the task (task.ts) runs unchanged over
 * either. Prices are integer ticks, quantities shares, times session seconds; sides BUY = 1,
 * SELL = −1; the agent's orders use one outside owner id (AGENT_OWNER).
 */
import type { Rng } from '../../simulator/random/index.ts';
import type { MidSeries, OutsideFills, TradeTape } from '../../simulator/index.ts';
import type { FeatureSource } from './features.ts';

export interface ExecutionMarket extends FeatureSource {
  /** Current session time, seconds. */
  readonly now: number;
  /** Every fill since the episode started (aggressor sign, owners). */
  readonly tape: TradeTape;
  /** Fills of outside owners (the agent); the task reads them and clears the buffer. */
  readonly outsideFills: OutsideFills;
  /** Mid and spread on a regular grid from the episode start. */
  readonly series: MidSeries;
  /** One tick in dollars. */
  readonly tickDollars: number;
  /** Advances the market to session time t (>= now), processing everything up to t. */
  runUntil(t: number): void;
  /** An outside market order now; returns the filled shares (the rest found no liquidity). */
  submitMarket(owner: number, side: number, qty: number): number;
  /** An outside limit order now (a crossing part fills at once); returns its id, resting or not. */
  submitLimit(owner: number, side: number, priceTicks: number, qty: number): number;
  /** Cancels an outside order; false when it is no longer resting. */
  cancel(id: number): boolean;
  /** Price of a resting order, ticks. */
  orderPrice(id: number): number;
  /** Best bid / ask in ticks, 0 when the side is empty. */
  bestBid(): number;
  bestAsk(): number;
  /** Messages the market has processed since the episode started (for latency that rises with activity). */
  messageCount(): number;
  /** Expected traded volume over session times [t0, t1], shares. */
  expectedVolume(t0: number, t1: number): number;
  /** Expected volume shares of `buckets` equal intervals of [t0, t1] (sum 1). */
  volumeProfile(t0: number, t1: number, buckets: number): Float64Array;
}

/** One episode's market, planned before anything changes (see `MarketSource.plan`). */
export interface MarketPlan<M extends ExecutionMarket> {
  /** Session times the episode must fit in: start >= sessionBegin, start + horizon <= sessionEnd. */
  readonly sessionBegin: number;
  readonly sessionEnd: number;
  /** Builds (or resets) the market with its clock at session time `start`. @throws EnvError. */
  open(start: number): M;
}

/** Where an execution env's markets come from: a simulated preset, a historical day, ... */
export interface MarketSource<M extends ExecutionMarket> {
  /**
   * Plans the episode with seed `episodeSeed`: draws whatever the market itself randomizes from
   * `randomize` (the episode's `randomize` stream; the task's own draws come from its fork
   * 'task') and changes nothing yet. @throws EnvError when no episode can be built.
   */
  plan(episodeSeed: number, randomize: Rng): MarketPlan<M>;
  /** Extra fields for the last step's info (for example the replay's consistency counters). */
  report?(market: M): Record<string, unknown>;
  /** A JSON-serializable value that determines every market this source builds (cache keys). */
  identity(): unknown;
}
