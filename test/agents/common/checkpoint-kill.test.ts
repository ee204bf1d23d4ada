/**
 * Kill during save (issue 21): a child process writing a PPO checkpoint is SIGKILLed at points
 * of the save — before anything is in the temporary directory, in the middle of the data files,
 * with every file but SHA256SUMS written, with the temporary directory complete but not renamed,
 * and just after the rename. After each kill the previous checkpoint (or the new one, once renamed)
 * loads, and the next run in the directory (`train --resume`) removes every temporary the kill
 * left, and ends with the same weights as a run that was never interrupted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { train } from '../../../agents/ppo/index.ts';
import type { TrainOptions } from '../../../agents/common/index.ts';
import { checkpointDirFor, loadCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { TargetVecEnv } from '../ppo/toy-envs.ts';

const CHILD = fileURLToPath(new URL('./fixtures/save-and-die.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'ckpt-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const reference = join(root, 'reference');
const options = (outDir: string, extra: Partial<TrainOptions> = {}): TrainOptions => ({
  envId: 'toy-target',
  makeVecEnv: async (n) => new TargetVecEnv(n),
  totalSteps: 96,
  seed: 11,
  outDir,
  backend: 'wasm',
  saveEvery: 32,
  config: { numEnvs: 2, numSteps: 16, numMinibatches: 2, updateEpochs: 2 },
  ...extra,
});

beforeAll(async () => {
  await initBackend('wasm');
  // The uninterrupted run: checkpoints at 32, 64 and 96 env steps.
  await train(options(reference));
});

/** Runs the child; resolves with the signal that ended it (null when it exited). */
function saveAndDie(from: string, to: string, spec: string): Promise<{ signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, from, to, spec], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const temporaries = (run: string): string[] => readdirSync(join(run, 'checkpoints')).filter((f) => f.startsWith('.'));

// Where the kill lands: before the n-th call of an fs function inside writeCheckpointFiles.
const KILLS = [
  { spec: 'writeSync:1', what: 'temporary directory made, nothing written', published: false },
  { spec: 'writeSync:3', what: 'manifest.json and weights.bin written, state.json not', published: false },
  { spec: 'writeSync:5', what: 'every file but SHA256SUMS written', published: false },
  { spec: 'renameSync:1', what: 'temporary directory complete, not renamed', published: false },
  { spec: 'rmSync:1', what: 'renamed into place', published: true },
];

describe('a save killed by SIGKILL', () => {
  it(`leaves the previous checkpoint loadable and nothing behind after the next run (${KILLS.length} kill points)`, async () => {
    const runs = KILLS.map((_k, i) => join(root, `killed-${i}`));
    for (const run of runs) {
      cpSync(reference, run, { recursive: true });
      // As if the run had just saved step 32 and was saving step 64.
      rmSync(checkpointDirFor(run, 64), { recursive: true });
      rmSync(checkpointDirFor(run, 96), { recursive: true });
    }
    const results = await Promise.all(KILLS.map((k, i) => saveAndDie(checkpointDirFor(reference, 64), checkpointDirFor(runs[i], 64), k.spec)));
    const want96 = readFileSync(join(checkpointDirFor(reference, 96), 'weights.bin'));
    for (let i = 0; i < KILLS.length; i++) {
      const { spec, what, published } = KILLS[i];
      const run = runs[i];
      expect(results[i].signal, `${spec} (${what}): ${results[i].stderr}`).toBe('SIGKILL');
      // The checkpoint a reader picks: the previous one, or the new one once renamed into place.
      expect(loadCheckpoint(run).step, spec).toBe(published ? 64 : 32);
      expect(existsSync(checkpointDirFor(run, 64)), spec).toBe(published);
      if (!published) expect(temporaries(run).length, `${spec}: the kill left a temporary directory`).toBe(1);
      // The next run in the directory: resumes, and removes what the kill left.
      const r = await train(options(run, { resume: run, saveEvery: undefined }));
      expect(r.steps).toBe(96);
      expect(temporaries(run), spec).toEqual([]);
      expect(readFileSync(join(checkpointDirFor(run, 96), 'weights.bin')).equals(want96), `${spec}: resumed weights differ from the uninterrupted run`).toBe(true);
    }
  });
});
