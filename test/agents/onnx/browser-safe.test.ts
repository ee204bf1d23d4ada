/**
 * The ONNX contract, codec, graph builder, exporter and verification helpers use no Node API, so
 * the web lab can export a policy to ONNX and inspect models in the browser (the same walk as
 * test/agents/browser-safe.test.ts). policy.ts and runtime.ts (ONNX Runtime for Node) may.
 */
import { describe, expect, it } from 'vitest';
import { nodeImports as walk } from '../../node-imports.ts';

const nodeImports = (file: string) => walk(file, (spec) => spec.startsWith('onnxruntime'));
const FILES = ['agents/onnx/proto.ts', 'agents/onnx/graph.ts', 'agents/onnx/contract.ts', 'agents/onnx/export.ts', 'agents/onnx/verify.ts'];

describe('browser-safe ONNX export', () => {
  it.each(FILES)('%s reaches no Node module and not ONNX Runtime', (file) => {
    expect(nodeImports(file)).toEqual([]);
  });

  it('the walk sees through to the Node-only runtime (the check can fail)', () => {
    expect(nodeImports('agents/onnx/policy.ts')).toContain('agents/onnx/policy.ts imports node:fs');
  });
});
