/**
 * Importing this module registers the loader of trained policies with the baselines' policy
 * registry, so a run directory or an ONNX file works wherever a policy name does:
 *
 *   execution-gym evaluate --policy runs/ppo-1,model.onnx,twap --modules experiments/train/policy-loader.ts
 *
 * - `*.onnx`: any model following the observation/action contract (docs/policy-contract.md), run
 *   by ONNX Runtime (agents/onnx/policy.ts).
 * - otherwise a run or checkpoint directory: the loader reads the checkpoint with the one resolver
 *   training's --resume uses (a run directory gives its latest complete checkpoint;
 *   agents/common/checkpoint-fs.ts), verifies it, and hands it to the `loadPolicy` of the
 *   algorithm its manifest names (deterministic actions; backend 'auto', or options.backend).
 *
 * Shipped policies (policies/index.json: name → folder, e.g. `ppo-liquidate`) are names, not
 * paths, so `resolvePolicyName` turns them into their folders (each a run directory with its
 * checkpoint, its ONNX export and a model card) before a spec reaches the registry; `evaluate`
 * and `benchmark` call it for every `--policy` entry. `checkPolicies` loads every ONNX policy of a
 * comparison against the env before any episode runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isPolicyPath, listPolicies, parsePolicySpec, registerPolicyLoader, type PolicySpec } from '../../agents/index.ts';
import { loadCheckpoint } from '../../agents/common/checkpoint-fs.ts';
import { CheckpointError, MANIFEST_FILE } from '../../agents/common/index.ts';
import { ALGOS, listAlgos, loadAlgo } from './algos.ts';

/** The folder of the shipped policies (policies/ at the repository root). */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));
export const POLICIES_INDEX = join(POLICIES_DIR, 'index.json');

export class PolicyNameError extends Error {
  override name = 'PolicyNameError';
}

const ShippedSchema = z
  .object({
    /** Folder under policies/ (a run directory: checkpoints/step-<N>/, plus policy.onnx and README.md). */
    dir: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    algo: z.string().min(1),
    env: z.string().min(1),
    /** One line for listings. */
    description: z.string().min(1),
  })
  .strict();
const IndexSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), ShippedSchema);

export interface ShippedPolicy extends z.infer<typeof ShippedSchema> {
  name: string;
  /** Absolute path of the folder. */
  path: string;
  /** Absolute path of its ONNX export. */
  onnx: string;
}

/** The shipped policies, by name (policies/index.json). @throws PolicyNameError for a malformed index. */
export function shippedPolicies(): Record<string, ShippedPolicy> {
  if (!existsSync(POLICIES_INDEX)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(POLICIES_INDEX, 'utf8'));
  } catch (err) {
    throw new PolicyNameError(`${POLICIES_INDEX} is not valid JSON: ${(err as Error).message}`);
  }
  const r = IndexSchema.safeParse(json);
  if (!r.success) throw new PolicyNameError(`${POLICIES_INDEX} is invalid: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const out: Record<string, ShippedPolicy> = {};
  for (const [name, p] of Object.entries(r.data)) {
    const path = join(POLICIES_DIR, p.dir);
    out[name] = { ...p, name, path, onnx: join(path, 'policy.onnx') };
  }
  return out;
}

/**
 * A shipped policy's name becomes its folder; anything else is returned as is (a registered name,
 * a path, an ONNX file). @throws PolicyNameError when a shipped name is also a registered policy
 * (the two must never shadow each other).
 */
export function resolvePolicyName(name: string): string {
  if (isPolicyPath(name)) return name;
  const shipped = shippedPolicies()[name];
  if (shipped === undefined) return name;
  if (listPolicies().includes(name)) throw new PolicyNameError(`'${name}' is both a registered policy and a shipped one (${POLICIES_INDEX}); rename the shipped policy`);
  return shipped.path;
}

/** True for a spec name that is an ONNX file (`*.onnx`). */
export function isOnnxPath(name: string): boolean {
  return isPolicyPath(name) && name.toLowerCase().endsWith('.onnx');
}

/** The algorithm that wrote the checkpoint at `path` (a checkpoint or a run directory), verified. */
export function checkpointKind(path: string): string {
  return loadCheckpoint(path).kind;
}

/**
 * Loads each ONNX policy among `specs` and checks it against the env it would be evaluated in
 * (`envId` with `envOptions` and the model's action mode), so a model that does not fit is refused
 * before any episode of any policy runs.
 * @throws OnnxError naming the expected and the found shapes (or why the file is not a model).
 */
export async function checkPolicies(specs: readonly PolicySpec[], envId: string, envOptions: Record<string, unknown>): Promise<void> {
  const onnx = specs.map((s) => parsePolicySpec(s)).filter((s) => isOnnxPath(s.name));
  if (onnx.length === 0) return;
  const { OnnxPolicy } = await import('../../agents/onnx/policy.ts');
  const { makeEnvForPolicy } = await import('../evaluate/run.ts');
  for (const spec of onnx) {
    const policy = await OnnxPolicy.load(spec.name);
    try {
      const env = makeEnvForPolicy(envId, envOptions, policy);
      try {
        policy.bind(env.observationSpace, env.actionSpace, `${envId}${policy.actionMode !== undefined ? ` (actionMode ${policy.actionMode})` : ''}`);
      } finally {
        env.close();
      }
    } finally {
      policy.dispose();
    }
  }
}

/** Reads and verifies the checkpoint at `path` and checks that this build knows its algorithm. */
function verified(path: string): ReturnType<typeof loadCheckpoint> {
  const ckpt = loadCheckpoint(path);
  if (ALGOS[ckpt.kind] === undefined) {
    throw new CheckpointError(`${ckpt.dir}/${MANIFEST_FILE}: the checkpoint was written by '${ckpt.kind}', which this build does not know (${listAlgos().join(', ')})`, MANIFEST_FILE);
  }
  return ckpt;
}

registerPolicyLoader(
  async (path, options) => {
    if (isOnnxPath(path)) {
      const { OnnxPolicy } = await import('../../agents/onnx/policy.ts');
      return OnnxPolicy.load(path, typeof options.name === 'string' ? { name: options.name } : {});
    }
    const ckpt = verified(path);
    const algo = await loadAlgo(ckpt.kind);
    return algo.loadPolicy(ckpt, options as Record<string, never>);
  },
  // The cheap check before any episode: the checkpoint verifies (an ONNX file is checked against
  // the env by checkPolicies).
  (path) => {
    if (isOnnxPath(path)) {
      if (!existsSync(path)) throw new PolicyNameError(`no ONNX model at ${path}: the file does not exist`);
      return;
    }
    verified(path);
  },
);
