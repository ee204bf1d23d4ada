/**
 * `execution-gym bench policy [--policy NAMES] [--observations N] [--batch B] [--rounds R] [--json]`:
 * inference time per observation of trained policies, ONNX Runtime beside the JavaScript paths.
 *
 * For each policy (default: every shipped one; or run directories / checkpoints), on N
 * observations drawn from the env's observation space (seeded):
 *   - `ort act`       OnnxPolicy.act, one observation per ONNX Runtime call (what evaluate does)
 *   - `ort batch B`   OnnxPolicy.actBatch, B observations per call
 *   - `js act`        the native policy's act, as evaluate runs it (PPO: float64 forwardJs of actor
 *                     and critic; SAC: TensorFlow.js on the active backend)
 *   - `js forward`    the float64 forwardJs of the actor alone, normalization and action map included
 * each the median over R rounds, in microseconds per observation: CPU time of this process
 * (process.cpuUsage, what the work costs, steady on a busy machine) and wall time; and the largest
 * action difference between ONNX Runtime and `js act`. Also prints the machine (CPU, cores, load
 * average before and after, Node version): record figures in BENCHMARKS.md with it.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption } from '../options.ts';

interface Opts {
  policy?: string;
  observations: number;
  batch: number;
  rounds: number;
  backend: string;
  json?: boolean;
}

/** Microseconds per observation: CPU time of the process and wall time (medians over the rounds). */
interface Timing {
  cpuUs: number;
  wallUs: number;
}

interface Row {
  policy: string;
  algo: string;
  onnxBytes: number;
  ortAct: Timing;
  ortBatch: Timing;
  jsAct: Timing;
  jsForward: Timing;
  maxAbsDiff: number | null;
  differing: number;
}

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('policy')
    .description('inference time per observation of trained policies: ONNX Runtime (one and a batch per call) beside the JS forward pass')
    .option('--policy <names>', 'comma-separated shipped policy names, run or checkpoint directories (default: every shipped policy)')
    .option('--observations <n>', 'observations per round', intOption('--observations', 1), 20000)
    .option('--batch <b>', 'rows per ONNX Runtime call in the batched figure', intOption('--batch', 1), 64)
    .option('--rounds <r>', 'timed rounds (the median is reported)', intOption('--rounds', 1), 5)
    .option('--backend <kind>', 'TensorFlow.js backend of the native policies: auto, tensorflow, webgpu, wasm or cpu', 'auto')
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const os = await import('node:os');
      const { loadCheckpoint } = await import('../../agents/common/checkpoint-fs.ts');
      const { exportPolicy, policyGraphSpec, OnnxPolicy } = await import('../../agents/onnx/index.ts');
      const { sampleObservations, compareActions } = await import('../../agents/onnx/verify.ts');
      const { forwardJs } = await import('../../agents/nn/mlp.ts');
      const { RunningMeanStd } = await import('../../agents/common/index.ts');
      const { resolvePolicyName, shippedPolicies } = await import('../train/policy-loader.ts');
      const { loadAlgo } = await import('../train/algos.ts');
      const { make } = await import('../../env/index.ts');
      const { Rng } = await import('../../simulator/random/index.ts');

      const names = opts.policy === undefined ? Object.keys(shippedPolicies()) : opts.policy.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      if (names.length === 0) throw new Error('bench policy: no policies (none shipped, and no --policy given)');
      const loadBefore = os.loadavg()[0];
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      /** Median CPU and wall microseconds per observation of `fn(i)` over N observations, R rounds (after one warm-up round). */
      const time = (fn: (i: number) => void, perCall: number): Timing => {
        const calls = Math.ceil(opts.observations / perCall);
        const cpu: number[] = [];
        const wall: number[] = [];
        for (let r = 0; r <= opts.rounds; r++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          for (let i = 0; i < calls; i++) fn(i);
          const t1 = performance.now();
          const c = process.cpuUsage(c0);
          if (r === 0) continue;
          wall.push(((t1 - t0) * 1000) / (calls * perCall));
          cpu.push((c.user + c.system) / (calls * perCall));
        }
        return { cpuUs: median(cpu), wallUs: median(wall) };
      };

      const rows: Row[] = [];
      for (const name of names) {
        const ckpt = loadCheckpoint(resolvePolicyName(name));
        const { spec, run } = policyGraphSpec(ckpt, ckpt.dir);
        const env = make(run.envId, run.envOptions);
        const features = (env.metadata.features as string[] | undefined) ?? Array.from({ length: spec.obsDim }, (_, i) => `x${i}`);
        const mode = env.metadata.actionMode;
        const desc = { envId: run.envId, envOptions: run.envOptions, features, observationSpace: env.observationSpace.toJSON(), actionSpace: env.actionSpace.toJSON(), ...(typeof mode === 'string' ? { actionMode: mode } : {}) };
        const { bytes } = exportPolicy(ckpt, desc, { projectVersion: 'bench', where: ckpt.dir });
        const onnx = await OnnxPolicy.load(bytes, { name });
        onnx.bind(env.observationSpace, env.actionSpace, run.envId);
        const native = await (await loadAlgo(ckpt.kind)).loadPolicy(ckpt, { backend: opts.backend as 'auto' });
        const obsJson = env.observationSpace.toJSON();
        const bound = (b: unknown): number[] => (b as (number | string)[]).map((x) => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x)));
        const D = spec.obsDim;
        const N = opts.observations;
        const obs = sampleObservations(bound(obsJson.low), bound(obsJson.high), N, Rng.fromSeed(0, 'bench/policy'));
        const row = (i: number): Float64Array => obs.subarray((i % N) * D, ((i % N) + 1) * D);
        const cmp = compareActions((o) => onnx.act(o), (o) => native.act(o), obs, D);

        // The actor alone in float64 (agents/nn/mlp.ts forwardJs), with the same normalization and map.
        const layers = spec.layers.map((l) => ({ w: Float64Array.from(l.w), b: Float64Array.from(l.b), rows: l.rows, cols: l.cols }));
        const width = Math.max(...layers.map((l) => l.cols), D);
        const snap = { layers, activation: spec.activation, bufA: new Float64Array(width), bufB: new Float64Array(width) };
        const norm = spec.normalization;
        const rms = norm === null ? null : RunningMeanStd.fromJSON({ type: 'RunningMeanStd', dim: D, count: 1, mean: Array.from(norm.mean), var: Array.from(norm.var) });
        const x32 = new Float32Array(D);
        const outDim = layers[layers.length - 1].cols;
        const head = new Float64Array(outDim);
        const h = spec.head;
        const forward = (o: Float64Array): number => {
          if (rms !== null && norm !== null) rms.normalizeRow(o, 0, x32, 0, norm.clip, norm.eps);
          else x32.set(o);
          forwardJs(snap, x32, 0, 1, head, 0);
          if (h.kind === 'discrete') {
            let best = 0;
            for (let k = 1; k < outDim; k++) if (head[k] > head[best]) best = k;
            return best + h.start;
          }
          let s = 0;
          for (let d = 0; d < outDim; d++) s += h.kind === 'tanh' ? (h.low[d] + h.high[d]) / 2 + ((h.high[d] - h.low[d]) / 2) * Math.tanh(head[d]) : Math.min(h.high[d], Math.max(h.low[d], head[d]));
          return s;
        };

        const B = opts.batch;
        const batchOut = new Float64Array(B * outDim);
        const batchCalls = Math.max(1, Math.floor(N / B));
        rows.push({
          policy: name,
          algo: ckpt.kind,
          onnxBytes: bytes.length,
          ortAct: time((i) => onnx.act(row(i)), 1),
          ortBatch: time((i) => onnx.actBatch(obs.subarray((i % batchCalls) * B * D, ((i % batchCalls) + 1) * B * D), B, batchOut), B),
          jsAct: time((i) => native.act(row(i)), 1),
          jsForward: time((i) => forward(row(i)), 1),
          maxAbsDiff: Number.isNaN(cmp.maxAbsDiff) ? null : cmp.maxAbsDiff,
          differing: cmp.differing,
        });
        onnx.dispose();
        (native as { dispose?: () => void }).dispose?.();
        env.close();
      }
      const { onnxRuntime } = await import('../../agents/onnx/runtime.ts');
      const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, onnxruntime: onnxRuntime().version, loadBefore, loadAfter: os.loadavg()[0], date: new Date().toISOString().slice(0, 10) };
      const result = { observations: opts.observations, batch: opts.batch, rounds: opts.rounds, machine, policies: rows };
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const f = (x: number): string => x.toFixed(x < 10 ? 2 : 1);
      const t = (x: Timing): string => `${f(x.cpuUs)} (${f(x.wallUs)})`;
      const lines = [
        `bench policy: µs per observation, CPU time (wall time in parentheses), median of ${opts.rounds} rounds of ${opts.observations.toLocaleString('en-US')} observations from the observation space`,
        `  ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, onnxruntime-node ${machine.onnxruntime}; load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter.toFixed(2)} after; ${machine.date}`,
        '',
        `| policy | ONNX bytes | ORT act (1/call) | ORT batch (${opts.batch}/call) | JS act (evaluate) | JS forward (actor, float64) | max \\|Δaction\\| ORT vs JS act |`,
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...rows.map((r) => `| ${r.policy} (${r.algo}) | ${r.onnxBytes.toLocaleString('en-US')} | ${t(r.ortAct)} | ${t(r.ortBatch)} | ${t(r.jsAct)} | ${t(r.jsForward)} | ${r.maxAbsDiff === null ? `${r.differing} differing` : r.maxAbsDiff.toExponential(1)} |`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
