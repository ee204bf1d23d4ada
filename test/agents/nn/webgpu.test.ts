/**
 * The WebGPU backend: the selection rule (missing package, no adapter, fallback adapter, a GPU),
 * and PPO and SAC update steps on WebGPU against wasm.
 *
 * Without a GPU the parity tests run on a software Vulkan driver (SwiftShader, from Debian's
 * chromium package; .ci/run installs it): when no Vulkan driver is configured, this file points
 * VK_ICD_FILENAMES at it before Dawn starts. They skip, saying why, only when no adapter can be
 * created.
 *
 * Tolerance (float32 rounding): u = 2⁻²⁴. Each step's values carry a relative error of at most
 * γₙ ≈ n·u, n the longest reduction (a dot product over max(obsDim, hidden) or a mean over the
 * batch); two backends that order their sums differently can differ by twice that, and over K
 * steps the differences add at most linearly: |Δ| ≤ 2·K·n·u·max(1, |x|). The scale is max(1, |x|)
 * because the losses are means of O(1) terms (normalized advantages, ratios near 1) that partly
 * cancel: their rounding follows the terms, not the small sum. PPO's clip fraction counts rows
 * past the clip boundary, so a ratio within the tolerance of the boundary may flip one row: 1/batch more.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, BackendError } from '../../../agents/nn/index.ts';
import { decideWebgpu, probeWebgpu, vulkanIcdFiles, SWIFTSHADER_ICD, WEBGPU_INSTALL } from '../../../agents/nn/backend-webgpu.ts';
import { webgpuMissingMessage } from '../../../agents/nn/backend.ts';
import { ppoLearner, sacLearner, type LearnerShape } from '../../../experiments/learner-bench.ts';

if (process.env.VK_ICD_FILENAMES === undefined && vulkanIcdFiles().length === 0 && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
const probe = await probeWebgpu({ allowFallback: true });

const swiftshader = { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0', fallback: true };
const h100 = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', fallback: false };

describe('webgpu selection rule', () => {
  it('a missing package: not usable, and --backend webgpu says exactly what to install', () => {
    for (const allowFallback of [true, false]) {
      const p = decideWebgpu({ packages: false, adapter: undefined, allowFallback });
      expect(p).toMatchObject({ missing: true, usable: false });
      expect(p.reason).toContain(WEBGPU_INSTALL.command);
    }
    expect(webgpuMissingMessage()).toBe(
      "backend 'webgpu' needs the packages 'webgpu' (Dawn's Node bindings) and '@tensorflow/tfjs-backend-webgpu', which are not installed here; " +
        'install them with: npm install webgpu@^0.6.2 @tensorflow/tfjs-backend-webgpu@^4.22.0',
    );
  });

  it('no adapter: not usable, with the reason and how to get a software adapter', () => {
    const p = decideWebgpu({ packages: true, adapter: undefined, allowFallback: true });
    expect(p).toMatchObject({ missing: false, usable: false });
    expect(p.reason).toMatch(/no adapter.*VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json/);
    const q = decideWebgpu({ packages: true, adapter: 'not-probed', allowFallback: false });
    expect(q).toMatchObject({ missing: false, usable: false });
    expect(q.reason).toMatch(/no Vulkan driver installed/);
  });

  it('a fallback adapter: used when asked for by name, never by auto', () => {
    const asked = decideWebgpu({ packages: true, adapter: swiftshader, allowFallback: true });
    expect(asked).toMatchObject({ usable: true, adapter: swiftshader });
    expect(asked.reason).toMatch(/fallback \(software\) adapter: a CPU emulation/);
    const auto = decideWebgpu({ packages: true, adapter: swiftshader, allowFallback: false });
    expect(auto).toMatchObject({ usable: false, adapter: swiftshader });
    expect(auto.reason).toMatch(/auto never picks it/);
  });

  it('a GPU adapter: usable from auto and by name', () => {
    for (const allowFallback of [true, false]) {
      const p = decideWebgpu({ packages: true, adapter: h100, allowFallback });
      expect(p).toMatchObject({ usable: true, adapter: h100 });
      expect(p.reason).toBe('WebGPU adapter nvidia hopper NVIDIA H100 (a GPU)');
    }
  });

  it('reads the Vulkan driver manifests named in the environment first', () => {
    expect(vulkanIcdFiles({ VK_ICD_FILENAMES: `/nonexistent.json:${process.execPath}` })).toEqual([process.execPath]);
    expect(vulkanIcdFiles({ XDG_CONFIG_HOME: '/nonexistent', XDG_CONFIG_DIRS: '/nonexistent', XDG_DATA_HOME: '/nonexistent', XDG_DATA_DIRS: '/nonexistent' }).every((f) => f.startsWith('/etc/vulkan/icd.d/'))).toBe(true);
  });

  it('auto on this machine never picks a fallback adapter', async () => {
    const c = await initBackend('auto');
    expect(c.name).not.toBe('webgpu');
    if (probe.usable && probe.adapter?.fallback === true) expect(c.reason).toMatch(/auto never picks it/);
    await expect(initBackend('gpu' as never)).rejects.toThrow(BackendError);
  });
});

type Losses = Record<string, number>;
interface Run {
  losses: Losses[];
  weights: Float32Array[];
}

async function run(kind: 'wasm' | 'webgpu', algo: 'ppo' | 'sac', shape: LearnerShape, steps: number): Promise<Run> {
  const c = await initBackend(kind);
  expect(c.name).toBe(kind);
  const l = algo === 'ppo' ? ppoLearner(shape) : sacLearner(shape);
  try {
    const losses: Losses[] = [];
    for (let i = 0; i < steps; i++) losses.push({ ...(await l.step()) } as unknown as Losses);
    return { losses, weights: await l.weights() };
  } finally {
    l.dispose();
  }
}

const U = 2 ** -24;

function expectClose(a: Run, b: Run, tolRel: number, countTol: Record<string, number>): void {
  expect(b.losses.length).toBe(a.losses.length);
  for (let i = 0; i < a.losses.length; i++) {
    for (const k of Object.keys(a.losses[i])) {
      const x = a.losses[i][k];
      const y = b.losses[i][k];
      if (Number.isNaN(x)) {
        expect(y, `${k} at step ${i}`).toBeNaN();
        continue;
      }
      const tol = tolRel * Math.max(1, Math.abs(x)) + (countTol[k] ?? 0);
      expect(Math.abs(x - y), `${k} at step ${i}: wasm ${x}, webgpu ${y}`).toBeLessThanOrEqual(tol);
    }
  }
  expect(b.weights.length).toBe(a.weights.length);
  let worst = 0;
  for (let j = 0; j < a.weights.length; j++) {
    expect(b.weights[j].length).toBe(a.weights[j].length);
    for (let i = 0; i < a.weights[j].length; i++) {
      const excess = Math.abs(a.weights[j][i] - b.weights[j][i]) - tolRel * Math.max(1, Math.abs(a.weights[j][i]));
      worst = Math.max(worst, excess);
    }
  }
  expect(worst, 'largest weight difference beyond the tolerance').toBeLessThanOrEqual(0);
}

const reason = probe.usable ? '' : ` (skipped: ${probe.reason})`;
describe.skipIf(!probe.usable)(`PPO and SAC update steps on webgpu match wasm${reason}`, () => {
  const shape = { batch: 64, hidden: 32 };
  const steps = 24;
  const n = Math.max(11, shape.hidden, shape.batch);
  const tolRel = 2 * steps * n * U;

  it('PPO: 24 updates, losses and weights (with Adam moments) within 2·K·n·u', { timeout: 300_000 }, async () => {
    const a = await run('wasm', 'ppo', shape, steps);
    const b = await run('webgpu', 'ppo', shape, steps);
    expectClose(a, b, tolRel, { 'losses/clipfrac': 1 / shape.batch });
    // Not vacuous: the weights moved by much more than the tolerance.
    const fresh = ppoLearner(shape);
    const w0 = await fresh.weights();
    fresh.dispose();
    let moved = 0;
    for (let j = 0; j < w0.length; j++) for (let i = 0; i < w0[j].length; i++) moved = Math.max(moved, Math.abs(w0[j][i] - a.weights[j][i]));
    expect(moved).toBeGreaterThan(100 * tolRel);
    await initBackend('wasm');
  });

  it('SAC: 24 gradient steps (critic, actor, α, Polyak), losses and weights within 2·K·n·u', { timeout: 300_000 }, async () => {
    const a = await run('wasm', 'sac', shape, steps);
    const b = await run('webgpu', 'sac', shape, steps);
    expectClose(a, b, tolRel, {});
    expect(a.losses[steps - 1].alpha).not.toBe(a.losses[0].alpha);
    expect(tf.getBackend()).toBe('webgpu');
    await initBackend('wasm');
  });
});
