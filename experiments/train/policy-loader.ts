/**
 * Importing this module registers the loader of trained policies with the baselines' policy
 * registry, so a run directory works wherever a policy name does:
 *
 *   execution-gym evaluate --policy runs/ppo-1,twap --modules experiments/train/policy-loader.ts
 *
 * The loader reads the checkpoint with the one resolver training's --resume uses (a run directory
 * gives its latest complete checkpoint; agents/common/checkpoint-fs.ts), verifies it, and hands
 * it to the `loadPolicy` of the algorithm its manifest names (deterministic actions; backend
 * 'auto', or options.backend).
 */
import { registerPolicyLoader } from '../../agents/index.ts';
import { loadCheckpoint } from '../../agents/common/checkpoint-fs.ts';
import { CheckpointError, MANIFEST_FILE } from '../../agents/common/index.ts';
import { ALGOS, listAlgos, loadAlgo } from './algos.ts';

/** The algorithm that wrote the checkpoint at `path` (a checkpoint or a run directory), verified. */
export function checkpointKind(path: string): string {
  return loadCheckpoint(path).kind;
}

/** Reads and verifies the checkpoint at `path` and checks that this build knows its algorithm. */
function verified(path: string): ReturnType<typeof loadCheckpoint> {
  const ckpt = loadCheckpoint(path);
  if (ALGOS[ckpt.kind] === undefined) {
    throw new CheckpointError(`${ckpt.dir}/${MANIFEST_FILE}: the checkpoint was written by '${ckpt.kind}', which this build does not know (${listAlgos().join(', ')})`, MANIFEST_FILE);
  }
  return ckpt;
}

registerPolicyLoader(
  async (path, options) => {
    const ckpt = verified(path);
    const algo = await loadAlgo(ckpt.kind);
    return algo.loadPolicy(ckpt, options as Record<string, never>);
  },
  (path) => void verified(path),
);
