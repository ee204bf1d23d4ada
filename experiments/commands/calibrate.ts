/**
 * `execution-gym calibrate --messages <file> --orderbook <file> --out configs/markets/<name>.yaml
 *   [--name N] [--tick U] [--iterations K] [--seconds S] [--seed S] [--sim-seeds K] [--restarts K] [--validation-seeds K] [--workers N] [--json]`
 *
 * Calibrates a market preset from a LOBSTER day (simulator/calibration/fit.ts, refine.ts): stage 1 fits the
 * market-order Hawkes flow (2-D, two exponential components), sizes, placement profile, cancel
 * hazard, tick, spread, volatility and the intraday U-shape from the files; stage 2 runs the
 * simulator and adjusts fourteen knobs (spread scale, placement band, limit rate, cancel hazard and its
 * factor at the touch, refill rate, market-order scale, the takers' excitation, its slow part and
 * that part's time constant, their size, the share of orders joining the best, the spread of the informed traders' size cap,
 * the makers' quote jitter)
 * by Gauss–Newton (from the best of three excitation settings when the first point reads the
 * branching in the other regime) until the simulated level-N message rates, mean spread, best-level
 * depth, market-order branching and its kernel decay, mean market-order size, the share of level-N
 * adds that join a level in view and the 1-minute volatility (and, on a level-N file with N > 1,
 * the adds and cancels at the best) match the file's, the market-order
 * sizes are distributed as the file's, and the simulated 1-minute returns are uncorrelated; then
 * the path's four best points are simulated on fresh seeds and the best of them there is the
 * preset (with `--restarts K`, K paths on different sessions, and the four best of each validated
 * together). Writes
 * the preset atomically (YAML, a valid configs/market.ts spec) and prints the fits, every
 * simulated point and the final match. Progress goes to stderr; `--json` prints one JSON object.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption } from '../options.ts';

function fmt(x: number, d = 3): string {
  return Number.isFinite(x) ? x.toFixed(d) : String(x);
}

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('calibrate')
    .description('fit a market preset to a LOBSTER day (Hawkes flow, sizes, placement, cancels, spread, volatility, intraday profile) and refine it by simulation')
    .requiredOption('--messages <file>', 'LOBSTER message file')
    .requiredOption('--orderbook <file>', 'LOBSTER orderbook file')
    .requiredOption('--out <file>', 'preset YAML to write, e.g. configs/markets/goog.yaml')
    .option('--name <name>', 'preset name (default: the file name of --out)')
    .option('--tick <units>', 'tick size in LOBSTER price units (dollars x 10,000; inferred if omitted)', parseIntOption('--tick', 1))
    .option('--iterations <k>', 'Gauss-Newton iterations a path of the simulation stage (15 to 17 simulated points each)', parseIntOption('--iterations', 1), 8)
    .option('--seconds <s>', 'simulated seconds per session (default: the whole session)', parseIntOption('--seconds', 1))
    .option('--seed <s>', 'seed of the simulated sessions', parseIntOption('--seed', 0), 1)
    .option('--sim-seeds <k>', 'sessions averaged per simulated point', parseIntOption('--sim-seeds', 1), 5)
    .option('--restarts <k>', 'Gauss-Newton paths from the same start on different sessions (path r on seeds seed + r x sim-seeds onwards); the best points of all of them are validated together', parseIntOption('--restarts', 1), 6)
    .option('--validation-seeds <k>', "fresh sessions for each path's 4 best points; the preset is the one of them most likely to meet every target on 10 held-out seeds, then the smallest misfit (0: the smallest misfit of the paths' best)", parseIntOption('--validation-seeds', 0), 10)
    .option('--workers <n>', 'worker threads for the simulated sessions (0: this thread; default: the cores); the result does not depend on it', parseIntOption('--workers', 0))
    .option('--session-start <seconds>', 'session start, seconds after midnight', Number, 34200)
    .option('--session-seconds <seconds>', 'session length, seconds', Number, 23400)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { messages: string; orderbook: string; out: string; name?: string; tick?: number; iterations: number; seconds?: number; seed: number; simSeeds: number; restarts: number; validationSeeds: number; workers?: number; sessionStart: number; sessionSeconds: number; json?: boolean }) => {
      const { readLobsterMessages, readLobsterOrderbook, partialSessionNote } = await import('../../simulator/lobster/index.ts');
      const { fitLobsterDay, refinePreset, realSession } = await import('../../simulator/calibration/index.ts');
      const { writeFileAtomic, parseMarketSpec } = await import('../../configs/index.ts');
      const { basename } = await import('node:path');
      const name = opts.name ?? basename(opts.out).replace(/\.ya?ml$/i, '');
      const t0 = performance.now();
      const m = readLobsterMessages(opts.messages);
      const b = readLobsterOrderbook(opts.orderbook);
      const partial = partialSessionNote(m, opts.sessionStart, opts.sessionSeconds);
      if (partial !== null) process.stderr.write(`note: ${partial}\n`);
      const fit = fitLobsterDay(m, b, { tickSize: opts.tick, sessionStart: opts.sessionStart, sessionSeconds: opts.sessionSeconds });
      const real = realSession(m, b, { tickSize: fit.tickSize, sessionStart: opts.sessionStart, sessionSeconds: opts.sessionSeconds });
      if (!(real.headline.sd1mBps > 0)) process.stderr.write(`the files hold no 1-minute volatility (sd ${fmt(real.headline.sd1mBps)} bps: under two minutes of mid moves): that target and the 1-minute return ACF are dropped\n`);
      process.stderr.write(`stage 1 (fits) done in ${fmt((performance.now() - t0) / 1000, 1)} s; stage 2: simulating...\n`);
      const { availableParallelism } = await import('node:os');
      const { SessionPool } = await import('../calibrate/index.ts');
      // Worker threads for stage 2's sessions (a Jacobian is 55 independent sessions).
      const workers = opts.workers ?? availableParallelism();
      const pool = workers > 0 ? new SessionPool(workers) : undefined;
      const r = await refinePreset(fit, real.headline, name, {
        runSessions: pool ? (jobs) => pool.run(jobs) : undefined,
        iterations: opts.iterations,
        seconds: opts.seconds,
        seed: opts.seed,
        seeds: opts.simSeeds,
        restarts: opts.restarts,
        validationSeeds: opts.validationSeeds,
        levels: b.levels,
        marketOrderSizes: real.marketOrderSizes,
        spreads: real.spreads1s,
        onIteration: (i, k, s, path) =>
          process.stderr.write(
            `  ${opts.restarts > 1 ? `path ${path} ` : ''}sim ${i}: spread knob ${fmt(k.spreadTicks, 1)}, limitRate ${fmt(k.limitRate)}, cancelRate ${fmt(k.cancelRate, 4)}, marketScale ${fmt(k.marketScale)}, inner ${fmt(k.innerFraction, 2)}, refill ${fmt(k.refillRate, 4)}, excitation ${fmt(k.excitationScale)} (slow ×${fmt(k.slowScale)}, its time ×${fmt(k.slowTimeScale)}), size ${fmt(k.sizeScale)}, join ${fmt(k.joinProbability, 4)}, best-cancel ${fmt(k.bestCancelFactor, 3)}, cap spread ${fmt(k.capSpread, 3)}, maker jitter ${fmt(k.makerJitter, 3)}, flow half-life ${fmt(k.flowHalfLife, 1)} s -> limit ${fmt(s.limitPerSecond)}/s (joining ${fmt(s.limitJoinShare, 2)}), cancel ${fmt(s.cancelPerSecond)}/s, ${b.levels > 1 ? `at the best limit ${fmt(s.level1LimitPerSecond)}/s, cancel ${fmt(s.level1CancelPerSecond)}/s, add distance ${fmt(s.addDistanceTicks, 1)} ticks, ` : ''}market ${fmt(s.marketPerSecond)}/s, spread ${fmt(s.spreadMeanTicks, 1)} ticks (IQR/median ${fmt((s.spreadP75 - s.spreadP25) / s.spreadP50, 2)}, KS D ${fmt(s.spreadKs)}), depth1 ${fmt(s.depth1, 0)}, 1-min sd ${fmt(s.sd1mBps, 2)} bps, branching ${fmt(s.moBranching)} (decay ${fmt(s.moBranchingDecay, 2)}/s), size ${fmt(s.meanMarketOrderQty, 1)} (KS D ${fmt(s.marketOrderSizeKs)}), return ACF(1) ${fmt(s.acf1Return1m)} (from every second ${fmt(s.acf1Return1mOverlap)})\n`,
          ),
      }).finally(() => pool?.close());
      parseMarketSpec(r.spec, opts.out);
      const header = `# Market preset calibrated from LOBSTER files by \`execution-gym calibrate\`:\n#   messages  ${basename(opts.messages)}\n#   orderbook ${basename(opts.orderbook)}\n# Stage 1 fits (Hawkes flow, sizes, placement, cancel hazard, volatility, intraday, activity) and stage 2\n# knobs (spread ${fmt(r.knobs.spreadTicks, 2)} ticks, limitRate ${fmt(r.knobs.limitRate, 4)}, cancelRate ${fmt(r.knobs.cancelRate, 4)}, marketScale ${fmt(r.knobs.marketScale, 4)}, innerFraction ${fmt(r.knobs.innerFraction, 4)}, refillRate ${fmt(r.knobs.refillRate, 5)}, excitationScale ${fmt(r.knobs.excitationScale, 4)}, slowScale ${fmt(r.knobs.slowScale, 4)}, slowTimeScale ${fmt(r.knobs.slowTimeScale, 4)}, sizeScale ${fmt(r.knobs.sizeScale, 4)}, joinProbability ${fmt(r.knobs.joinProbability, 4)}, bestCancelFactor ${fmt(r.knobs.bestCancelFactor, 4)}, capSpread ${fmt(r.knobs.capSpread, 4)}, makerJitter ${fmt(r.knobs.makerJitter, 4)}, flowHalfLife ${fmt(r.knobs.flowHalfLife, 2)}): see simulator/calibration/.\n`;
      const { stringify } = await import('yaml');
      writeFileAtomic(opts.out, header + stringify(r.spec));
      // The preset's point: on the validation sessions when there are any (fresh seeds), else on the path's.
      const best = r.validation.find((v) => v.knobs === r.knobs) ?? r.history.reduce((a, h) => (h.misfit < a.misfit ? h : a), r.history[0]);
      const validated = r.validation.length > 0;
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) {
        process.stdout.write(JSON.stringify({ out: opts.out, name, fit, target: real.headline, knobs: r.knobs, best, history: r.history, validation: r.validation, seconds }) + '\n');
        return;
      }
      const h = fit.hawkes;
      const lines = [
        `wrote ${opts.out} (preset "${name}") in ${fmt(seconds, 1)} s`,
        `tick ${fit.tickSize} (${fit.tickDollars} dollars); initial price ${fit.initialPriceTicks} ticks; spread ${fmt(fit.spread.timeWeightedTicks, 2)} ticks time-weighted, ${fmt(fit.spread.eventMeanTicks, 2)} per message`,
        `file rates /s: limit ${fmt(fit.rates.limit)}, cancel ${fmt(fit.rates.cancel)}, market ${fmt(fit.rates.market)} (visible only ${fmt(fit.rates.visibleMarket)})`,
        `Hawkes (buy, sell), ${h.events} market orders: mu ${h.mu.map((x) => fmt(x, 4)).join(', ')}/s; decays ${h.decays.map((x) => fmt(x, 1)).join(', ')}/s; branching fast ${JSON.stringify(h.branching[0]?.map((r) => r.map((x) => +x.toFixed(3))))}, slow ${JSON.stringify(h.branching[1]?.map((r) => r.map((x) => +x.toFixed(3))))}; rho ${fmt(h.spectralRadius)}; KS Hawkes ${fmt(h.ksHawkes)}, Poisson ${fmt(h.ksPoisson)}`,
        `sizes: market median ${fmt(fit.marketSize.median, 1)} sigma ${fmt(fit.marketSize.sigma)}; limit median ${fmt(fit.limitSize.median, 1)} sigma ${fmt(fit.limitSize.sigma)}, round lots ${fmt(100 * fit.limitSize.roundLotShare, 1)}%`,
        `placement: P(d) ~ d^-${fmt(fit.placement.exponent, 2)} on [1, ${fit.placement.maxDistanceTicks}] ticks from the opposite best (mean ${fmt(fit.placement.meanDistanceTicks, 1)}, n ${fit.placement.n})`,
        `cancel hazard ${fmt(fit.cancelHazard.perSecond, 4)}/s per order (${fit.cancelHazard.cancelled} deletions)`,
        `volatility: 1-min sd ${fmt(1e4 * fit.volatility.sd1m, 2)} bps, daily ${fmt(100 * fit.volatility.daily, 2)}%`,
        `intraday: open ${fmt(fit.intraday.open, 2)} (tau ${fmt(fit.intraday.openTau, 4)}), close ${fmt(fit.intraday.close, 2)} (tau ${fmt(fit.intraday.closeTau, 4)})`,
        `activity (volume clustering per minute beyond the U-shape): sd ${fmt(fit.activity.sd, 3)} of the log factor, mean reversion ${fmt(fit.activity.meanReversionSeconds, 0)} s (${fit.activity.lags} lags)`,
        ...r.validation.map((v, i) => `validation ${i + 1} (${opts.restarts > 1 ? `path ${v.path}, ` : ''}misfit on the path ${fmt(r.history.find((h) => h.knobs === v.knobs)?.misfit ?? NaN, 4)}): misfit ${fmt(v.misfit, 4)} on fresh seeds, return ACF(1) ${fmt(v.sim.acf1Return1m)}, from every second ${fmt(v.sim.acf1Return1mOverlap)}, 1-min sd ${fmt(v.sim.sd1mBps, 2)} bps, P(every target met on 10 held-out seeds) ${v.passProbability !== undefined && v.passProbability < 0.001 ? v.passProbability.toExponential(1) : fmt(v.passProbability ?? NaN)}${v.missed !== undefined && v.missed.length > 0 ? `, likely missed: ${v.missed.join(', ')}` : ''}${v.knobs === r.knobs ? ' (the preset)' : ''}`),
        `simulated (${validated ? 'validation seeds' : `seed ${opts.seed}`}) vs file: limit ${fmt(best.sim.limitPerSecond)} vs ${fmt(real.headline.limitPerSecond)}/s, cancel ${fmt(best.sim.cancelPerSecond)} vs ${fmt(real.headline.cancelPerSecond)}/s, ${b.levels > 1 ? `at the best (level 1) limit ${fmt(best.sim.level1LimitPerSecond)} vs ${fmt(real.headline.level1LimitPerSecond)}/s, cancel ${fmt(best.sim.level1CancelPerSecond)} vs ${fmt(real.headline.level1CancelPerSecond)}/s, mean add distance from the opposite best ${fmt(best.sim.addDistanceTicks, 1)} vs ${fmt(real.headline.addDistanceTicks, 1)} ticks, ` : ''}market ${fmt(best.sim.marketPerSecond)} vs ${fmt(real.headline.marketPerSecond)}/s, spread ${fmt(best.sim.spreadMeanTicks, 2)} vs ${fmt(real.headline.spreadMeanTicks, 2)} ticks (KS D ${fmt(best.sim.spreadKs)}), best-level depth ${fmt(best.sim.depth1, 0)} vs ${fmt(real.headline.depth1, 0)} shares, market-order branching ${fmt(best.sim.moBranching)} vs ${fmt(real.headline.moBranching)} (kernel decay ${fmt(best.sim.moBranchingDecay, 2)} vs ${fmt(real.headline.moBranchingDecay, 2)}/s), share of level-N adds joining a level ${fmt(best.sim.limitJoinShare, 3)} vs ${fmt(real.headline.limitJoinShare, 3)}, mean size ${fmt(best.sim.meanMarketOrderQty, 1)} vs ${fmt(real.headline.meanMarketOrderQty, 1)} (KS D ${fmt(best.sim.marketOrderSizeKs)}), 1-min return ACF(1) ${fmt(best.sim.acf1Return1m)}, from every second ${fmt(best.sim.acf1Return1mOverlap)} (target 0; file ${fmt(real.headline.acf1Return1m)}, ${fmt(real.headline.acf1Return1mOverlap)}), 1-min sd ${fmt(best.sim.sd1mBps, 2)} vs ${fmt(real.headline.sd1mBps, 2)} bps; sign ACF(1) ${fmt(best.sim.signAcfLag1)}, 1-min kurtosis ${fmt(best.sim.kurtosis1m, 2)} (worst ${fmt(100 * best.worst, 1)}%, misfit ${fmt(best.misfit, 4)})`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
