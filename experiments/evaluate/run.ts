/**
 * Running a batch of episodes of one policy on an explicit seed list, in this thread. Worker
 * threads (worker.ts) call the same function on their share of the seeds, so results do not
 * depend on the number of workers: each episode depends only on (policy, env, seed).
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Env } from '../../env/core.ts';
import { listEnvs, make } from '../../env/index.ts';
import { loadPolicy, type ActionMode, type AnyPolicy, type PolicySpec } from '../../agents/index.ts';
import { EvaluationError, runEpisode, type EpisodeRecord } from './episode.ts';

export interface EpisodeBatch {
  policy: PolicySpec;
  envId: string;
  envOptions: Record<string, unknown>;
  seeds: number[];
  /** Modules imported first (file paths or URLs): they may register envs or policies. */
  modules?: string[];
  /** Safety cap on decisions per episode. */
  maxSteps?: number;
}

/** Imports modules given as paths (relative to the working directory) or URLs. */
export async function importModules(modules: readonly string[] | undefined): Promise<void> {
  for (const m of modules ?? []) {
    const url = /^[a-z]+:/i.test(m) ? m : pathToFileURL(resolve(m)).href;
    await import(url);
  }
}

/**
 * The action mode an env id defaults to (read from a probe env's metadata: Liquidate-v0 → market,
 * Liquidate-Limit-v0 → limit); undefined for an id this build does not register.
 */
export function defaultActionMode(envId: string): ActionMode | undefined {
  if (!listEnvs().includes(envId)) return undefined;
  const probe = make(envId);
  try {
    const mode = probe.metadata.actionMode;
    return mode === 'market' || mode === 'limit' || mode === 'hybrid' || mode === 'discrete' ? mode : undefined;
  } finally {
    probe.close();
  }
}

/**
 * Builds the env for a policy: `make(envId, options)` where options = envOptions with the policy's
 * own `envOptions` applied over them (they never change the market, e.g. sell-now's aMax) and
 * `actionMode` set to the policy's when the policy needs one the env does not already have. An env
 * that publishes no `metadata.actionMode` (e.g. Liquidate-AC-v0) is taken to be market mode.
 */
export function makeEnvForPolicy(envId: string, envOptions: Record<string, unknown>, policy: AnyPolicy): Env<unknown, unknown> {
  const mode = policy.actionMode ?? (policy.envId === undefined || policy.envId === envId ? undefined : defaultActionMode(policy.envId));
  const asked = envOptions.actionMode;
  if (mode !== undefined && asked !== undefined && asked !== mode) {
    throw new EvaluationError(`policy ${policy.name} needs actionMode '${mode}' but the env options ask for '${String(asked)}'`);
  }
  const options = policy.envOptions === undefined ? envOptions : { ...envOptions, ...policy.envOptions };
  const env = make(envId, options) as Env<unknown, unknown>;
  if (mode === undefined || asked !== undefined) return env;
  const has = env.metadata.actionMode;
  if (has === mode || (has === undefined && mode === 'market')) return env;
  env.close();
  return make(envId, { ...options, actionMode: mode }) as Env<unknown, unknown>;
}

/** Runs `batch` in this thread; `onEpisode` is called after each episode (for progress). */
export async function runBatch(batch: EpisodeBatch, onEpisode?: (record: EpisodeRecord) => void): Promise<EpisodeRecord[]> {
  await importModules(batch.modules);
  const policy = await loadPolicy(batch.policy);
  const env = makeEnvForPolicy(batch.envId, batch.envOptions, policy);
  const out: EpisodeRecord[] = [];
  try {
    for (const seed of batch.seeds) {
      const r = runEpisode(env, policy, seed, { maxSteps: batch.maxSteps });
      out.push(r);
      onEpisode?.(r);
    }
  } finally {
    env.close();
  }
  return out;
}
