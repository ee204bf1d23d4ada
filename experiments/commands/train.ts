/**
 * `execution-gym train --algo ppo --env Liquidate-v0 --steps 500000 --seed 1 --out runs/<name>
 *   [--backend auto|tensorflow|webgpu|wasm|cpu] [--save-every N] [--resume <ckpt|run dir>] [--num-envs N]
 *   [--workers N] [--config <yaml>] [--env-options <json>] [--market <preset>] [--json]`
 *
 * Trains a learning agent (algorithms: experiments/train/algos.ts) and writes the run directory
 * (experiments/train/run.ts): config.yaml, metrics.jsonl, checkpoints/step-<N>/. A progress bar on
 * stderr shows steps, steps/s, the mean episodic return and IS in bps of the last iteration.
 * Ctrl-C stops after the current iteration and writes a final checkpoint (twice: exit now).
 * `--json` prints one JSON object on stdout at the end:
 *   { algo, env, seed, out, steps, checkpoint, stopped, backend, sps, metrics: { <name>: value } }
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption, parseJsonObject } from '../options.ts';

interface Opts {
  algo: string;
  env: string;
  steps: number;
  seed: number;
  out: string;
  backend: string;
  saveEvery?: number;
  resume?: string;
  numEnvs?: number;
  workers?: number;
  config?: string;
  envOptions?: string;
  market?: string;
  json?: boolean;
}

const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '–');

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('train')
    .description('train a learning agent (PPO, SAC) on an env; writes config.yaml, metrics.jsonl and checkpoints to --out')
    .option('--algo <name>', 'algorithm (ppo, sac)', 'ppo')
    .option('--env <id>', 'env id', 'Liquidate-v0')
    .requiredOption('--steps <n>', 'env steps to train to (all envs together)', intOption('--steps', 1))
    .option('--seed <s>', 'run seed', intOption('--seed', 0), 1)
    .requiredOption('--out <dir>', 'run directory, e.g. runs/ppo-1')
    .option('--backend <kind>', 'TensorFlow.js backend: auto, tensorflow, webgpu, wasm or cpu', 'auto')
    .option('--save-every <n>', "checkpoint every n env steps (0: only at the end; default 0, or with --resume the resumed run's)", intOption('--save-every', 0))
    .option('--resume <ckpt>', 'checkpoint (or run directory) to resume from')
    .option('--num-envs <n>', 'parallel envs (overrides the config)', intOption('--num-envs', 1))
    .option('--workers <n>', 'worker threads stepping the envs (0: this thread)', intOption('--workers', 0))
    .option('--config <yaml>', 'hyperparameter overrides (a YAML mapping, e.g. learningRate: 1e-4)')
    .option('--env-options <json>', 'env options as a JSON object')
    .option('--market <preset>', 'market preset for the env (sets envOptions.market)')
    .option('--json', 'print one JSON object with the result on stdout')
    .action(async (opts: Opts) => {
      const { runTraining, readConfigFile } = await import('../train/run.ts');
      const { BACKEND_KINDS } = await import('../../agents/nn/index.ts');
      if (!(BACKEND_KINDS as readonly string[]).includes(opts.backend)) {
        throw new Error(`--backend must be one of ${BACKEND_KINDS.join(', ')}, got ${opts.backend}`);
      }
      let envOptions = opts.envOptions === undefined ? {} : parseJsonObject('--env-options', opts.envOptions);
      if (opts.market !== undefined) envOptions = { ...envOptions, market: opts.market };
      const config = opts.config !== undefined ? readConfigFile(opts.config) : {};

      const { terminalPhases } = await import('../progress.ts');
      let phase: import('../progress.ts').Phase | undefined;
      let stopRequested = false;
      const onSigint = (): void => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        process.stderr.write('\nstopping after this iteration (a final checkpoint is written); Ctrl-C again to exit now\n');
      };
      process.on('SIGINT', onSigint);
      let started = false;
      try {
        const r = await runTraining(
          {
            algo: opts.algo,
            envId: opts.env,
            envOptions,
            steps: opts.steps,
            seed: opts.seed,
            out: opts.out,
            backend: opts.backend as 'auto',
            saveEvery: opts.saveEvery,
            resume: opts.resume,
            numEnvs: opts.numEnvs,
            workers: opts.workers,
            config,
          },
          {
            onStart: async ({ backend, startStep }) => {
              process.stderr.write(`backend: ${backend.name} (${backend.reason})\n`);
              phase = await terminalPhases()(`train ${opts.algo} ${opts.env}`, opts.steps, 'steps', startStep);
              started = true;
            },
            onProgress: (p) => phase?.update(p.step, `return ${fmt(p.episodicReturn)} | IS ${fmt(p.isBps)} bps`),
            shouldStop: () => stopRequested,
          },
        );
        if (started) phase?.stop();
        started = false;
        process.stderr.write(`${r.stopped ? 'stopped' : 'done'} at ${r.steps} steps (${fmt(r.sps, 0)} steps/s, backend ${r.backend}); checkpoint ${r.checkpoint}\n`);
        if (opts.json) {
          process.stdout.write(
            JSON.stringify({
              algo: opts.algo,
              env: opts.env,
              seed: opts.seed,
              out: opts.out,
              steps: r.steps,
              checkpoint: r.checkpoint,
              stopped: r.stopped,
              backend: r.backend,
              sps: r.sps,
              metrics: r.lastMetrics,
            }) + '\n',
          );
        }
      } finally {
        if (started) phase?.stop();
        process.off('SIGINT', onSigint);
      }
    });
}
