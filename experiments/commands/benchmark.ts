/**
 * `execution-gym benchmark [--budget quick|standard|full]`: the main job (`npm start`).
 * See experiments/benchmark/run.ts for what it does and writes.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption } from '../options.ts';

function timestamp(): string {
  return new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
}

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('benchmark')
    .description('train the learning agents (PPO, SAC, a limit-order agent) on Liquidate-v0, evaluate every policy on held-out seeds and markets, compare across training seeds, run the Almgren–Chriss check, write a report with plots')
    .option('--budget <name>', 'quick (under 1 min) | standard (10–12 min, at most 15) | full (3–7x the training steps of standard)', 'standard')
    .option('--seed <n>', 'run seed', intOption('--seed', 0), 1)
    .option('--out <dir>', 'output directory (default runs/benchmark-<timestamp>)')
    .option('--backend <kind>', 'TensorFlow.js backend: auto | tensorflow | webgpu | wasm | cpu', 'auto')
    .option('--episodes <n>', 'override: evaluation episodes per policy', intOption('--episodes', 0))
    .option('--ppo-steps <n>', 'override: PPO training steps', intOption('--ppo-steps', 0))
    .option('--sac-steps <n>', 'override: SAC training steps', intOption('--sac-steps', 0))
    .option('--limit-steps <n>', 'override: training steps of the limit-order agent', intOption('--limit-steps', 0))
    .option('--sac-limit-steps <n>', 'override: training steps of the limit-order SAC (0: not trained)', intOption('--sac-limit-steps', 0))
    .option('--seeds <n>', 'override: training seeds per learning agent', intOption('--seeds', 1))
    .option('--lobster-messages <file>', 'a real LOBSTER day (message file) to evaluate the trained agents on, without retraining')
    .option('--lobster-orderbook <file>', 'its orderbook file')
    .option('--workers <n>', 'override: evaluation worker threads', intOption('--workers', 0))
    .option('--policy <names>', 'more policies to evaluate beside the trained ones and the baselines: shipped names (ppo-liquidate, ...), run directories or ONNX files')
    .option('--json', 'print summary.json on stdout at the end')
    .action(async (opts: {
      budget: string;
      seed: number;
      out?: string;
      backend: 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
      episodes?: number;
      ppoSteps?: number;
      sacSteps?: number;
      limitSteps?: number;
      sacLimitSteps?: number;
      seeds?: number;
      workers?: number;
      policy?: string;
      lobsterMessages?: string;
      lobsterOrderbook?: string;
      json?: boolean;
    }) => {
      const { runBenchmark } = await import('../benchmark/run.ts');
      const { terminalPhases } = await import('../progress.ts');
      const out = opts.out ?? `runs/benchmark-${timestamp()}`;
      const overrides: Record<string, number> = {};
      if (opts.episodes !== undefined) overrides.episodes = opts.episodes;
      if (opts.ppoSteps !== undefined) overrides.ppoSteps = opts.ppoSteps;
      if (opts.sacSteps !== undefined) overrides.sacSteps = opts.sacSteps;
      if (opts.workers !== undefined) overrides.workers = opts.workers;
      if (opts.limitSteps !== undefined) overrides.limitSteps = opts.limitSteps;
      if (opts.sacLimitSteps !== undefined) overrides.sacLimitSteps = opts.sacLimitSteps;
      if (opts.seeds !== undefined) overrides.seeds = opts.seeds;
      if ((opts.lobsterMessages === undefined) !== (opts.lobsterOrderbook === undefined)) throw new Error('--lobster-messages and --lobster-orderbook go together');
      const replay = opts.lobsterMessages === undefined ? undefined : { messages: opts.lobsterMessages, orderbook: opts.lobsterOrderbook as string };
      if (replay !== undefined) {
        const { make } = await import('../../env/index.ts');
        make('Liquidate-Replay-v0', replay).close();
      }
      // Rejected before anything is announced or started.
      const { resolveBudget } = await import('../benchmark/budgets.ts');
      resolveBudget(opts.budget, overrides);
      process.stderr.write(`execution-gym benchmark: budget ${opts.budget}, seed ${opts.seed}, output ${out}\n`);
      const res = await runBenchmark({
        budget: opts.budget,
        overrides,
        seed: opts.seed,
        outDir: out,
        backend: opts.backend,
        phases: terminalPhases(),
        log: (line) => process.stderr.write(`${line}\n`),
        command: `execution-gym benchmark ${process.argv.slice(3).join(' ')}`.trim(),
        ...(opts.policy === undefined ? {} : { policies: opts.policy.split(',').map((s) => s.trim()).filter((s) => s.length > 0) }),
        ...(replay === undefined ? {} : { replay }),
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(res.summary) + '\n');
      } else {
        process.stdout.write(`\nResults on held-out seeds (implementation shortfall, bps of arrival notional; lower is better)\n\n${res.table}\n\n`);
        process.stdout.write(`Report: ${res.outDir}/report.md and report.html\n`);
      }
    });
}
