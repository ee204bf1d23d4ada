/**
 * Checkpoints in and out of the browser. Out: a tar of the run directory layout that
 * `execution-gym evaluate --policy <dir>` loads (`<run>/checkpoints/step-<N>/` with manifest.json,
 * weights.bin, state.json, config.yaml and SHA256SUMS, agents/common/checkpoint.ts's format).
 * In: such a tar, or the files of one checkpoint directory picked one by one; verified by
 * `decodeCheckpoint` (every digest first), so a damaged file is refused, naming it.
 */
import { ALL_CHECKPOINT_FILES, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../agents/common/index.ts';
import { readTar, writeTar } from './tar.ts';

/** The tar of `ckpt` as the run directory `runName` (unpack it and pass `runName` to evaluate --policy). */
export function checkpointTar(ckpt: Checkpoint, runName: string): Uint8Array {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(runName)) throw new Error(`run name must be letters, digits, '.', '_' or '-', got ${JSON.stringify(runName)}`);
  const files = encodeCheckpoint(ckpt);
  const dir = `${runName}/checkpoints/step-${String(ckpt.step).padStart(12, '0')}`;
  const out = new Map<string, Uint8Array>();
  for (const [name, bytes] of files) out.set(`${dir}/${name}`, bytes);
  return writeTar(out, 0);
}

/**
 * A checkpoint from a tar (the latest step in it) or from the files of one checkpoint directory
 * (name → bytes). @throws CheckpointError / TarError naming what is wrong.
 */
export function checkpointFromFiles(files: ReadonlyMap<string, Uint8Array>, where = 'upload'): Checkpoint {
  let map = files;
  if (files.size === 1) {
    const [[name, bytes]] = [...files];
    if (name.endsWith('.tar')) {
      const all = readTar(bytes);
      const dirs = [...new Set([...all.keys()].map((p) => p.slice(0, p.lastIndexOf('/'))))].filter((d) => /step-\d{12}$/.test(d)).sort();
      if (dirs.length === 0) throw new Error(`${name} holds no checkpoints/step-<N>/ directory`);
      const dir = dirs[dirs.length - 1];
      const picked = new Map<string, Uint8Array>();
      for (const [p, b] of all) if (p.slice(0, p.lastIndexOf('/')) === dir) picked.set(p.slice(dir.length + 1), b);
      return decodeCheckpoint(picked, { where: `${name}:${dir}` });
    }
  }
  const picked = new Map<string, Uint8Array>();
  for (const [p, b] of map) {
    const base = p.slice(p.lastIndexOf('/') + 1);
    if (ALL_CHECKPOINT_FILES.includes(base)) picked.set(base, b);
  }
  map = picked;
  return decodeCheckpoint(map, { where });
}
