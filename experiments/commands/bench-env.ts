/**
 * `execution-gym bench env [--env ID] [--env-options JSON] [--steps N] [--workers N] [--num-envs N] [--rounds R] [--json]`:
 * env throughput of `Liquidate-v0` with its defaults (10-minute horizon, 10-second decisions, the
 * default market with domain randomization) under a TWAP policy (action 1 every step).
 *
 * Prints stepsPerSecond (resets included), stepsPerCpuSecond, stepOnlyPerSecond and resetMs
 * (mean, p50, max of seeded resets). With `--workers N` (N >= 2) it also times, on the same
 * `--num-envs` envs (default 16 per worker: 32 for `--workers 2`), SyncVectorEnv, the worker-thread
 * vector env on 1 worker and on N workers, in R interleaved rounds, and reports the medians, the
 * speedup of N workers over 1 (the figure) and the load average around the run.
 * `--json` prints exactly one JSON object on stdout.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption, parseJsonObject } from '../options.ts';

interface Opts {
  env: string;
  steps: number;
  workers?: number;
  numEnvs?: number;
  batchSteps: number;
  rounds: number;
  infos: string;
  seed: number;
  envOptions?: string;
  json?: boolean;
}

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('env')
    .description('env steps per second and reset time of Liquidate-v0 (defaults) under TWAP; optional worker vector env scaling')
    .option('--env <id>', 'registered env id', 'Liquidate-v0')
    .option('--steps <n>', 'timed env steps (single env)', intOption('--steps', 1), 20000)
    .option('--workers <n>', 'also time the worker vector env with 1 and with n workers', intOption('--workers', 2))
    .option('--num-envs <n>', 'envs in the vector benchmark (default 16 per worker)', intOption('--num-envs', 1))
    .option('--batch-steps <n>', 'timed lockstep steps per configuration in the vector benchmark', intOption('--batch-steps', 1), 500)
    .option('--rounds <n>', 'interleaved rounds of the vector benchmark (medians reported)', intOption('--rounds', 1), 5)
    .option('--infos <mode>', 'infos the workers send back: final, all or none', 'final')
    .option('--seed <s>', 'first episode seed', intOption('--seed', 0), 1)
    .option('--env-options <json>', 'env options as a JSON object (default: none, the env defaults)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const { benchmarkEnv, benchmarkVectorScaling } = await import('../../env/benchmark.ts');
      if (opts.infos !== 'final' && opts.infos !== 'all' && opts.infos !== 'none') throw new Error(`--infos must be final, all or none, got ${opts.infos}`);
      const infos = opts.infos;
      const options = opts.envOptions === undefined ? {} : parseJsonObject('--env-options', opts.envOptions);
      const single = benchmarkEnv({ id: opts.env, options, steps: opts.steps, seed: opts.seed });
      let vector: Awaited<ReturnType<typeof benchmarkVectorScaling>> | undefined;
      if (opts.workers !== undefined) {
        const numEnvs = opts.numEnvs ?? 16 * opts.workers;
        if (numEnvs < opts.workers) throw new Error(`--num-envs (${numEnvs}) must be >= --workers (${opts.workers})`);
        vector = await benchmarkVectorScaling({ id: opts.env, options, numEnvs, numWorkers: opts.workers, batchSteps: opts.batchSteps, rounds: opts.rounds, seed: opts.seed, infos });
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
          `  vector        ${vector.numEnvs} envs, infos '${vector.infos}', median of ${vector.rounds} interleaved rounds of ${vector.batchStepsPerRound} batch steps:`,
          `                sync ${f(vector.stepsPerSecondSync)} steps/s; 1 worker ${f(vector.stepsPerSecond1Worker)} (${vector.oneWorkerVsSync.toFixed(2)}x sync); ${vector.numWorkers} workers ${f(vector.stepsPerSecondNWorkers)}: speedup ${vector.speedup.toFixed(2)}x`,
          `                other processes used ${vector.otherCores === null ? 'unknown' : vector.otherCores.toFixed(2)} of ${vector.cpus} CPUs meanwhile${vector.otherCores !== null && vector.otherCores > 0.1 ? ' (busy machine: the speedup understates a quiet one)' : ''}; load average ${vector.loadAverage.toFixed(2)}`,
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
