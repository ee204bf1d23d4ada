/**
 * Importing this module registers the loader of trained policies with the baselines' policy
 * registry, so a run directory works wherever a policy name does:
 *
 *   execution-gym evaluate --policy runs/ppo-1,twap --modules experiments/train/policy-loader.ts
 *
 * The loader reads the checkpoint's `kind` (manifest.json) and hands the path to that algorithm's
 * `loadPolicy` (deterministic actions; backend 'auto', or options.backend).
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { registerPolicyLoader } from '../../agents/index.ts';
import { loadAlgo, AlgoError } from './algos.ts';

/** The algorithm that wrote the checkpoint at `path` (a checkpoint or a run directory). */
export function checkpointKind(path: string): string {
  const candidates = [join(path, 'manifest.json')];
  const dir = join(path, 'checkpoints');
  if (existsSync(dir)) {
    const steps = readdirSync(dir).filter((f) => /^step-\d+$/.test(f)).sort();
    if (steps.length > 0) candidates.push(join(dir, steps[steps.length - 1], 'manifest.json'));
  }
  for (const c of candidates) {
    if (!existsSync(c)) continue;
    try {
      const m = JSON.parse(readFileSync(c, 'utf8')) as { kind?: unknown };
      if (typeof m.kind === 'string') return m.kind;
    } catch (err) {
      throw new AlgoError(`cannot read ${c}: ${(err as Error).message}`);
    }
  }
  throw new AlgoError(`no checkpoint at ${path} (expected manifest.json, or checkpoints/step-*/manifest.json)`);
}

registerPolicyLoader(async (path, options) => {
  const algo = await loadAlgo(checkpointKind(path));
  return algo.loadPolicy(path, options as Record<string, never>);
});
