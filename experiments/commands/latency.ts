/**
 * `execution-gym latency --policy passive-twap,catch-up,ppo-liquidate,sac-liquidate
 *   --levels 0,100us,1ms,10ms,100ms --episodes 1000 [--data zero|same|<seconds>] [--env Liquidate-Limit-v0]
 *   [--market <preset>] [--env-options <json>] [--workers N] [--seed-offset K] [--json] [--out <dir>]`
 *
 * The latency experiment: every policy on the same evaluation seeds at every order-entry latency
 * (experiments/latency/sweep.ts). Prints one row per policy and level: mean IS with a bootstrap
 * interval, the paired difference against the same policy at the first level, the share of
 * cancels that lost the race against a fill, the fill rate of passive orders and the passive share.
 * `--json` prints { env, envOptions, data, episodes, cells } on stdout; `--out` writes
 * episodes.csv / episodes.jsonl (every episode, with its level in the policy column as
 * `<policy>@<level>`), summary.json and table.md there.
 *
 * Trained policies act in their own action mode (a market-order PPO runs on the limit env's market
 * with market orders), so every policy meets the same markets on the same seeds.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { addEvaluationOptions, evaluationSetup, type EvaluationCliOptions } from '../options.ts';
import { DEFAULT_AC_CALIBRATION_SEEDS, DEFAULT_LAMBDA_PER_BPS, DEFAULT_POV_RHO } from '../evaluate/defaults.ts';

interface Opts extends EvaluationCliOptions {
  policy: string;
  levels: string;
  data: string;
}

/** `--data`: zero, same (as the order latency) or a latency with a unit (e.g. 1ms). */
export async function parseDataLatency(value: string): Promise<'zero' | 'same' | number> {
  if (value === 'zero' || value === 'same') return value;
  const { parseLatencyLevels } = await import('../latency/sweep.ts');
  let level;
  try {
    [level] = parseLatencyLevels(value);
  } catch {
    throw new Error(`--data must be zero, same or one latency with a unit (e.g. 1ms), got ${JSON.stringify(value)}`);
  }
  if (level.kind !== 'fixed' || value.includes(',')) throw new Error(`--data must be zero, same or one latency with a unit (e.g. 1ms), got ${JSON.stringify(value)}`);
  return level.seconds;
}

export function register(program: Command, _groups: CommandGroups): void {
  const command = program
    .command('latency')
    .description('the latency experiment: IS, lost cancel races and passive fill rates of policies as the order latency rises')
    .option('--policy <names>', 'comma-separated policies (baselines, shipped policies, run directories, ONNX files)', 'passive-twap,catch-up,ppo-liquidate,sac-liquidate')
    .option('--levels <list>', 'order-entry latencies with units (0,100us,1ms,10ms,100ms) or connection presets (colocated, retail)', '0,100us,1ms,10ms,100ms')
    .option('--data <latency>', 'market-data latency: zero, same (as the order latency) or a latency with a unit', 'zero');
  // A limit-capable env by default, so that passive policies can post.
  addEvaluationOptions(command, { env: 'Liquidate-Limit-v0', episodes: 1000, json: 'print one JSON object on stdout', out: 'write episodes.csv, episodes.jsonl, summary.json and table.md here' })
    .action(async (opts: Opts) => {
      const { evaluationSeeds, writeRecords, EvaluationPool } = await import('../evaluate/index.ts');
      const { parseLatencyLevels, runLatencySweep, formatLatencyTable } = await import('../latency/sweep.ts');
      const { writeJsonAtomic, writeFileAtomic } = await import('../../configs/index.ts');
      const { join } = await import('node:path');

      // Everything that can be wrong is checked before any episode runs.
      const levels = parseLatencyLevels(opts.levels);
      const data = await parseDataLatency(opts.data);
      const { envOptions, modules } = await evaluationSetup(opts);
      if (envOptions.latency !== undefined) throw new Error('--env-options must not set latency: the sweep sets it per level (--levels, --data)');
      const { policyNames, resolvePolicies } = await import('../evaluate/policies.ts');
      const names = policyNames(opts.policy);
      const settings = { lambdaPerBps: DEFAULT_LAMBDA_PER_BPS, povRho: DEFAULT_POV_RHO, calibrationSeeds: DEFAULT_AC_CALIBRATION_SEEDS, log: (line: string) => (opts.json ? undefined : process.stderr.write(line + '\n')) };
      const specs = await resolvePolicies(names, opts.env, envOptions, settings);

      const seeds = evaluationSeeds(opts.episodes, opts.seedOffset);
      const { terminalPhases } = await import('../progress.ts');
      const { availableParallelism } = await import('node:os');
      const workers = Math.min(opts.workers ?? availableParallelism(), seeds.length);
      const pool = workers > 0 ? new EvaluationPool(workers) : undefined;
      const phases = terminalPhases();
      let sweep;
      try {
        let phase: Awaited<ReturnType<typeof phases>> | undefined;
        sweep = await runLatencySweep(specs, opts.env, envOptions, levels, seeds, {
          workers,
          pool,
          modules,
          data,
          onRun: async (name, level) => {
            const p = await phases(`latency ${name} @ ${level.label}`, seeds.length, 'episodes');
            phase = p;
            return (done) => p.update(done);
          },
          onRunDone: () => phase?.stop(),
        });
      } finally {
        await pool?.close();
      }
      const table = formatLatencyTable(sweep);
      const dataLabel = data === 'zero' ? 'zero' : data === 'same' ? 'same as the order latency' : `${data} s`;
      const result = { env: opts.env, envOptions, data, episodes: seeds.length, seeds: { first: seeds[0], count: seeds.length }, levels: levels.map((l) => l.label), cells: sweep.cells };
      if (opts.out !== undefined) {
        writeRecords(opts.out, sweep.records.map(({ level, ...r }) => ({ ...r, policy: `${r.policy}@${level}` })));
        writeJsonAtomic(join(opts.out, 'summary.json'), result);
        writeFileAtomic(join(opts.out, 'table.md'), table);
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const head = `${opts.env} ${JSON.stringify(envOptions)}: ${seeds.length} episodes per policy and level on evaluation seeds ${seeds[0]}…${seeds[seeds.length - 1]}; market-data latency: ${dataLabel}; IS in bps (positive = cost)\n`;
      const foot =
        `vs ${levels[0].label}: paired difference against the same policy at ${levels[0].label} on the same seeds (positive = latency costs). ` +
        'cancels lost to a fill: share of cancels (and re-pegs) that arrived after their order had filled. passive fill rate: shares filled passively / shares sent as limit orders. passive share: mean share of the executed shares filled passively.\n';
      process.stdout.write(head + table + foot);
    });
}
