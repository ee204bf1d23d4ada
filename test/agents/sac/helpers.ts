/** Test helpers for SAC: the backend and a small continuous task. */
import { initBackend } from '../../../agents/nn/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { Box } from '../../../env/spaces/index.ts';
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../../../env/core.ts';

export async function setupTf(): Promise<void> {
  await initBackend('wasm');
}

/**
 * Track-the-target: each step shows x ~ U(−1, 1) and pays −(a − x)² for the action a ∈ [−2, 2]
 * (so the optimum is a = x, return 0). The episode terminates after `terminateAfter` steps (if
 * set); wrap it in TimeLimit for truncations. Observation: [x, steps taken / 10].
 */
export class TargetEnv implements Env<Float64Array, Float64Array> {
  readonly observationSpace = new Box([-1, 0], [1, 100], [2]);
  readonly actionSpace = new Box(-2, 2, [1]);
  readonly metadata: Record<string, unknown> = { id: 'Target-v0' };
  private rng = Rng.fromSeed(0, 'target');
  private x = 0;
  private t = 0;
  private started = false;

  constructor(private readonly terminateAfter = Infinity) {}

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    if (args.seed !== undefined) this.rng = Rng.fromSeed(args.seed, 'target');
    this.t = 0;
    this.started = true;
    this.x = this.rng.uniform(-1, 1);
    return { observation: this.obs(), info: {} };
  }

  step(action: Float64Array): StepResult<Float64Array> {
    if (!this.started) throw new EnvError('step before reset');
    const e = action[0] - this.x;
    this.t++;
    this.x = this.rng.uniform(-1, 1);
    const terminated = this.t >= this.terminateAfter;
    if (terminated) this.started = false;
    return { observation: this.obs(), reward: -e * e, terminated, truncated: false, info: { isBps: e * e } };
  }

  close(): void {}

  private obs(): Float64Array {
    return Float64Array.of(this.x, this.t / 10);
  }
}
