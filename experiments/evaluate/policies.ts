/**
 * Policy names on the command line → evaluation specs, everything checked before any episode
 * runs: unknown names get the nearest known name, run directories and shipped policies are
 * checked cheaply, ONNX models are checked against the env, and the baselines get the options
 * they need from the env (baselines.ts). Used by `evaluate` and `latency`.
 */
import { checkPolicy, isPolicyPath, listPolicies, nearestName, type PolicySpec } from '../../agents/index.ts';
import { make } from '../../env/index.ts';
import { checkPolicies, resolvePolicyName, shippedPolicies } from '../train/policy-loader.ts';
import { baselineSpec, type BaselineSettings } from './baselines.ts';

/** Splits a comma-separated `--policy` value; refuses an empty list and repeated names. */
export function policyNames(list: string, option = '--policy'): string[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new Error(`${option} needs at least one name`);
  if (new Set(names).size !== names.length) throw new Error(`${option} lists a name twice: ${list}`);
  return names;
}

/** The evaluation spec of every name (keyed by the name as given), after checking env, names and models. */
export async function resolvePolicies(names: readonly string[], envId: string, envOptions: Record<string, unknown>, settings: BaselineSettings = {}): Promise<Record<string, PolicySpec>> {
  make(envId, envOptions).close();
  for (const name of names) {
    if (!isPolicyPath(name) && !listPolicies().includes(name) && shippedPolicies()[name] === undefined) {
      const known = [...listPolicies(), ...Object.keys(shippedPolicies())];
      const near = nearestName(name, known);
      throw new Error(`unknown policy ${JSON.stringify(name)}${near === undefined ? '' : ` (did you mean ${near}?)`}; baselines: ${listPolicies().join(', ')}; shipped: ${Object.keys(shippedPolicies()).join(', ') || 'none'}; or a run directory or an .onnx file`);
    }
    checkPolicy(resolvePolicyName(name));
  }
  const specs: Record<string, PolicySpec> = {};
  for (const name of names) specs[name] = baselineSpec(resolvePolicyName(name), envId, envOptions, settings).spec;
  // ONNX models are checked against the env before any episode runs.
  await checkPolicies(Object.values(specs), envId, envOptions);
  return specs;
}
