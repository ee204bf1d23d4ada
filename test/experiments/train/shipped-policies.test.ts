/**
 * The trained policies that ship in policies/: each name resolves to its folder and never shadows
 * a registered policy; its checkpoint verifies; its ONNX export acts as the checkpoint does (to
 * 1e−5, see test/agents/onnx/export.test.ts for the bound) and gives the same IS on evaluation
 * seeds; its model card names the command that trained it; and the whole folder stays small.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { interfaceOptions, listPolicies, registerPolicy, TwapPolicy } from '../../../agents/index.ts';
import { loadCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { META, OnnxPolicy, policyGraphSpec } from '../../../agents/onnx/index.ts';
import { compareActions, sampleObservations } from '../../../agents/onnx/verify.ts';
import { PpoPolicy } from '../../../agents/ppo/index.ts';
import { SacPolicy } from '../../../agents/sac/index.ts';
import { evaluate, evaluationSeeds } from '../../../experiments/evaluate/index.ts';
import { POLICIES_DIR, PolicyNameError, resolvePolicyName, shippedPolicies } from '../../../experiments/train/policy-loader.ts';
import { make } from '../../../env/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { sacFloat64Actor } from '../../agents/onnx/helpers.ts';

const LOADER = new URL('../../../experiments/train/policy-loader.ts', import.meta.url).pathname;
const shipped = shippedPolicies();
const names = Object.keys(shipped);

beforeAll(async () => {
  await initBackend('wasm');
});

function sizeOf(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((sum, f) => sum + sizeOf(join(path, f)), 0);
}

describe('shipped policies', () => {
  it('PPO and SAC on Liquidate-v0 and the limit-order PPO ship, with names apart from the registered policies', () => {
    expect(names).toEqual(expect.arrayContaining(['ppo-liquidate', 'sac-liquidate', 'ppo-limit-liquidate', 'sac-limit-liquidate']));
    const registered = listPolicies();
    for (const n of names) expect(registered).not.toContain(n);
    expect(resolvePolicyName('twap')).toBe('twap');
    expect(resolvePolicyName('runs/x')).toBe('runs/x');
  });

  it('stay under a megabyte in all (checkpoints, ONNX, cards; a SAC checkpoint is about 250 kB)', () => {
    expect(sizeOf(POLICIES_DIR)).toBeLessThan(1_000_000);
  });

  describe.each(names)('%s', (name) => {
    const p = shipped[name];
    let onnx: OnnxPolicy;
    beforeAll(async () => {
      onnx = await OnnxPolicy.load(p.onnx);
    });
    afterAll(() => onnx.dispose());

    it('its checkpoint verifies and matches the index and the ONNX metadata', () => {
      expect(resolvePolicyName(name)).toBe(p.path);
      const ckpt = loadCheckpoint(p.path);
      expect(ckpt.kind).toBe(p.algo);
      const { run } = policyGraphSpec(ckpt);
      expect(run.envId).toBe(p.env);
      expect(onnx.metadata[META.envId]).toBe(p.env);
      expect(onnx.metadata[META.algo]).toBe(p.algo);
      expect(onnx.metadata[META.trainingSteps]).toBe(String(ckpt.step));
      expect(onnx.metadata[META.seed]).toBe(String(run.seed));
    });

    it('its ONNX model acts as its checkpoint to 1e-5 on 2,000 random observations', () => {
      const ckpt = loadCheckpoint(p.path);
      // The env the policy speaks: its training env with the options of its interface (action mode, features).
      const env = make(p.env, interfaceOptions(policyGraphSpec(ckpt).run.envOptions));
      onnx.bind(env.observationSpace, env.actionSpace, p.env);
      const obsJson = env.observationSpace.toJSON() as { low: number[]; high: number[] };
      const obs = sampleObservations(obsJson.low, obsJson.high, 2000, Rng.fromSeed(2, 'shipped-test'));
      let reference: (o: Float64Array) => Float64Array | number;
      let dispose: () => void;
      if (p.algo === 'ppo') {
        const policy = PpoPolicy.fromCheckpoint(ckpt);
        reference = (o) => policy.act(o);
        dispose = () => policy.dispose();
      } else {
        const policy = SacPolicy.fromCheckpoint(ckpt);
        reference = sacFloat64Actor(policy);
        dispose = () => policy.dispose();
      }
      const cmp = compareActions((o) => onnx.act(o), reference, obs, obsJson.low.length);
      dispose();
      env.close();
      expect(cmp.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    });

    it('evaluates by name, natively and through ONNX, to the same IS on evaluation seeds', async () => {
      const seeds = evaluationSeeds(4);
      const opts = { workers: 0, modules: [LOADER] };
      const native = await evaluate(resolvePolicyName(name), p.env, {}, seeds, opts);
      const viaOnnx = await evaluate(p.onnx, p.env, {}, seeds, opts);
      for (let i = 0; i < seeds.length; i++) {
        expect(Math.abs(viaOnnx[i].isBps - native[i].isBps)).toBeLessThanOrEqual(1e-5);
        expect(viaOnnx[i].inventory).toEqual(native[i].inventory);
      }
    });

    it('has a model card with the env, the training command, the seed, the steps and the evaluation', () => {
      const card = readFileSync(join(p.path, 'README.md'), 'utf8');
      const ckpt = loadCheckpoint(p.path);
      expect(card).toContain(p.env);
      expect(card).toContain(`execution-gym train --algo ${p.algo} --env ${p.env}`);
      expect(card).toContain(`--steps ${(ckpt.config as { totalSteps: number }).totalSteps}`);
      expect(card).toContain(`--seed ${(ckpt.config as { seed: number }).seed}`);
      expect(card).toContain(`evaluate --policy ${name}`);
      expect(card).toMatch(/\| policy \| episodes \| mean IS \(bps\)/);
    });
  });

  it('a shipped name that a registered policy also takes is refused, not shadowed', () => {
    registerPolicy(names[0], () => new TwapPolicy());
    expect(() => resolvePolicyName(names[0])).toThrow(PolicyNameError);
    expect(() => resolvePolicyName(names[0])).toThrow(`'${names[0]}' is both a registered policy and a shipped one`);
  });
});
