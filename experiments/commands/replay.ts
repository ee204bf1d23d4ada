/**
 * `execution-gym replay --messages <file> --orderbook <file> [--levels N] [--tick U] [--max-details K] [--json]`
 *
 * Replays a LOBSTER message file into the L3 order book (simulator/replay/replay-book.ts),
 * checking the book against the orderbook file after every message, and prints the speed
 * (messages per wall second, reading both files included) and the consistency report:
 * unexplained mismatches, levels re-seeded because they entered the window from below, messages
 * naming unknown order ids, trades, halts. Exit code 1 when a transition is unexplained.
 * `--json` prints exactly one JSON object on stdout.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption } from '../options.ts';

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('replay')
    .description('replay LOBSTER messages into the L3 order book with the one-step check after every message')
    .requiredOption('--messages <file>', 'LOBSTER message file')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file')
    .option('--levels <n>', 'levels in the orderbook file (inferred if omitted)', parseIntOption('--levels', 1))
    .option('--tick <units>', 'tick size in LOBSTER price units (dollars x 10,000)', parseIntOption('--tick', 1), 100)
    .option('--max-details <k>', 'mismatches to list', parseIntOption('--max-details', 0), 20)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { messages: string; orderbook: string; levels?: number; tick: number; maxDetails: number; json?: boolean }) => {
      const { replayLobsterFiles } = await import('../../simulator/replay/index.ts');
      const r = replayLobsterFiles(opts.messages, opts.orderbook, { levels: opts.levels, tickSize: opts.tick, maxDetails: opts.maxDetails });
      if (opts.json) {
        process.stdout.write(JSON.stringify(r) + '\n');
      } else {
        const lines = [
          `levels                 ${r.levels}`,
          `messages               ${r.messages}  (types 1..7: ${r.typeCounts.slice(1).join(' ')})`,
          `transitions checked    ${r.transitions}`,
          `unexplained mismatches ${r.mismatches}`,
          `book levels from rows  ${r.reseeded}  (the L3 replay took a level's volume from the orderbook file because no message introduced it; differs from lobster check's window refills, which count snapshot transitions)`,
          `unknown order ids      ${r.unknownIds}  (orders resting before the open or seeded from rows; ${r.unknownShortfall} shares taken from the back of the queue)`,
          `trades                 ${r.trades.visible} visible, ${r.trades.hidden} hidden, ${r.trades.cross} cross`,
          `final book             bid ${r.finalBestBid} / ask ${r.finalBestAsk} ticks; ${r.liveOrders} live orders (${r.syntheticOrders} synthetic)${r.halted ? '; HALTED' : ''}`,
          `messages per second    ${Math.round(r.messagesPerSecond)}  (${r.seconds.toFixed(3)} s, reading both files, replaying and checking)`,
        ];
        for (const d of r.details) lines.push(`  row ${d.row} t=${d.time} type ${d.type} id ${d.orderId}: ${d.reason}`);
        lines.push(r.mismatches === 0 ? 'PASS: every transition explained' : `FAIL: ${r.mismatches} of ${r.transitions} transitions unexplained`);
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (r.mismatches > 0) process.exitCode = 1;
    });
}
