/**
 * The ONNX contract, codec, graph builder, exporter and verification helpers use no Node API, so
 * the web lab can export a policy to ONNX and inspect models in the browser (the same walk as
 * test/agents/browser-safe.test.ts). policy.ts and runtime.ts (ONNX Runtime for Node) may.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FILES = ['agents/onnx/proto.ts', 'agents/onnx/graph.ts', 'agents/onnx/contract.ts', 'agents/onnx/export.ts', 'agents/onnx/verify.ts'];
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const builtins = new Set(builtinModules);

function nodeImports(file: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack = [resolve(repo, file)];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.')) stack.push(resolve(dirname(f), spec));
      else if (spec.startsWith('node:') || builtins.has(spec.split('/')[0]) || spec.startsWith('onnxruntime')) found.push(`${relative(repo, f)} imports ${spec}`);
    }
  }
  return found;
}

describe('browser-safe ONNX export', () => {
  it.each(FILES)('%s reaches no Node module and not ONNX Runtime', (file) => {
    expect(nodeImports(file)).toEqual([]);
  });

  it('the walk sees through to the Node-only runtime (the check can fail)', () => {
    expect(nodeImports('agents/onnx/policy.ts')).toContain('agents/onnx/policy.ts imports node:fs');
  });
});
