/**
 * `execution-gym bench book [--messages N] [--seed S] [--json]`: order-book throughput on a
 * seeded steady-state workload (45% limits near the touch, 40% cancels of random resting orders,
 * 15% market orders; about 100 levels a side, thousands of resting orders; a drifting mid).
 * Prints messages per second, ns per message, the end state and memory; `--json` prints one
 * JSON object (messagesPerSecond, nsPerMessage, peakRssMB, heapUsedMB, ...) on stdout.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption } from '../options.ts';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('book')
    .description('order-book throughput: seeded limit/cancel/market workload in steady state')
    .option('--messages <n>', 'messages to process', parseIntOption('--messages', 1), 10_000_000)
    .option('--seed <s>', 'workload seed', parseIntOption('--seed', 0), 1)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { messages: number; seed: number; json?: boolean }) => {
      const { runBookWorkload } = await import('../../simulator/book/index.ts');
      let bar: { update(n: number): void; stop(): void } | undefined;
      if (process.stderr.isTTY) {
        const { SingleBar, Presets } = await import('cli-progress');
        const b = new SingleBar({ stream: process.stderr, format: 'bench book [{bar}] {percentage}% {value}/{total}' }, Presets.shades_classic);
        b.start(opts.messages, 0);
        bar = b;
      }
      // Expose a full collection so the heap figures are live data (flat over a long run), not garbage.
      const v8 = await import('node:v8');
      const vm = await import('node:vm');
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as (() => void) | undefined;
      const r = runBookWorkload({ messages: opts.messages, seed: opts.seed, gc, onProgress: (d) => bar?.update(d) });
      bar?.stop();
      const result = { ...r, nodeVersion: process.version };
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const pct = (k: number): string => ((100 * k) / r.messages).toFixed(1);
      const lines = [
        `bench book: ${int(r.messages)} messages, seed ${r.seed}, Node ${process.version}`,
        `  mix           ${pct(r.limits)}% limit, ${pct(r.cancels)}% cancel, ${pct(r.markets)}% market; ${int(r.fills)} fills`,
        `  throughput    ${(r.messagesPerSecond / 1e6).toFixed(2)} M messages/s, ${r.nsPerMessage.toFixed(1)} ns/message (book, ${r.bookSeconds.toFixed(2)} s)`,
        `                ${(r.messagesPerCpuSecond / 1e6).toFixed(2)} M messages per CPU second (process CPU time ${r.bookCpuSeconds.toFixed(2)} s; robust to a shared CPU)`,
        `                ${(r.messagesPerSecondInclGeneration / 1e6).toFixed(2)} M messages/s including random-number generation (${r.generationSeconds.toFixed(2)} s)`,
        `  book at end   ${int(r.restingOrders)} resting orders, ${r.bidLevels} bid levels, ${r.askLevels} ask levels (mean ${int(r.meanRestingOrders)} orders, ${r.meanLevelsPerSide.toFixed(0)} levels a side)`,
        `  mid           start ${r.midStart}, end ${r.midEnd}, range [${r.midMin}, ${r.midMax}] ticks`,
        `  memory        peak RSS ${r.peakRssMB.toFixed(1)} MB; heap used${r.heapAfterGc ? ' (after full GC)' : ''} ${r.heapUsedBeforeMB.toFixed(1)} MB before, ${r.heapUsedMB.toFixed(1)} MB after`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
