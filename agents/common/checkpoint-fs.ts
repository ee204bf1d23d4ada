/**
 * Checkpoints on disk (Node only; the format itself is checkpoint.ts, which needs no Node). A
 * checkpoint is a directory holding the files of checkpoint.ts; a run directory keeps its
 * checkpoints in `<run>/checkpoints/step-<N>/`, N zero-padded to 12 digits so names sort by step.
 *
 * Saving is atomic: the files go into a temporary sibling `.step-<N>.tmp-<pid>-<k>/` (each one
 * flushed to disk, SHA256SUMS last), which is then renamed onto the final name. An existing
 * checkpoint there is first moved to `.step-<N>.old-<pid>-<k>/` and removed after (and left alone
 * when it already holds the same bytes). A crash never leaves a partial directory under a final
 * name; what it can leave are those dot-directories. `removeTemporaries(run)`, called when a run
 * starts in the directory, deletes them and puts back an `.old` copy whose final name is gone.
 *
 * Finding a checkpoint: `resolveCheckpointDir(path)` is the one resolver (training's resume, the
 * policy loaders and `evaluate` all go through it). A run directory resolves to its highest step
 * whose directory is complete (holds SHA256SUMS, which is written last), skipping empty or
 * incomplete ones; any other directory is taken as a checkpoint itself.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  ALL_CHECKPOINT_FILES,
  CheckpointError,
  MANIFEST_FILE,
  SUMS_FILE,
  decodeCheckpoint,
  encodeCheckpoint,
  type Checkpoint,
  type CheckpointExpectation,
  type CheckpointFiles,
} from './checkpoint.ts';
import { runInfo, type RunInfo, type TrainOptions } from './train-api.ts';

export const CHECKPOINTS_SUBDIR = 'checkpoints';
const STEP_DIR = /^step-(\d+)$/;
/** Temporaries of saveCheckpoint (`.step-N.tmp-…`, `.step-N.old-…`) and of configs/fs writeFileAtomic (`.name.tmp-…`). */
const TEMPORARY = /^\.(.+)\.(tmp|old)-\d+-\d+$/;

/** `<run>/checkpoints/step-<step, 12 digits>`. */
export function checkpointDirFor(runDir: string, step: number): string {
  return join(runDir, CHECKPOINTS_SUBDIR, `step-${String(step).padStart(12, '0')}`);
}

function fsyncPath(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened for fsync on every platform (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeDurably(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** True when `dir` already holds exactly these files' bytes. */
function holdsSameFiles(dir: string, files: CheckpointFiles): boolean {
  for (const [name, bytes] of files) {
    const path = join(dir, name);
    if (!existsSync(path) || !Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(readFileSync(path))) return false;
  }
  return true;
}

let tmpCounter = 0;

/** Writes a checkpoint's files into the directory `dir` atomically (see the file header). */
export function writeCheckpointFiles(dir: string, files: CheckpointFiles): void {
  const sums = files.get(SUMS_FILE);
  if (sums === undefined) throw new CheckpointError(`refusing to write ${dir}: the files have no ${SUMS_FILE}`, SUMS_FILE);
  // Saving the same step again with the same bytes (a resumed run with nothing left to train) is a no-op.
  if (holdsSameFiles(dir, files)) return;
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}-${tmpCounter++}`);
  const old = join(parent, `.${basename(dir)}.old-${process.pid}-${tmpCounter++}`);
  try {
    mkdirSync(tmp);
    for (const [name, bytes] of files) if (name !== SUMS_FILE) writeDurably(join(tmp, name), bytes);
    // SHA256SUMS goes last: a directory without it is never a complete checkpoint.
    writeDurably(join(tmp, SUMS_FILE), sums);
    fsyncPath(tmp);
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
    fsyncPath(parent);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Writes `ckpt` to the directory `dir` atomically (replacing a checkpoint there). */
export function saveCheckpoint(dir: string, ckpt: Checkpoint): void {
  writeCheckpointFiles(dir, encodeCheckpoint(ckpt));
}

/** The checkpoint files present in `dir` (missing ones are left out; decodeCheckpoint names them). */
export function readCheckpointFiles(dir: string): CheckpointFiles {
  const files: CheckpointFiles = new Map();
  for (const name of ALL_CHECKPOINT_FILES) {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new CheckpointError(`cannot read ${path}: ${(err as Error).message}`, name);
    }
    files.set(name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }
  return files;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The checkpoint directory `path` names: `path` itself, or for a run directory (one with a
 * `checkpoints/` folder) its highest step-<N> that is complete, skipping empty and incomplete
 * ones (no SHA256SUMS). @throws CheckpointError when there is none.
 */
export function resolveCheckpointDir(path: string): string {
  if (!existsSync(path)) throw new CheckpointError(`no checkpoint at ${path}: it does not exist`);
  if (!isDirectory(path)) throw new CheckpointError(`no checkpoint at ${path}: it is not a directory`);
  const sub = join(path, CHECKPOINTS_SUBDIR);
  if (!isDirectory(sub)) {
    if (ALL_CHECKPOINT_FILES.some((f) => existsSync(join(path, f)))) return path;
    throw new CheckpointError(`no checkpoint at ${path}: expected a checkpoint directory (with ${SUMS_FILE}) or a run directory (with ${CHECKPOINTS_SUBDIR}/step-<N>/)`);
  }
  const steps = readdirSync(sub)
    .map((name) => ({ name, m: STEP_DIR.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null && isDirectory(join(sub, e.name)))
    .sort((a, b) => Number(b.m[1]) - Number(a.m[1]));
  for (const { name } of steps) if (existsSync(join(sub, name, SUMS_FILE))) return join(sub, name);
  const skipped = steps.length === 0 ? 'it holds no step-<N> directory' : `${steps.map((s) => s.name).slice(0, 5).join(', ')}${steps.length > 5 ? ', …' : ''} ${steps.length === 1 ? 'is' : 'are'} incomplete (no ${SUMS_FILE})`;
  throw new CheckpointError(`no checkpoint at ${path}: ${sub} has no complete checkpoint; ${skipped}`, SUMS_FILE);
}

/**
 * Loads and verifies the checkpoint `path` names (a checkpoint or a run directory: see
 * `resolveCheckpointDir`). A checkpoint in a `step-<N>` directory must say step N.
 * @throws CheckpointError naming the file at fault.
 */
export function loadCheckpoint(path: string, expect: CheckpointExpectation = {}): Checkpoint & { dir: string } {
  const dir = resolveCheckpointDir(path);
  const ckpt = decodeCheckpoint(readCheckpointFiles(dir), { where: dir, expect });
  const m = STEP_DIR.exec(basename(dir));
  if (m !== null && Number(m[1]) !== ckpt.step) {
    throw new CheckpointError(`${join(dir, MANIFEST_FILE)} says step ${ckpt.step}, but the directory is ${basename(dir)}`, MANIFEST_FILE);
  }
  return { ...ckpt, dir };
}

/**
 * Cleans up after runs that were killed while writing: in `runDir` and `runDir/checkpoints`,
 * deletes the temporaries of saveCheckpoint and writeFileAtomic, except that an `.old` copy of a
 * checkpoint whose final directory is gone (killed between the two renames) is put back first.
 * Call it when a run starts in `runDir` (before anything writes there). Returns what it did.
 */
export function removeTemporaries(runDir: string): { removed: string[]; restored: string[] } {
  const removed: string[] = [];
  const restored: string[] = [];
  for (const dir of [runDir, join(runDir, CHECKPOINTS_SUBDIR)]) {
    if (!isDirectory(dir)) continue;
    const entries = readdirSync(dir)
      .map((name) => ({ name, m: TEMPORARY.exec(name) }))
      .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null);
    for (const { name, m } of entries) {
      const path = join(dir, name);
      const target = join(dir, m[1]);
      if (m[2] === 'old' && STEP_DIR.test(m[1]) && !existsSync(target) && existsSync(join(path, SUMS_FILE))) {
        renameSync(path, target);
        restored.push(target);
      }
    }
    for (const { name } of entries) {
      const path = join(dir, name);
      if (!existsSync(path)) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
  }
  return { removed, restored };
}

/**
 * A checkpoint from `source`: a path (resolved and verified, `kind` required) or a checkpoint
 * already read; `where` names it in messages (its directory, when read from one).
 */
export function checkpointFrom(source: string | (Checkpoint & { dir?: string }), kind: string): { ckpt: Checkpoint; where: string } {
  if (typeof source !== 'string') return { ckpt: source, where: source.dir ?? 'checkpoint' };
  const ckpt = loadCheckpoint(source, { kind });
  return { ckpt, where: ckpt.dir };
}

/**
 * The start of a training run in `options.outDir`, shared by the algorithms: removes what a run
 * killed mid-save left there, loads and decodes the checkpoint to resume from (if any), and
 * resolves the run and the hyperparameters: the saved ones when resuming, else the env's preset,
 * with `options.config` on top.
 * @throws CheckpointError for a bad resume checkpoint, TrainOptionsError for a seed that differs from it.
 */
export function openRun<S extends { run: RunInfo; config: object }, C>(
  algo: string,
  options: TrainOptions,
  decode: (ckpt: Checkpoint, where: string) => S,
  preset: (envId: string, envOptions: Readonly<Record<string, unknown>>) => object,
  parse: (input: unknown) => C,
): { saved: S | undefined; run: RunInfo; config: C } {
  // First, so that a checkpoint a killed save had moved aside is back in place before resolving `resume`.
  removeTemporaries(options.outDir);
  let saved: S | undefined;
  if (options.resume !== undefined) {
    const ckpt = loadCheckpoint(options.resume, { kind: algo });
    saved = decode(ckpt, ckpt.dir);
  }
  const run = runInfo(algo, options, saved?.run);
  const config = parse({ ...(saved?.config ?? preset(options.envId, run.envOptions)), ...(options.config ?? {}) });
  return { saved, run, config };
}

/**
 * The Node edges of a training loop (agents/ppo/loop.ts, agents/sac/loop.ts): checkpoints go to
 * `<outDir>/checkpoints/step-<N>/` (the directory is returned), and the loop yields to the event
 * loop with setImmediate.
 */
export function fileLoopEdges(outDir: string): { save(ckpt: Checkpoint, step: number): string; yieldToEvents(): Promise<void> } {
  return {
    save: (ckpt, step) => {
      const dir = checkpointDirFor(outDir, step);
      saveCheckpoint(dir, ckpt);
      return dir;
    },
    yieldToEvents: () => new Promise<void>((resolve) => setImmediate(resolve)),
  };
}
