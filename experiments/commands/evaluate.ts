/**
 * `execution-gym evaluate --policy twap,passive-twap,vwap,pov,ac,sell-now --env Liquidate-v0
 *   --episodes 1000 [--json] [--out <dir>] [--workers N] [--seed-offset K] [--market <preset>]
 *   [--env-options <json>] [--lambda <1/bps>] [--pov-rho R] [--modules a.ts,b.ts]`
 *
 * A policy is a registered name, a shipped policy (policies/index.json, e.g. ppo-liquidate), a
 * run directory or an ONNX file (docs/policy-contract.md; checked against the env first).
 * Runs every policy on the same evaluation seeds (1e9 + offset, …; see env/seeds.ts)
 * and prints the summary table (progress bar on stderr). `--json` prints one JSON object on stdout,
 * the summaries keyed by policy name ({ <name>: PolicySummary }, each with meanIsBps, ciLowBps,
 * ciHighBps, stdIsBps, meanVarianceBps, pBeatTwap, vsTwap, vsPassiveTwap, ...). `--out` writes
 * episodes.csv and episodes.jsonl (every policy's per-episode records) and summary.json
 * ({ env, envOptions, episodes, seeds, lambdaPerBps, policies }) there.
 *
 * `--across-seeds <names>`: these policies (a subset of --policy, e.g. the run directories of one
 * agent trained with 5 seeds) are one agent's training seeds; after the table, every other policy
 * is a baseline it is compared with across seeds: mean and IQM of the paired differences with 95%
 * stratified bootstrap intervals (training seeds, then episodes) and per seed the mean difference
 * with paired t / Wilcoxon p-values (evaluate/cross-seed.ts, as in the benchmark's cross-seed
 * table). `--out`'s summary.json then has them as `acrossSeeds`.
 *
 * The AC policy's parameters: on Liquidate-AC-v0 the env's own (σ, η, γ, ε, λ, τ); on the simulated
 * market a calibration of the market preset (calibrate-ac, cached) with τ = the decision interval
 * and risk aversion `--lambda` per bps (the same λ as the E + λ·Var column).
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { addEvaluationOptions, evaluationSetup, intOption, type EvaluationCliOptions } from '../options.ts';
import { DEFAULT_AC_CALIBRATION_SEEDS, DEFAULT_LAMBDA_PER_BPS, DEFAULT_POV_RHO } from '../evaluate/defaults.ts';

interface Opts extends EvaluationCliOptions {
  policy: string;
  acrossSeeds?: string;
  lambda: number;
  povRho: number;
  calibrationSeeds: number;
}

function numOption(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number >= ${min}, got ${v}`);
    return n;
  };
}


export function register(program: Command, _groups: CommandGroups): void {
  const command = program
    .command('evaluate')
    .description('evaluate policies on the same evaluation seeds and print the summary table')
    .option('--policy <names>', 'comma-separated policy names, shipped policies (ppo-liquidate, ...), run directories or ONNX files', 'twap,passive-twap,vwap,pov,ac,sell-now');
  addEvaluationOptions(command, { env: 'Liquidate-v0', episodes: 1000, json: 'print one JSON object (the summary keyed by policy) on stdout', out: 'write episodes.csv, episodes.jsonl and summary.json here' })
    .option('--lambda <perBps>', 'risk aversion (1/bps) of the E + λ·Var column and of the AC policy', numOption('--lambda', 0), DEFAULT_LAMBDA_PER_BPS)
    .option('--pov-rho <rho>', 'POV participation rate', numOption('--pov-rho', 0), DEFAULT_POV_RHO)
    .option('--across-seeds <names>', "comma-separated policies of --policy that are one agent's training seeds: compare them with every other policy across seeds (stratified bootstrap)")
    .option('--calibration-seeds <n>', 'seeds of the AC calibration (cached per preset)', intOption('--calibration-seeds', 1), DEFAULT_AC_CALIBRATION_SEEDS)
    .action(async (opts: Opts) => {
      const { evaluate, evaluationSeeds, summarize, formatSummaryTable, writeRecords, EVALUATION_SEED_MIN, EvaluationPool } = await import('../evaluate/index.ts');
      const { writeJsonAtomic } = await import('../../configs/index.ts');
      const { join } = await import('node:path');

      const { envOptions, modules } = await evaluationSetup(opts);
      if (!(opts.povRho > 0 && opts.povRho < 1)) throw new Error(`--pov-rho must be in (0, 1), got ${opts.povRho}`);
      // Everything that can be wrong is checked before any episode runs: the env and its options,
      // every policy name (with a suggestion), run directory and ONNX model.
      const { policyNames, resolvePolicies } = await import('../evaluate/policies.ts');
      const names = policyNames(opts.policy);
      const settings = { lambdaPerBps: opts.lambda, povRho: opts.povRho, calibrationSeeds: opts.calibrationSeeds, log: (line: string) => (opts.json ? undefined : process.stderr.write(line + '\n')) };
      const specs = await resolvePolicies(names, opts.env, envOptions, settings);
      const group = opts.acrossSeeds === undefined ? [] : policyNames(opts.acrossSeeds, '--across-seeds');
      for (const g of group) if (!names.includes(g)) throw new Error(`--across-seeds: ${JSON.stringify(g)} is not one of --policy (${names.join(', ')})`);
      if (opts.acrossSeeds !== undefined && group.length === names.length) {
        throw new Error(`--across-seeds needs one or more of --policy's names and at least one other policy to compare with, got ${JSON.stringify(opts.acrossSeeds)} of ${names.length} policies`);
      }

      const seeds = evaluationSeeds(opts.episodes, opts.seedOffset);
      const { terminalPhases } = await import('../progress.ts');
      const { availableParallelism } = await import('node:os');
      const workers = Math.min(opts.workers ?? availableParallelism(), seeds.length);
      // One pool of worker threads for every policy (0 workers: this thread).
      const pool = workers > 0 ? new EvaluationPool(workers) : undefined;
      const runs: Record<string, Awaited<ReturnType<typeof evaluate>>> = {};
      try {
        for (const name of names) {
          const phase = await terminalPhases()(`evaluate ${name}`, seeds.length, 'episodes');
          runs[name] = await evaluate(specs[name], opts.env, envOptions, seeds, { workers, pool, modules, onProgress: (done) => phase.update(done) });
          // Records carry the name as given (a shipped name, not the folder it resolved to).
          for (const r of runs[name]) r.policy = name;
          phase.stop();
        }
      } finally {
        await pool?.close();
      }
      const summary = summarize(runs, { lambdaPerBps: opts.lambda });
      const { crossSeedRow, formatCrossSeedTable } = await import('../evaluate/cross-seed.ts');
      // Paired by evaluation seed: every policy ran the same seeds; order them alike.
      const isBySeed = (n: string): number[] => runs[n].slice().sort((a, b) => a.seed - b.seed).map((r) => r.isBps);
      const acrossSeeds = group.length === 0 ? [] : names.filter((n) => !group.includes(n)).map((b) => crossSeedRow(group[0], b, group.map(isBySeed), isBySeed(b), group.map((_, i) => i + 1), { bootstrapSeed: 1 }));
      const result = {
        env: opts.env,
        envOptions,
        episodes: seeds.length,
        seeds: { first: seeds[0], count: seeds.length, offset: seeds[0] - EVALUATION_SEED_MIN },
        lambdaPerBps: opts.lambda,
        policies: summary,
        ...(group.length > 0 ? { acrossSeeds: { runs: group, rows: acrossSeeds } } : {}),
      };
      if (opts.out !== undefined) {
        writeRecords(opts.out, names.flatMap((n) => runs[n]));
        writeJsonAtomic(join(opts.out, 'summary.json'), result);
      }
      if (opts.json) {
        // Exactly the summaries keyed by policy name (the run's metadata is in --out's summary.json).
        process.stdout.write(JSON.stringify(summary) + '\n');
        return;
      }
      const head = `${opts.env} ${JSON.stringify(envOptions)}: ${seeds.length} episodes per policy on evaluation seeds ${seeds[0]}…${seeds[seeds.length - 1]}; IS in bps of arrival notional (positive = cost); λ = ${opts.lambda}/bps\n`;
      const foot =
        `E+λVar: mean IS + λ·variance of IS (λ = ${opts.lambda}/bps); vs VWAP: average price against the market VWAP over the horizon, bps (positive = worse); done<T: share executed before the deadline sweep; passive: share of the executed shares filled passively (resting limit orders); P(beat TWAP): share of seeds cheaper than TWAP's (ties ½).\n` +
        'Δ TWAP / Δ pTWAP: mean paired difference policy − TWAP / passive TWAP on the same seeds (negative = cheaper); t p / W p: paired-t / Wilcoxon signed-rank p-values.\n' +
        (opts.out !== undefined ? `records: ${join(opts.out, 'episodes.csv')}, ${join(opts.out, 'episodes.jsonl')}, ${join(opts.out, 'summary.json')}\n` : '');
      const cross =
        group.length === 0
          ? ''
          : `\nAcross training seeds: ${group.join(', ')} as runs 1…${group.length} of ${group[0]}; paired differences agent − baseline on the same seeds, mean and IQM with 95% stratified bootstrap intervals (training seeds, then episodes; Agarwal et al. 2021), negative = cheaper:\n` + formatCrossSeedTable(acrossSeeds);
      process.stdout.write(head + formatSummaryTable(summary) + foot + cross);
    });
}
