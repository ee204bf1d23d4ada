/**
 * `execution-gym export --policy runs/NAME --onnx FILE.onnx [--verify N] [--backend cpu|wasm|webgpu|auto] [--json]`
 *
 * Writes a trained PPO or SAC policy (a run directory, a checkpoint directory or a shipped policy
 * name) as an ONNX model that follows docs/policy-contract.md: input the raw observation
 * [batch, D], output the deterministic action `evaluate` takes, observation normalization folded
 * in, the env, feature names, action space and project version in the metadata
 * (agents/onnx/export.ts). Before writing, the model is run by ONNX Runtime on `--verify` random
 * observations from the observation space (default 1,000; 0 skips) and compared with the
 * policy as `evaluate` runs it; the largest action difference is printed, and a difference over
 * 1e−4 (or any differing discrete action) refuses to write the file.
 * `--checkpoint-out DIR` also writes the policy's checkpoint as a run directory DIR/checkpoints/step-<N>/
 * without the training data evaluation never reads (SAC's replay buffer: 10 MB at 100k steps),
 * which is how policies/ is packaged; the ONNX model is verified against that copy.
 * `--json` prints one JSON object: { out, bytes, algo, env, step, input, outputs, verify, checkpoint }.
 */
import type { Command } from 'commander';
import type { Checkpoint } from '../../agents/common/index.ts';
import type { CommandGroups } from '../cli.ts';
import { intOption } from '../options.ts';

interface Opts {
  policy: string;
  onnx: string;
  verify: number;
  backend: string;
  checkpointOut?: string;
  json?: boolean;
}

/**
 * The checkpoint without what only training reads: SAC's replay buffer (tensors `replay/*`,
 * state.replay), which a policy never uses. Everything else (weights, optimizer moments, counters)
 * is kept, so the copy still verifies and loads as the same policy.
 */
export function leanCheckpoint<C extends Checkpoint>(ckpt: C): Checkpoint {
  const state = ckpt.state as { replay?: unknown };
  if (state.replay === undefined || state.replay === null) return { kind: ckpt.kind, step: ckpt.step, tensors: ckpt.tensors, state: ckpt.state, config: ckpt.config };
  return { kind: ckpt.kind, step: ckpt.step, tensors: ckpt.tensors.filter((t) => !t.name.startsWith('replay/')), state: { ...ckpt.state, replay: null }, config: ckpt.config };
}

/** The largest action difference `export` accepts against the policy it exported (float32 vs float64 arithmetic is ~1e-6). */
export const EXPORT_TOLERANCE = 1e-4;

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('export')
    .description('write a trained PPO or SAC policy as an ONNX model (docs/policy-contract.md), checked against the policy first')
    .requiredOption('--policy <run>', 'run directory, checkpoint directory or shipped policy name')
    .requiredOption('--onnx <file>', 'the ONNX file to write')
    .option('--verify <n>', 'random observations to compare ONNX Runtime with the policy on (0: skip)', intOption('--verify', 0), 1000)
    .option('--backend <kind>', 'TensorFlow.js backend of the reference policy: auto, tensorflow, webgpu, wasm or cpu', 'auto')
    .option('--checkpoint-out <dir>', "also write the checkpoint, without SAC's replay buffer, as a run directory (how policies/ is packaged)")
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const { readFileSync } = await import('node:fs');
      const { loadCheckpoint, saveCheckpoint, checkpointDirFor } = await import('../../agents/common/checkpoint-fs.ts');
      const { exportPolicy, OnnxPolicy, OnnxError, describeShape, graphInputs } = await import('../../agents/onnx/index.ts');
      const { sampleObservations, compareActions } = await import('../../agents/onnx/verify.ts');
      const { resolvePolicyName } = await import('../train/policy-loader.ts');
      const { loadAlgo } = await import('../train/algos.ts');
      const { make } = await import('../../env/index.ts');
      const { Rng } = await import('../../simulator/random/index.ts');
      const { writeFileAtomic } = await import('../../configs/index.ts');

      if (!opts.onnx.toLowerCase().endsWith('.onnx')) throw new Error(`--onnx must name a .onnx file, got ${opts.onnx}`);
      const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
      const ckpt = loadCheckpoint(resolvePolicyName(opts.policy));
      const run = ckpt.config as { envId?: unknown; envOptions?: unknown };
      if (typeof run.envId !== 'string') throw new OnnxError(`${ckpt.dir}: config.yaml names no envId`);
      const envOptions = (run.envOptions ?? {}) as Record<string, unknown>;
      const env = make(run.envId, envOptions);
      const features = Array.isArray(env.metadata.features) ? (env.metadata.features as string[]) : [];
      const description = {
        envId: run.envId,
        envOptions,
        features: features.length > 0 ? features : Array.from({ length: (env.observationSpace.toJSON().shape as number[])[0] }, (_, i) => `x${i}`),
        observationSpace: env.observationSpace.toJSON(),
        actionSpace: env.actionSpace.toJSON(),
        ...(typeof env.metadata.actionMode === 'string' ? { actionMode: env.metadata.actionMode } : {}),
      };
      const exported = exportPolicy(ckpt, description, { projectVersion: version, where: ckpt.dir });
      const lean = leanCheckpoint(ckpt);

      let verify: { observations: number; maxAbsDiff: number | null; differing: number; reference: string } | null = null;
      if (opts.verify > 0) {
        const onnxPolicy = await OnnxPolicy.load(exported.bytes, { name: opts.onnx });
        onnxPolicy.bind(env.observationSpace, env.actionSpace, run.envId);
        const algo = await loadAlgo(ckpt.kind);
        const native = await algo.loadPolicy(lean, { backend: opts.backend as 'auto' });
        const obsJson = env.observationSpace.toJSON();
        const bound = (b: unknown): number[] => (b as (number | string)[]).map((x) => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x)));
        const obs = sampleObservations(bound(obsJson.low), bound(obsJson.high), opts.verify, Rng.fromSeed(0, 'export/verify'));
        const dim = exported.spec.obsDim;
        const cmp = compareActions(
          (o) => onnxPolicy.act(o),
          (o) => native.act(o),
          obs,
          dim,
        );
        onnxPolicy.dispose();
        (native as { dispose?: () => void }).dispose?.();
        const isDiscrete = Number.isNaN(cmp.maxAbsDiff);
        verify = { observations: cmp.count, maxAbsDiff: isDiscrete ? null : cmp.maxAbsDiff, differing: cmp.differing, reference: `${ckpt.kind} policy (evaluate's forward pass)` };
        if (isDiscrete ? cmp.differing > 0 : !(cmp.maxAbsDiff <= EXPORT_TOLERANCE)) {
          const row = Array.from(obs.subarray(cmp.worstRow * dim, (cmp.worstRow + 1) * dim), (x) => x.toPrecision(4)).join(', ');
          throw new OnnxError(
            `the exported model disagrees with the policy: ${isDiscrete ? `${cmp.differing} of ${cmp.count} discrete actions differ` : `max |Δaction| = ${cmp.maxAbsDiff} > ${EXPORT_TOLERANCE}`} (e.g. on [${row}]); ${opts.onnx} was not written`,
          );
        }
      }
      env.close();
      writeFileAtomic(opts.onnx, exported.bytes);
      let checkpoint: string | null = null;
      if (opts.checkpointOut !== undefined) {
        checkpoint = checkpointDirFor(opts.checkpointOut, lean.step);
        saveCheckpoint(checkpoint, lean);
      }

      const input = graphInputs(exported.model)[0];
      const outputs = exported.model.graph.outputs.map((o) => ({ name: o.name, shape: describeShape(o.shape) }));
      const result = { out: opts.onnx, bytes: exported.bytes.length, algo: ckpt.kind, env: run.envId, step: ckpt.step, source: ckpt.dir, input: { name: input.name, shape: describeShape(input.shape) }, outputs, verify, checkpoint };
      if (opts.json) {
        process.stdout.write(JSON.stringify(result) + '\n');
        return;
      }
      const lines = [
        `wrote ${opts.onnx} (${exported.bytes.length.toLocaleString('en-US')} bytes): ${ckpt.kind} policy of ${ckpt.dir} (step ${ckpt.step}) for ${run.envId}`,
        `  input  ${input.name} float32 ${describeShape(input.shape)}: raw observations (${description.features.join(', ')})`,
        ...outputs.map((o) => `  output ${o.name} ${o.shape}`),
        verify === null
          ? '  not verified (--verify 0)'
          : `  checked with ONNX Runtime on ${verify.observations} random observations: ${verify.maxAbsDiff === null ? `${verify.differing} differing discrete actions` : `max |Δaction| = ${verify.maxAbsDiff.toExponential(2)}`} against the ${verify.reference}`,
        ...(checkpoint === null ? [] : [`wrote the checkpoint to ${checkpoint}${lean.tensors.length < ckpt.tensors.length ? ' (without the replay buffer)' : ''}`]),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
