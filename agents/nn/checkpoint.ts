/**
 * Checkpoint IO. A checkpoint is a directory:
 *
 *   manifest.json  format tag, version, algorithm kind, step count, tensor table
 *                  (name, shape, offset and length in floats), SHA-256 of each file and of all
 *   weights.bin    every tensor's raw float32 values (little-endian), concatenated in table order
 *   state.json     JSON state: normalization statistics, optimizer scalars, counters
 *   config.yaml    the resolved config the run used
 *
 * It is written atomically: the files go into a temporary sibling directory which is then renamed
 * onto the target (an existing checkpoint there is moved aside first and removed after), so a crash
 * never leaves a half-written directory under the final name. Loading verifies the format, the
 * checksums, the tensor sizes and, when asked, the kind and the tensor names/shapes, and throws
 * `CheckpointError` naming what is wrong.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeFileAtomic } from '../../configs/index.ts';

export const CHECKPOINT_FORMAT = 'execution-gym/checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface Checkpoint {
  /** Which algorithm wrote it ('ppo', 'sac', ...). */
  kind: string;
  /** Environment steps taken when it was written. */
  step: number;
  tensors: CheckpointTensor[];
  /** JSON-serializable state (numbers round-trip exactly through JSON). */
  state: Record<string, unknown>;
  /** The resolved config of the run. */
  config: Record<string, unknown>;
}

export interface CheckpointExpectation {
  kind?: string;
  /** Tensors that must be present with these shapes (extra tensors are an error too). */
  tensors?: { name: string; shape: readonly number[] }[];
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

interface ManifestEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

interface Manifest {
  format: string;
  version: number;
  kind: string;
  step: number;
  tensors: ManifestEntry[];
  sha256: { 'weights.bin': string; 'state.json': string; 'config.yaml': string; all: string };
}

function sha256(...parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

let tmpCounter = 0;

/** Writes `ckpt` to the directory `dir` atomically (replacing an existing checkpoint there). */
export function saveCheckpoint(dir: string, ckpt: Checkpoint): void {
  if (!Number.isInteger(ckpt.step) || ckpt.step < 0) throw new CheckpointError(`checkpoint step must be a non-negative integer, got ${ckpt.step}`);
  const entries: ManifestEntry[] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const t of ckpt.tensors) {
    if (seen.has(t.name)) throw new CheckpointError(`duplicate tensor name ${t.name} in checkpoint`);
    seen.add(t.name);
    if (sizeOf(t.shape) !== t.data.length) {
      throw new CheckpointError(`tensor ${t.name}: shape [${t.shape.join(', ')}] needs ${sizeOf(t.shape)} values, got ${t.data.length}`);
    }
    entries.push({ name: t.name, shape: [...t.shape], offset: total, length: t.data.length });
    total += t.data.length;
  }
  const flat = new Float32Array(total);
  for (let i = 0; i < entries.length; i++) flat.set(ckpt.tensors[i].data, entries[i].offset);
  // Float32Array bytes are little-endian on every platform Node supports.
  const weights = new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength);
  const state = JSON.stringify(ckpt.state);
  const config = stringifyYaml(ckpt.config);
  const manifest: Manifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind: ckpt.kind,
    step: ckpt.step,
    tensors: entries,
    sha256: {
      'weights.bin': sha256(weights),
      'state.json': sha256(state),
      'config.yaml': sha256(config),
      all: sha256(weights, state, config),
    },
  };
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}-${tmpCounter++}`);
  const old = join(parent, `.${basename(dir)}.old-${process.pid}-${tmpCounter++}`);
  try {
    mkdirSync(tmp, { recursive: true });
    writeFileAtomic(join(tmp, 'weights.bin'), weights);
    writeFileAtomic(join(tmp, 'state.json'), state);
    writeFileAtomic(join(tmp, 'config.yaml'), config);
    // The manifest goes last: a directory without one is never a checkpoint.
    writeFileAtomic(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

function readOrFail(dir: string, file: string): Buffer {
  try {
    return readFileSync(join(dir, file));
  } catch (err) {
    throw new CheckpointError(`checkpoint ${dir} is damaged: cannot read ${file} (${(err as Error).message})`);
  }
}

/** Loads and verifies the checkpoint in `dir` (see the file header). */
export function loadCheckpoint(dir: string, expect: CheckpointExpectation = {}): Checkpoint {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CheckpointError(`no checkpoint directory at ${dir}`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readOrFail(dir, 'manifest.json').toString('utf8')) as Manifest;
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError(`checkpoint ${dir} is damaged: manifest.json is not valid JSON (${(err as Error).message})`);
  }
  if (manifest.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`${dir} is not a checkpoint: manifest format is ${String(manifest.format)}, expected ${CHECKPOINT_FORMAT}`);
  }
  if (manifest.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`checkpoint ${dir} has version ${String(manifest.version)}; this build reads version ${CHECKPOINT_VERSION}`);
  }
  const weightsBuf = readOrFail(dir, 'weights.bin');
  const stateText = readOrFail(dir, 'state.json').toString('utf8');
  const configText = readOrFail(dir, 'config.yaml').toString('utf8');
  const sums = manifest.sha256 ?? ({} as Manifest['sha256']);
  const checks: [string, string][] = [
    ['weights.bin', sha256(weightsBuf)],
    ['state.json', sha256(stateText)],
    ['config.yaml', sha256(configText)],
  ];
  for (const [file, actual] of checks) {
    const expected = sums[file as 'weights.bin'];
    if (expected !== actual) {
      throw new CheckpointError(`checkpoint ${dir} is damaged: SHA-256 of ${file} is ${actual.slice(0, 12)}…, manifest says ${String(expected).slice(0, 12)}…`);
    }
  }
  if (expect.kind !== undefined && manifest.kind !== expect.kind) {
    throw new CheckpointError(`checkpoint ${dir} was written by '${manifest.kind}', expected '${expect.kind}'`);
  }
  if (weightsBuf.byteLength % 4 !== 0) throw new CheckpointError(`checkpoint ${dir} is damaged: weights.bin has ${weightsBuf.byteLength} bytes, not a multiple of 4`);
  // Copy into an aligned buffer (a Buffer's byteOffset need not be a multiple of 4).
  const flat = new Float32Array(weightsBuf.byteLength / 4);
  new Uint8Array(flat.buffer).set(weightsBuf);
  const tensors: CheckpointTensor[] = [];
  for (const e of manifest.tensors) {
    if (sizeOf(e.shape) !== e.length || e.offset < 0 || e.offset + e.length > flat.length) {
      throw new CheckpointError(`checkpoint ${dir} is damaged: tensor ${e.name} [${e.shape.join(', ')}] does not fit weights.bin`);
    }
    tensors.push({ name: e.name, shape: [...e.shape], data: flat.slice(e.offset, e.offset + e.length) });
  }
  if (expect.tensors !== undefined) {
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (const want of expect.tensors) {
      const got = byName.get(want.name);
      if (got === undefined) throw new CheckpointError(`checkpoint ${dir} does not match the model: tensor ${want.name} is missing`);
      if (got.shape.length !== want.shape.length || got.shape.some((s, i) => s !== want.shape[i])) {
        throw new CheckpointError(
          `checkpoint ${dir} does not match the model: tensor ${want.name} has shape [${got.shape.join(', ')}], the model needs [${want.shape.join(', ')}]`,
        );
      }
      byName.delete(want.name);
    }
    if (byName.size > 0) throw new CheckpointError(`checkpoint ${dir} does not match the model: unexpected tensors ${[...byName.keys()].join(', ')}`);
  }
  let state: Record<string, unknown>;
  let config: Record<string, unknown>;
  try {
    state = JSON.parse(stateText) as Record<string, unknown>;
    config = (parseYaml(configText) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new CheckpointError(`checkpoint ${dir} is damaged: ${(err as Error).message}`);
  }
  return { kind: manifest.kind, step: manifest.step, tensors, state, config };
}
