/**
 * `execution-gym calibrate-ac --market <preset> [--seeds N] [--interval S] [--settle S] [--json] [--no-cache]`:
 * measures the Almgren–Chriss parameters of a market preset in the simulator (σ, η, γ, ε in ticks,
 * seconds and shares; method in agents/baselines/calibrate.ts) and prints them. Results are cached
 * in runs/cache/ac-calibration/.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption, positiveOption } from '../options.ts';

interface Opts {
  market: string;
  seeds: number;
  interval: number;
  settle: number;
  horizon: number;
  json?: boolean;
  cache: boolean;
}

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('calibrate-ac')
    .description('measure Almgren–Chriss σ, η, γ, ε of a market preset in the simulator (paired runs)')
    .option('--market <preset>', 'market preset name or YAML path', 'default')
    .option('--seeds <n>', 'calibration seeds (paired runs per size)', intOption('--seeds', 1), 500)
    .option('--interval <seconds>', 'AC interval τ (the env decision interval)', positiveOption('--interval'), 10)
    .option('--settle <seconds>', 'when the permanent shift is read after the child order', positiveOption('--settle'), 60)
    .option('--horizon <seconds>', 'undisturbed run length for σ and ε', positiveOption('--horizon'), 600)
    .option('--json', 'print one JSON object on stdout')
    .option('--no-cache', 'recompute even when a cached calibration exists')
    .action(async (opts: Opts) => {
      const { calibrateAc, calibrateAcCached } = await import('../../agents/baselines/calibrate.ts');
      const options = { seeds: opts.seeds, intervalSeconds: opts.interval, settleSeconds: opts.settle, horizonSeconds: opts.horizon };
      const t0 = performance.now();
      let cal;
      let cachedPath = '';
      if (opts.cache) {
        const r = calibrateAcCached(opts.market, options);
        cal = r.calibration;
        cachedPath = r.cached ? `cached: ${r.path}` : `computed, cached at ${r.path}`;
      } else {
        cal = calibrateAc(opts.market, options);
        cachedPath = 'computed (no cache)';
      }
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) {
        process.stdout.write(JSON.stringify(cal) + '\n');
        return;
      }
      const g = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : String(x));
      const lines = [
        `Almgren–Chriss calibration of market '${cal.market}' (${cal.seeds} seeds, τ = ${cal.intervalSeconds} s, permanent read ${cal.settleSeconds} s after)`,
        `  sigma    ${g(cal.sigma)} ticks/√s        (volatility of the mid)`,
        `  eta      ${g(cal.eta)} ticks·s/share    (temporary impact: shortfall beyond the half spread)`,
        `  gamma    ${g(cal.gamma)} ticks/share      (permanent impact: paired mid shift)`,
        `  epsilon  ${g(cal.epsilon)} ticks            (half spread)`,
        `  eta beyond permanent ${g(cal.etaBeyondPermanent)} ticks·s/share (the reverting part only: the shortfall minus the half spread minus the permanent shift; negative when the permanent shift read ${cal.settleSeconds} s later exceeds what the order paid beyond the half spread, i.e. the price kept moving after the order: not a cost the schedule could avoid)`,
        `  mean interval volume ${g(cal.intervalVolume)} shares, mean mid ${g(cal.midTicks)} ticks`,
        '  size (x interval volume)  mean qty  shortfall ticks (se)  permanent ticks (se)',
        ...cal.perSize.map(
          (r) => `  ${r.fraction.toFixed(3).padStart(24)}  ${g(r.meanQty).padStart(8)}  ${g(r.shortfallTicks).padStart(9)} (${g(r.shortfallSe)})  ${g(r.permanentTicks).padStart(9)} (${g(r.permanentSe)})`,
        ),
        `  ${cachedPath}; ${seconds.toFixed(1)} s`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
