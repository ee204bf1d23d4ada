/**
 * Liquidate-AC-v0: the pure Almgren–Chriss world (docs/reference.md), no order book.
 *
 * Sell X shares over N decisions τ = T/N days apart. At decision k (1..N) the agent sells
 * n_k = min(a · x_{k-1} / (N - k + 1), x_{k-1}) (a multiple `a` of the TWAP slice of what is
 * left: a = 1 every step is exactly TWAP, a = N - k + 1 sells everything), at
 *   S̃_k = S_{k-1} − ε sgn(n_k) − η n_k / τ;
 * then the price moves: S_k = S_{k-1} + σ √τ ξ_k − γ n_k (ξ_k ~ N(0, 1) from the `price` stream,
 * drawn at every step whatever the action, so every policy sees the same noise for a seed).
 * At the last decision everything left is sold whatever the action (x_N = 0).
 *
 * Reward of step k, in bps of X·S0:  −[ n_k (S0 − S̃_k) + λ σ² τ x_k² ] / (X S0) · 1e4.
 * The episode's rewards sum to −IS_bps − λV_bps, where IS = X S0 − Σ n_k S̃_k, and for any
 * deterministic schedule E[Σ rewards] = −(E + λV) / (X S0) · 1e4 with E, V of the closed form.
 *
 * Observation (Box, 3 features): [time left (N − k)/N ∈ [0, 1], inventory left x_k / X ∈ [0, 1],
 * price move (S_k − S0) / (σ √T) clipped to [−10, 10] (0 when σ = 0)].
 * Episodes terminate after N decisions or once the inventory is sold.
 */
import { Rng, assertSeed } from '../../simulator/random/index.ts';
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../core.ts';
import type { TaskInfo } from '../execution/info.ts';
import { Box } from '../spaces/index.ts';
import { type AcEnvParams, parseAcOptions } from './params.ts';
import { solveAlmgrenChriss, type AcSolution } from './closed-form.ts';

export const AC_FEATURES = ['timeLeft', 'inventoryLeft', 'priceMove'] as const;
const PRICE_MOVE_CLIP = 10;

/** The info of Liquidate-AC-v0: the task fields plus the model's prices and closed-form figures ($, $²). */
export type AcInfo = TaskInfo & {
  /** Shares sold in this step and at what price ($). */
  tradedQty: number;
  execPrice: number;
  /** The unaffected price S_k now, $. */
  price: number;
  /** Implementation shortfall so far, $. */
  costUsd: number;
  /** Accumulated λσ²τx² penalty, $ and bps. */
  riskUsd: number;
  riskBps: number;
  reward: number;
  /** Closed-form E ($) and V ($²) of TWAP and of the optimal schedule. */
  twapE: number;
  twapV: number;
  optimalE: number;
  optimalV: number;
};

export class AlmgrenChrissEnv implements Env<Float64Array, Float64Array, AcInfo> {
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly metadata: Record<string, unknown>;
  readonly params: AcEnvParams;
  /** Closed form of TWAP (E in $, V in $²). */
  readonly twap: AcSolution;
  /** Closed-form optimal schedule for the params' λ. */
  readonly optimal: AcSolution;

  private rng: Rng = Rng.fromSeed(0, 'ac/price');
  private readonly notional: number;
  private readonly sqrtTau: number;
  private readonly moveScale: number;
  private k = 0;
  private x = 0;
  private price = 0;
  private costUsd = 0;
  private riskUsd = 0;
  private started = false;
  private done = false;

  /** @param options see AcOptionsSchema (all optional). @throws EnvError on invalid options. */
  constructor(options: Record<string, unknown> = {}, id = 'Liquidate-AC-v0') {
    this.params = parseAcOptions(options);
    const p = this.params;
    this.observationSpace = new Box([0, 0, -PRICE_MOVE_CLIP], [1, 1, PRICE_MOVE_CLIP], [3], 'float64');
    this.actionSpace = new Box(0, p.aMax, [1], 'float64');
    this.notional = p.X * p.S0;
    this.sqrtTau = Math.sqrt(p.tau);
    this.moveScale = p.sigma > 0 ? 1 / (p.sigma * Math.sqrt(p.T)) : 0;
    this.twap = solveAlmgrenChriss({ ...p, lambda: 0 });
    this.optimal = solveAlmgrenChriss(p);
    this.metadata = { id, features: [...AC_FEATURES], rewardUnit: 'bps of X*S0', params: { ...p } };
  }

  /** `seed` reseeds the price stream; without it the stream continues. `options` are not used. */
  reset(args: ResetArgs = {}): ResetResult<Float64Array, AcInfo> {
    if (args.seed !== undefined) {
      try {
        assertSeed(args.seed);
      } catch (err) {
        throw new EnvError(`reset: ${(err as Error).message}`);
      }
      this.rng = Rng.fromSeed(args.seed, 'ac/price');
    }
    this.k = 0;
    this.x = this.params.X;
    this.price = this.params.S0;
    this.costUsd = 0;
    this.riskUsd = 0;
    this.started = true;
    this.done = false;
    return { observation: this.observe(), info: this.info(0, 0, 0) };
  }

  /** @param action [a] with 0 <= a <= aMax. @throws EnvError (state untouched) on a bad action or call order. */
  step(action: Float64Array): StepResult<Float64Array, AcInfo> {
    if (!this.started) throw new EnvError('step() before reset(): call reset() first');
    if (this.done) throw new EnvError('step() after the episode ended: call reset() first');
    const why = this.actionSpace.explain(action);
    if (why !== null) throw new EnvError(`invalid action for Liquidate-AC-v0 (Box [0, ${this.params.aMax}] of shape [1]): ${why}`);
    const p = this.params;
    const left = p.N - this.k;
    let n = left === 1 ? this.x : Math.min((action[0] * this.x) / left, this.x);
    // a = decisions-left must sell everything despite rounding.
    if (this.x - n <= 1e-9 * p.X) n = this.x;
    const execPrice = this.price - (n > 0 ? p.epsilon : 0) - (p.eta * n) / p.tau;
    const stepCost = n * (p.S0 - execPrice);
    this.x = n === this.x ? 0 : this.x - n;
    const stepRisk = p.lambda * p.sigma * p.sigma * p.tau * this.x * this.x;
    this.costUsd += stepCost;
    this.riskUsd += stepRisk;
    this.price += p.sigma * this.sqrtTau * this.rng.normal(0, 1) - p.gamma * n;
    this.k++;
    const terminated = this.k === p.N || this.x === 0;
    this.done = terminated;
    const reward = (-(stepCost + stepRisk) / this.notional) * 1e4;
    return { observation: this.observe(), reward, terminated, truncated: false, info: this.info(n, execPrice, reward) };
  }

  close(): void {
    this.started = false;
  }

  private observe(): Float64Array {
    const o = new Float64Array(3);
    const p = this.params;
    o[0] = (p.N - this.k) / p.N;
    o[1] = this.x / p.X;
    let m = (this.price - p.S0) * this.moveScale;
    if (m > PRICE_MOVE_CLIP) m = PRICE_MOVE_CLIP;
    else if (m < -PRICE_MOVE_CLIP) m = -PRICE_MOVE_CLIP;
    o[2] = m;
    return o;
  }

  private info(n: number, execPrice: number, reward: number): AcInfo {
    const p = this.params;
    return {
      quantity: p.X,
      decisionIndex: this.k,
      decisionCount: p.N,
      tradedQty: n,
      execPrice,
      price: this.price,
      remainingQty: this.x,
      executedQty: p.X - this.x,
      costUsd: this.costUsd,
      isBps: (this.costUsd / this.notional) * 1e4,
      riskUsd: this.riskUsd,
      riskBps: (this.riskUsd / this.notional) * 1e4,
      reward,
      twapE: this.twap.expectedCost,
      twapV: this.twap.variance,
      optimalE: this.optimal.expectedCost,
      optimalV: this.optimal.variance,
    };
  }
}
