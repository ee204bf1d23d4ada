/**
 * The static import walk of the browser-safety tests: which Node builtins (and, when asked, which
 * other packages) a source file reaches through its runtime imports. Type-only imports are erased
 * at build time and skipped.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..');
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const builtins = new Set(builtinModules);

/**
 * `"<file> imports <spec>"` for every Node builtin reachable from `file` (a path relative to the
 * repository) and every bare specifier for which `alsoForbidden` returns true.
 */
export function nodeImports(file: string, alsoForbidden: (spec: string) => boolean = () => false): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const stack = [resolve(REPO, file)];
  while (stack.length > 0) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const m of readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.')) stack.push(resolve(dirname(f), spec));
      else if (spec.startsWith('node:') || builtins.has(spec.split('/')[0]) || alsoForbidden(spec)) found.push(`${relative(REPO, f)} imports ${spec}`);
    }
  }
  return found;
}
