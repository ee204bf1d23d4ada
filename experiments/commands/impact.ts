/**
 * `execution-gym impact --market <preset|file> [--seeds N] [--sizes a,b,...] [--duration T] [--start S] [--json]`
 *
 * Paired-run metaorder impact (simulator/stats/impact.ts): for each seed, the market without and
 * with a buy metaorder executed as POV over `--duration` seconds, for sizes given as fractions of
 * the expected daily volume (default 0.1% … 10%), `--seeds` seeds per size (default 200).
 * Prints the mean peak impact per size (bps, with its standard error; measured right after the
 * last child order), when the POV finished, the share of the peak left one and two durations after that, the fitted δ and Y of I = Y·σ_D·(Q/V_D)^δ, and the
 * mean impact curve; `--json` prints one JSON object on stdout. Progress goes to stderr.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption, positiveOption as parsePositive } from '../options.ts';

function parseFractions(v: string): number[] {
  const xs = v.split(',').map((s) => Number(s.trim()));
  for (const x of xs) if (!(x > 0 && x < 1)) throw new Error(`--sizes must be comma-separated fractions in (0, 1), got ${v}`);
  return xs;
}

const bps = (x: number): string => (1e4 * x).toFixed(2);

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('impact')
    .description('metaorder impact by paired runs: mean impact curve, fitted δ and Y, relaxation')
    .option('--market <preset|file>', 'market preset or YAML file', 'default')
    .option('--seeds <n>', 'seeds (paired runs) per size', parseIntOption('--seeds', 2), 200)
    .option('--seed <s>', 'first seed', parseIntOption('--seed', 0), 1)
    .option('--sizes <list>', 'metaorder sizes as fractions of expected daily volume', parseFractions, [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1])
    .option('--duration <seconds>', 'metaorder duration', parsePositive('--duration'), 1800)
    .option('--start <seconds>', 'session time the metaorder starts', parsePositive('--start'), 3600)
    .option('--slice <seconds>', 'POV decision interval', parsePositive('--slice'), 10)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { market: string; seeds: number; seed: number; sizes: number[]; duration: number; start: number; slice: number; json?: boolean }) => {
      const { loadMarketConfig } = await import('../../configs/index.ts');
      const { runImpactExperiment } = await import('../../simulator/stats/impact.ts');
      const spec = loadMarketConfig(opts.market);
      let bar: { update(n: number): void; stop(): void } | undefined;
      if (process.stderr.isTTY) {
        const { SingleBar, Presets } = await import('cli-progress');
        const b = new SingleBar({ stream: process.stderr, format: 'impact [{bar}] {percentage}% {value}/{total} seeds' }, Presets.shades_classic);
        b.start(opts.seeds, 0);
        bar = b;
      }
      const t0 = performance.now();
      const res = runImpactExperiment({
        spec,
        seeds: opts.seeds,
        seed0: opts.seed,
        fractions: opts.sizes,
        durationSeconds: opts.duration,
        startSeconds: opts.start,
        sliceSeconds: opts.slice,
        onProgress: (d) => bar?.update(d),
      });
      bar?.stop();
      const wallSeconds = (performance.now() - t0) / 1000;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ market: opts.market, name: spec.name, wallSeconds, ...res }) + '\n');
        return;
      }
      const lines: string[] = [];
      lines.push(`market ${spec.name} (${opts.market}): ${res.seeds} paired seeds per size, metaorder buys over ${res.durationSeconds} s from t = ${res.startSeconds} s (POV, ${opts.slice} s slices)`);
      lines.push(`expected daily volume V_D ${Math.round(res.dailyVolume).toLocaleString('en-US')} shares; measured daily volatility σ_D ${(100 * res.dailyVolatility).toFixed(2)}%`);
      lines.push('');
      lines.push('Q/V_D     Q (shares)  filled  particip.  done (s)  peak bps (se)     after 1T  after 2T   left 1T  left 2T');
      for (const z of res.sizes) {
        lines.push(
          `${(100 * z.fraction).toFixed(1).padStart(5)}%  ${Math.round(z.qty).toString().padStart(10)}  ${(100 * z.filledShare).toFixed(0).padStart(5)}%  ${(100 * z.participation).toFixed(1).padStart(8)}%  ${z.completionSeconds.toFixed(0).padStart(8)}  ${bps(z.peak).padStart(8)} (${bps(z.peakSe)})  ${bps(z.after1).padStart(8)}  ${bps(z.after2).padStart(8)}  ${z.relaxed1.toFixed(2).padStart(8)}  ${z.relaxed2.toFixed(2).padStart(7)}`,
        );
      }
      lines.push('');
      lines.push(`fit I = Y·σ_D·(Q/V_D)^δ over ${res.fitPoints} sizes: δ = ${res.delta.toFixed(3)}, Y = ${res.Y.toFixed(3)}, R² = ${res.r2.toFixed(3)}`);
      lines.push(`share of peak impact left (pooled over sizes): ${res.relaxed1.toFixed(2)} one duration after the end, ${res.relaxed2.toFixed(2)} two durations after`);
      const big = res.sizes[res.sizes.length - 1];
      // The mean impact path of the largest size, as a short table (the whole curve is in --json).
      const every = Math.max(1, Math.round(big.curve.length / 12));
      lines.push(`mean impact path of the largest size (Q/V_D ${(100 * big.fraction).toFixed(1)}%), bps; the metaorder runs ${res.durationSeconds} s:`);
      lines.push('  t (s)   impact (bps)');
      for (let i = 0; i < big.curve.length; i += every) lines.push(`  ${String(Math.round(i * res.curveStepSeconds)).padStart(5)}   ${bps(big.curve[i]).padStart(12)}`);
      lines.push(`wall time ${wallSeconds.toFixed(1)} s`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
