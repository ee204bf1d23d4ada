import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { AttributeType, DataType, GraphBuilder, OnnxError, decodeModel, encodeModel, tensorInfo, type Model } from '../../../agents/onnx/index.ts';

const here = (f: string): string => new URL(f, import.meta.url).pathname;

function smallModel(): Model {
  const g = new GraphBuilder('g');
  const x = g.input('observation');
  const h = g.mlp(x, [{ w: [1, -2, 3, 0.5, 0, -1], b: [0.25, -0.25], rows: 3, cols: 2 }], 'relu', 'net', 'z');
  g.node('ArgMax', [h], 'action', { axis: 1, keepdims: 0 });
  return g.build([tensorInfo('observation', DataType.FLOAT, ['batch', 3])], [tensorInfo('action', DataType.INT64, ['batch'])], {
    producerName: 'test',
    producerVersion: '1',
    metadata: { 'execution_gym.env_id': 'Liquidate-v0', note: 'ünïcode ✓' },
  });
}

describe('ONNX protobuf codec', () => {
  it('decodes what it encodes: graph, initializers, attributes, shapes and metadata', () => {
    const m = smallModel();
    const back = decodeModel(encodeModel(m));
    expect(back.irVersion).toBe(7);
    expect(back.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(back.metadata).toEqual(m.metadata);
    expect(back.graph.inputs).toEqual([{ name: 'observation', elemType: DataType.FLOAT, shape: ['batch', 3] }]);
    expect(back.graph.outputs).toEqual([{ name: 'action', elemType: DataType.INT64, shape: ['batch'] }]);
    expect(back.graph.nodes.map((n) => n.opType)).toEqual(['Gemm', 'ArgMax']);
    expect(back.graph.nodes[1].attributes).toEqual({ axis: { type: AttributeType.INT, i: 1 }, keepdims: { type: AttributeType.INT, i: 0 } });
    const w = back.graph.initializers.find((t) => t.name === 'net/l0/w');
    expect(w?.dims).toEqual([3, 2]);
    expect(Array.from(new Float32Array(Uint8Array.from(w?.raw ?? []).buffer))).toEqual([1, -2, 3, 0.5, 0, -1]);
  });

  it('writes negative int64 attributes as ten-byte varints and reads them back', () => {
    const g = new GraphBuilder('g');
    const x = g.input('x');
    g.node('Flatten', [x], 'y', { axis: -1, list: [-3, 0, 2 ** 40] });
    const m = g.build([tensorInfo('x', DataType.FLOAT, [2, 3])], [tensorInfo('y', DataType.FLOAT, [2, 3])], { producerName: 't', producerVersion: '0' });
    const attrs = decodeModel(encodeModel(m)).graph.nodes[0].attributes;
    expect(attrs.axis).toEqual({ type: AttributeType.INT, i: -1 });
    expect(attrs.list).toEqual({ type: AttributeType.INTS, ints: [-3, 0, 2 ** 40] });
  });

  it('reads a model written by PyTorch (torch.onnx.export of examples/pytorch/export_policy.py)', () => {
    const m = decodeModel(readFileSync(here('./fixtures/pytorch-policy.onnx')));
    expect(m.producerName).toBe('pytorch');
    expect(m.graph.inputs.map((i) => [i.name, i.elemType, i.shape])).toEqual([['observation', DataType.FLOAT, ['batch', 11]]]);
    expect(m.graph.outputs.map((i) => [i.name, i.elemType, i.shape])).toEqual([['action', DataType.FLOAT, ['batch', 1]]]);
    expect(m.graph.nodes.map((n) => n.opType)).toContain('Gemm');
  });

  it('refuses an empty file, a file that is not ONNX, and every truncation of a model', () => {
    expect(() => decodeModel(new Uint8Array(0))).toThrow(/the file is empty/);
    expect(() => decodeModel(new TextEncoder().encode('{"not": "onnx"}'))).toThrow(OnnxError);
    expect(() => decodeModel(new TextEncoder().encode('this is a text file\n'))).toThrow(/not a valid ONNX model/);
    const bytes = encodeModel(smallModel());
    // The graph is written last, as one field: every proper prefix is refused.
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(() => decodeModel(bytes.subarray(0, cut)), `cut at ${cut} of ${bytes.length}`).toThrow(OnnxError);
    }
  });

  it('the builder refuses a name defined twice and a node that reads an undefined name', () => {
    const g = new GraphBuilder('g');
    g.input('x');
    g.float('w', [1], [1]);
    expect(() => g.float('w', [2], [1])).toThrow(/the name "w" is defined twice/);
    expect(() => g.node('Add', ['x', 'nothing'])).toThrow(/reads "nothing", which nothing defines yet/);
    expect(() => g.float('v', [1, 2, 3], [2, 2])).toThrow(/3 values do not fill dims \[2, 2\]/);
  });
});
