/**
 * `execution-gym bench learner [--backend KINDS] [--batches LIST] [--hidden LIST] [--layers N]
 *   [--algos ppo,sac] [--min-ms MS] [--min-reps N] [--max-reps N] [--json]`:
 * the time of one PPO update and one SAC gradient step (experiments/learner-bench.ts) across
 * batch sizes and hidden widths, per backend, so that the batch size and width where a GPU
 * starts to beat WebAssembly is measured, not guessed.
 *
 * `--backend` takes one kind or a comma-separated list (auto, tensorflow, webgpu, wasm, cpu); each
 * is started in turn in this process and its choice and reason are printed (a webgpu fallback
 * adapter is a CPU emulation of a GPU, and the output says so). Every cell reports the median
 * milliseconds per step after one warm-up step. The text output has one table per algorithm
 * (rows: hidden × batch; columns: backends) with the fastest backend of each row, and prints the
 * machine (CPU, cores, load average before and after, Node version): record figures in
 * BENCHMARKS.md with it. `--json` prints one object instead:
 *   { machine, layers, backends: [{ kind, name, reason, adapter? }], cells: [{ backend, algo, batch, hidden, ms, cpuMs, reps }], skipped }
 * `ms` is wall time, `cpuMs` the CPU time of this process (all threads) per step: on a machine
 * shared with other work the CPU time is the steadier figure; on a GPU the wall time is what counts.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption } from '../options.ts';

interface Opts {
  backend: string;
  batches: string;
  hidden: string;
  layers: number;
  algos: string;
  minMs: number;
  minReps: number;
  maxReps: number;
  capMs: number;
  json?: boolean;
}

export interface LearnerCell {
  backend: string;
  algo: 'ppo' | 'sac';
  batch: number;
  hidden: number;
  ms: number;
  cpuMs: number;
  reps: number;
}

/** Parses a comma-separated list of positive integers for `flag`. @throws Error naming the flag and the value. */
export function intList(flag: string, value: string, max = 1 << 20): number[] {
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const xs = parts.map(Number);
  if (parts.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1 || x > max)) {
    throw new Error(`${flag} must be a comma-separated list of integers in [1, ${max}], got ${JSON.stringify(value)}`);
  }
  return xs;
}

/** One table per algorithm: rows hidden × batch, one column per backend (wall / CPU ms per step), and the fastest by wall time. */
export function learnerTables(cells: readonly LearnerCell[], backends: readonly string[]): string {
  const lines: string[] = [];
  for (const algo of ['ppo', 'sac'] as const) {
    const mine = cells.filter((c) => c.algo === algo);
    if (mine.length === 0) continue;
    lines.push(algo === 'ppo' ? 'PPO: one update (1 epoch × 1 minibatch of `batch` rows), ms wall / ms CPU' : 'SAC: one gradient step (critic + actor + α + Polyak on `batch` rows), ms wall / ms CPU');
    lines.push(`| hidden | batch | ${backends.join(' | ')} | fastest |`);
    lines.push(`|---:|---:|${backends.map(() => '---:').join('|')}|---|`);
    const keys = [...new Set(mine.map((c) => `${c.hidden}/${c.batch}`))];
    for (const key of keys) {
      const [hidden, batch] = key.split('/').map(Number);
      const row = backends.map((b) => mine.find((c) => c.backend === b && c.hidden === hidden && c.batch === batch));
      const present = row.filter((c): c is LearnerCell => c !== undefined);
      const best = present.reduce<LearnerCell | undefined>((a, c) => (a === undefined || c.ms < a.ms ? c : a), undefined);
      const num = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
      const fmt = (c: LearnerCell | undefined): string => (c === undefined ? '–' : `${num(c.ms)} / ${num(c.cpuMs)}`);
      lines.push(`| ${hidden} | ${batch} | ${row.map(fmt).join(' | ')} | ${best?.backend ?? '–'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('learner')
    .description('time of one PPO update and one SAC gradient step per backend across batch sizes and hidden widths (where a GPU starts to pay)')
    .option('--backend <kinds>', 'backend or comma-separated backends: auto, tensorflow, webgpu, wasm, cpu', 'auto')
    .option('--batches <list>', 'rows per gradient step, comma-separated', '64,512,4096')
    .option('--hidden <list>', 'units per hidden layer, comma-separated', '64,256,1024')
    .option('--layers <n>', 'hidden layers', intOption('--layers', 1), 2)
    .option('--algos <list>', 'ppo, sac or both', 'ppo,sac')
    .option('--min-ms <ms>', 'time each cell for at least this long', intOption('--min-ms', 0), 1000)
    .option('--min-reps <n>', 'timed steps per cell, at least', intOption('--min-reps', 1), 3)
    .option('--max-reps <n>', 'timed steps per cell, at most', intOption('--max-reps', 1), 20)
    .option('--cap-ms <ms>', 'after a step slower than this, skip the larger batches of that width', intOption('--cap-ms', 1), 10000)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const os = await import('node:os');
      const { initBackend, BACKEND_KINDS } = await import('../../agents/nn/index.ts');
      const { benchLearner } = await import('../learner-bench.ts');
      const kinds = opts.backend.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      for (const k of kinds) {
        if (!(BACKEND_KINDS as readonly string[]).includes(k)) throw new Error(`--backend must be one or more of ${BACKEND_KINDS.join(', ')} (comma-separated), got ${JSON.stringify(k)}`);
      }
      if (kinds.length === 0) throw new Error('--backend: no backend given');
      const batches = intList('--batches', opts.batches);
      const hidden = intList('--hidden', opts.hidden, 4096);
      const algos = opts.algos.split(',').map((s) => s.trim());
      for (const a of algos) if (a !== 'ppo' && a !== 'sac') throw new Error(`--algos must list ppo and/or sac, got ${JSON.stringify(opts.algos)}`);
      if (opts.maxReps < opts.minReps) throw new Error(`--max-reps (${opts.maxReps}) must be ≥ --min-reps (${opts.minReps})`);

      const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, loadBefore: os.loadavg()[0], loadAfter: NaN };
      const backends: { kind: string; name: string; reason: string; adapter?: unknown }[] = [];
      const cells: LearnerCell[] = [];
      const skipped: { backend: string; algo: string; hidden: number; batch: number }[] = [];
      // Progress on stderr (also with --json, whose object goes to stdout).
      const log = (s: string): void => {
        process.stderr.write(s);
      };
      for (const kind of kinds) {
        const choice = await initBackend(kind as 'auto');
        backends.push({ kind, name: choice.name, reason: choice.reason, ...(choice.adapter ? { adapter: choice.adapter } : {}) });
        log(`backend ${kind}: ${choice.name} (${choice.reason})\n`);
        const label = backends.filter((b) => b.name === choice.name).length > 1 ? `${choice.name}#${backends.length}` : choice.name;
        await benchLearner(
          { batches, hidden, algos: algos as ('ppo' | 'sac')[] },
          {
            minMs: opts.minMs,
            minReps: opts.minReps,
            maxReps: opts.maxReps,
            capMs: opts.capMs,
            onSkip: (algo, h, batch) => {
              skipped.push({ backend: label, algo, hidden: h, batch });
              log(`  ${label} ${algo} hidden ${h} batch ${batch}: skipped (a smaller batch took over ${opts.capMs} ms)\n`);
            },
            layers: opts.layers,
            onCell: (t) => {
              cells.push({ backend: label, ...t });
              log(`  ${label} ${t.algo} hidden ${t.hidden} batch ${t.batch}: ${t.ms.toFixed(1)} ms wall, ${t.cpuMs.toFixed(1)} ms CPU (${t.reps} steps)\n`);
            },
          },
        );
      }
      machine.loadAfter = os.loadavg()[0];
      if (opts.json === true) {
        process.stdout.write(`${JSON.stringify({ machine, layers: opts.layers, backends, cells, skipped })}\n`);
        return;
      }
      const labels = [...new Set(cells.map((c) => c.backend))];
      process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Node ${machine.node}, load ${machine.loadBefore.toFixed(2)} → ${machine.loadAfter.toFixed(2)}; ${opts.layers} hidden layers\n`);
      for (const b of backends) process.stdout.write(`${b.kind}: ${b.name} (${b.reason})\n`);
      process.stdout.write(`\n${learnerTables(cells, labels)}`);
    });
}
