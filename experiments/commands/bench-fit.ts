/**
 * `execution-gym bench fit`: time of the Hawkes EM fit that every calibration session runs for its
 * market-order branching (2-D buy/sell, one exponential component, the decay grid then EM to a
 * gain under 1e-6 nats), on a simulated day of market orders; and the time of one EM iteration
 * with the D = 2, K = 1 sweep against the general sweep (the two must agree bit for bit).
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('fit')
    .description('Hawkes EM fit of a day of market orders (2-D, one component: the calibration\'s branching): whole fit and per-iteration time, fast and general sweep')
    .option('--seconds <s>', 'session length of the simulated market orders, seconds', '23400')
    .option('--rate <r>', 'baseline market orders per second and side', '0.17')
    .option('--repeats <n>', 'timed fits (the median is reported)', '5')
    .option('--seed <s>', 'integer seed', '1')
    .option('--json', 'print one JSON object')
    .action(async (opts: { seconds: string; rate: string; repeats: string; seed: string; json?: boolean }) => {
      const { fitHawkes, simulateHawkes } = await import('../../simulator/flow/index.ts');
      const { EmProblem, initialState } = await import('../../simulator/flow/fit.ts');
      const { Rng } = await import('../../simulator/random/index.ts');
      const T = Number(opts.seconds);
      const rate = Number(opts.rate);
      const repeats = Number(opts.repeats);
      const seed = Number(opts.seed);
      if (!(T >= 600) || !Number.isFinite(T)) throw new Error(`--seconds must be a number >= 600, got ${opts.seconds}`);
      if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`--rate must be a number > 0, got ${opts.rate}`);
      if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be an integer >= 1, got ${opts.repeats}`);
      if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be an integer >= 0, got ${opts.seed}`);
      // A small-tick day's market orders: branching 0.58 at 2/s (self 0.5, cross 0.08).
      const ev = simulateHawkes({ mu: [rate, rate], components: [{ decay: 2, branching: [[0.5, 0.08], [0.08, 0.5]] }] }, Rng.fromSeed(seed, 'bench-fit'), T);
      const series = { times: Float64Array.from(ev.times), dims: Int32Array.from(ev.dims) };
      const fitOnce = () => fitHawkes(series, { dims: 2, components: 1, t0: 0, t1: T, maxIterations: 500, tolerance: 1e-6 });
      const median = (x: number[]): number => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
      fitOnce();
      const fitMs: number[] = [];
      let fit = fitOnce();
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        fit = fitOnce();
        fitMs.push(performance.now() - t0);
      }
      // Per iteration: 100 EM steps from the same start, each sweep.
      const p = new EmProblem(series, 2, 1, 0, T, null);
      const perIteration = (general: boolean): { ms: number; ll: number } => {
        const times: number[] = [];
        let ll = 0;
        for (let r = 0; r < repeats + 1; r++) {
          const s = initialState(2, 1, Float64Array.of(1, 1), p.Is, [3]);
          const t0 = performance.now();
          for (let it = 0; it < 100; it++) ll = p.step(s, false, general);
          if (r > 0) times.push((performance.now() - t0) / 100);
        }
        return { ms: median(times), ll };
      };
      const fast = perIteration(false);
      const general = perIteration(true);
      if (!Object.is(fast.ll, general.ll)) throw new Error(`the two sweeps disagree: log-likelihood ${fast.ll} against ${general.ll}`);
      const out = {
        events: series.times.length,
        seconds: T,
        fitMs: median(fitMs),
        iterations: fit.iterations + 11 * 25,
        branching: fit.spectralRadius,
        decay: fit.decays[0],
        iterationMs: fast.ms,
        generalIterationMs: general.ms,
        speedup: general.ms / fast.ms,
        nsPerEvent: (1e6 * fast.ms) / series.times.length,
        node: process.version,
      };
      if (opts.json) process.stdout.write(JSON.stringify(out) + '\n');
      else {
        process.stdout.write(`Hawkes EM fit, 2-D, 1 component, ${out.events} events over ${T} s (branching ${out.branching.toFixed(3)}, decay ${out.decay.toFixed(2)}/s)\n`);
        process.stdout.write(`  whole fit (11 grid starts x 25 iterations, then ${fit.iterations} to converge): ${out.fitMs.toFixed(1)} ms (median of ${repeats})\n`);
        process.stdout.write(`  one EM iteration: ${out.iterationMs.toFixed(3)} ms (${out.nsPerEvent.toFixed(1)} ns an event); general sweep ${out.generalIterationMs.toFixed(3)} ms: ${out.speedup.toFixed(2)}x, the same log-likelihood bit for bit\n`);
      }
    });
}
