/**
 * A tiny execution env for the harness tests ('FakeExec-v0'), registered on import so that
 * evaluation workers can build it (`modules: [this file]`). It mimics the info fields of the
 * execution env: decision clock, inventory, IS in bps, fills, market volume, expected volume curve.
 *
 * Sell X shares over N decisions. Market volume of each interval ~ Poisson(500) and the price
 * shock ~ N(0, noise²) (option `noise`, default 0.05) are drawn every step whatever the action (common random numbers).
 * market mode: [a] sells n = min(a·x/(N−k), x) at price − 0.01 − 0.001·n (aggressive fill).
 * limit mode: [a, offset] posts n at price + offset·0.01; it fills (passive, at that price) when
 * the interval's volume exceeds 500 + 20·offset, else rests unfilled (cancelled at the next step).
 * At the last decision what is left is swept at price − 0.01 − 0.001·x.
 */
import { Rng } from '../../../simulator/random/index.ts';
import { Box, EnvError, register, type Env, type Info, type ResetArgs, type ResetResult, type StepResult } from '../../../env/index.ts';

export class FakeExecEnv implements Env<Float64Array, Float64Array> {
  readonly observationSpace = new Box(0, 1, [2]);
  readonly actionSpace: Box;
  readonly metadata: Record<string, unknown>;
  readonly N: number;
  readonly X: number;
  readonly mode: 'market' | 'limit';
  readonly noise: number;
  private rng = Rng.fromSeed(0, 'fake');
  private k = 0;
  private x = 0;
  private price = 100;
  private cost = 0;
  private lastVolume = 0;
  private passiveQty = 0;
  private swept = 0;
  private started = false;

  constructor(options: Record<string, unknown>) {
    const mode = options.actionMode ?? 'market';
    if (mode !== 'market' && mode !== 'limit') throw new EnvError(`FakeExec-v0 actionMode must be market or limit, got ${String(mode)}`);
    this.mode = mode;
    this.N = (options.N as number | undefined) ?? 10;
    this.X = (options.X as number | undefined) ?? 1000;
    this.noise = (options.noise as number | undefined) ?? 0.05;
    this.actionSpace = mode === 'market' ? new Box(0, this.N, [1]) : new Box([0, -5], [this.N, 5]);
    this.metadata = { id: 'FakeExec-v0', actionMode: mode };
  }

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed, 'fake');
    this.k = 0;
    this.x = this.X;
    this.price = 100;
    this.cost = 0;
    this.lastVolume = 0;
    this.passiveQty = 0;
    this.swept = 0;
    this.started = true;
    return { observation: Float64Array.of(1, 1), info: this.info([]) };
  }

  step(action: Float64Array): StepResult<Float64Array> {
    if (!this.started) throw new EnvError('step before reset');
    const why = this.actionSpace.explain(action);
    if (why !== null) throw new EnvError(`bad action: ${why}`);
    const volume = this.rng.poisson(500);
    const shock = this.rng.normal(0, 1) * this.noise;
    const left = this.N - this.k;
    const n = Math.min((action[0] * this.x) / left, this.x);
    const fills: { price: number; qty: number; passive: boolean }[] = [];
    if (n > 0) {
      if (this.mode === 'market') {
        const p = this.price - 0.01 - 0.001 * n;
        fills.push({ price: p, qty: n, passive: false });
      } else if (volume > 500 + 20 * action[1]) {
        fills.push({ price: this.price + 0.01 * action[1], qty: n, passive: true });
        this.passiveQty += n;
      }
    }
    for (const f of fills) {
      this.cost += f.qty * (100 - f.price);
      this.x -= f.qty;
    }
    this.k++;
    if (this.k === this.N && this.x > 0) {
      const p = this.price - 0.01 - 0.001 * this.x;
      fills.push({ price: p, qty: this.x, passive: false });
      this.cost += this.x * (100 - p);
      this.swept = this.x;
      this.x = 0;
    }
    this.price += shock;
    this.lastVolume = volume;
    const terminated = this.k === this.N || this.x === 0;
    if (terminated) this.started = false;
    const info = this.info(fills);
    return { observation: Float64Array.of(1 - this.k / this.N, this.x / this.X), reward: 0, terminated, truncated: false, info };
  }

  close(): void {
    this.started = false;
  }

  private info(fills: { price: number; qty: number; passive: boolean }[]): Info {
    const u: number[] = [];
    // A decreasing volume profile: U(k) = 1 − (1 − k/N)².
    for (let j = 0; j <= this.N; j++) u.push(1 - (1 - j / this.N) ** 2);
    return {
      decisionIndex: this.k,
      decisionCount: this.N,
      decisionSeconds: 10,
      remainingQty: this.x,
      quantity: this.X,
      executedQty: this.X - this.x,
      sweptQty: this.swept,
      arrivalPrice: 100,
      isBps: (this.cost / (this.X * 100)) * 1e4,
      fills,
      othersVolumeLastStep: this.lastVolume,
      expectedVolumePerStep: 500,
      expectedCumulativeVolume: u,
    };
  }
}

register('FakeExec-v0', (o) => new FakeExecEnv(o) as unknown as Env<Float64Array, Float64Array | number>, { overwrite: true });
