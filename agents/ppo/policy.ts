/**
 * A trained PPO agent as a `Policy` (and `BatchPolicy`) for evaluation: observations are
 * normalized with the statistics saved in the checkpoint (frozen), then the actor gives the
 * deterministic action — the Gaussian mean mapped into the Box (clipped or tanh-squashed, as in
 * training) or the argmax of the logits. `stochastic: true` samples instead, from a stream seeded
 * by `seed` (reseeded per episode from the episode seed when the harness passes one).
 *
 * `PpoPolicy.fromCheckpoint(checkpoint)` builds one from a decoded checkpoint, without files (a
 * browser can fetch the bytes and decode them with agents/common/checkpoint.ts); `loadPolicy`
 * (train.ts) reads one from a run directory.
 */
import type { Info } from '../../env/core.ts';
import { interfaceOptions, type ActionMode, type BatchPolicy, type EpisodeContext, type Policy } from '../policy.ts';
import { Rng } from '../../simulator/random/index.ts';
import { argmaxJs, sampleGaussianJs, sampleCategoricalJs } from '../nn/distributions.ts';
import type { Checkpoint, LoadPolicyOptions } from '../common/index.ts';
import { type ActorCritic, PpoError } from './agent.ts';
import { decodePpo, ppoAgent } from './checkpoint.ts';

export class PpoPolicy implements Policy<Float64Array, Float64Array | number>, BatchPolicy {
  readonly name: string;
  readonly agent: ActorCritic;
  readonly envId: string;
  readonly envOptions: Record<string, unknown>;
  readonly stochastic: boolean;
  /** The execution env's action mode the policy was trained with (from the env options), if any. */
  readonly actionMode?: ActionMode;
  private rng: Rng;
  private readonly baseSeed: number;
  private readonly logStd: Float64Array;
  private obsNorm: Float32Array;
  private head: Float64Array;
  private values: Float64Array;
  private raw: Float64Array;

  constructor(agent: ActorCritic, opts: { name: string; envId: string; envOptions: Record<string, unknown>; stochastic?: boolean; seed?: number }) {
    this.agent = agent;
    this.name = opts.name;
    this.envId = opts.envId;
    this.envOptions = interfaceOptions(opts.envOptions);
    this.stochastic = opts.stochastic ?? false;
    const mode = opts.envOptions.actionMode;
    if (mode === 'market' || mode === 'limit' || mode === 'hybrid' || mode === 'discrete') this.actionMode = mode;
    else if (agent.action.kind === 'discrete') this.actionMode = 'discrete';
    this.baseSeed = opts.seed ?? 0;
    this.rng = Rng.fromSeed(this.baseSeed, 'ppo/policy');
    this.logStd = agent.logStdValues();
    this.obsNorm = new Float32Array(agent.obsDim);
    this.head = new Float64Array(agent.headDim);
    this.values = new Float64Array(1);
    this.raw = new Float64Array(agent.actDim);
  }

  reset(_info: Info, context?: EpisodeContext): void {
    if (this.stochastic && context?.seed !== undefined) this.rng = Rng.fromSeed(context.seed, 'ppo/policy');
  }

  act(observation: Float64Array): Float64Array | number {
    if (observation.length !== this.agent.obsDim) {
      throw new PpoError(`${this.name}: observation has ${observation.length} features, the policy was trained on ${this.agent.obsDim}`);
    }
    const out = new Float64Array(this.agent.actDim);
    this.actInto(observation, 1, out);
    return this.agent.action.kind === 'discrete' ? out[0] : out;
  }

  actBatch(observations: Float64Array, numEnvs: number, out: Float64Array): void {
    if (observations.length !== numEnvs * this.agent.obsDim || out.length < numEnvs * this.agent.actDim) {
      throw new PpoError(`${this.name}.actBatch: need ${numEnvs}×${this.agent.obsDim} observations and ${numEnvs}×${this.agent.actDim} outputs, got ${observations.length} and ${out.length}`);
    }
    this.actInto(observations, numEnvs, out);
  }

  private actInto(observations: Float64Array, n: number, out: Float64Array): void {
    const a = this.agent;
    if (this.obsNorm.length < n * a.obsDim) {
      this.obsNorm = new Float32Array(n * a.obsDim);
      this.head = new Float64Array(n * a.headDim);
      this.values = new Float64Array(n);
      this.raw = new Float64Array(n * a.actDim);
    }
    a.normalizeObs(observations, n, this.obsNorm, false);
    a.forward(this.obsNorm, n, this.head, this.values);
    if (a.action.kind === 'discrete') {
      const { n: k, start } = a.action;
      for (let i = 0; i < n; i++) out[i] = start + (this.stochastic ? sampleCategoricalJs(this.rng, this.head, i * k, k) : argmaxJs(this.head, i * k, k));
      return;
    }
    const d = a.actDim;
    const map = a.boxMap as NonNullable<typeof a.boxMap>;
    for (let i = 0; i < n; i++) {
      if (this.stochastic) sampleGaussianJs(this.rng, this.head, i * d, this.logStd, this.raw, i * d, d);
      else for (let j = 0; j < d; j++) this.raw[i * d + j] = this.head[i * d + j];
      map.toEnv(this.raw, i * d, out, i * d);
    }
  }

  dispose(): void {
    this.agent.dispose();
  }

  /**
   * The policy of a PPO checkpoint (verified; see checkpoint.ts). Call after the backend is
   * initialized. @throws CheckpointError when it is not a valid PPO checkpoint.
   */
  static fromCheckpoint(ckpt: Checkpoint, options: Omit<LoadPolicyOptions, 'backend'> & { where?: string; name?: string } = {}): PpoPolicy {
    const where = options.where ?? 'checkpoint';
    const d = decodePpo(ckpt, where);
    return new PpoPolicy(ppoAgent(d), {
      name: options.name ?? `ppo:${where}`,
      envId: d.run.envId,
      envOptions: d.run.envOptions,
      stochastic: options.stochastic,
      seed: options.seed,
    });
  }
}
