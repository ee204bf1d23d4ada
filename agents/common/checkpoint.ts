/**
 * Checkpoints, the pure part: a checkpoint ⇄ its files as bytes (file name → Uint8Array). No
 * Node APIs, nothing asynchronous: it runs in a browser as it is. checkpoint-fs.ts puts the files
 * in a directory (atomically) and finds the latest checkpoint of a run.
 *
 * The files of a checkpoint (format `execution-gym/checkpoint`, version 2):
 *
 *   manifest.json  format tag, version, the algorithm's kind, the env step, and the tensor table:
 *                  name, shape, offset and length in float32 values, in the order of weights.bin
 *   weights.bin    every tensor's float32 values (little-endian), concatenated in table order
 *   state.json     JSON state: normalization statistics, optimizer step counts, run counters
 *   config.yaml    the run: algorithm, env id and options, seed, steps, save cadence, hyperparameters
 *   SHA256SUMS     `<sha256 hex>  <file>` for each of the four files above (the format of
 *                  `sha256sum`, so `sha256sum -c SHA256SUMS` checks a checkpoint by hand); written
 *                  last, so a directory without it is an incomplete checkpoint
 *
 * Loading checks SHA256SUMS before reading anything else: it must list exactly the four files,
 * and each must be present with that digest. So any change to any file, the manifest included,
 * is refused with a `CheckpointError` naming the file. (The digests catch damage and hand edits,
 * not an adversary, who can rewrite SHA256SUMS too.) Then, as a second line of defence, the
 * manifest's shape is validated (zod), its format, version and kind, the tensor table (the tensors
 * must tile weights.bin in order: no gap, no overlap), and that state.json and config.yaml parse
 * to objects. Version-1 checkpoints (no SHA256SUMS) are refused with a message to retrain.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import type { NamedTensor } from '../nn/weights.ts';

export const CHECKPOINT_FORMAT = 'execution-gym/checkpoint';
export const CHECKPOINT_VERSION = 2;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';
export const STATE_FILE = 'state.json';
export const CONFIG_FILE = 'config.yaml';
export const SUMS_FILE = 'SHA256SUMS';
/** The files SHA256SUMS covers, in the order it lists them. */
export const CHECKPOINT_FILES: readonly string[] = [MANIFEST_FILE, WEIGHTS_FILE, STATE_FILE, CONFIG_FILE];
/** Every file of a checkpoint (SHA256SUMS last: the order they are written in). */
export const ALL_CHECKPOINT_FILES: readonly string[] = [...CHECKPOINT_FILES, SUMS_FILE];

/** One tensor of a checkpoint (float32 values, row-major). */
export type CheckpointTensor = NamedTensor;

export interface Checkpoint {
  /** Which algorithm wrote it ('ppo', 'sac', ...). */
  kind: string;
  /** Environment steps taken when it was written. */
  step: number;
  tensors: CheckpointTensor[];
  /** JSON-serializable state (numbers round-trip exactly through JSON). */
  state: Record<string, unknown>;
  /** The run and its resolved hyperparameters. */
  config: Record<string, unknown>;
}

/** A checkpoint's files: name → bytes (what `encodeCheckpoint` returns and `decodeCheckpoint` reads). */
export type CheckpointFiles = Map<string, Uint8Array>;

export interface CheckpointExpectation {
  kind?: string;
  /** Tensors that must be present with these shapes (extra tensors are an error too). */
  tensors?: readonly { name: string; shape: readonly number[] }[];
}

/** A missing, incomplete, damaged or mismatched checkpoint. `file` names the file at fault, when one is. */
export class CheckpointError extends Error {
  override name = 'CheckpointError';
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    super(message);
    this.file = file;
  }
}

const ManifestSchema = z
  .object({
    format: z.literal(CHECKPOINT_FORMAT),
    version: z.literal(CHECKPOINT_VERSION),
    kind: z.string().min(1),
    step: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    tensors: z.array(
      z
        .object({
          name: z.string().min(1),
          shape: z.array(z.number().int().min(0)),
          offset: z.number().int().min(0),
          length: z.number().int().min(0),
        })
        .strict(),
    ),
  })
  .strict();

type Manifest = z.infer<typeof ManifestSchema>;

/** The SHA-256 of `bytes` as 64 lowercase hex digits (pure JS: @noble/hashes). */
export function sha256Hex(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

// Float32Array bytes are written as they lie in memory: refuse to run where that is not little-endian.
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The files of `ckpt` (manifest.json, weights.bin, state.json, config.yaml, SHA256SUMS).
 * @throws CheckpointError on a bad step, a duplicate tensor name or a shape that does not match the data.
 */
export function encodeCheckpoint(ckpt: Checkpoint): CheckpointFiles {
  if (!LITTLE_ENDIAN) throw new CheckpointError('checkpoints are little-endian float32; this platform is big-endian');
  if (typeof ckpt.kind !== 'string' || ckpt.kind.length === 0) throw new CheckpointError(`checkpoint kind must be a non-empty string, got ${JSON.stringify(ckpt.kind)}`);
  if (!Number.isSafeInteger(ckpt.step) || ckpt.step < 0) throw new CheckpointError(`checkpoint step must be a non-negative integer, got ${ckpt.step}`);
  const table: Manifest['tensors'] = [];
  let total = 0;
  const seen = new Set<string>();
  for (const t of ckpt.tensors) {
    if (seen.has(t.name)) throw new CheckpointError(`duplicate tensor name ${t.name} in checkpoint`);
    seen.add(t.name);
    if (sizeOf(t.shape) !== t.data.length) {
      throw new CheckpointError(`tensor ${t.name}: shape [${t.shape.join(', ')}] needs ${sizeOf(t.shape)} values, got ${t.data.length}`);
    }
    table.push({ name: t.name, shape: [...t.shape], offset: total, length: t.data.length });
    total += t.data.length;
  }
  const flat = new Float32Array(total);
  for (let i = 0; i < table.length; i++) flat.set(ckpt.tensors[i].data, table[i].offset);
  const manifest: Manifest = { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, kind: ckpt.kind, step: ckpt.step, tensors: table };
  const files: CheckpointFiles = new Map();
  files.set(MANIFEST_FILE, utf8.encode(JSON.stringify(manifest, null, 1) + '\n'));
  files.set(WEIGHTS_FILE, new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength));
  files.set(STATE_FILE, utf8.encode(JSON.stringify(ckpt.state)));
  files.set(CONFIG_FILE, utf8.encode(stringifyYaml(ckpt.config)));
  let sums = '';
  for (const name of CHECKPOINT_FILES) sums += `${sha256Hex(files.get(name) as Uint8Array)}  ${name}\n`;
  files.set(SUMS_FILE, utf8.encode(sums));
  return files;
}

/** Reads SHA256SUMS: exactly one well-formed line per checkpoint file. */
function parseSums(bytes: Uint8Array, at: (file: string) => string): Map<string, string> {
  const fail = (why: string): never => {
    throw new CheckpointError(`${at(SUMS_FILE)} is damaged: ${why}`, SUMS_FILE);
  };
  let text = '';
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    fail('it is not UTF-8 text');
  }
  if (!text.endsWith('\n')) fail('it does not end with a newline (truncated?)');
  const sums = new Map<string, string>();
  const lines = text.slice(0, -1).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([0-9a-f]{64}) {2}(\S+)$/.exec(lines[i]);
    if (m === null) fail(`line ${i + 1} is not '<64 hex digits>  <file>': ${JSON.stringify(lines[i].slice(0, 100))}`);
    const [, digest, name] = m as RegExpExecArray;
    if (!CHECKPOINT_FILES.includes(name)) fail(`line ${i + 1} names ${JSON.stringify(name)}, which is not a checkpoint file (${CHECKPOINT_FILES.join(', ')})`);
    if (sums.has(name)) fail(`${name} is listed twice`);
    sums.set(name, digest);
  }
  for (const name of CHECKPOINT_FILES) if (!sums.has(name)) fail(`it has no line for ${name}`);
  return sums;
}

/** A version-1 checkpoint (no SHA256SUMS, checksums inside the manifest) gets a message to retrain. */
function olderFormat(files: ReadonlyMap<string, Uint8Array>): number | undefined {
  const m = files.get(MANIFEST_FILE);
  if (m === undefined) return undefined;
  try {
    const j = JSON.parse(strictUtf8.decode(m)) as { format?: unknown; version?: unknown };
    return j.format === CHECKPOINT_FORMAT && typeof j.version === 'number' && j.version < CHECKPOINT_VERSION ? j.version : undefined;
  } catch {
    return undefined;
  }
}

function zodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function parseManifest(bytes: Uint8Array, at: (file: string) => string): Manifest {
  const fail = (why: string): never => {
    throw new CheckpointError(`${at(MANIFEST_FILE)} is invalid: ${why}`, MANIFEST_FILE);
  };
  let json: unknown;
  try {
    json = JSON.parse(strictUtf8.decode(bytes));
  } catch (err) {
    fail(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(`expected a JSON object, got ${JSON.stringify(json)?.slice(0, 100)}`);
  const head = json as { format?: unknown; version?: unknown };
  if (head.format !== CHECKPOINT_FORMAT) fail(`format is ${JSON.stringify(head.format)}, expected ${JSON.stringify(CHECKPOINT_FORMAT)}`);
  if (head.version !== CHECKPOINT_VERSION) fail(`version is ${JSON.stringify(head.version)}; this build reads version ${CHECKPOINT_VERSION}`);
  const r = ManifestSchema.safeParse(json);
  if (!r.success) fail(zodIssues(r.error));
  return (r as { data: Manifest }).data;
}

/** JSON or YAML text of a checkpoint file that must hold a mapping. */
function parseObject(bytes: Uint8Array, file: string, at: (file: string) => string, parse: (text: string) => unknown): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(strictUtf8.decode(bytes));
  } catch (err) {
    throw new CheckpointError(`${at(file)} is invalid: ${(err as Error).message}`, file);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CheckpointError(`${at(file)} is invalid: expected a mapping, got ${JSON.stringify(value)?.slice(0, 100)}`, file);
  }
  return value as Record<string, unknown>;
}

/**
 * Verifies and decodes a checkpoint's files (see the file header for the checks and their order).
 * `where` (the directory, or any label) prefixes the file names in error messages.
 * @throws CheckpointError naming the file at fault.
 */
export function decodeCheckpoint(files: ReadonlyMap<string, Uint8Array>, options: { where?: string; expect?: CheckpointExpectation } = {}): Checkpoint {
  const where = options.where ?? 'checkpoint';
  const at = (file: string): string => `${where}/${file}`;
  const sumsBytes = files.get(SUMS_FILE);
  if (sumsBytes === undefined) {
    const v = olderFormat(files);
    if (v !== undefined) {
      throw new CheckpointError(`${where} is a version-${v} checkpoint (no ${SUMS_FILE}); this build reads version ${CHECKPOINT_VERSION} only: retrain to get one`, SUMS_FILE);
    }
    throw new CheckpointError(`${at(SUMS_FILE)} is missing: the checkpoint is incomplete (${SUMS_FILE} is written last)`, SUMS_FILE);
  }
  const sums = parseSums(sumsBytes, at);
  for (const name of CHECKPOINT_FILES) {
    const bytes = files.get(name);
    if (bytes === undefined) throw new CheckpointError(`${at(name)} is missing (${SUMS_FILE} lists it)`, name);
    const actual = sha256Hex(bytes);
    const expected = sums.get(name) as string;
    if (actual !== expected) {
      throw new CheckpointError(`${at(name)} is damaged: its SHA-256 is ${actual.slice(0, 16)}…, ${SUMS_FILE} records ${expected.slice(0, 16)}…`, name);
    }
  }

  const manifest = parseManifest(files.get(MANIFEST_FILE) as Uint8Array, at);
  if (options.expect?.kind !== undefined && manifest.kind !== options.expect.kind) {
    throw new CheckpointError(`${at(MANIFEST_FILE)}: the checkpoint was written by '${manifest.kind}', expected '${options.expect.kind}'`, MANIFEST_FILE);
  }
  const weights = files.get(WEIGHTS_FILE) as Uint8Array;
  if (weights.byteLength % 4 !== 0) throw new CheckpointError(`${at(WEIGHTS_FILE)} has ${weights.byteLength} bytes, not a multiple of 4`, WEIGHTS_FILE);
  // Copy into an aligned buffer (a Node Buffer's byteOffset need not be a multiple of 4).
  const flat = new Float32Array(weights.byteLength / 4);
  new Uint8Array(flat.buffer).set(weights);
  const tensors: CheckpointTensor[] = [];
  const names = new Set<string>();
  let offset = 0;
  for (const e of manifest.tensors) {
    const fail = (why: string): never => {
      throw new CheckpointError(`${at(MANIFEST_FILE)} is invalid: tensor ${e.name} ${why}`, MANIFEST_FILE);
    };
    if (names.has(e.name)) fail('is listed twice');
    names.add(e.name);
    if (sizeOf(e.shape) !== e.length) fail(`has shape [${e.shape.join(', ')}] but length ${e.length}`);
    if (e.offset !== offset) fail(`starts at offset ${e.offset}; the tensors before it end at ${offset} (they must tile ${WEIGHTS_FILE} in order)`);
    offset += e.length;
    if (offset > flat.length) fail(`ends at ${offset}, past the ${flat.length} values of ${WEIGHTS_FILE}`);
    tensors.push({ name: e.name, shape: [...e.shape], data: flat.slice(e.offset, e.offset + e.length) });
  }
  if (offset !== flat.length) {
    throw new CheckpointError(`${at(MANIFEST_FILE)} is invalid: its tensors hold ${offset} values, ${WEIGHTS_FILE} has ${flat.length}`, MANIFEST_FILE);
  }
  const state = parseObject(files.get(STATE_FILE) as Uint8Array, STATE_FILE, at, JSON.parse);
  const config = parseObject(files.get(CONFIG_FILE) as Uint8Array, CONFIG_FILE, at, (t) => parseYaml(t));
  const ckpt: Checkpoint = { kind: manifest.kind, step: manifest.step, tensors, state, config };
  if (options.expect?.tensors !== undefined) checkTensors(ckpt, options.expect.tensors, where);
  return ckpt;
}

/**
 * Checks that the checkpoint holds these tensors with these shapes (a model's weights, optimizer
 * moments, ...), and no others unless `allowExtra` (a policy reads the weights and leaves the
 * optimizer's moments). The tensor table is the manifest's, so errors name manifest.json.
 * @throws CheckpointError naming the first missing, misshapen or extra tensor.
 */
export function checkTensors(
  ckpt: Checkpoint,
  expected: readonly { name: string; shape: readonly number[] }[],
  where = 'checkpoint',
  options: { allowExtra?: boolean } = {},
): void {
  const byName = new Map(ckpt.tensors.map((t) => [t.name, t]));
  const fail = (why: string): never => {
    throw new CheckpointError(`${where}/${MANIFEST_FILE} does not match the model: ${why}`, MANIFEST_FILE);
  };
  for (const want of expected) {
    const got = byName.get(want.name);
    if (got === undefined) fail(`tensor ${want.name} is missing`);
    else if (got.shape.length !== want.shape.length || got.shape.some((s, i) => s !== want.shape[i])) {
      fail(`tensor ${want.name} has shape [${got.shape.join(', ')}], the model needs [${want.shape.join(', ')}]`);
    }
    byName.delete(want.name);
  }
  if (byName.size > 0 && options.allowExtra !== true) fail(`unexpected tensors ${[...byName.keys()].join(', ')}`);
}

/**
 * Parses one part of a checkpoint's state or config with a zod schema.
 * @throws CheckpointError naming `file` and each bad field.
 */
export function parseCheckpointPart<S extends z.ZodType>(schema: S, value: unknown, file: string, where = 'checkpoint'): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new CheckpointError(`${where}/${file} is invalid: ${zodIssues(r.error)}`, file);
  return r.data;
}

/**
 * Checks that config.yaml's `algo` agrees with the manifest's kind (an algorithm's decoder calls
 * it before reading its config). @throws CheckpointError naming manifest.json.
 */
export function checkKind(ckpt: Checkpoint, kind: string, where = 'checkpoint'): void {
  if (ckpt.kind !== kind) throw new CheckpointError(`${where}/${MANIFEST_FILE}: the checkpoint was written by '${ckpt.kind}', expected '${kind}'`, MANIFEST_FILE);
  if (ckpt.config.algo !== kind) {
    throw new CheckpointError(`${where}/${MANIFEST_FILE} says the checkpoint is '${kind}', but ${CONFIG_FILE} says algo ${JSON.stringify(ckpt.config.algo)}`, MANIFEST_FILE);
  }
}
