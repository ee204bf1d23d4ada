/**
 * `execution-gym lobster check|facts`: tools for LOBSTER message/orderbook files.
 *
 * - `lobster check --messages <file> --orderbook <file> [--levels N] [--json] [--max-details K]`:
 *   the one-step consistency check (each message applied to the previous orderbook row must give
 *   the next row); prints the mismatch report and rows per second. Exit code 1 on a mismatch.
 * - `lobster facts --messages <file> --orderbook <file> [--tick 100] [--json]`: stylized facts of
 *   a real day (spread, return moments and ACFs, trade signs, volume shares, message rates).
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption } from '../options.ts';

function fmt(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

export function register(program: Command, _groups: CommandGroups): void {
  const lobster = program.command('lobster').description('LOBSTER message/orderbook files: consistency check and stylized facts');

  lobster
    .command('check')
    .description('one-step check: apply each message to the previous orderbook row and compare with the next row')
    .requiredOption('--messages <file>', 'LOBSTER message file')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file')
    .option('--levels <n>', 'levels in the orderbook file (inferred if omitted)', parseIntOption('--levels', 1))
    .option('--max-details <k>', 'mismatches to list', parseIntOption('--max-details', 0), 20)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { messages: string; orderbook: string; levels?: number; maxDetails: number; json?: boolean }) => {
      const { checkLobsterFiles } = await import('../../simulator/lobster/index.ts');
      const report = checkLobsterFiles(opts.messages, opts.orderbook, { levels: opts.levels, maxDetails: opts.maxDetails });
      if (opts.json) {
        process.stdout.write(JSON.stringify(report) + '\n');
      } else {
        const lines = [
          `levels            ${report.levels}`,
          `rows              ${report.rows}`,
          `transitions       ${report.transitions}`,
          `mismatches        ${report.mismatches}`,
          `window refills    ${report.reseeded}  (one-step check of the snapshots: a level removed from a full window let the next level in; its size is read from the next row)`,
          `unknown prices    ${report.unknownPrice}`,
          `types 1..7        ${report.typeCounts.slice(1).join(' ')}`,
          `rows per second   ${Math.round(report.rowsPerSecond)}  (${fmt(report.seconds, 3)} s, reading both files and checking)`,
        ];
        for (const d of report.details) {
          lines.push(`  row ${d.row} t=${d.time} type ${d.type} id ${d.orderId} size ${d.size} price ${d.price} dir ${d.direction}: ${d.reason}`);
        }
        lines.push(report.mismatches === 0 ? 'PASS: every transition matches' : `FAIL: ${report.mismatches} of ${report.transitions} transitions mismatch`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (report.mismatches > 0) process.exitCode = 1;
    });

  lobster
    .command('facts')
    .description('stylized facts of a real LOBSTER day')
    .requiredOption('--messages <file>', 'LOBSTER message file')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file')
    .option('--levels <n>', 'levels in the orderbook file (inferred if omitted)', parseIntOption('--levels', 1))
    .option('--tick <units>', 'tick size in LOBSTER price units (dollars x 10,000)', parseIntOption('--tick', 1), 100)
    .option('--session-start <seconds>', 'session start, seconds after midnight', Number, 34200)
    .option('--session-seconds <seconds>', 'session length, seconds', Number, 23400)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { messages: string; orderbook: string; levels?: number; tick: number; sessionStart: number; sessionSeconds: number; json?: boolean }) => {
      const { readLobsterMessages, readLobsterOrderbook, lobsterFacts } = await import('../../simulator/lobster/index.ts');
      const m = readLobsterMessages(opts.messages);
      const b = readLobsterOrderbook(opts.orderbook, opts.levels);
      const f = lobsterFacts(m, b, { tickSize: opts.tick, sessionStart: opts.sessionStart, sessionSeconds: opts.sessionSeconds });
      if (opts.json) {
        process.stdout.write(JSON.stringify(f) + '\n');
        return;
      }
      const r1 = f.returns[0];
      const pct = (x: number): string => `${fmt(100 * x, 1)}%`;
      const lines = [
        `mid                       ${fmt(f.midStart * opts.tick / 10000, 2)} -> ${fmt(f.midEnd * opts.tick / 10000, 2)} dollars`,
        `mean spread               ${fmt(f.meanSpreadCents, 1)} cents, ${fmt(f.spread.meanTicks, 2)} ticks, ${fmt(f.spread.meanBps, 2)} bps (time-weighted ${fmt(f.spread.timeWeightedMeanTicks, 2)} ticks)`,
        `spread 1..9, >=10 ticks   ${f.spread.distributionTicks.map(pct).join(' ')}`,
      ];
      for (const r of f.returns) {
        lines.push(`${r.intervalSeconds}s log returns (n ${r.n})`.padEnd(26) + ` kurtosis ${fmt(r.kurtosis, 2)} (Gaussian 3), lag-1 ACF ${fmt(r.acf1)}, sd ${r.sd.toExponential(3)}`);
      }
      lines.push(
        `ACF |r| (${r1?.intervalSeconds ?? 60}s), lags 1..   ${f.absAcf.map((a) => fmt(a.acf, 2)).join(' ')}`,
        `corr(volume, |r|)         ${fmt(f.volumeAbsReturnCorr)}`,
        `trade-sign ACF            ${f.signAcf.map((a) => `lag ${a.lag}: ${fmt(a.acf)}`).join(', ')}  (${f.trades.count} market orders, mean ${fmt(f.trades.meanQty, 1)} shares)`,
        `volume share              first 30 min ${pct(f.volume.firstShare)}, last 30 min ${pct(f.volume.lastShare)}; hidden ${pct(f.hiddenVolumeShare)} of executed volume`,
        `volume per 30 min         ${f.volume.buckets.map(pct).join(' ')}`,
        `rates per second          ${Object.entries(f.messageRates).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`,
        `depth (mean size by lvl)  bid ${f.depth?.bid.map((x) => fmt(x, 0)).join(' ')}; ask ${f.depth?.ask.map((x) => fmt(x, 0)).join(' ')}`,
        `signature plot ratios     ${f.signature.intervalSeconds.map((s, i) => `${s}s ${fmt(f.signature.ratio[i], 2)}`).join(', ')}`,
      );
      process.stdout.write(lines.join('\n') + '\n');
    });
}
