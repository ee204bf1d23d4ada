/**
 * Tiny vector envs for the PPO tests (next-step autoreset, as env/vector/types.ts specifies).
 *
 * TargetVecEnv: observe a target x ~ U(−1, 1); act a ∈ [−2, 2]; reward −(a − x)²; a new target
 * every step; the episode is truncated (time limit) after `length` steps. The best policy a = x
 * earns 0 per step; the best constant a = 0 earns −E[x²] = −1/3 per step.
 *
 * ArmVecEnv: observe a one-hot of the good arm among 3; reward 1 for pulling it, else 0;
 * terminated after `length` steps. Optimum `length`, uniform random `length`/3.
 */
import { Rng, deriveSeed } from '../../../simulator/random/index.ts';
import type { VectorEnv, VectorStepResult } from '../../../env/index.ts';

abstract class ToyVecEnv implements VectorEnv {
  readonly numEnvs: number;
  abstract readonly obsDim: number;
  readonly actionDim = 1;
  readonly autoresetMode = 'next-step' as const;
  abstract readonly singleObservationSpace: Record<string, unknown>;
  abstract readonly singleActionSpace: Record<string, unknown>;
  protected readonly length: number;
  protected rngs: Rng[] = [];
  protected readonly t: Int32Array;
  protected readonly pending: Uint8Array;
  protected result!: VectorStepResult;
  closed = false;

  constructor(numEnvs: number, length: number) {
    this.numEnvs = numEnvs;
    this.length = length;
    this.t = new Int32Array(numEnvs);
    this.pending = new Uint8Array(numEnvs);
  }

  protected init(): void {
    this.result = {
      observations: new Float64Array(this.numEnvs * this.obsDim),
      rewards: new Float64Array(this.numEnvs),
      terminated: new Uint8Array(this.numEnvs),
      truncated: new Uint8Array(this.numEnvs),
      infos: [],
    };
  }

  protected abstract newTask(i: number): void;
  protected abstract writeObs(i: number): void;
  protected abstract reward(i: number, action: number): number;
  protected abstract endsBy(): 'terminated' | 'truncated';

  async reset(args: { seed?: number } = {}): Promise<{ observations: Float64Array; infos: Record<string, unknown>[] }> {
    const seed = args.seed ?? 0;
    this.rngs = [];
    for (let i = 0; i < this.numEnvs; i++) {
      this.rngs.push(Rng.fromSeed(deriveSeed(seed, i), 'toy'));
      this.t[i] = 0;
      this.pending[i] = 0;
      this.newTask(i);
      this.writeObs(i);
    }
    return { observations: this.result.observations, infos: new Array(this.numEnvs).fill({}) };
  }

  async step(actions: Float64Array): Promise<VectorStepResult> {
    const r = this.result;
    const infos: Record<string, unknown>[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      r.terminated[i] = 0;
      r.truncated[i] = 0;
      if (this.pending[i] !== 0) {
        this.pending[i] = 0;
        this.t[i] = 0;
        this.newTask(i);
        this.writeObs(i);
        r.rewards[i] = 0;
        infos.push({ autoreset: true });
        continue;
      }
      r.rewards[i] = this.reward(i, actions[i]);
      this.t[i] += 1;
      this.newTask(i);
      this.writeObs(i);
      if (this.t[i] >= this.length) {
        if (this.endsBy() === 'terminated') r.terminated[i] = 1;
        else r.truncated[i] = 1;
        this.pending[i] = 1;
        infos.push({ isBps: 42 });
      } else {
        infos.push({});
      }
    }
    r.infos = infos;
    return r;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export class TargetVecEnv extends ToyVecEnv {
  readonly obsDim = 1;
  readonly singleObservationSpace = { type: 'Box', shape: [1], dtype: 'float64', low: [-1], high: [1] };
  readonly singleActionSpace = { type: 'Box', shape: [1], dtype: 'float64', low: [-2], high: [2] };
  private readonly target: Float64Array;

  constructor(numEnvs: number, length = 4) {
    super(numEnvs, length);
    this.target = new Float64Array(numEnvs);
    this.init();
  }
  protected newTask(i: number): void {
    this.target[i] = this.rngs[i].uniform(-1, 1);
  }
  protected writeObs(i: number): void {
    this.result.observations[i] = this.target[i];
  }
  protected reward(i: number, action: number): number {
    const a = Math.min(2, Math.max(-2, action));
    return -((a - this.target[i]) ** 2);
  }
  protected endsBy(): 'truncated' {
    return 'truncated';
  }
}

export class ArmVecEnv extends ToyVecEnv {
  readonly obsDim = 3;
  readonly singleObservationSpace = { type: 'Box', shape: [3], dtype: 'float64', low: [0, 0, 0], high: [1, 1, 1] };
  readonly singleActionSpace = { type: 'Discrete', n: 3, start: 0 };
  private readonly arm: Int32Array;

  constructor(numEnvs: number, length = 4) {
    super(numEnvs, length);
    this.arm = new Int32Array(numEnvs);
    this.init();
  }
  protected newTask(i: number): void {
    this.arm[i] = this.rngs[i].int(0, 2);
  }
  protected writeObs(i: number): void {
    for (let j = 0; j < 3; j++) this.result.observations[i * 3 + j] = j === this.arm[i] ? 1 : 0;
  }
  protected reward(i: number, action: number): number {
    return action === this.arm[i] ? 1 : 0;
  }
  protected endsBy(): 'terminated' {
    return 'terminated';
  }
}
