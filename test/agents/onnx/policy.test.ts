/**
 * OnnxPolicy on models this test builds itself (not the exporter), with weights chosen so that
 * every action can be computed by hand exactly (all values are exact in float32).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, GraphBuilder, OnnxError, OnnxPolicy, encodeModel, tensorInfo, type Dim } from '../../../agents/onnx/index.ts';
import { Box, Discrete } from '../../../env/spaces/index.ts';
import { make } from '../../../env/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'onnx-policy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * obs [batch, 3] → h = relu(x·W1 + b1) → a = h·W2 + b2, with
 * W1 = [[1, −1], [2, 0], [0, 3]], b1 = [0.5, −1], W2 = [[2], [1]], b2 = [0.25]:
 * a = 2·relu(x0 + 2x1 + 0.5) + relu(−x0 + 3x2 − 1) + 0.25.
 */
function boxModel(opts: { batch?: Dim; elem?: number } = {}): Uint8Array {
  const g = new GraphBuilder('hand');
  const x = g.input('obs');
  g.mlp(
    x,
    [
      { w: [1, -1, 2, 0, 0, 3], b: [0.5, -1], rows: 3, cols: 2 },
      { w: [2, 1], b: [0.25], rows: 2, cols: 1 },
    ],
    'relu',
    'net',
    'action',
    opts.elem === DataType.DOUBLE ? 'float64' : 'float32',
  );
  const elem = opts.elem ?? DataType.FLOAT;
  const batch = opts.batch ?? 'n';
  return encodeModel(g.build([tensorInfo('obs', elem, [batch, 3])], [tensorInfo('action', elem, [batch, 1])], { producerName: 'test', producerVersion: '0' }));
}

const byHand = (x: number[]): number => 2 * Math.max(0, x[0] + 2 * x[1] + 0.5) + Math.max(0, -x[0] + 3 * x[2] - 1) + 0.25;

const OBS = new Box(-10, 10, [3]);
const ACT = new Box(0, 10, [1]);

describe('an ONNX model built by the test acts as computed by hand', () => {
  const cases: [number[], number][] = [
    [[1, 1, 1], 8.25],
    [[0, 0, 0], 1.25],
    [[-1, 0, 2], 6.25],
    [[3, 2, 1], 10], // 15.25, clipped into the Box [0, 10] by the harness
    [[-1, 0, 0], 0.25], // both units at 0
    [[-3, -2, 0], 2.25],
  ];

  it('Box action, free batch: act and actBatch', async () => {
    const p = await OnnxPolicy.load(boxModel(), { name: 'hand' });
    p.bind(OBS, ACT, 'test env');
    for (const [x, want] of cases) {
      expect(Math.min(10, byHand(x))).toBe(want);
      expect(Array.from(p.act(Float64Array.from(x)) as Float64Array)).toEqual([want]);
    }
    const out = new Float64Array(cases.length);
    p.actBatch(Float64Array.from(cases.flatMap(([x]) => x)), cases.length, out);
    expect(Array.from(out)).toEqual(cases.map(([, w]) => w));
    p.dispose();
  });

  it('float64 input and output with a fixed batch of 1 (actBatch runs row by row)', async () => {
    const p = await OnnxPolicy.load(boxModel({ batch: 1, elem: DataType.DOUBLE }));
    p.bind(OBS, ACT);
    const out = new Float64Array(cases.length);
    p.actBatch(Float64Array.from(cases.flatMap(([x]) => x)), cases.length, out);
    expect(Array.from(out)).toEqual(cases.map(([, w]) => w));
    // float64 end to end: a value float32 cannot hold comes through exactly.
    const x = [0.1, 0.2, 0.3];
    expect((p.act(Float64Array.from(x)) as Float64Array)[0]).toBeCloseTo(byHand(x), 15);
    p.dispose();
  });

  it('Discrete: logits (the harness takes the first argmax) and an int64 action with a start', async () => {
    // logits = [x0, x1, −x0 + x1 + 0.5]
    const g = new GraphBuilder('logits');
    g.mlp(g.input('obs'), [{ w: [1, 0, -1, 0, 1, 1], b: [0, 0, 0.5], rows: 2, cols: 3 }], 'tanh', 'net', 'logits');
    const logits = await OnnxPolicy.load(encodeModel(g.build([tensorInfo('obs', DataType.FLOAT, ['n', 2])], [tensorInfo('logits', DataType.FLOAT, ['n', 3])], { producerName: 't', producerVersion: '0' })));
    logits.bind(new Box(-5, 5, [2]), new Discrete(3));
    const cases2: [number[], number][] = [
      [[1, 0], 0],
      [[0, 1], 2],
      [[-1, -1], 2],
      [[2, 3], 1],
      [[0.5, 0.5], 0], // logits [0.5, 0.5, 0.5]: a three-way tie goes to the first
    ];
    for (const [x, k] of cases2) expect(logits.act(Float64Array.from(x))).toBe(k);
    logits.dispose();

    const h = new GraphBuilder('index');
    const z = h.mlp(h.input('obs'), [{ w: [1, 0, -1, 0, 1, 1], b: [0, 0, 0.5], rows: 2, cols: 3 }], 'tanh', 'net', 'z');
    const k = h.node('ArgMax', [z], 'k', { axis: 1, keepdims: 0 });
    h.node('Add', [k, h.int64('one', [1], [])], 'action');
    const index = await OnnxPolicy.load(encodeModel(h.build([tensorInfo('obs', DataType.FLOAT, ['n', 2])], [tensorInfo('action', DataType.INT64, ['n'])], { producerName: 't', producerVersion: '0' })));
    index.bind(new Box(-5, 5, [2]), new Discrete(3, 1));
    for (const [x, want] of cases2) expect(index.act(Float64Array.from(x))).toBe(want + 1);
    index.dispose();
  });

  it('binds itself on the first act from the action space reset passes, and rejects a non-finite action', async () => {
    const p = await OnnxPolicy.load(boxModel());
    expect(() => p.act(new Float64Array(3))).toThrow(/call bind\(observationSpace, actionSpace\) or reset/);
    p.reset({}, { seed: 1, actionSpace: ACT });
    expect(Array.from(p.act(Float64Array.from([1, 1, 1])) as Float64Array)).toEqual([8.25]);
    expect(() => p.act(new Float64Array(4))).toThrow(/observation has 4 features, the model takes 3/);
    expect(() => p.act(Float64Array.from([NaN, 0, 0]))).toThrow(/action 0\[0\] is NaN/);
    p.dispose();
  });

  it('reads a model written by PyTorch (the example: an untrained net that is TWAP, a = 1)', async () => {
    const p = await OnnxPolicy.load(join(new URL('.', import.meta.url).pathname, 'fixtures/pytorch-policy.onnx'));
    const env = make('Liquidate-v0');
    p.bind(env.observationSpace, env.actionSpace, 'Liquidate-v0');
    const { observation } = env.reset({ seed: 3 });
    expect(Array.from(p.act(observation) as Float64Array)).toEqual([1]);
    env.close();
    p.dispose();
  });
});

describe('bad models are refused with the expected and the found shapes', () => {
  const env = make('Liquidate-v0');
  afterAll(() => env.close());

  function model(inDim: number, outDim: number, outType: number = DataType.FLOAT): Uint8Array {
    const g = new GraphBuilder('bad');
    const z = g.mlp(g.input('observation'), [{ w: new Array<number>(inDim * outDim).fill(0), b: new Array<number>(outDim).fill(1), rows: inDim, cols: outDim }], 'tanh', 'net', outType === DataType.FLOAT ? 'action' : 'z');
    if (outType !== DataType.FLOAT) g.node('ArgMax', [z], 'action', { axis: 1, keepdims: 0 });
    const outShape: Dim[] = outType === DataType.FLOAT ? ['batch', outDim] : ['batch'];
    return encodeModel(g.build([tensorInfo('observation', DataType.FLOAT, ['batch', inDim])], [tensorInfo('action', outType, outShape)], { producerName: 't', producerVersion: '0' }));
  }

  it('wrong input size', async () => {
    const p = await OnnxPolicy.load(model(12, 1), { name: 'wide.onnx' });
    expect(() => p.bind(env.observationSpace, env.actionSpace, 'Liquidate-v0')).toThrow(
      "wide.onnx: input 'observation' has shape [batch, 12]; Liquidate-v0 needs [batch, 11] (11 observation features, batch dimension free or 1)",
    );
    p.dispose();
  });

  it('wrong output size, and an integer output for a Box env', async () => {
    const p = await OnnxPolicy.load(model(11, 2), { name: 'two.onnx' });
    expect(() => p.bind(env.observationSpace, env.actionSpace, 'Liquidate-v0')).toThrow(
      "two.onnx: output 'action' is float32 [batch, 2]; the action space Box(1) in [0]..[10] of Liquidate-v0 needs float32 [batch, 1]",
    );
    p.dispose();
    const d = await OnnxPolicy.load(model(11, 4, DataType.INT64), { name: 'menu.onnx' });
    expect(() => d.bind(env.observationSpace, env.actionSpace, 'Liquidate-v0')).toThrow(/output 'action' is int64 \[batch\].*needs float32 \[batch, 1\] \(an integer output is a discrete policy/);
    d.dispose();
  });

  it('a file that is not ONNX, a truncated one, and a missing one', async () => {
    const json = join(dir, 'model.onnx');
    writeFileSync(json, '{"weights": [1, 2, 3]}\n');
    await expect(OnnxPolicy.load(json)).rejects.toThrow(/model\.onnx \(23 bytes\): not a valid ONNX model/);
    const good = join(dir, 'good.onnx');
    writeFileSync(good, model(11, 1));
    const cut = join(dir, 'cut.onnx');
    const bytes = readFileSync(good);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(OnnxPolicy.load(cut)).rejects.toThrow(/cut\.onnx \(\d+ bytes\): not a valid ONNX model: .*(truncated\?)/);
    await expect(OnnxPolicy.load(join(dir, 'absent.onnx'))).rejects.toThrow(/cannot read the ONNX model .*absent\.onnx: ENOENT/);
    await expect(OnnxPolicy.load(json)).rejects.toThrow(OnnxError);
  });
});
