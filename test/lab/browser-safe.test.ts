/**
 * PPO's training loop, which the lab runs in a worker, reaches no Node module through its static
 * runtime imports (the same walk as test/agents/browser-safe.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
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
      else if (spec.startsWith('node:') || builtins.has(spec.split('/')[0])) found.push(`${relative(repo, f)} imports ${spec}`);
    }
  }
  return found;
}

describe('browser-safe training loop', () => {
  it('agents/ppo/loop.ts reaches no Node module', () => {
    expect(nodeImports('agents/ppo/loop.ts')).toEqual([]);
  });
  it('the walk sees Node in train.ts, which keeps the Node parts', () => {
    expect(nodeImports('agents/ppo/train.ts').length).toBeGreaterThan(0);
  });
});
