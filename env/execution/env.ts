/**
 * The execution task (task.ts) on the simulated agent-based market: Liquidate-v0, Acquire-v0,
 * Liquidate-Limit-v0. Each episode's market comes from a preset (`market` option) whose
 * distributions are drawn anew per episode from the `randomize` stream (domain randomization; with
 * `randomize: false` once, from seed 0), and whose flow comes from the `market` stream.
 */
import { randomizeMarket, type Market } from '../../simulator/index.ts';
import { Rng } from '../../simulator/random/index.ts';
import { loadMarketConfig, parseMarketSpec, type MarketSpec } from '../../configs/index.ts';
import { EnvError } from '../core.ts';
import { SimulatedMarketSource } from './simulated.ts';
import { type ExecutionOptions, type ExecutionOptionsInput, parseExecutionOptions } from './options.ts';
import { ExecutionTaskEnv } from './task.ts';

export class ExecutionEnv extends ExecutionTaskEnv<Market> {
  declare readonly options: ExecutionOptions & { decisionCount: number };
  /** The market preset (distributions not yet drawn). */
  readonly spec: MarketSpec;

  /** @throws EnvError for invalid options or market config (naming the field and value). */
  constructor(options: ExecutionOptionsInput | Record<string, unknown> = {}, id = 'Liquidate-v0') {
    const o = parseExecutionOptions(options, id);
    let spec: MarketSpec;
    try {
      spec = typeof o.market === 'string' ? loadMarketConfig(o.market) : parseMarketSpec(o.market, `${id} options.market`);
    } catch (err) {
      throw new EnvError(`invalid ${id} options: market: ${(err as Error).message}`);
    }
    const fixed = o.randomize ? null : randomizeMarket(spec, Rng.fromSeed(0, 'randomize'));
    super(id, o, new SimulatedMarketSource(spec, fixed, id), (overrides) => new ExecutionEnv({ ...(options as Record<string, unknown>), ...overrides }, id));
    this.spec = spec;
  }
}
