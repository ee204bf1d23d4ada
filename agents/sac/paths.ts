/**
 * Checkpoint locations (shared layout with PPO): the algorithm writes `<run>/checkpoints/step-<N>/`,
 * N zero-padded to 12 digits so that names sort by step.
 * A path given to load or resume may be a checkpoint itself or a run directory (its latest checkpoint).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError } from '../nn/index.ts';

export const CHECKPOINTS_SUBDIR = 'checkpoints';

/** `<run>/checkpoints/step-<step, 12 digits>`. */
export function checkpointDirFor(runDir: string, step: number): string {
  return join(runDir, CHECKPOINTS_SUBDIR, `step-${String(step).padStart(12, '0')}`);
}

/** The checkpoint directory of `path` (a checkpoint, or a run directory: its highest step). @throws CheckpointError when neither. */
export function resolveCheckpointDir(path: string): string {
  if (existsSync(join(path, 'manifest.json'))) return path;
  const sub = join(path, CHECKPOINTS_SUBDIR);
  let best = -1;
  let bestName = '';
  if (existsSync(sub)) {
    for (const name of readdirSync(sub)) {
      const m = /^step-(\d+)$/.exec(name);
      if (m !== null && existsSync(join(sub, name, 'manifest.json')) && Number(m[1]) > best) {
        best = Number(m[1]);
        bestName = name;
      }
    }
  }
  if (best < 0) throw new CheckpointError(`no checkpoint at ${path}: expected ${join(path, 'manifest.json')} or ${join(sub, 'step-<N>', 'manifest.json')}`);
  return join(sub, bestName);
}
