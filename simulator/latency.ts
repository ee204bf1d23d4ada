/**
 * The agent's connection to the exchange: per-message latencies of the order path (agent → book)
 * and the data path (book → agent), drawn from the episode's own `latency` stream, so switching
 * latency on never shifts the market's other streams. See configs/latency.ts for the model:
 * base (fixed, lognormal or empirical) + loadSeconds × the recent message rate.
 */
import { LatencySchema, type Concrete, type LatencyPath, type LatencySpec } from '../configs/index.ts';
import { randomizeSpec } from './randomize.ts';
import type { Rng } from './random/index.ts';

type Path = Concrete<LatencyPath>;

export class LatencyModel {
  /** This episode's concrete parameters (distributions drawn once from the `params` stream). */
  readonly params: Concrete<LatencySpec>;
  /** False when both paths are identically zero (the task then runs its latency-free path). */
  readonly enabled: boolean;
  private readonly rng: Rng;

  /**
   * @param spec the parsed latency config
   * @param stream the episode's `latency` stream: its fork 'params' draws the per-episode
   *   parameters, the stream itself the per-message latencies
   */
  constructor(spec: LatencySpec, stream: Rng) {
    this.params = randomizeSpec(LatencySchema, spec, stream.fork('params'));
    this.rng = stream;
    const on = (p: Path): boolean => p.seconds > 0 || p.loadSeconds > 0 || (p.distribution === 'empirical' && (p.samples ?? []).some((x) => x > 0));
    this.enabled = on(this.params.order) || on(this.params.data);
  }

  /** One order-path latency, seconds, given the market's recent message rate (messages per second). */
  order(messageRate: number): number {
    return this.draw(this.params.order, messageRate);
  }

  /** One data-path latency, seconds. */
  data(messageRate: number): number {
    return this.draw(this.params.data, messageRate);
  }

  private draw(p: Path, rate: number): number {
    let base: number;
    switch (p.distribution) {
      case 'fixed':
        base = p.seconds;
        break;
      case 'lognormal':
        base = p.seconds * Math.exp(p.sigma * this.rng.normal());
        break;
      default: {
        const s = p.samples as number[];
        base = s[this.rng.int(0, s.length - 1)];
      }
    }
    return base + p.loadSeconds * (rate > 0 ? rate : 0);
  }
}
