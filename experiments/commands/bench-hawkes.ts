/**
 * `execution-gym bench hawkes`: events per second of the Hawkes sampler (8 dimensions, two
 * exponential components by default), both samplers, one core.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('hawkes')
    .description('Hawkes sampler throughput: events per second (exact and thinning), D dimensions, 2 exponential components')
    .option('--events <n>', 'events per timed run', '5000000')
    .option('--dims <d>', 'number of dimensions', '8')
    .option('--seed <s>', 'integer seed', '1')
    .option('--json', 'print one JSON object')
    .action(async (opts: { events: string; dims: string; seed: string; json?: boolean }) => {
      const { HawkesProcess, meanIntensity, parseHawkesParams, spectralRadius, totalBranching } = await import('../../simulator/flow/index.ts');
      const { Rng } = await import('../../simulator/random/index.ts');
      const events = Number(opts.events);
      const D = Number(opts.dims);
      const seed = Number(opts.seed);
      if (!Number.isInteger(events) || events < 1000) throw new Error(`--events must be an integer >= 1000, got ${opts.events}`);
      if (!Number.isInteger(D) || D < 1 || D > 64) throw new Error(`--dims must be an integer in [1, 64], got ${opts.dims}`);
      if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be an integer >= 0, got ${opts.seed}`);
      // Market-like: self-excitation 0.3 (fast, 100/s) + 0.15 (slow, 2/s), weak cross-excitation.
      const cross = 0.02 / Math.max(1, D - 1);
      const mat = (self: number): number[][] => Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? self : cross)));
      const params = parseHawkesParams({ mu: new Array<number>(D).fill(0.2), components: [{ decay: 100, branching: mat(0.3) }, { decay: 2, branching: mat(0.15) }] });
      const run = (sampler: 'exact' | 'thinning', n: number): { seconds: number; simSeconds: number; checksum: number } => {
        const hp = new HawkesProcess(params, { sampler });
        hp.reset(Rng.fromSeed(seed, `bench-${sampler}`));
        let checksum = 0;
        const t0 = process.hrtime.bigint();
        for (let e = 0; e < n; e++) checksum += hp.nextEvent();
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        return { seconds, simSeconds: hp.time, checksum };
      };
      run('exact', 200_000);
      run('thinning', 200_000);
      const exact = run('exact', events);
      const thin = run('thinning', events);
      const out = {
        dims: D,
        components: 2,
        events,
        eventsPerSecond: events / exact.seconds,
        thinningEventsPerSecond: events / thin.seconds,
        exactSeconds: exact.seconds,
        thinningSeconds: thin.seconds,
        simulatedRate: events / exact.simSeconds,
        stationaryRate: meanIntensity(params).reduce((a, b) => a + b, 0),
        spectralRadius: spectralRadius(totalBranching(params)),
        node: process.version,
      };
      if (opts.json) process.stdout.write(JSON.stringify(out) + '\n');
      else {
        process.stdout.write(`Hawkes sampler, ${D} dims, 2 exponential components, ${events} events\n`);
        process.stdout.write(`  exact (per component): ${(out.eventsPerSecond / 1e6).toFixed(2)} M events/s\n`);
        process.stdout.write(`  Ogata thinning:        ${(out.thinningEventsPerSecond / 1e6).toFixed(2)} M events/s\n`);
        process.stdout.write(`  simulated rate ${out.simulatedRate.toFixed(3)} /s vs stationary ${out.stationaryRate.toFixed(3)} /s (rho ${out.spectralRadius.toFixed(3)})\n`);
      }
    });
}
