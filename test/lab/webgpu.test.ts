/**
 * The lab's training loops on WebGPU. A checkpoint is encoded synchronously, so the loops must
 * download the learner's tensors first (agents/nn/readback.ts); a tensor read synchronously on the
 * device makes Dawn in Node throw and, in Chromium, returns zeros and loses the device (what the
 * Train view hit when `onState` took the initial snapshot before that download). Here the lab's
 * PPO and SAC run a few updates on Dawn in Node, where such a read fails loudly, and their initial
 * and final checkpoints must hold the real weights (finite, not all zero, different). Skips, saying
 * why, only when no WebGPU adapter can be created (.ci/run installs the software one).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { initBackend } from '../../agents/nn/index.ts';
import { probeWebgpu, vulkanIcdFiles, SWIFTSHADER_ICD } from '../../agents/nn/backend-webgpu.ts';
import { maxWeightChange, trainInMemory, LAB_ALGOS } from '../../lab/src/core/training.ts';

if (process.env.VK_ICD_FILENAMES === undefined && vulkanIcdFiles().length === 0 && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
const probe = await probeWebgpu({ allowFallback: true });
const why = `no WebGPU adapter (${probe.reason})`;

const CONFIGS = {
  ppo: { numEnvs: 2, numSteps: 32, numMinibatches: 2, updateEpochs: 1 },
  sac: { learningStarts: 48, batchSize: 16 },
} as const;

describe.skipIf(!probe.usable)(probe.usable ? 'lab training on webgpu' : `lab training on webgpu: SKIPPED, ${why}`, () => {
  it.each(LAB_ALGOS)('%s: trains and its initial and final checkpoints hold the real weights', { timeout: 120_000 }, async (algo) => {
    const backend = await initBackend('webgpu');
    expect(backend.name).toBe('webgpu');
    const r = await trainInMemory(algo, { envId: 'Liquidate-AC-v0', seed: 1, totalSteps: 64, config: CONFIGS[algo], backend }, {}, { yieldToEvents: () => Promise.resolve() });
    expect(r.steps).toBe(64);
    for (const ckpt of [r.initial, r.final]) {
      const weights = ckpt.tensors.filter((t) => !t.name.startsWith('replay/'));
      expect(weights.length).toBeGreaterThan(0);
      expect(weights.every((t) => Array.from(t.data).every(Number.isFinite))).toBe(true);
      expect(weights.some((t) => Array.from(t.data).some((x) => x !== 0))).toBe(true);
    }
    expect(maxWeightChange(r.initial, r.final)).toBeGreaterThan(0);
  });
});
