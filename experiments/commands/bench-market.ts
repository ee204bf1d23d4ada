/**
 * `execution-gym bench market [--market default] [--seconds N] [--seed S] [--resets R] [--json]`:
 * throughput of the agent-based market with every trader type (the default preset): loop events
 * per wall second, book messages per second, simulated seconds per wall second, and the mean
 * `reset` time (new episode: seeded initializer + warm-up). `--json` prints one JSON object
 * (eventsPerSecond, simSecondsPerSecond, messagesPerSecond, resetMs, ...) on stdout.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption } from '../options.ts';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('market')
    .description('agent-based market throughput (every trader type) and reset time')
    .option('--market <preset|file>', 'market preset or YAML file', 'default')
    .option('--seconds <n>', 'simulated seconds to run (after a warm-up run of a tenth of it)', parseIntOption('--seconds', 1), 4 * 23400)
    .option('--seed <s>', 'seed', parseIntOption('--seed', 0), 1)
    .option('--resets <r>', 'resets to time', parseIntOption('--resets', 1), 500)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { market: string; seconds: number; seed: number; resets: number; json?: boolean }) => {
      const { loadMarketConfig } = await import('../../configs/index.ts');
      const { Market, randomizeMarket } = await import('../../simulator/index.ts');
      const { Rng } = await import('../../simulator/random/index.ts');
      const spec = loadMarketConfig(opts.market);
      const params = randomizeMarket(spec, Rng.fromSeed(opts.seed, 'randomize'));
      // JIT warm-up on another seed, then the timed run. The session repeats every sessionSeconds.
      const warm = new Market(params, opts.seed + 1);
      warm.runUntil(Math.max(1, Math.floor(opts.seconds / 10)));
      const market = new Market(params, opts.seed);
      const t0 = performance.now();
      market.runUntil(opts.seconds);
      const wall = (performance.now() - t0) / 1000;
      const c = { ...market.counts };
      const tapeRows = market.tape.length;
      const restingOrders = market.book.orderCount();
      const messages = c.limit + c.cancel + c.market;
      // Resets with the same params (the env's common case) and with fresh draws of the spec.
      for (let i = 0; i < 50; i++) market.reset(params, 1000 + i);
      const r0 = performance.now();
      for (let i = 0; i < opts.resets; i++) market.reset(params, 2000 + i);
      const resetMs = (performance.now() - r0) / opts.resets;
      const out = {
        market: opts.market,
        seed: opts.seed,
        simulatedSeconds: opts.seconds,
        wallSeconds: wall,
        events: c.events,
        eventsPerSecond: c.events / wall,
        messagesPerSecond: messages / wall,
        simSecondsPerSecond: opts.seconds / wall,
        eventsPerSimSecond: c.events / opts.seconds,
        messagesPerSimSecond: messages / opts.seconds,
        nsPerEvent: (wall * 1e9) / c.events,
        resetMs,
        restingOrders,
        tapeRows,
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      process.stdout.write(
        [
          `market ${opts.market}, ${int(opts.seconds)} simulated s, seed ${opts.seed}`,
          `events/s           ${int(out.eventsPerSecond)}  (${out.nsPerEvent.toFixed(0)} ns per event; ${out.eventsPerSimSecond.toFixed(2)} events per simulated s)`,
          `messages/s         ${int(out.messagesPerSecond)}  (limit ${int(c.limit)}, cancel ${int(c.cancel)}, market ${int(c.market)})`,
          `simulated s/s      ${int(out.simSecondsPerSecond)}`,
          `reset              ${resetMs.toFixed(3)} ms (initializer + ${params.warmupSeconds} s warm-up, mean of ${opts.resets})`,
          `end state          ${out.restingOrders} resting orders, ${int(out.tapeRows)} tape rows`,
        ].join('\n') + '\n',
      );
    });
}
