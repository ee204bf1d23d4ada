/**
 * `npm run gpu-check [-- --steps N --out DIR --batches LIST --hidden LIST --allow-fallback]`:
 * the one-command check for a machine with a GPU. Installs nothing. It
 *   1. prints what is there: Node, platform, the NVIDIA driver (if any), the Vulkan driver
 *      manifests, the WebGPU adapter Dawn finds (and whether it is a fallback, i.e. software), and
 *      which TensorFlow.js backends start (each in its own process);
 *   2. runs `bench learner --json` for each backend that started (wasm always; webgpu on a real
 *      adapter, or on a fallback one with --allow-fallback; tensorflow when tfjs-node(-gpu) loads);
 *   3. trains PPO on Liquidate-AC-v0 for `--steps` env steps with the same seed on each of those
 *      backends and wasm, and compares the learning curves (episodic return by step) and the time;
 *   4. writes everything to `<out>/gpu-check.json` and prints Markdown tables for BENCHMARKS.md.
 * Every step runs as a child process of the CLI (`execution-gym bench learner`, `train`), so each
 * backend starts fresh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { intOption } from './options.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'experiments', 'cli.ts');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Opts {
  steps: number;
  out: string;
  batches: string;
  hidden: string;
  capMs: number;
  allowFallback?: boolean;
}

function run(args: string[], timeoutMs: number): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [tsx, cli, ...args], { cwd: root, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function say(s: string): void {
  process.stdout.write(`${s}\n`);
}

interface Curve {
  step: number;
  ret: number;
}

function readCurve(dir: string): Curve[] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, number | null>)
    .filter((m) => typeof m['charts/episodic_return'] === 'number')
    .map((m) => ({ step: m.step as number, ret: m['charts/episodic_return'] as number }));
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('gpu-check')
    .description('check a GPU machine: adapters and backends found, bench learner on each, PPO learning curves on the GPU backend against wasm')
    .option('--steps <n>', 'PPO env steps per backend', intOption('--steps', 1), 20480)
    .option('--out <dir>', 'where to write the runs and gpu-check.json', join('runs', 'gpu-check'))
    .option('--batches <list>', 'bench learner batch sizes', '256,1024,4096,8192')
    .option('--hidden <list>', 'bench learner hidden widths', '64,256,1024')
    .option('--cap-ms <ms>', 'bench learner: skip larger batches after a step slower than this', intOption('--cap-ms', 1), 10000)
    .option('--allow-fallback', 'also use a fallback (software) WebGPU adapter (to try the check without a GPU; its figures are a CPU emulation)')
    .parse(argv);
  const opts = program.opts<Opts>();
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });

  // 1. What is there.
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memGiB: +(totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    load: loadavg()[0],
    nvidiaDriver: existsSync('/proc/driver/nvidia/version') ? readFileSync('/proc/driver/nvidia/version', 'utf8').split('\n')[0] : null,
  };
  const { vulkanIcdFiles, probeWebgpu } = await import('../agents/nn/backend-webgpu.ts');
  const icds = process.platform === 'linux' ? vulkanIcdFiles() : [];
  const probe = await probeWebgpu({ allowFallback: true });
  say(`# GPU check (${new Date().toISOString().slice(0, 10)})`);
  say(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.platform}, Node ${machine.node}, load ${machine.load.toFixed(2)}`);
  say(`NVIDIA driver: ${machine.nvidiaDriver ?? 'none (/proc/driver/nvidia/version absent)'}`);
  if (process.platform === 'linux') say(`Vulkan driver manifests: ${icds.length > 0 ? icds.join(', ') : 'none'}`);
  say(`WebGPU: ${probe.reason}`);

  const candidates = ['auto', 'tensorflow', 'webgpu', 'wasm'];
  const started: { kind: string; name: string; reason: string }[] = [];
  for (const kind of candidates) {
    if (kind === 'webgpu' && probe.adapter?.fallback === true && opts.allowFallback !== true) {
      say(`backend webgpu: skipped (fallback adapter; pass --allow-fallback to use it anyway)`);
      continue;
    }
    // A one-cell bench starts the backend in a fresh process and reports its choice.
    const r = run(['bench', 'learner', '--backend', kind, '--batches', '64', '--hidden', '64', '--algos', 'ppo', '--min-reps', '1', '--max-reps', '1', '--min-ms', '0', '--json'], 300_000);
    if (r.code !== 0) {
      say(`backend ${kind}: did not start (${(r.stderr.trim().split('\n').pop() ?? '').slice(0, 300)})`);
      continue;
    }
    const b = (JSON.parse(r.stdout) as { backends: { name: string; reason: string }[] }).backends[0];
    say(`backend ${kind}: ${b.name} (${b.reason})`);
    if (kind !== 'auto' && !started.some((s) => s.name === b.name)) started.push({ kind, ...b });
  }

  // 2. bench learner on each backend that started.
  const bench: Record<string, unknown> = {};
  for (const b of started) {
    say(`\nbench learner --backend ${b.kind} …`);
    const r = run(['bench', 'learner', '--backend', b.kind, '--batches', opts.batches, '--hidden', opts.hidden, '--cap-ms', String(opts.capMs), '--json'], 3_600_000);
    if (r.code !== 0) {
      say(`  failed: ${r.stderr.trim().split('\n').pop()}`);
      continue;
    }
    bench[b.kind] = JSON.parse(r.stdout);
  }
  const { learnerTables } = await import('./commands/bench-learner.ts');
  const allCells = Object.values(bench).flatMap((x) => (x as { cells: unknown[] }).cells) as unknown as Parameters<typeof learnerTables>[0];
  say('');
  say(learnerTables(allCells, [...new Set(allCells.map((c) => c.backend))]));

  // 3. PPO learning curves: the same seed on each backend.
  const curves: Record<string, { seconds: number; sps: number; curve: Curve[]; error?: string }> = {};
  for (const b of started) {
    const dir = join(out, `ppo-${b.kind}`);
    say(`train ppo --backend ${b.kind} --steps ${opts.steps} …`);
    const t0 = performance.now();
    const r = run(['train', '--algo', 'ppo', '--env', 'Liquidate-AC-v0', '--steps', String(opts.steps), '--seed', '1', '--backend', b.kind, '--out', dir, '--json'], 3_600_000);
    const seconds = (performance.now() - t0) / 1000;
    if (r.code !== 0) {
      curves[b.kind] = { seconds, sps: NaN, curve: [], error: r.stderr.trim().split('\n').pop() };
      say(`  failed: ${curves[b.kind].error}`);
      continue;
    }
    const res = JSON.parse(r.stdout) as { sps: number };
    curves[b.kind] = { seconds, sps: res.sps, curve: readCurve(dir) };
  }
  const ref = curves.wasm?.curve ?? [];
  say('\nPPO on Liquidate-AC-v0, seed 1: mean episodic return by iteration');
  say(`| backend | steps/s | final return | max |Δ return| vs wasm over ${ref.length} iterations |`);
  say('|---|---:|---:|---:|');
  for (const [kind, c] of Object.entries(curves)) {
    let maxDiff = 0;
    for (const p of c.curve) {
      const q = ref.find((x) => x.step === p.step);
      if (q !== undefined) maxDiff = Math.max(maxDiff, Math.abs(q.ret - p.ret));
    }
    const last = c.curve[c.curve.length - 1];
    say(`| ${kind} | ${Number.isFinite(c.sps) ? c.sps.toFixed(0) : '–'} | ${last ? last.ret.toFixed(3) : '–'} | ${kind === 'wasm' ? '–' : maxDiff.toExponential(2)} |`);
  }

  // 4. Everything, atomically.
  const file = join(out, 'gpu-check.json');
  writeFileSync(`${file}.tmp`, JSON.stringify({ machine, vulkanIcds: icds, webgpu: probe, backends: started, bench, ppo: curves }, null, 1));
  renameSync(`${file}.tmp`, file);
  say(`\nwrote ${file}`);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(`gpu-check: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
