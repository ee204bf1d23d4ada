import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CheckpointError,
  CHECKPOINT_FILES,
  SUMS_FILE,
  decodeCheckpoint,
  encodeCheckpoint,
  sha256Hex,
  type Checkpoint,
} from '../../../agents/common/index.ts';
import { checkpointDirFor, loadCheckpoint, readCheckpointFiles, removeTemporaries, resolveCheckpointDir, saveCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { Rng } from '../../../simulator/random/index.ts';

const root = mkdtempSync(join(tmpdir(), 'ckpt-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sample(step = 7): Checkpoint {
  return {
    kind: 'ppo',
    step,
    tensors: [
      { name: 'pi/l0/w', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
      { name: 'logStd', shape: [1], data: Float32Array.from([-0.5]) },
    ],
    state: { obsRms: { mean: [0.1, 1 / 3], var: [2, Math.PI], count: 1234.5 } },
    config: { learningRate: 3e-4, hidden: [64, 64] },
  };
}

const nodeSha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function errorOf(f: () => unknown): CheckpointError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(CheckpointError);
    return err as CheckpointError;
  }
  throw new Error('expected a CheckpointError, nothing was thrown');
}

describe('SHA-256 (pure JS)', () => {
  it('agrees with node:crypto on the FIPS 180-2 vectors and on every length around the block boundaries', () => {
    const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(sha256Hex(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    const rng = Rng.fromSeed(1, 'sha');
    const bytes = new Uint8Array(300);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng.next() * 256);
    for (let n = 0; n <= 300; n++) expect(sha256Hex(bytes.subarray(0, n))).toBe(nodeSha(bytes.subarray(0, n)));
    const big = new Uint8Array(3 << 20);
    for (let i = 0; i < big.length; i += 997) big[i] = i & 0xff;
    expect(sha256Hex(big)).toBe(nodeSha(big));
  });
});

describe('checkpoint files (pure)', () => {
  it('round-trip weights, state, config and step exactly, in memory', () => {
    const files = encodeCheckpoint(sample());
    expect([...files.keys()]).toEqual([...CHECKPOINT_FILES, SUMS_FILE]);
    const c = decodeCheckpoint(files, { expect: { kind: 'ppo', tensors: [{ name: 'pi/l0/w', shape: [2, 3] }, { name: 'logStd', shape: [1] }] } });
    expect(c.step).toBe(7);
    expect(c.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['pi/l0/w', [2, 3], [1, 2, 3, 4, 5, 6.5]],
      ['logStd', [1], [-0.5]],
    ]);
    expect(c.state).toEqual(sample().state);
    expect(c.config).toEqual(sample().config);
  });

  it('writes SHA256SUMS in the format of sha256sum, one line per file, the manifest included', () => {
    const files = encodeCheckpoint(sample());
    const lines = new TextDecoder().decode(files.get(SUMS_FILE)).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(CHECKPOINT_FILES.map((f) => `${nodeSha(files.get(f) as Uint8Array)}  ${f}`));
  });

  it('refuses a version-1 checkpoint (checksums in the manifest, no SHA256SUMS) with a message to retrain', () => {
    const files = encodeCheckpoint(sample());
    files.delete(SUMS_FILE);
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ format: 'execution-gym/checkpoint', version: 1, kind: 'ppo', step: 7, tensors: [], sha256: {} })));
    const e = errorOf(() => decodeCheckpoint(files, { where: 'runs/old' }));
    expect(e.message).toMatch(/runs\/old is a version-1 checkpoint .*retrain/);
    expect(e.file).toBe(SUMS_FILE);
  });

  it('refuses a checkpoint that does not match the model or the algorithm, naming manifest.json', () => {
    const files = encodeCheckpoint(sample());
    expect(errorOf(() => decodeCheckpoint(files, { expect: { kind: 'sac' } })).message).toMatch(/written by 'ppo', expected 'sac'/);
    const shape = errorOf(() => decodeCheckpoint(files, { expect: { tensors: [{ name: 'pi/l0/w', shape: [2, 4] }, { name: 'logStd', shape: [1] }] } }));
    expect(shape.message).toMatch(/pi\/l0\/w has shape \[2, 3\], the model needs \[2, 4\]/);
    expect(shape.file).toBe('manifest.json');
    expect(errorOf(() => decodeCheckpoint(files, { expect: { tensors: [{ name: 'pi/l0/w', shape: [2, 3] }] } })).message).toMatch(/unexpected tensors logStd/);
    expect(() => encodeCheckpoint({ ...sample(), tensors: [{ name: 'x', shape: [2], data: new Float32Array(3) }] })).toThrow(/needs 2 values/);
    expect(() => encodeCheckpoint({ ...sample(), step: -1 })).toThrow(/non-negative integer, got -1/);
  });
});

describe('checkpoints on disk', () => {
  it('round-trip exactly through a directory', () => {
    const dir = join(root, 'a');
    saveCheckpoint(dir, sample());
    const c = loadCheckpoint(dir, { kind: 'ppo' });
    expect(c.dir).toBe(dir);
    expect(Array.from(c.tensors[0].data)).toEqual([1, 2, 3, 4, 5, 6.5]);
    expect(c.state).toEqual(sample().state);
    expect(readdirSync(dir).sort()).toEqual([...CHECKPOINT_FILES, SUMS_FILE].sort());
  });

  it('replace an existing checkpoint atomically, leave no temporaries, and skip a save of the same bytes', () => {
    const dir = join(root, 'b');
    saveCheckpoint(dir, sample(1));
    saveCheckpoint(dir, sample(2));
    expect(loadCheckpoint(dir).step).toBe(2);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
    const ino = statSync(dir).ino;
    saveCheckpoint(dir, sample(2));
    expect(statSync(dir).ino).toBe(ino);
  });

  it('one resolver: the highest complete step of a run, skipping empty and incomplete step directories', () => {
    const run = join(root, 'run');
    saveCheckpoint(checkpointDirFor(run, 64), sample(64));
    saveCheckpoint(checkpointDirFor(run, 128), sample(128));
    expect(resolveCheckpointDir(run)).toBe(checkpointDirFor(run, 128));
    mkdirSync(checkpointDirFor(run, 192));
    const partial = checkpointDirFor(run, 256);
    mkdirSync(partial);
    writeFileSync(join(partial, 'manifest.json'), '{}');
    expect(resolveCheckpointDir(run)).toBe(checkpointDirFor(run, 128));
    expect(loadCheckpoint(run).step).toBe(128);
    // A step directory with SHA256SUMS but a file missing is damaged, not incomplete: it is not skipped.
    saveCheckpoint(checkpointDirFor(run, 320), sample(320));
    rmSync(join(checkpointDirFor(run, 320), 'state.json'));
    const e = errorOf(() => loadCheckpoint(run));
    expect(e.file).toBe('state.json');
    expect(e.message).toMatch(/step-000000000320\/state.json is missing/);

    const empty = join(root, 'empty-run');
    mkdirSync(join(empty, 'checkpoints', 'step-000000000064'), { recursive: true });
    expect(errorOf(() => resolveCheckpointDir(empty)).message).toMatch(/no complete checkpoint; step-000000000064 is incomplete \(no SHA256SUMS\)/);
    expect(errorOf(() => resolveCheckpointDir(join(root, 'nope'))).message).toMatch(/no checkpoint at .*nope: it does not exist/);
    mkdirSync(join(root, 'not-a-run'));
    expect(errorOf(() => resolveCheckpointDir(join(root, 'not-a-run'))).message).toMatch(/expected a checkpoint directory/);
  });

  it('refuse a checkpoint whose manifest step differs from its step-<N> directory', () => {
    const run = join(root, 'moved');
    saveCheckpoint(checkpointDirFor(run, 64), sample(64));
    renameSync(checkpointDirFor(run, 64), checkpointDirFor(run, 96));
    const e = errorOf(() => loadCheckpoint(run));
    expect(e.file).toBe('manifest.json');
    expect(e.message).toMatch(/says step 64, but the directory is step-000000000096/);
  });

  it('remove the temporaries of killed saves and put back a checkpoint moved aside', () => {
    const run = join(root, 'killed');
    const ckpts = join(run, 'checkpoints');
    saveCheckpoint(checkpointDirFor(run, 64), sample(64));
    saveCheckpoint(checkpointDirFor(run, 128), sample(128));
    // Killed while writing step 192; killed between the two renames replacing step 128.
    mkdirSync(join(ckpts, '.step-000000000192.tmp-4242-0'));
    writeFileSync(join(ckpts, '.step-000000000192.tmp-4242-0', 'weights.bin'), 'partial');
    renameSync(checkpointDirFor(run, 128), join(ckpts, '.step-000000000128.old-4242-2'));
    mkdirSync(join(ckpts, '.step-000000000128.tmp-4242-1'));
    writeFileSync(join(run, '.config.yaml.tmp-4242-3'), 'x');
    expect(resolveCheckpointDir(run)).toBe(checkpointDirFor(run, 64));
    const r = removeTemporaries(run);
    expect(r.restored).toEqual([checkpointDirFor(run, 128)]);
    expect(r.removed.length).toBe(3);
    expect(readdirSync(ckpts).sort()).toEqual(['step-000000000064', 'step-000000000128']);
    expect(readdirSync(run)).toEqual(['checkpoints']);
    expect(loadCheckpoint(run).step).toBe(128);
    expect(removeTemporaries(join(root, 'no-such-run'))).toEqual({ removed: [], restored: [] });
  });

  it('read only the checkpoint files and name an unreadable one', () => {
    const dir = join(root, 'c');
    saveCheckpoint(dir, sample());
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expect([...readCheckpointFiles(dir).keys()].sort()).toEqual([...CHECKPOINT_FILES, SUMS_FILE].sort());
    rmSync(join(dir, 'config.yaml'));
    mkdirSync(join(dir, 'config.yaml'));
    const e = errorOf(() => readCheckpointFiles(dir));
    expect(e.file).toBe('config.yaml');
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });
});
