import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { trainSac, train, loadPolicy, encodeSac, decodeSac, sacAgent, sacReplay, checkSacShapes, SacAgent, parseSacConfig, SAC_PRESETS } from '../../../agents/sac/index.ts';
import type { SacCheckpoint } from '../../../agents/sac/index.ts';
import { CheckpointError, ReplayBuffer } from '../../../agents/common/index.ts';
import type { RunInfo } from '../../../agents/common/index.ts';
import { loadCheckpoint, saveCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { SyncVectorEnv } from '../../../env/vector/index.ts';
import { TimeLimit } from '../../../env/wrappers/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { setupTf, TargetEnv } from './helpers.ts';

let dir = '';
beforeAll(async () => {
  await setupTf();
  dir = mkdtempSync(join(tmpdir(), 'sac-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run: RunInfo = { algo: 'sac', envId: 'Target-v0', envOptions: {}, seed: 3, totalSteps: 123, saveEvery: 0 };
const readSac = (dir: string): SacCheckpoint => {
  const c = loadCheckpoint(dir, { kind: 'sac' });
  return decodeSac(c, c.dir);
};

const makeTarget = (numEnvs: number, terminateAfter = Infinity, limit = 10) =>
  Promise.resolve(new SyncVectorEnv(Array.from({ length: numEnvs }, () => () => new TimeLimit(new TargetEnv(terminateAfter), limit))));

/** Mean return of a policy over `episodes` seeded episodes of the target task (10 steps each). */
async function evaluate(act: (obs: Float64Array) => Float64Array, episodes: number): Promise<number> {
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    const env = new TimeLimit(new TargetEnv(), 10);
    let { observation } = env.reset({ seed: 10_000 + e });
    for (;;) {
      const r = env.step(act(observation));
      total += r.reward;
      observation = r.observation;
      if (r.terminated || r.truncated) break;
    }
  }
  return total / episodes;
}

describe('SAC training', () => {
  it('learns the track-the-target task in seconds', async () => {
    const out = join(dir, 'learn');
    const metrics: Record<string, number>[] = [];
    const r = await trainSac(
      {
        envId: 'Target-v0',
        makeVecEnv: (n) => makeTarget(n),
        totalSteps: 500,
        seed: 1,
        outDir: out,
        backend: 'wasm',
        logEvery: 100,
        config: { learningStarts: 100, batchSize: 32, updateToDataRatio: 0.5, hiddenSizes: [32, 32], qLr: 3e-3, policyLr: 3e-3, numEnvs: 2, gamma: 0.5 },
      },
      { onMetrics: (_s, m) => metrics.push(m) },
    );
    expect(r.steps).toBe(500);
    expect(r.agent.criticSteps).toBe(200);
    // Random actions on [−2, 2] against x ~ U(−1, 1) cost E(a − x)² = 4/3 + 1/3 = 5/3 a step: −16.7 an episode.
    // The learned policy must cut that by more than 90% (the optimum is 0).
    const ret = await evaluate((o) => {
      const a = new Float64Array(1);
      r.agent.act(o, 1, a, true);
      return a;
    }, 20);
    expect(ret).toBeGreaterThan(-1.67);
    const names = new Set(metrics.flatMap((m) => Object.keys(m)));
    for (const k of ['charts/episodic_return', 'charts/is_bps', 'charts/sps', 'losses/qf1_loss', 'losses/qf2_loss', 'losses/actor_loss', 'losses/alpha', 'losses/alpha_loss']) {
      expect(names.has(k)).toBe(true);
    }
    // The run's checkpoint loads as a Policy with the same deterministic actions.
    const policy = await loadPolicy(out, { backend: 'wasm' });
    const o = Float64Array.of(0.3, 0.2);
    const a = new Float64Array(1);
    r.agent.act(o, 1, a, true);
    expect(Array.from(policy.act(o))).toEqual(Array.from(a));
    const batch = new Float64Array(2);
    policy.actBatch(Float64Array.of(0.3, 0.2, -0.5, 0.1), 2, batch);
    expect(batch[0]).toBe(a[0]);
    policy.dispose();
    r.agent.dispose();
  });

  it('stores no transition for autoreset steps and bootstraps through truncations only', async () => {
    // 1 env, episodes terminate after 3 steps or are truncated at 2 (TimeLimit 2 < 3): all truncated.
    const r1 = await trainSac({ envId: 'Target-v0', makeVecEnv: (n) => makeTarget(n, Infinity, 4), totalSteps: 20, seed: 2, outDir: join(dir, 'flags1'), backend: 'wasm', config: { learningStarts: 100, batchSize: 4 } });
    // Steps 5, 10, 15, 20 are autoreset steps (episodes of 4 steps + 1 reset step): 16 transitions.
    expect(r1.replay.size).toBe(16);
    expect(r1.episodes).toBe(4);
    const trunc1 = Array.from(r1.replay.truncated.subarray(0, 16));
    expect(trunc1).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(Array.from(r1.replay.terminated.subarray(0, 16)).every((x) => x === 0)).toBe(true);
    // The truncated transition's next observation is the final one of its episode (t = 4 → 0.4), not a reset one.
    expect(r1.replay.nextObs[3 * 2 + 1]).toBeCloseTo(0.4, 6);
    r1.agent.dispose();
    const r2 = await trainSac({ envId: 'Target-v0', makeVecEnv: (n) => makeTarget(n, 3, 10), totalSteps: 8, seed: 2, outDir: join(dir, 'flags2'), backend: 'wasm', config: { learningStarts: 100, batchSize: 4 } });
    expect(Array.from(r2.replay.terminated.subarray(0, r2.replay.size))).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(r2.replay.truncated.subarray(0, r2.replay.size)).every((x) => x === 0)).toBe(true);
    r2.agent.dispose();
  });

  it('round-trips a checkpoint exactly and refuses damaged or mismatched ones', async () => {
    const cfg = parseSacConfig({ batchSize: 8, normObs: true });
    const agent = new SacAgent(cfg, { obsDim: 2, actionLow: [-2], actionHigh: [2] }, 3);
    const rb = new ReplayBuffer(50, 2, 1);
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 30; i++) rb.add([rng.normal(), rng.normal()], [rng.uniform(-1, 1)], rng.normal(), [rng.normal(), rng.normal()], i % 5 === 4, i % 7 === 6);
    agent.obsRms?.updateRows(rb.obs.subarray(0, 60), 30);
    for (let i = 0; i < 4; i++) agent.learn(rb.sample(8, rng));
    const ck = join(dir, 'ckpt');
    saveCheckpoint(ck, encodeSac(agent, 123, run, rb, { episodes: 9, updateDebt: 0.5 }));
    const decoded = readSac(ck);
    const loaded = { agent: sacAgent(decoded), replay: sacReplay(decoded, 50) };
    expect(decoded.step).toBe(123);
    expect(decoded.state.extra).toEqual({ episodes: 9, updateDebt: 0.5 });
    expect(decoded.run).toEqual(run);
    const a = agent.namedVariables();
    const b = loaded.agent.namedVariables();
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(Array.from((b.get(k) as tf.Variable).dataSync())).toEqual(Array.from(v.dataSync()));
    expect(loaded.agent.criticSteps).toBe(4);
    expect(loaded.agent.actorOptimizer.exportState('x')).toEqual(agent.actorOptimizer.exportState('x'));
    expect(loaded.agent.qOptimizer.exportState('x')).toEqual(agent.qOptimizer.exportState('x'));
    expect(Array.from(loaded.agent.obsRms?.mean ?? [])).toEqual(Array.from(agent.obsRms?.mean ?? [1]));
    const lrb = loaded.replay as ReplayBuffer;
    expect(lrb.size).toBe(30);
    expect(lrb.position).toBe(30);
    expect(Array.from(lrb.obs.subarray(0, 60))).toEqual(Array.from(rb.obs.subarray(0, 60)));
    expect(Array.from(lrb.truncated.subarray(0, 30))).toEqual(Array.from(rb.truncated.subarray(0, 30)));
    // Same learner state: one more update from the same batch gives the same weights.
    const batchRng1 = Rng.fromSeed(77);
    const batchRng2 = Rng.fromSeed(77);
    loaded.agent.rng = Rng.fromSeed(5);
    agent.rng = Rng.fromSeed(5);
    agent.learn(rb.sample(8, batchRng1));
    loaded.agent.learn(lrb.sample(8, batchRng2));
    for (const [k, v] of agent.namedVariables()) expect(Array.from((loaded.agent.namedVariables().get(k) as tf.Variable).dataSync())).toEqual(Array.from(v.dataSync()));
    loaded.agent.dispose();
    // Mismatched env shapes and damaged files are refused with a clear message.
    expect(() => checkSacShapes(decoded, { obsDim: 3, actionLow: [-2], actionHigh: [2] })).toThrow(/does not match the env/);
    const w = join(ck, 'weights.bin');
    const bytes = readFileSync(w);
    bytes[10] ^= 0xff;
    writeFileSync(w, bytes);
    expect(() => readSac(ck)).toThrow(CheckpointError);
    expect(() => readSac(ck)).toThrow(/weights.bin is damaged/);
    expect(() => readSac(join(dir, 'nowhere'))).toThrow(CheckpointError);
    agent.dispose();
  });

  it('starts from the env preset, with explicit overrides on top', async () => {
    let seen: Record<string, unknown> = {};
    const r = await trainSac(
      { envId: 'Liquidate-AC-v0', makeVecEnv: (n) => makeTarget(n), totalSteps: 4, seed: 1, outDir: join(dir, 'preset'), backend: 'wasm', config: { rewardScale: 0.5 } },
      { onStart: (i) => (seen = i.config.sac as Record<string, unknown>) },
    );
    expect(seen.gamma).toBe(SAC_PRESETS['Liquidate-AC-v0'].gamma);
    expect(seen.initAction).toEqual([1]);
    expect(seen.rewardScale).toBe(0.5);
    expect(r.config.learningStarts).toBe(1000);
    r.agent.dispose();
  });

  it('resumes a run from its latest checkpoint through the shared train() entry', async () => {
    const out = join(dir, 'resume');
    const base = { envId: 'Target-v0', makeVecEnv: (n: number) => makeTarget(n), seed: 4, outDir: out, backend: 'wasm' as const, config: { learningStarts: 20, batchSize: 16, hiddenSizes: [16] } };
    let calls = 0;
    const first = await train({ ...base, totalSteps: 100, saveEvery: 40 }, { shouldStop: () => ++calls > 60 });
    expect(first.stopped).toBe(true);
    expect(first.steps).toBe(60);
    expect(existsSync(join(out, 'checkpoints', 'step-000000000040', 'manifest.json'))).toBe(true);
    expect(first.checkpoint).toBe(join(out, 'checkpoints', 'step-000000000060'));
    let startStep = -1;
    // No config given: the resumed run keeps the saved one (hiddenSizes [16] must match the weights).
    const second = await train({ ...base, config: undefined, totalSteps: 100, resume: out }, { onStart: (i) => (startStep = i.startStep) });
    expect(startStep).toBe(60);
    expect(second.steps).toBe(100);
    expect(second.stopped).toBe(false);
    const saved = readSac(second.checkpoint);
    const agent = sacAgent(saved);
    const state = saved.state;
    // 100 env steps, 80 after learning starts at 20 (UTD 1): 80 critic steps in all.
    expect(agent.criticSteps).toBe(80);
    // Episodes of 10 steps plus one autoreset step: 5 autoresets in steps 1–60; the resumed run
    // resets its env at step 60 and autoresets at 71, 82, 93: 100 − 8 = 92 transitions.
    expect((state.replay as { count: number }).count).toBe(92);
    agent.dispose();
  });
});
