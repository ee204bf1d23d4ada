/**
 * A trained SAC agent as a `Policy`: deterministic a = center + halfRange·tanh(μ(s)) (the mean of
 * the pre-squash Gaussian), with the observation statistics frozen as saved.
 */
import type { Info } from '../../env/core.ts';
import type { ActionMode, BatchPolicy, Policy } from '../policy.ts';
import { loadSac, type SacRunInfo } from './checkpoint.ts';
import type { SacAgent } from './sac.ts';
import { resolveCheckpointDir } from './paths.ts';
import { initBackend } from '../nn/index.ts';
import type { LoadPolicyOptions } from '../common/index.ts';
import { Rng } from '../../simulator/random/index.ts';

export class SacPolicy implements Policy<Float64Array, Float64Array>, BatchPolicy {
  readonly name: string;
  readonly agent: SacAgent;
  /** The run's env id and options as saved (undefined when the checkpoint lacks them). */
  readonly run: SacRunInfo;
  readonly actionMode?: ActionMode;
  /** False: sample from π instead of acting on the mean (for diagnostics). */
  deterministic = true;

  constructor(agent: SacAgent, name = 'sac', run: SacRunInfo = {}) {
    this.agent = agent;
    this.name = name;
    this.run = run;
    const mode = run.envOptions?.actionMode;
    if (mode === 'market' || mode === 'limit' || mode === 'discrete') this.actionMode = mode;
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
}

/**
 * Loads the policy of a run directory (its latest checkpoint) or of a checkpoint directory.
 * Call `await initBackend(...)` first. @throws CheckpointError when there is no valid SAC checkpoint.
 */
export function loadSacPolicy(path: string, name?: string): SacPolicy {
  const dir = resolveCheckpointDir(path);
  const { agent, run } = loadSac(dir);
  return new SacPolicy(agent, name ?? `sac(${path})`, run);
}

/**
 * The shared loader (`execution-gym evaluate --policy <run>`): starts the backend, loads the latest
 * checkpoint of a run directory (or a checkpoint directory). Deterministic tanh(mean) unless
 * `stochastic`, which samples from π with the stream of `seed` (default 0).
 * @throws CheckpointError when there is no valid SAC checkpoint.
 */
export async function loadPolicy(path: string, options: LoadPolicyOptions = {}): Promise<SacPolicy> {
  await initBackend(options.backend ?? 'auto');
  const policy = loadSacPolicy(path);
  if (options.stochastic === true) {
    policy.deterministic = false;
    policy.agent.rng = Rng.fromSeed(options.seed ?? 0, 'sac/policy');
  }
  return policy;
}
