/**
 * Parsers for command-line option values (commander's `argParser`): each rejects a bad value
 * with a message that names the option, the value and what is allowed.
 */
import type { Command } from 'commander';

/** An integer >= `min`. */
export function intOption(name: string, min: number): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${v}`);
    return n;
  };
}

/** A finite number > 0. */
export function positiveOption(name: string): (v: string) => number {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number > 0, got ${v}`);
    return n;
  };
}

/** `--env-options`-style JSON: the parsed object; throws naming the option for bad JSON or a non-object. */
export function parseJsonObject(name: string, text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name} must be a JSON object: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${name} must be a JSON object, got ${text}`);
  return v as Record<string, unknown>;
}

/** What the options of addEvaluationOptions parse to. */
export interface EvaluationCliOptions {
  env: string;
  episodes: number;
  json?: boolean;
  out?: string;
  workers?: number;
  seedOffset: number;
  market?: string;
  envOptions?: string;
  modules?: string;
}

/**
 * The options every command that runs policies on evaluation seeds shares (`evaluate`, `latency`),
 * with one vocabulary: --env, --episodes, --json, --out, --workers, --seed-offset, --market,
 * --env-options, --modules.
 */
export function addEvaluationOptions(command: Command, defaults: { env: string; episodes: number; json: string; out: string }): Command {
  return command
    .option('--env <id>', 'env id', defaults.env)
    .option('--episodes <n>', 'episodes per policy', intOption('--episodes', 1), defaults.episodes)
    .option('--json', defaults.json)
    .option('--out <dir>', defaults.out)
    .option('--workers <n>', 'worker threads (default: available cores; 0 = this thread)', intOption('--workers', 0))
    .option('--seed-offset <k>', 'first evaluation seed is 1e9 + k', intOption('--seed-offset', 0), 0)
    .option('--market <preset>', 'market preset for the env (sets envOptions.market)')
    .option('--env-options <json>', 'env options as a JSON object')
    .option('--modules <files>', 'comma-separated modules to import first (they may register envs or policies)');
}

/**
 * The env options of addEvaluationOptions' values (--env-options, then --market over them), and
 * the modules every evaluation worker imports: the trained-policy loader (so run directories,
 * shipped names and ONNX files work as policies) and --modules, imported here too.
 */
export async function evaluationSetup(opts: EvaluationCliOptions): Promise<{ envOptions: Record<string, unknown>; modules: string[] }> {
  let envOptions = opts.envOptions === undefined ? {} : parseJsonObject('--env-options', opts.envOptions);
  if (opts.market !== undefined) envOptions = { ...envOptions, market: opts.market };
  const { fileURLToPath } = await import('node:url');
  const policyLoader = fileURLToPath(new URL('./train/policy-loader.ts', import.meta.url));
  const modules = [policyLoader, ...(opts.modules?.split(',').filter((m) => m.length > 0) ?? [])];
  const { importModules } = await import('./evaluate/run.ts');
  await importModules(modules);
  return { envOptions, modules };
}
