/**
 * The simulated market as a `MarketSource` (market.ts): each episode's parameters are drawn from
 * the preset's distributions with the episode's `randomize` stream (or fixed), and one `Market`
 * is reset per episode with the episode seed (its flow streams derive from it).
 */
import { Market, MarketError, randomizeMarket } from '../../simulator/index.ts';
import type { Rng } from '../../simulator/random/index.ts';
import type { MarketParams, MarketSpec } from '../../configs/index.ts';
import { EnvError } from '../core.ts';
import type { MarketPlan, MarketSource } from './market.ts';

export class SimulatedMarketSource implements MarketSource<Market> {
  private market: Market | null = null;

  /**
   * @param spec the market preset (distributions drawn per episode unless `fixedParams`)
   * @param fixedParams parameters for every episode (no domain randomization), or null
   * @param id who asks, for error messages
   */
  constructor(
    readonly spec: MarketSpec,
    private readonly fixedParams: MarketParams | null = null,
    private readonly id = 'market',
  ) {}

  /** What determines the markets (for caches of measurements on them). */
  identity(): unknown {
    return this.fixedParams === null ? { spec: this.spec } : { spec: this.spec, params: this.fixedParams };
  }

  plan(episodeSeed: number, randomize: Rng): MarketPlan<Market> {
    const params = this.fixedParams ?? randomizeMarket(this.spec, randomize);
    return {
      sessionBegin: 0,
      sessionEnd: params.sessionSeconds,
      open: (start: number): Market => {
        try {
          if (this.market === null) this.market = new Market(params, episodeSeed, { startSeconds: start });
          else this.market.reset(params, episodeSeed, { startSeconds: start });
        } catch (err) {
          if (err instanceof MarketError) throw new EnvError(`${this.id} reset: ${err.message}`);
          throw err;
        }
        return this.market;
      },
    };
  }
}

