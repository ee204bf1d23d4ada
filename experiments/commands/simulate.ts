/**
 * `execution-gym simulate --market <preset|file> --seconds N --seed S [--seeds K] [--json] [--lobster <dir>] [--levels L]`
 *
 * Runs the agent-based market for a session (default 23,400 s = 6.5 h) and prints the speed
 * (events per wall second, events per simulated second, simulated seconds per wall second) and
 * the stylized facts of simulator/stats/facts.ts: spread, 1- and 5-minute return kurtosis and
 * lag-1 ACF, ACF of |r| at lags 1–10, corr(volume, |r|), trade-sign ACF at lags 1/10/100 (one
 * sign per market order), intraday volume shares, message rates, depth profile, signature plot.
 * `--seeds K` runs seeds S..S+K−1 and prints the mean and sd of the headline figures.
 * `--view order` (default) reads the tape by aggressive order, the market's own view; `--view file`
 * reads it as a LOBSTER file shows it (executions at one timestamp on one side are one market
 * order), the view `realism` and `calibrate` compare with a real file.
 * `--lobster <dir>` also writes the (first) session as LOBSTER message and orderbook files: a
 * faithful level-`--levels` view (only messages that touch the first L levels, partial cancels as
 * type 2, one type-4 row per fill of a resting order).
 * `--json` prints exactly one JSON object on stdout; progress goes to stderr.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption as parseIntOption, positiveOption as parsePositive } from '../options.ts';
import type { Market } from '../../simulator/index.ts';
import type { StylizedFacts } from '../../simulator/stats/index.ts';
import { factsHeadline } from '../../simulator/stats/facts.ts';

export interface SessionRun {
  seed: number;
  seconds: number;
  wallSeconds: number;
  events: number;
  eventsPerSecond: number;
  eventsPerSimSecond: number;
  simSecondsPerSecond: number;
  messages: { limit: number; cancel: number; market: number };
  volume: number;
  expectedExogenousVolume: number;
  /** Market orders in the chosen view (`view`). */
  marketOrders: number;
  /** Aggressive orders (market orders and marketable limits), one per order: the market's own view. */
  aggressiveOrders: number;
  /** How the tape was read into market orders: 'order' (one per aggressive order) or 'file' (as a LOBSTER file). */
  view: 'order' | 'file';
  /** Share of aggressive orders (count) by sender. */
  marketOrderShares: Record<string, number>;
  facts: StylizedFacts;
}

const OWNER_NAMES: Record<number, string> = { 1: 'liquidity', 2: 'takers', 3: 'fundamental', 4: 'momentum', 5: 'noise', 6: 'institutional', 7: 'deep liquidity' };

function ownerName(o: number): string {
  return OWNER_NAMES[o] ?? (o >= 100 ? 'outside' : 'makers');
}

/** Runs `market` (already reset) for `seconds` and computes its stylized facts. */
export async function runSession(market: Market, seed: number, seconds: number, onProgress?: (done: number) => void, view: 'order' | 'file' = 'order'): Promise<SessionRun> {
  const { sessionFacts } = await import('../../simulator/stats/index.ts');
  const t0 = market.now;
  const levels = 10;
  const depthEvery = 10;
  const snaps = Math.floor(seconds / depthEvery);
  const bidSizes = new Float64Array(snaps * levels);
  const askSizes = new Float64Array(snaps * levels);
  const buf = new Float64Array(4 * levels);
  let wall = 0;
  for (let k = 0; k < snaps; k++) {
    const w = performance.now();
    market.runUntil(t0 + (k + 1) * depthEvery);
    wall += performance.now() - w;
    market.depth(levels, buf);
    for (let j = 0; j < levels; j++) {
      bidSizes[k * levels + j] = buf[2 * j + 1];
      askSizes[k * levels + j] = buf[2 * levels + 2 * j + 1];
    }
    if (onProgress !== undefined && k % 60 === 0) onProgress((k + 1) * depthEvery);
  }
  if (market.now < t0 + seconds) {
    const w = performance.now();
    market.runUntil(t0 + seconds);
    wall += performance.now() - w;
  }
  const wallSeconds = wall / 1000;
  const c = market.counts;
  const { facts, marketOrders: mo } = sessionFacts(market, t0, seconds, { limit: c.limit, cancel: c.cancel, market: c.market }, { levels, bidSizes, askSizes }, { fileView: view === 'file' });
  // Senders are counted per aggressive order (a file-view market order can merge two senders').
  const orders = view === 'order' ? mo : market.marketOrders(0, 'order');
  const byOwner: Record<string, number> = {};
  for (let i = 0; i < orders.owner.length; i++) {
    const name = ownerName(orders.owner[i]);
    byOwner[name] = (byOwner[name] ?? 0) + 1 / orders.owner.length;
  }
  return {
    seed,
    seconds,
    wallSeconds,
    events: c.events,
    eventsPerSecond: c.events / wallSeconds,
    eventsPerSimSecond: c.events / seconds,
    simSecondsPerSecond: seconds / wallSeconds,
    messages: { limit: c.limit, cancel: c.cancel, market: c.market },
    volume: market.volumeSince(0),
    expectedExogenousVolume: market.expectedVolume(t0, t0 + seconds),
    marketOrders: mo.time.length,
    aggressiveOrders: orders.time.length,
    view,
    marketOrderShares: byOwner,
    facts,
  };
}

/** What each headline figure is, with its unit, for the printed table (JSON keeps the keys). */
const FIGURE_LABELS: Record<string, string> = {
  eventsPerSimSecond: 'events per simulated second',
  eventsPerSecond: 'events per wall-clock second',
  spreadMeanTicks: 'mean spread, ticks (time-weighted)',
  spreadMeanBps: 'mean spread, bps',
  kurtosis1m: 'kurtosis of 1-min returns (Gaussian 3)',
  kurtosis5m: 'kurtosis of 5-min returns',
  acf1Return1m: 'ACF of 1-min returns, lag 1',
  absAcfLag1: 'ACF of |1-min returns|, lag 1',
  absAcfLag2: 'ACF of |1-min returns|, lag 2',
  absAcfLag10: 'ACF of |1-min returns|, lag 10',
  volumeAbsReturnCorr: 'corr(1-min volume, |1-min return|)',
  signAcfLag1: 'trade-sign ACF, lag 1',
  signAcfLag10: 'trade-sign ACF, lag 10',
  signAcfLag100: 'trade-sign ACF, lag 100',
  volumeShareFirst30m: 'volume share of the first 30 min',
  volumeShareLast30m: 'volume share of the last 30 min',
  dayAbsReturnPct: '|return| over the run, %',
  sd1mBps: 'sd of 1-min returns, bps',
  realizedDailyVolPct: 'daily volatility (from 1-min returns), %',
  limitPerSecond: 'limit orders per second (all levels)',
  cancelPerSecond: 'cancels per second (all levels)',
  marketPerSecond: 'market orders per second (in the view read)',
  volumeOverExogenous: 'volume / exogenous expectation',
};

/** The headline figures of a run, flat (for tables and means over seeds). */
export function headline(r: SessionRun): Record<string, number> {
  const f = r.facts;
  const h = factsHeadline(f);
  const r1 = f.returns[0];
  return {
    eventsPerSimSecond: r.eventsPerSimSecond,
    eventsPerSecond: r.eventsPerSecond,
    spreadMeanTicks: f.spread.meanTicks,
    spreadMeanBps: h.spreadMeanBps,
    kurtosis1m: h.kurtosis1m,
    kurtosis5m: h.kurtosis5m,
    acf1Return1m: h.acf1Return1m,
    absAcfLag1: h.absAcfLag1,
    absAcfLag2: h.absAcfLag2,
    absAcfLag10: h.absAcfLag10,
    volumeAbsReturnCorr: h.volumeAbsReturnCorr,
    signAcfLag1: h.signAcfLag1,
    signAcfLag10: h.signAcfLag10,
    signAcfLag100: h.signAcfLag100,
    // With a session under an hour the first and last 30 minutes overlap: no figure.
    volumeShareFirst30m: r.seconds >= 3600 ? h.volumeShareFirst30m : NaN,
    volumeShareLast30m: r.seconds >= 3600 ? h.volumeShareLast30m : NaN,
    dayAbsReturnPct: 100 * Math.abs(Math.log(f.midEnd / f.midStart)),
    sd1mBps: h.sd1mBps,
    realizedDailyVolPct: 100 * (r1?.sd ?? NaN) * Math.sqrt(23400 / (r1?.intervalSeconds ?? 60)),
    limitPerSecond: r.messages.limit / r.seconds,
    cancelPerSecond: r.messages.cancel / r.seconds,
    marketPerSecond: r.marketOrders / r.seconds,
    volumeOverExogenous: r.volume / r.expectedExogenousVolume,
  };
}

/**
 * LOBSTER recorder: a level-`levels` view (simulator/lobster/recorder.ts: only messages that touch
 * the first `levels` levels, partial cancels as type 2, one type-4 row per fill).
 */
async function lobsterRecorder(market: Market, dir: string, levels: number, name: string) {
  const { LobsterWriter, LobsterRecorder } = await import('../../simulator/lobster/index.ts');
  const { join } = await import('node:path');
  const tickUnits = Math.round(market.tickDollars * 10000);
  const stem = `${name}_${levels}`;
  const w = new LobsterWriter({
    messagesPath: join(dir, `SIM_message_${stem}.csv`),
    orderbookPath: join(dir, `SIM_orderbook_${stem}.csv`),
    levels,
    tickSize: Math.max(1, tickUnits),
    sessionStartSeconds: 34200,
  });
  market.recorder = new LobsterRecorder(market, w);
  return w;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) * (b - m), 0) / (xs.length - 1));
}

function parseView(v: string): 'order' | 'file' {
  if (v !== 'order' && v !== 'file') throw new Error(`--view must be 'order' or 'file', got '${v}'`);
  return v;
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('simulate')
    .description('run the agent-based market for a session and print speed and stylized facts')
    .option('--market <preset|file>', 'market preset name or YAML file', 'default')
    .option('--seconds <n>', 'simulated seconds', parsePositive('--seconds'), 23400)
    .option('--seed <s>', 'seed (market flow and parameter draws)', parseIntOption('--seed', 0), 1)
    .option('--seeds <k>', 'number of seeds (seed, seed+1, ...): prints mean and sd', parseIntOption('--seeds', 1), 1)
    .option('--lobster <dir>', 'also write the first session as LOBSTER message/orderbook files into <dir>')
    .option('--levels <n>', 'levels of the LOBSTER view: the orderbook file holds L levels, the message file only the messages that touch them', parseIntOption('--levels', 1), 10)
    .option('--view <order|file>', "how the tape is read into market orders: 'order' (one per aggressive order, the market's own view) or 'file' (as a LOBSTER file shows them: executions at one timestamp on one side are one order, as realism reads a simulated day)", parseView, 'order')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: { market: string; seconds: number; seed: number; seeds: number; lobster?: string; levels: number; view: 'order' | 'file'; json?: boolean }) => {
      const { loadMarketConfig } = await import('../../configs/index.ts');
      const { Market } = await import('../../simulator/index.ts');
      const spec = loadMarketConfig(opts.market);
      let bar: { update(n: number): void; stop(): void; start(total: number, v: number): void } | undefined;
      if (process.stderr.isTTY) {
        const { SingleBar, Presets } = await import('cli-progress');
        bar = new SingleBar({ stream: process.stderr, format: 'simulate [{bar}] {percentage}% {value}/{total} s' }, Presets.shades_classic);
      }
      const runs: SessionRun[] = [];
      for (let k = 0; k < opts.seeds; k++) {
        const seed = opts.seed + k;
        const market = Market.fromSpec(spec, seed);
        if (opts.seconds > market.params.sessionSeconds) {
          throw new Error(`--seconds ${opts.seconds} exceeds the market's session of ${market.params.sessionSeconds} s (sessionSeconds of ${opts.market}${k > 0 ? `, drawn for seed ${seed}` : ''}); allowed: at most the session`);
        }
        const writer = k === 0 && opts.lobster !== undefined ? await lobsterRecorder(market, opts.lobster, opts.levels, spec.name) : null;
        bar?.start(opts.seconds, 0);
        try {
          runs.push(await runSession(market, seed, opts.seconds, (d) => bar?.update(d), opts.view));
          writer?.close();
        } catch (err) {
          writer?.abort();
          throw err;
        } finally {
          bar?.stop();
          market.recorder = null;
        }
      }
      const heads = runs.map(headline);
      const keys = Object.keys(heads[0]);
      const summary: Record<string, { mean: number; sd: number }> = {};
      for (const key of keys) {
        const xs = heads.map((h) => h[key]).filter((x) => Number.isFinite(x));
        summary[key] = { mean: mean(xs), sd: sd(xs) };
      }
      if (opts.json) {
        process.stdout.write(JSON.stringify({ market: opts.market, name: spec.name, seconds: opts.seconds, seeds: runs.map((r) => r.seed), summary, runs }) + '\n');
        return;
      }
      const lines: string[] = [];
      lines.push(`market ${spec.name} (${opts.market}), ${opts.seconds} s, seeds ${runs.map((r) => r.seed).join(', ')}`);
      const first = runs[0];
      const f = first.facts;
      lines.push(`speed: ${Math.round(first.eventsPerSecond).toLocaleString('en-US')} events/s, ${fmt(first.eventsPerSimSecond, 2)} events per simulated second, ${Math.round(first.simSecondsPerSecond).toLocaleString('en-US')} simulated s per wall s`);
      lines.push(
        `book messages per second: limit ${fmt(first.messages.limit / first.seconds, 2)}, cancel ${fmt(first.messages.cancel / first.seconds, 2)}, market orders ${fmt(first.messages.market / first.seconds, 2)}; aggressive orders of any kind (market orders and marketable limits) ${fmt(first.aggressiveOrders / first.seconds, 2)}${first.view === 'file' ? `, ${fmt(first.marketOrders / first.seconds, 2)} as a LOBSTER file shows them (executions at one timestamp on one side are one order; the facts below read this view)` : ''}`,
      );
      lines.push(`aggressive orders by sender: ${Object.entries(first.marketOrderShares).map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`).join(', ')}`);
      lines.push(`volume ${Math.round(first.volume).toLocaleString('en-US')} shares (${fmt(first.volume / first.expectedExogenousVolume, 2)}x the exogenous expectation)`);
      lines.push(`spread: mean ${fmt(f.spread.meanTicks, 2)} ticks = ${fmt(f.spread.meanBps, 2)} bps; distribution (ticks 1..): ${f.spread.distributionTicks.slice(0, 8).map((x: number) => (100 * x).toFixed(1) + '%').join(' ')}`);
      lines.push(`depth profile (mean shares, levels 1..10): bid ${f.depth?.bid.map((x) => Math.round(x)).join(' ')}; ask ${f.depth?.ask.map((x) => Math.round(x)).join(' ')}`);
      lines.push(`signature plot: ${f.signature.intervalSeconds.map((s: number, i: number) => `${s}s ${fmt(f.signature.ratio[i], 2)}`).join(', ')}`);
      lines.push(`intraday volume shares (30-min buckets): ${f.volume.buckets.map((x: number) => (100 * x).toFixed(1)).join(' ')}`);
      lines.push('');
      lines.push(`${'figure'.padEnd(58)} ${runs.length > 1 ? '     mean        sd' : '    value'}`);
      const show = (x: number): string => (Number.isFinite(x) ? fmt(x, 3) : 'n/a');
      for (const key of keys) {
        const label = FIGURE_LABELS[key] ?? key;
        lines.push(`${label.padEnd(58)} ${show(summary[key].mean).padStart(9)}${runs.length > 1 ? ' ' + show(summary[key].sd).padStart(9) : ''}`);
      }
      if (opts.seconds < 3600) lines.push('(n/a: the volume shares of the first and last 30 minutes need a session of at least an hour)');
      if (opts.lobster !== undefined) lines.push(`LOBSTER files written to ${opts.lobster}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
