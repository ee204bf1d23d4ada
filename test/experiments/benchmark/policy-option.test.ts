/**
 * `benchmark --policy`: extra policies join the comparison, and an ONNX model that does not fit
 * the env, or a name the benchmark already uses, is refused before anything is trained.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchmark } from '../../../experiments/benchmark/run.ts';
import { DataType, GraphBuilder, encodeModel, tensorInfo } from '../../../agents/onnx/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = { ppoSteps: 256, sacSteps: 64, acPpoSteps: 128, acSacSteps: 32, episodes: 4, acEpisodes: 4, numEnvs: 2, sacNumEnvs: 1, workers: 0 };

describe('benchmark --policy', () => {
  it('refuses an ONNX model of the wrong size and a taken name before training', async () => {
    const g = new GraphBuilder('m');
    g.mlp(g.input('observation'), [{ w: new Array<number>(3).fill(0), b: [1], rows: 3, cols: 1 }], 'tanh', 'net', 'action');
    const bad = join(dir, 'three.onnx');
    writeFileSync(bad, encodeModel(g.build([tensorInfo('observation', DataType.FLOAT, ['batch', 3])], [tensorInfo('action', DataType.FLOAT, ['batch', 1])], { producerName: 't', producerVersion: '0' })));
    const out = join(dir, 'run');
    await expect(runBenchmark({ budget: 'quick', overrides: tiny, seed: 1, outDir: out, backend: 'cpu', policies: [bad] })).rejects.toThrow(`${bad}: input 'observation' has shape [batch, 3]; Liquidate-v0 needs [batch, 11]`);
    expect(existsSync(join(out, 'train'))).toBe(false);
    await expect(runBenchmark({ budget: 'quick', overrides: tiny, seed: 1, outDir: out, backend: 'cpu', policies: ['twap'] })).rejects.toThrow(/benchmark --policy twap: the name is already one of the benchmark's policies/);
  });
});
