/**
 * The checkpoint tamper suite (issue 21): every file of a real PPO and a real SAC checkpoint
 * truncated, byte-flipped and deleted, and the manifest's fields edited one by one — as they are
 * (the checksums no longer match) and re-signed (SHA256SUMS recomputed, so only the manifest's own
 * validation stands between the edit and a silent load). Each case is loaded the three ways a
 * checkpoint is used: the algorithm's loadPolicy on the step directory, `evaluate --policy <run>`
 * (the policy registry with experiments/train/policy-loader.ts), and `train --resume <run>`. Each
 * must fail with a CheckpointError naming the file at fault.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ppo from '../../../agents/ppo/index.ts';
import * as sac from '../../../agents/sac/index.ts';
import { CheckpointError, CHECKPOINT_FILES, SUMS_FILE, sha256Hex } from '../../../agents/common/index.ts';
import type { TrainOptions } from '../../../agents/common/index.ts';
import { checkpointDirFor } from '../../../agents/common/checkpoint-fs.ts';
import { loadPolicy as loadRegisteredPolicy } from '../../../agents/index.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { SyncVectorEnv } from '../../../env/vector/index.ts';
import { TimeLimit } from '../../../env/wrappers/index.ts';
import '../../../experiments/train/policy-loader.ts';
import { TargetVecEnv } from '../ppo/toy-envs.ts';
import { TargetEnv } from '../sac/helpers.ts';

const root = mkdtempSync(join(tmpdir(), 'ckpt-tamper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Algo {
  name: 'ppo' | 'sac';
  options(outDir: string, totalSteps: number): TrainOptions;
  train(o: TrainOptions): Promise<unknown>;
  loadPolicy(path: string): Promise<{ dispose(): void }>;
  /** The pristine run directory and its one checkpoint's step. */
  run: string;
  step: number;
}

const algos: Algo[] = [
  {
    name: 'ppo',
    options: (outDir, totalSteps) => ({
      envId: 'toy-target',
      makeVecEnv: async (n) => new TargetVecEnv(n),
      totalSteps,
      seed: 7,
      outDir,
      backend: 'wasm',
      config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 1 },
    }),
    train: (o) => ppo.train(o),
    loadPolicy: (p) => ppo.loadPolicy(p, { backend: 'wasm' }),
    run: join(root, 'pristine-ppo'),
    step: 32,
  },
  {
    name: 'sac',
    options: (outDir, totalSteps) => ({
      envId: 'Target-v0',
      makeVecEnv: async (n) => new SyncVectorEnv(Array.from({ length: n }, () => () => new TimeLimit(new TargetEnv(), 10))),
      totalSteps,
      seed: 7,
      outDir,
      backend: 'wasm',
      config: { learningStarts: 10, batchSize: 8, hiddenSizes: [8], normObs: true },
    }),
    train: (o) => sac.train(o),
    loadPolicy: (p) => sac.loadPolicy(p, { backend: 'wasm' }),
    run: join(root, 'pristine-sac'),
    step: 20,
  },
];

beforeAll(async () => {
  await initBackend('wasm');
  for (const a of algos) await a.train(a.options(a.run, a.step));
});

type Manifest = { format: string; version: number; kind: string; step: number; tensors: { name: string; shape: number[]; offset: number; length: number }[]; [k: string]: unknown };

/** A tamper case: what it does to the checkpoint directory, and the file the error must name. */
interface Case {
  name: string;
  file: string;
  apply(dir: string): void;
}

function flip(path: string, at: (size: number) => number): void {
  const b = readFileSync(path);
  b[at(b.length)] ^= 0xff;
  writeFileSync(path, b);
}

function fileCases(): Case[] {
  const out: Case[] = [];
  for (const file of [...CHECKPOINT_FILES, SUMS_FILE]) {
    out.push({ name: `${file} truncated to half`, file, apply: (d) => truncateSync(join(d, file), Math.floor(readFileSync(join(d, file)).length / 2)) });
    out.push({ name: `${file} with a byte flipped`, file, apply: (d) => flip(join(d, file), (n) => Math.floor(n / 2)) });
    out.push({ name: `${file} deleted`, file, apply: (d) => rmSync(join(d, file)) });
  }
  return out;
}

/** Edits of the manifest's fields, one by one. */
function manifestEdits(otherKind: string): { name: string; edit(m: Manifest): void }[] {
  const swap = (m: Manifest, a: string, b: string): void => {
    const ta = m.tensors.find((t) => t.name === a) as Manifest['tensors'][number];
    const tb = m.tensors.find((t) => t.name === b) as Manifest['tensors'][number];
    [ta.offset, tb.offset] = [tb.offset, ta.offset];
  };
  return [
    { name: 'format changed', edit: (m) => void (m.format = 'something/else') },
    { name: 'version set to 1', edit: (m) => void (m.version = 1) },
    { name: `kind set to '${otherKind}'`, edit: (m) => void (m.kind = otherKind) },
    { name: 'step set to 999999', edit: (m) => void (m.step = 999999) },
    { name: 'tensors removed', edit: (m) => void delete (m as Partial<Manifest>).tensors },
    { name: 'offsets of actor/l0/w and the first critic weight swapped', edit: (m) => swap(m, 'actor/l0/w', m.tensors.find((t) => /^(critic|qf1)\/l0\/w$/.test(t.name))?.name as string) },
    { name: 'shape of actor/l0/w transposed', edit: (m) => void (m.tensors[0].shape = [...m.tensors[0].shape].reverse()) },
    { name: 'name of actor/l0/w changed', edit: (m) => void (m.tensors[0].name = 'actor/l0/x') },
    { name: 'length of actor/l0/w changed', edit: (m) => void (m.tensors[0].length += 1) },
    { name: 'an unknown field added', edit: (m) => void (m.note = 'edited by hand') },
  ];
}

function resign(dir: string): void {
  let sums = '';
  for (const f of CHECKPOINT_FILES) sums += `${sha256Hex(readFileSync(join(dir, f)))}  ${f}\n`;
  writeFileSync(join(dir, SUMS_FILE), sums);
}

function manifestCases(otherKind: string): Case[] {
  const out: Case[] = [];
  for (const resigned of [false, true]) {
    for (const e of manifestEdits(otherKind)) {
      out.push({
        name: `manifest.json: ${e.name}${resigned ? ' (SHA256SUMS recomputed)' : ''}`,
        file: 'manifest.json',
        apply: (d) => {
          const path = join(d, 'manifest.json');
          const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
          e.edit(m);
          writeFileSync(path, JSON.stringify(m, null, 1) + '\n');
          if (resigned) resign(d);
        },
      });
    }
  }
  return out;
}

async function expectCheckpointError(what: string, p: Promise<unknown>, file: string): Promise<void> {
  let err: unknown;
  try {
    const v = await p;
    (v as { dispose?(): void } | undefined)?.dispose?.();
  } catch (e) {
    err = e;
  }
  expect(err, `${what}: loaded silently`).toBeInstanceOf(CheckpointError);
  expect((err as CheckpointError).file, `${what}: ${(err as Error).message}`).toBe(file);
  expect((err as Error).message, what).toContain(file);
}

let counted = 0;

for (const a of algos) {
  describe(`tampered ${a.name.toUpperCase()} checkpoints`, () => {
    const cases = [...fileCases(), ...manifestCases(a.name === 'ppo' ? 'sac' : 'ppo')];
    it('has 15 file cases and 20 manifest cases', () => {
      expect(cases.length).toBe(35);
    });
    it.each(cases.map((c) => [c.name, c] as const))('%s: refused with a CheckpointError naming the file, three ways', async (_name, c) => {
      const run = join(root, `${a.name}-${counted++}`);
      cpSync(a.run, run, { recursive: true });
      const dir = checkpointDirFor(run, a.step);
      c.apply(dir);
      await expectCheckpointError(`${a.name} loadPolicy(step dir)`, a.loadPolicy(dir), c.file);
      await expectCheckpointError(`evaluate --policy ${a.name} run`, loadRegisteredPolicy(run), c.file);
      await expectCheckpointError(`train --resume ${a.name} run`, a.train({ ...a.options(run, a.step + 100), resume: run }), c.file);
    });
    it('the pristine checkpoint loads all three ways (the cases above are the only difference)', async () => {
      const run = join(root, `${a.name}-pristine-copy`);
      cpSync(a.run, run, { recursive: true });
      (await a.loadPolicy(checkpointDirFor(run, a.step))).dispose();
      ((await loadRegisteredPolicy(run)) as unknown as { dispose(): void }).dispose();
      await expect(a.train({ ...a.options(run, a.step * 2), resume: run })).resolves.toMatchObject({ steps: a.step * 2 });
    });
  });
}
