/**
 * The Train view's work in Node: PPO and SAC trained by the lab's in-memory path are what the
 * command line trains (same loop, same preset: the checkpoints are equal, bit for bit; SAC's
 * lab checkpoint leaves out the replay buffer); the downloaded
 * tar, unpacked by `tar`, is a run directory `evaluate --policy` loads, and gives the same IS as
 * the lab's policy; tars and checkpoint files are verified on the way in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../agents/nn/index.ts';
import * as ppo from '../../agents/ppo/index.ts';
import * as sac from '../../agents/sac/index.ts';
import { loadCheckpoint } from '../../agents/common/checkpoint-fs.ts';
import { CheckpointError, type Checkpoint } from '../../agents/common/index.ts';
import { SyncVectorEnv } from '../../env/index.ts';
import { evaluate } from '../../experiments/evaluate/index.ts';
import '../../experiments/train/policy-loader.ts';
import { checkpointEnv, episodeOf, maxWeightChange, policyFromCheckpoint, trainInMemory, trainPpoInMemory } from '../../lab/src/core/training.ts';
import { checkpointFromFiles, checkpointTar } from '../../lab/src/core/checkpoint-archive.ts';
import { readTar, TarError, writeTar } from '../../lab/src/core/tar.ts';

const ENV = 'Liquidate-AC-v0';
const CONFIG = { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 2 };
const STEPS = 256;
const root = mkdtempSync(join(tmpdir(), 'lab-train-'));
let lab: { final: Checkpoint; initial: Checkpoint; steps: number };
let cliDir: string;

beforeAll(async () => {
  const backend = await initBackend('cpu');
  lab = await trainPpoInMemory({ envId: ENV, seed: 4, totalSteps: STEPS, config: CONFIG, backend }, {}, { yieldToEvents: () => Promise.resolve() });
  cliDir = join(root, 'cli');
  await ppo.train({ envId: ENV, envOptions: {}, makeVecEnv: async (n) => SyncVectorEnv.fromId(ENV, n, {}), totalSteps: STEPS, seed: 4, outDir: cliDir, backend: 'cpu', config: CONFIG });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('training in the lab', () => {
  it('is the command line\'s training: the same checkpoint, bit for bit', () => {
    const cli = loadCheckpoint(cliDir);
    expect(lab.steps).toBe(STEPS);
    expect(lab.final.step).toBe(cli.step);
    expect(lab.final.kind).toBe('ppo');
    expect(lab.final.tensors.map((t) => t.name)).toEqual(cli.tensors.map((t) => t.name));
    for (let i = 0; i < cli.tensors.length; i++) expect(lab.final.tensors[i].data).toEqual(cli.tensors[i].data);
    expect(lab.final.state).toEqual(cli.state);
    expect(maxWeightChange(lab.initial, lab.final)).toBeGreaterThan(0);
    expect(maxWeightChange(lab.final, lab.final)).toBe(0);
    expect(checkpointEnv(lab.final)).toEqual({ envId: ENV, envOptions: {} });
  });

  it('the downloaded tar unpacks to a run evaluate --policy loads, with the IS the lab shows', async () => {
    const dir = join(root, 'unpacked');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'ppo-lab-4.tar'), checkpointTar(lab.final, 'ppo-lab-4'));
    execFileSync('tar', ['xf', 'ppo-lab-4.tar'], { cwd: dir });
    expect(readdirSync(join(dir, 'ppo-lab-4', 'checkpoints'))).toEqual([`step-${String(STEPS).padStart(12, '0')}`]);
    const seed = 1_000_000_003;
    const [node] = await evaluate(join(dir, 'ppo-lab-4'), ENV, {}, [seed], { workers: 0 });
    const shown = episodeOf(policyFromCheckpoint(lab.final, 'lab'), ENV, {}, seed);
    expect(shown.isBps).toBe(node.isBps);
  });

  it('loads a checkpoint written by train, as a tar or as its files', () => {
    const stepDir = join(cliDir, 'checkpoints', readdirSync(join(cliDir, 'checkpoints'))[0]);
    const files = new Map(readdirSync(stepDir).map((f) => [f, new Uint8Array(readFileSync(join(stepDir, f)))]));
    const fromFiles = checkpointFromFiles(files);
    expect(fromFiles.tensors).toEqual(loadCheckpoint(cliDir).tensors);
    const tar = checkpointTar(fromFiles, 'run');
    expect(checkpointFromFiles(new Map([['run.tar', tar]])).tensors).toEqual(fromFiles.tensors);
    const bad = new Map(files);
    const w = Uint8Array.from(bad.get('weights.bin') as Uint8Array);
    w[5] ^= 1;
    bad.set('weights.bin', w);
    expect(() => checkpointFromFiles(bad)).toThrow(CheckpointError);
    expect(() => checkpointFromFiles(bad)).toThrow(/weights\.bin/);
  });
});

describe('SAC in the lab', () => {
  // Past learningStarts, so that the critics and the actor have taken gradient steps.
  const SAC_CONFIG = { numEnvs: 2, learningStarts: 64, batchSize: 32, hiddenSizes: [16, 16] };
  const SAC_STEPS = 160;

  it('is the command line\'s SAC: the same weights, optimizer state and counters, bit for bit', async () => {
    const backend = await initBackend('cpu');
    const labSac = await trainInMemory('sac', { envId: ENV, seed: 6, totalSteps: SAC_STEPS, config: SAC_CONFIG, backend }, {}, { yieldToEvents: () => Promise.resolve() });
    const dir = join(root, 'sac-cli');
    await sac.train({ envId: ENV, makeVecEnv: async (n) => SyncVectorEnv.fromId(ENV, n, {}), totalSteps: SAC_STEPS, seed: 6, outDir: dir, backend: 'cpu', config: SAC_CONFIG });
    const cli = loadCheckpoint(dir);
    expect(labSac.final.kind).toBe('sac');
    expect(labSac.final.step).toBe(cli.step);
    const labTensors = labSac.final.tensors;
    const cliNoReplay = cli.tensors.filter((t) => !t.name.startsWith('replay/'));
    expect(cliNoReplay.length).toBeLessThan(cli.tensors.length);
    expect(labTensors.map((t) => t.name)).toEqual(cliNoReplay.map((t) => t.name));
    for (let i = 0; i < labTensors.length; i++) expect(labTensors[i].data, labTensors[i].name).toEqual(cliNoReplay[i].data);
    // The counters, observation statistics and episode bookkeeping too (the replay buffer's aside).
    expect({ ...labSac.final.state, replay: null }).toEqual({ ...cli.state, replay: null });
    expect(maxWeightChange(labSac.initial, labSac.final)).toBeGreaterThan(0);
    // Only weights count: SAC's optimizer moments (opt/...) move from zero even when no weight does.
    const movedMoments = { ...labSac.initial, tensors: labSac.initial.tensors.map((t) => (t.name.startsWith('opt/') ? { ...t, data: t.data.map((x) => x + 1) } : t)) };
    expect(movedMoments.tensors.some((t) => t.name.startsWith('opt/'))).toBe(true);
    expect(maxWeightChange(labSac.initial, movedMoments)).toBe(0);
    expect(checkpointEnv(labSac.final)).toEqual({ envId: ENV, envOptions: {} });
    // The downloaded tar of the lab's SAC is a run evaluate loads, with the IS the lab shows.
    const out = join(root, 'sac-unpacked');
    execFileSync('mkdir', ['-p', out]);
    writeFileSync(join(out, 'sac-lab-6.tar'), checkpointTar(labSac.final, 'sac-lab-6'));
    execFileSync('tar', ['xf', 'sac-lab-6.tar'], { cwd: out });
    const seed = 1_000_000_005;
    const [node] = await evaluate(join(out, 'sac-lab-6'), ENV, {}, [seed], { workers: 0 });
    expect(episodeOf(policyFromCheckpoint(labSac.final, 'lab'), ENV, {}, seed).isBps).toBe(node.isBps);
  });

  it('refuses an algorithm it does not know, naming the allowed ones', async () => {
    const backend = await initBackend('cpu');
    await expect(trainInMemory('dqn' as never, { envId: ENV, seed: 1, totalSteps: 8, backend }, {}, { yieldToEvents: () => Promise.resolve() })).rejects.toThrow(/algo must be one of ppo, sac, got "dqn"/);
  });
});

describe('tar', () => {
  it('round-trips files, long paths included, and refuses damage', () => {
    const long = `${'d'.repeat(120)}/file.txt`;
    const files = new Map([
      ['a/b.txt', new TextEncoder().encode('hello')],
      [long, new Uint8Array(1000).fill(7)],
      ['empty', new Uint8Array(0)],
    ]);
    const t = writeTar(files);
    expect(t.length % 512).toBe(0);
    expect(readTar(t)).toEqual(files);
    const bad = Uint8Array.from(t);
    bad[10] ^= 1;
    expect(() => readTar(bad)).toThrow(TarError);
    expect(() => readTar(t.subarray(0, 700))).toThrow(/truncated/);
  });
});
