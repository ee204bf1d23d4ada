/**
 * Training end to end on the WebGPU backend through the command line: `train --backend webgpu`
 * (PPO and SAC, a few updates on a software adapter when there is no GPU) writes a checkpoint that
 * `evaluate` loads and runs; the policy loaded on webgpu acts like the one loaded on wasm. And
 * `--backend webgpu` without any adapter fails with the documented message. Skips, saying why,
 * only when no WebGPU adapter can be created.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli } from './cli-capture.ts';
import { initBackend } from '../../agents/nn/index.ts';
import { probeWebgpu, vulkanIcdFiles, SWIFTSHADER_ICD } from '../../agents/nn/backend-webgpu.ts';
import { loadAlgo } from '../../experiments/train/algos.ts';
import { make } from '../../env/index.ts';

if (process.env.VK_ICD_FILENAMES === undefined && vulkanIcdFiles().length === 0 && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
const probe = await probeWebgpu({ allowFallback: true });
const dir = mkdtempSync(join(tmpdir(), 'webgpu-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args);

describe('--backend webgpu without an adapter', () => {
  it('fails with the reason and how to get a software adapter', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'experiments/cli.ts', 'bench', 'learner', '--backend', 'webgpu', '--batches', '64', '--hidden', '8'], {
      encoding: 'utf8',
      env: { ...process.env, VK_ICD_FILENAMES: join(dir, 'no-such-driver.json'), VK_DRIVER_FILES: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("execution-gym: backend 'webgpu' cannot start: WebGPU: Dawn found no adapter");
    expect(r.stderr).toContain(`set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`);
  });
});

describe('without the optional WebGPU packages (npm install --omit=optional)', () => {
  const hidden = ['--import', 'tsx', '--import', './test/agents/nn/hide-webgpu.mjs', 'experiments/cli.ts'];
  it('--backend webgpu says exactly what to install; auto falls back to wasm and says why', { timeout: 120_000 }, () => {
    const asked = spawnSync(process.execPath, [...hidden, 'bench', 'learner', '--backend', 'webgpu', '--batches', '64', '--hidden', '8'], { encoding: 'utf8' });
    expect(asked.status).toBe(1);
    expect(asked.stderr).toContain(
      "execution-gym: backend 'webgpu' needs the packages 'webgpu' (Dawn's Node bindings) and '@tensorflow/tfjs-backend-webgpu', which are not installed here; install them with: npm install webgpu@^0.6.2 @tensorflow/tfjs-backend-webgpu@^4.22.0",
    );
    const auto = spawnSync(process.execPath, [...hidden, 'bench', 'learner', '--backend', 'auto', '--batches', '64', '--hidden', '8', '--algos', 'ppo', '--min-reps', '1', '--max-reps', '1', '--min-ms', '0', '--json'], { encoding: 'utf8' });
    expect(auto.status).toBe(0);
    const b = (JSON.parse(auto.stdout) as { backends: { name: string; reason: string }[] }).backends[0];
    expect(['wasm', 'tensorflow']).toContain(b.name);
    if (b.name === 'wasm') expect(b.reason).toMatch(/WebGPU: .* are not installed \(npm install webgpu@\^0\.6\.2 @tensorflow\/tfjs-backend-webgpu@\^4\.22\.0\); using WebAssembly$/);
  });
});

const reason = probe.usable ? '' : ` (skipped: ${probe.reason})`;
describe.skipIf(!probe.usable)(`train --backend webgpu${reason}`, () => {
  const env = 'Liquidate-AC-v0';

  it.each([
    ['ppo', 'numSteps: 16\nnumMinibatches: 2\nupdateEpochs: 2\nhiddenSizes: [32, 32]\n', 64],
    ['sac', 'learningStarts: 24\nbatchSize: 16\nhiddenSizes: [32, 32]\n', 40],
  ])('%s: writes a checkpoint that evaluate loads', { timeout: 300_000 }, async (algo, yaml, steps) => {
    const cfg = join(dir, `${algo}.yaml`);
    writeFileSync(cfg, yaml);
    const out = join(dir, `${algo}-run`);
    const trained = await cli(['train', '--algo', algo, '--env', env, '--steps', String(steps), '--seed', '3', '--backend', 'webgpu', '--num-envs', '2', '--config', cfg, '--out', out, '--json']);
    const res = JSON.parse(trained.stdout) as { backend: string; steps: number; checkpoint: string };
    expect(res.backend).toBe('webgpu');
    expect(res.steps).toBeGreaterThanOrEqual(steps);
    expect(existsSync(join(res.checkpoint, 'weights.bin'))).toBe(true);
    const config = readFileSync(join(out, 'config.yaml'), 'utf8');
    expect(config).toMatch(/backend: webgpu/);
    expect(config).toMatch(/backendReason: .*requested webgpu/);

    const evaluated = await cli(['evaluate', '--policy', out, '--env', env, '--episodes', '4', '--workers', '0', '--json']);
    const summary = JSON.parse(evaluated.stdout) as Record<string, { episodes: number; meanIsBps: number }>;
    const [row] = Object.values(summary);
    expect(row.episodes).toBe(4);
    expect(Number.isFinite(row.meanIsBps)).toBe(true);

    // The same checkpoint loaded on webgpu and on wasm acts alike: PPO acts in float64 JS on both
    // (identical); SAC acts in float64 JS on webgpu and float32 TensorFlow.js on wasm: within
    // float32 rounding of the mean action (|a| ≤ 1 scaled by the action range, 1e-5 relative).
    const A = await loadAlgo(algo);
    const e = make(env);
    const obs = e.reset({ seed: 1_000_000_007 }).observation as Float64Array;
    const onGpu = await A.loadPolicy(out, { backend: 'webgpu' });
    const a1 = Array.from(onGpu.act(obs, {}) as Float64Array);
    const onWasm = await A.loadPolicy(out, { backend: 'wasm' });
    const a2 = Array.from(onWasm.act(obs, {}) as Float64Array);
    expect(a1.length).toBe(a2.length);
    for (let i = 0; i < a1.length; i++) expect(Math.abs(a1[i] - a2[i])).toBeLessThanOrEqual(algo === 'ppo' ? 0 : 1e-5 * Math.max(1, Math.abs(a2[i])));
    await initBackend('wasm');
  });
});
