/**
 * The command line around ONNX: `export` writes a checked model, and `evaluate --policy FILE.onnx`
 * refuses a model that does not fit the env before any episode (of any policy) runs.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-capture.ts';
import { checkpointDirFor, saveCheckpoint } from '../../../agents/common/checkpoint-fs.ts';
import { initBackend } from '../../../agents/nn/index.ts';
import { DataType, GraphBuilder, META, decodeModel, encodeModel, tensorInfo } from '../../../agents/onnx/index.ts';
import { describeEnv, randomPpoCheckpoint } from '../../agents/onnx/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'onnx-cli-'));
beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const cli = runCli;

describe('execution-gym export', () => {
  it('writes the ONNX model of a run, checked against the policy on random observations', async () => {
    const run = join(dir, 'ppo-run');
    const ckpt = randomPpoCheckpoint({ obsDim: 11, action: { kind: 'box', dim: 1, low: [0], high: [10] }, actionSpace: describeEnv('Liquidate-v0').actionSpace, envId: 'Liquidate-v0', seed: 11, bias: 4 });
    saveCheckpoint(checkpointDirFor(run, ckpt.step), ckpt);
    const out = join(dir, 'ppo.onnx');
    const { stdout } = await cli(['export', '--policy', run, '--onnx', out, '--verify', '500', '--backend', 'wasm', '--json']);
    const res = JSON.parse(stdout) as { bytes: number; algo: string; input: { shape: string }; verify: { observations: number; maxAbsDiff: number } };
    expect(res.bytes).toBe(statSync(out).size);
    expect(res.algo).toBe('ppo');
    expect(res.input.shape).toBe('[batch, 11]');
    expect(res.verify.observations).toBe(500);
    expect(res.verify.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const m = decodeModel(readFileSync(out));
    expect(m.metadata[META.envId]).toBe('Liquidate-v0');
    expect(m.metadata[META.version]).toBe((JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  });

  it('refuses a target that is not .onnx and a directory without a checkpoint', async () => {
    await expect(cli(['export', '--policy', dir, '--onnx', join(dir, 'x.bin')])).rejects.toThrow('--onnx must name a .onnx file');
    await expect(cli(['export', '--policy', join(dir, 'nothing'), '--onnx', join(dir, 'x.onnx')])).rejects.toThrow(/no checkpoint at .*nothing: it does not exist/);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
  });
});

describe('execution-gym evaluate --policy FILE.onnx', () => {
  function model(file: string, inDim: number, outDim: number): string {
    const g = new GraphBuilder('m');
    g.mlp(g.input('observation'), [{ w: new Array<number>(inDim * outDim).fill(0), b: new Array<number>(outDim).fill(1), rows: inDim, cols: outDim }], 'tanh', 'net', 'action');
    writeFileSync(file, encodeModel(g.build([tensorInfo('observation', DataType.FLOAT, ['batch', inDim])], [tensorInfo('action', DataType.FLOAT, ['batch', outDim])], { producerName: 't', producerVersion: '0' })));
    return file;
  }

  it('refuses a model of the wrong input or output size before any episode runs', async () => {
    // twap comes first: had anything started, its progress bar would be on stderr.
    const wide = model(join(dir, 'wide.onnx'), 12, 1);
    const sink = { stdout: '', stderr: '' };
    await expect(cli(['evaluate', '--policy', `twap,${wide}`, '--episodes', '2', '--workers', '0'], sink)).rejects.toThrow(
      `${wide}: input 'observation' has shape [batch, 12]; Liquidate-v0 needs [batch, 11]`,
    );
    expect(sink).toEqual({ stdout: '', stderr: '' });
    const two = model(join(dir, 'two.onnx'), 11, 2);
    await expect(cli(['evaluate', '--policy', `twap,${two}`, '--episodes', '2', '--workers', '0'])).rejects.toThrow(/output 'action' is float32 \[batch, 2\]; the action space Box\(1\) in \[0\]\.\.\[10\] of Liquidate-v0 needs float32 \[batch, 1\]/);
    const text = join(dir, 'notes.onnx');
    writeFileSync(text, 'these are my notes, not a model\n');
    await expect(cli(['evaluate', '--policy', `twap,${text}`, '--episodes', '2', '--workers', '0'])).rejects.toThrow(/notes\.onnx \(32 bytes\): not a valid ONNX model/);
  });

  it('evaluates a model that fits, next to a baseline', async () => {
    // a = 1 everywhere: TWAP itself, so the paired difference is exactly 0.
    const twapNet = model(join(dir, 'twap.onnx'), 11, 1);
    const { stdout } = await cli(['evaluate', '--policy', `twap,${twapNet}`, '--episodes', '3', '--workers', '0', '--json']);
    const summary = JSON.parse(stdout) as Record<string, { meanIsBps: number; vsTwap: { meanDiffBps: number } | null }>;
    expect(summary[twapNet].meanIsBps).toBe(summary.twap.meanIsBps);
    expect(summary[twapNet].vsTwap?.meanDiffBps).toBe(0);
  });
});
