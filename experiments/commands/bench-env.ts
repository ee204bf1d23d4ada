/**
 * `execution-gym bench env [--id ID] [--steps N] [--workers N] [--envs N] [--json]`: env
 * throughput of `Liquidate-v0` with its defaults (10-minute horizon, 10-second decisions, the
 * default market with domain randomization) under a TWAP policy (action 1 every step).
 *
 * Prints stepsPerSecond (resets included), stepsPerCpuSecond, stepOnlyPerSecond and resetMs
 * (mean, p50, max of seeded resets). With `--workers N` (N >= 2) it also times the worker-thread
 * vector env with 1 and with N workers on the same `--envs` envs and reports the speedup.
 * `--json` prints exactly one JSON object on stdout.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';

function intOption(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${v}`);
    return n;
  };
}

interface Opts {
  id: string;
  steps: number;
  workers?: number;
  envs?: number;
  batchSteps: number;
  seed: number;
  options?: string;
  json?: boolean;
}

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('env')
    .description('env steps per second and reset time of Liquidate-v0 (defaults) under TWAP; optional worker vector env scaling')
    .option('--id <id>', 'registered env id', 'Liquidate-v0')
    .option('--steps <n>', 'timed env steps (single env)', intOption('--steps', 1), 20000)
    .option('--workers <n>', 'also time the worker vector env with 1 and with n workers', intOption('--workers', 2))
    .option('--envs <n>', 'envs in the vector benchmark (default 4 per worker)', intOption('--envs', 1))
    .option('--batch-steps <n>', 'timed lockstep steps in the vector benchmark', intOption('--batch-steps', 1), 500)
    .option('--seed <s>', 'first episode seed', intOption('--seed', 0), 1)
    .option('--options <json>', 'env options as JSON (default: none, the env defaults)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const { benchmarkEnv, benchmarkVector } = await import('../../env/benchmark.ts');
      let options: Record<string, unknown> = {};
      if (opts.options !== undefined) {
        try {
          options = JSON.parse(opts.options) as Record<string, unknown>;
        } catch (err) {
          throw new Error(`--options must be a JSON object, got ${opts.options}: ${(err as Error).message}`);
        }
      }
      const single = benchmarkEnv({ id: opts.id, options, steps: opts.steps, seed: opts.seed });
      let vector: Record<string, unknown> | undefined;
      if (opts.workers !== undefined) {
        const numEnvs = opts.envs ?? 4 * opts.workers;
        if (numEnvs < opts.workers) throw new Error(`--envs (${numEnvs}) must be >= --workers (${opts.workers})`);
        const one = await benchmarkVector({ id: opts.id, options, numEnvs, numWorkers: 1, batchSteps: opts.batchSteps, seed: opts.seed });
        const many = await benchmarkVector({ id: opts.id, options, numEnvs, numWorkers: opts.workers, batchSteps: opts.batchSteps, seed: opts.seed });
        vector = {
          numEnvs,
          workers: opts.workers,
          stepsPerSecond1Worker: one.stepsPerSecond,
          stepsPerSecondNWorkers: many.stepsPerSecond,
          speedup: many.stepsPerSecond / one.stepsPerSecond,
        };
      }
      const result = { ...single, options, vector, nodeVersion: process.version };
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const f = (x: number, d = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
      const lines = [
        `bench env: ${single.id} ${JSON.stringify(options)}, TWAP policy, ${f(single.steps)} steps in ${single.episodes} episodes (${f(single.meanEpisodeSteps, 1)} steps each), Node ${process.version}`,
        `  steps/s       ${f(single.stepsPerSecond)} (resets included); ${f(single.stepsPerCpuSecond)} per CPU second; ${f(single.stepOnlyPerSecond)} counting step() only`,
        `  reset         ${single.resetMs.toFixed(2)} ms mean, ${single.resetMsP50.toFixed(2)} ms median, ${single.resetMsMax.toFixed(2)} ms max`,
      ];
      if (vector !== undefined) {
        lines.push(
          `  worker vector ${vector.numEnvs} envs: ${f(vector.stepsPerSecond1Worker as number)} steps/s on 1 worker, ${f(vector.stepsPerSecondNWorkers as number)} on ${vector.workers}: speedup ${(vector.speedup as number).toFixed(2)}x`,
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
