/**
 * A trained SAC agent as a `Policy`: deterministic a = center + halfRange·tanh(μ(s)) (the mean of
 * the pre-squash Gaussian), with the observation statistics frozen as saved. `stochastic: true`
 * samples from π instead, with the stream of `seed`.
 *
 * `SacPolicy.fromCheckpoint(checkpoint)` builds one from a decoded checkpoint, without files (a
 * browser can fetch the bytes and decode them with agents/common/checkpoint.ts); `loadPolicy`
 * (train.ts) reads one from a run directory.
 */
import type { Info } from '../../env/core.ts';
import { interfaceOptions, type ActionMode, type BatchPolicy, type Policy } from '../policy.ts';
import { Rng } from '../../simulator/random/index.ts';
import type { Checkpoint, LoadPolicyOptions, RunInfo } from '../common/index.ts';
import type { SacAgent } from './agent.ts';
import { decodeSac, sacAgent } from './checkpoint.ts';

export class SacPolicy implements Policy<Float64Array, Float64Array>, BatchPolicy {
  readonly name: string;
  readonly agent: SacAgent;
  /** The run the policy was trained in (env id and options), when known. */
  readonly run: Partial<RunInfo>;
  readonly actionMode?: ActionMode;
  readonly envId?: string;
  /** The run's interface options (agents/policy.ts INTERFACE_OPTION_KEYS), applied by a harness. */
  readonly envOptions: Record<string, unknown>;
  /** False: sample from π instead of acting on the mean (for diagnostics). */
  deterministic = true;

  constructor(agent: SacAgent, name = 'sac', run: Partial<RunInfo> = {}) {
    this.agent = agent;
    this.name = name;
    this.run = run;
    this.envId = run.envId;
    this.envOptions = interfaceOptions(run.envOptions);
    const mode = run.envOptions?.actionMode;
    if (mode === 'market' || mode === 'limit' || mode === 'hybrid' || mode === 'discrete') this.actionMode = mode;
  }

  act(observation: Float64Array, _info?: Info): Float64Array {
    const out = new Float64Array(this.agent.actionDim);
    this.agent.act(observation, 1, out, this.deterministic);
    return out;
  }

  actBatch(observations: Float64Array, numEnvs: number, out: Float64Array): void {
    this.agent.act(observations, numEnvs, out, this.deterministic);
  }

  dispose(): void {
    this.agent.dispose();
  }

  /**
   * The policy of a SAC checkpoint (verified; see checkpoint.ts). Call after the backend is
   * initialized. @throws CheckpointError when it is not a valid SAC checkpoint.
   */
  static fromCheckpoint(ckpt: Checkpoint, options: Omit<LoadPolicyOptions, 'backend'> & { where?: string; name?: string } = {}): SacPolicy {
    const where = options.where ?? 'checkpoint';
    const d = decodeSac(ckpt, where);
    const policy = new SacPolicy(sacAgent(d), options.name ?? `sac(${where})`, d.run);
    if (options.stochastic === true) {
      policy.deterministic = false;
      policy.agent.rng = Rng.fromSeed(options.seed ?? 0, 'sac/policy');
    }
    return policy;
  }
}
