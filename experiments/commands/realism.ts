/**
 * `execution-gym realism --messages <file> --orderbook <file> --market <preset|file> [--market …] [--seconds N] [--seeds K] [--seed S] [--tick U] [--workers N] [--impact-seeds M] [--json | --markdown]`
 *
 * The stylized facts of a real LOBSTER day and of K simulated sessions of a market preset, side
 * by side on the same definitions (simulator/calibration/realism.ts: level-N message rates, spread,
 * 1-minute return kurtosis and ACF, |r| ACF, volume–|r| correlation, trade-sign ACF, intraday
 * volume shares), with two-sample KS statistics (real vs pooled seeds) for market-order
 * inter-arrival times, spreads on a 1-second grid and 1-minute returns. The simulated sessions run
 * on N worker threads (default the cores; 0: this thread; the figures do not depend on N). Progress goes to stderr;
 * `--json` prints one JSON object on stdout (one line per market when `--market` is repeated).
 * `--markdown` prints one table for every market given (experiments/report/realism-table.ts: mean ±
 * sd over the seeds, KS D, the targets each misses), the form REALISM.md carries; with
 * `--impact-seeds M` each market's metaorder impact (`impact` with M paired seeds from the same first
 * seed, the default sizes) is measured too and its δ and share of the peak left join the table and
 * the JSON.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import type { RealismComparison, RealismTarget } from '../../simulator/calibration/index.ts';
import type { ImpactFigures, RealismColumn } from '../report/realism-table.ts';
import { intOption as parseIntOption } from '../options.ts';

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('realism')
    .description('stylized facts of a real LOBSTER day and of a simulated market side by side, with two-sample KS statistics')
    .requiredOption('--messages <file>', 'LOBSTER message file')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file')
    .option('--market <preset>', 'market preset name or YAML file (repeat for several: one column each with --markdown)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--seconds <n>', 'simulated seconds per seed (default: the preset session)', parseIntOption('--seconds', 60))
    .option('--seeds <k>', 'simulated sessions', parseIntOption('--seeds', 1), 5)
    .option('--seed <s>', 'first seed', parseIntOption('--seed', 0), 1)
    .option('--tick <units>', 'tick size in LOBSTER price units (dollars x 10,000)', parseIntOption('--tick', 1), 100)
    .option('--session-start <seconds>', 'session start, seconds after midnight', Number, 34200)
    .option('--session-seconds <seconds>', 'session length, seconds', Number, 23400)
    .option('--workers <n>', 'worker threads for the simulated sessions (default: the cores; 0: this thread)', parseIntOption('--workers', 0))
    .option('--impact-seeds <m>', 'also measure metaorder impact with M paired seeds per size (0: not measured)', parseIntOption('--impact-seeds', 0), 0)
    .option('--json', 'print one JSON object on stdout (one line per market)')
    .option('--markdown', 'print one markdown table of the real day and every market')
    .action(async (opts: { messages: string; orderbook: string; market?: string[]; seconds?: number; seeds: number; seed: number; tick: number; sessionStart: number; sessionSeconds: number; workers?: number; impactSeeds: number; json?: boolean; markdown?: boolean }) => {
      if (opts.market === undefined || opts.market.length === 0) throw new Error('realism needs --market <preset|file> (at least one)');
      if (opts.json && opts.markdown) throw new Error('realism: choose one of --json and --markdown, got both');
      if (opts.impactSeeds === 1) throw new Error('--impact-seeds must be 0 (not measured) or at least 2, got 1');
      const { readLobsterMessages, readLobsterOrderbook, partialSessionNote } = await import('../../simulator/lobster/index.ts');
      const { realSession, simulatedSession, compareRealism, realismTargets, PER_SEED_ACF_BOUND } = await import('../../simulator/calibration/index.ts');
      const { loadMarketConfig } = await import('../../configs/index.ts');
      const specs = opts.market.map((mk) => loadMarketConfig(mk));
      const m = readLobsterMessages(opts.messages);
      const b = readLobsterOrderbook(opts.orderbook);
      const partial = partialSessionNote(m, opts.sessionStart, opts.sessionSeconds);
      if (partial !== null) process.stderr.write(`note: ${partial}\n`);
      const real = realSession(m, b, { tickSize: opts.tick, sessionStart: opts.sessionStart, sessionSeconds: opts.sessionSeconds });
      const { availableParallelism } = await import('node:os');
      const workers = Math.min(opts.workers ?? availableParallelism(), opts.seeds);
      const { SessionPool } = await import('../calibrate/index.ts');
      const { acfPassProbability, realismMarkdownTable } = await import('../report/realism-table.ts');
      const pool = workers > 0 ? new SessionPool(workers) : null;
      const columns: RealismColumn[] = [];
      try {
        for (let mi = 0; mi < specs.length; mi++) {
          const spec = specs[mi];
          const market = opts.market[mi];
          const t0 = performance.now();
          const jobs = Array.from({ length: opts.seeds }, (_, k) => ({ spec, seed: opts.seed + k, options: { seconds: opts.seconds, levels: b.levels } }));
          let sims;
          if (pool !== null) {
            process.stderr.write(`${market}: simulating ${opts.seeds} sessions on ${workers} worker thread(s)\n`);
            sims = await pool.runSessions(jobs);
          } else {
            sims = [];
            for (const j of jobs) {
              sims.push(simulatedSession(j.spec, j.seed, j.options));
              process.stderr.write(`\r${market}: simulated ${sims.length}/${opts.seeds} sessions`);
            }
            process.stderr.write('\n');
          }
          const c = compareRealism(real, sims);
          const targets = realismTargets(c);
          let impact: ImpactFigures | undefined;
          if (opts.impactSeeds > 0) {
            const { runImpactExperiment } = await import('../../simulator/stats/impact.ts');
            process.stderr.write(`${market}: impact, ${opts.impactSeeds} paired seeds per size\n`);
            const r = runImpactExperiment({ spec, seeds: opts.impactSeeds, seed0: opts.seed });
            impact = { delta: r.delta, r2: r.r2, relaxed1: r.relaxed1, relaxed2: r.relaxed2 };
          }
          const wall = (performance.now() - t0) / 1000;
          columns.push({ label: market, comparison: c, impact });
          if (opts.markdown) continue;
          const acfPass = { file: acfPassProbability(c.real.acf1Return1mSe, opts.seeds, PER_SEED_ACF_BOUND), sim: acfPassProbability(c.sim.acf1Return1mSe, opts.seeds, PER_SEED_ACF_BOUND) };
          if (opts.json) {
            process.stdout.write(JSON.stringify({ market, firstSeed: opts.seed, seconds: opts.seconds ?? null, wallSeconds: wall, ...c, targets, acfPassProbability: acfPass, ...(impact ? { impact } : {}) }) + '\n');
            continue;
          }
          printText(c, targets, acfPass, { messages: opts.messages, market, seeds: opts.seeds, seed: opts.seed, seconds: opts.seconds, wall, impact, bound: PER_SEED_ACF_BOUND });
        }
      } finally {
        await pool?.close();
      }
      if (opts.markdown) {
        const { basename } = await import('node:path');
        process.stdout.write(realismMarkdownTable(columns, `real (${basename(opts.messages)})`));
      }
    });
}

/** The text report of one market against the real day. */
function printText(
  c: RealismComparison,
  targets: RealismTarget[],
  acfPass: { file: number; sim: number },
  o: { messages: string; market: string; seeds: number; seed: number; seconds?: number; wall: number; impact?: ImpactFigures; bound: number },
): void {
  const rows: [string, keyof typeof c.real, number][] = [
    ['limit orders /s (level-N view)', 'limitPerSecond', 3],
    ['cancels /s (level-N view)', 'cancelPerSecond', 3],
    ['limit orders /s at the best (level 1)', 'level1LimitPerSecond', 3],
    ['cancels /s at the best (level 1)', 'level1CancelPerSecond', 3],
    ['mean add distance from the opposite best, ticks', 'addDistanceTicks', 1],
    ['market orders /s', 'marketPerSecond', 3],
    ['mean spread, ticks (time-weighted)', 'spreadMeanTicks', 2],
    ['mean spread, bps', 'spreadMeanBps', 2],
    ['1-min kurtosis', 'kurtosis1m', 2],
    ['1-min return ACF lag 1', 'acf1Return1m', 3],
    ['  the same, from every start second', 'acf1Return1mOverlap', 3],
    ['  its robust standard error', 'acf1Return1mSe', 3],
    ['1-min return sd, bps', 'sd1mBps', 2],
    ['|r| ACF lag 1', 'absAcfLag1', 3],
    ['|r| ACF lag 2', 'absAcfLag2', 3],
    ['corr(volume, |r|)', 'volumeAbsReturnCorr', 3],
    ['trade-sign ACF lag 1', 'signAcfLag1', 3],
    ['trade-sign ACF lag 10', 'signAcfLag10', 3],
    ['trade-sign ACF lag 100', 'signAcfLag100', 3],
    ['volume share first 30 min', 'volumeShareFirst30m', 3],
    ['volume share last 30 min', 'volumeShareLast30m', 3],
    ['mean market-order size', 'meanMarketOrderQty', 1],
    ['mean best-level depth, shares', 'depth1', 1],
    ['trade-sign ACF power-law exponent', 'signAcfExponent', 3],
    ['market-order Hawkes branching', 'moBranching', 3],
    ['  its kernel decay, 1/s', 'moBranchingDecay', 2],
    ['spread 5% quantile, ticks (1-s grid)', 'spreadP05', 1],
    ['spread 25% quantile', 'spreadP25', 1],
    ['spread median', 'spreadP50', 1],
    ['spread 75% quantile', 'spreadP75', 1],
    ['spread 95% quantile', 'spreadP95', 1],
    ['seconds with a book side empty', 'emptySideSeconds', 0],
    ['share of executions emptying the best', 'depletionShare', 3],
    ['  gap to the next level, ticks', 'depletionGapTicks', 2],
    ['U-shape: edge / middle volume', 'volumeEdgeRatio', 2],
  ];
  const lines = [`real: ${o.messages}`, `sim:  ${o.market}, ${o.seeds} seed(s) from ${o.seed}, ${o.seconds ?? 'whole session'} s each (${fmt(o.wall, 1)} s wall)`, '', `${'figure'.padEnd(36)}${'real'.padStart(10)}${'sim mean'.padStart(10)}${'sim sd'.padStart(9)}${'sim vs real'.padStart(13)}`];
  // Signed figures (autocorrelations, correlations) compare as differences sim − real; sizes
  // and rates as ratios sim/real − 1.
  const signed = new Set(['acf1Return1m', 'acf1Return1mOverlap', 'absAcfLag1', 'absAcfLag2', 'volumeAbsReturnCorr', 'signAcfLag1', 'signAcfLag10', 'signAcfLag100', 'signAcfExponent', 'moBranching', 'emptySideSeconds']);
  for (const [label, k, d] of rows) {
    const cmp = signed.has(k) ? `${c.sim[k] - c.real[k] >= 0 ? '+' : ''}${fmt(c.sim[k] - c.real[k], d)}` : `${fmt(100 * c.relativeError[k], 1)}%`;
    lines.push(`${label.padEnd(36)}${fmt(c.real[k], d).padStart(10)}${fmt(c.sim[k], d).padStart(10)}${fmt(c.simSd[k], d).padStart(9)}${cmp.padStart(13)}`);
  }
  lines.push('sim vs real: a difference sim − real for autocorrelations and correlations, sim/real − 1 for the others');
  lines.push('', 'two-sample KS (real vs pooled sim): statistic D, p-value, sizes');
  for (const [label, r] of [['market-order inter-arrival times', c.ks.interArrival], ['spread (1-second grid)', c.ks.spread], ['1-minute returns', c.ks.return1m], ['market-order sizes', c.ks.marketOrderSize]] as const) {
    lines.push(`  ${label.padEnd(34)} D ${fmt(r.statistic)}  p ${r.pValue.toExponential(2)}  (n ${r.n}, m ${r.m})`);
  }
  const range = (x: number[]): string => `${fmt(Math.min(...x))} – ${fmt(Math.max(...x))}`;
  lines.push(`  each seed alone: spread D ${range(c.perSeedKs.spread)}, market-order sizes D ${range(c.perSeedKs.marketOrderSize)}`);
  lines.push('', 'targets (issue 19):');
  for (const t of targets) lines.push(`  ${t.met ? 'met    ' : 'NOT met'} ${t.fact.padEnd(44)} real ${fmt(t.real).padStart(9)}  sim ${fmt(t.sim).padStart(9)}  target ${t.target}`);
  lines.push(
    `  (|1-min return ACF| < ${o.bound} on all ${o.seeds} seeds, for returns with no autocorrelation whose variance moves as the file's: probability ${fmt(acfPass.file)} (s.e. ${fmt(c.real.acf1Return1mSe)}); as the simulated days': ${fmt(acfPass.sim)} (s.e. ${fmt(c.sim.acf1Return1mSe)}))`,
  );
  lines.push(`real extra: ${Object.entries(c.realExtra).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  lines.push(`sim extra:  ${Object.entries(c.simExtra).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  if (o.impact) lines.push(`impact: δ ${fmt(o.impact.delta)} (R² ${fmt(o.impact.r2)}), share of the peak left ${fmt(o.impact.relaxed1, 2)} / ${fmt(o.impact.relaxed2, 2)} one / two durations after`);
  process.stdout.write(lines.join('\n') + '\n');
}
