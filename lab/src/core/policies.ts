/**
 * Trained policies from checkpoints, as `evaluate --policy <run>` builds them (deterministic
 * actions through the float64 forward pass), and the env a checkpoint was trained on. Used by the
 * Train view (trained or loaded checkpoints) and the Execute view (the shipped policies).
 */
import type { AnyPolicy } from '../../../agents/index.ts';
import type { Checkpoint } from '../../../agents/common/index.ts';
import { PPO_KIND } from '../../../agents/ppo/checkpoint.ts';
import { PpoPolicy } from '../../../agents/ppo/policy.ts';
import { SAC_KIND } from '../../../agents/sac/checkpoint.ts';
import { SacPolicy } from '../../../agents/sac/policy.ts';

/** The deterministic policy of a checkpoint (PPO or SAC), as `evaluate --policy <run>` builds it. */
export function policyFromCheckpoint(ckpt: Checkpoint, where: string): AnyPolicy {
  if (ckpt.kind === PPO_KIND) return PpoPolicy.fromCheckpoint(ckpt, { where });
  if (ckpt.kind === SAC_KIND) return SacPolicy.fromCheckpoint(ckpt, { where });
  throw new Error(`checkpoint kind ${JSON.stringify(ckpt.kind)} is not one the lab can run (ppo, sac)`);
}

/** The env a checkpoint was trained on (its run record). */
export function checkpointEnv(ckpt: Checkpoint): { envId: string; envOptions: Record<string, unknown> } {
  // Checkpoints keep the run's fields at the top of their config (beside the algorithm's hyperparameters).
  const run = ckpt.config as { envId?: unknown; envOptions?: unknown };
  const envId = typeof run?.envId === 'string' ? run.envId : '';
  const envOptions = typeof run?.envOptions === 'object' && run.envOptions !== null ? (run.envOptions as Record<string, unknown>) : {};
  if (envId === '') throw new Error(`the checkpoint (${ckpt.kind}, step ${ckpt.step}) does not name the env it was trained on`);
  return { envId, envOptions };
}
