/**
 * Policies by name: `makePolicy(name, options)` builds a registered policy; `loadPolicy(spec)`
 * also accepts a path (a run directory of a learned agent) and hands it to the registered loader.
 *
 * Baselines registered here: twap, passive-twap, catch-up, imbalance, vwap, pov, ac, sell-now, random. Learned agents
 * plug in with `registerPolicy('ppo', factory)` (a name) or `registerPolicyLoader(loader)` (run
 * directories: `loadPolicy('runs/ppo-1')` calls the loader, which returns the trained policy).
 */
import type { Policy } from '../policy.ts';
import { AlmgrenChrissPolicy, type AcPolicyOptions } from './ac.ts';
import { BaselineError } from './errors.ts';
import { PassiveTwapPolicy, type PassiveTwapOptions } from './passive-twap.ts';
import { PovPolicy, type PovOptions } from './pov.ts';
import { RandomPolicy, type RandomOptions } from './random.ts';
import { SellNowPolicy } from './sell-now.ts';
import { TwapPolicy } from './twap.ts';
import { VwapPolicy, type VwapOptions } from './vwap.ts';
import { CatchUpPolicy } from './catch-up.ts';
import { ImbalancePolicy, type ImbalanceOptions } from './imbalance.ts';

// Policies with different observation/action types share one registry; the harness only calls them
// through reset/act with whatever the env gives.
export type AnyPolicy = Policy<any, any>;
export type PolicyFactory = (options: Record<string, unknown>) => AnyPolicy;
/** Builds a policy from a path (e.g. a training run directory). */
export type PolicyLoader = (path: string, options: Record<string, unknown>) => AnyPolicy | Promise<AnyPolicy>;
/** Checks that a path holds a policy the loader accepts, cheaply (no backend, no build); throws naming what is wrong. */
export type PolicyChecker = (path: string) => void;

/** A policy by name with options, or a path for the loader. Serializable: worker threads rebuild policies from it. */
export type PolicySpec = string | { name: string; options?: Record<string, unknown> };

const factories = new Map<string, PolicyFactory>();
let loader: PolicyLoader | undefined;
let checker: PolicyChecker | undefined;

/** Registers (or replaces) a named policy factory. Names: lower-case letters, digits and dashes. */
export function registerPolicy(name: string, factory: PolicyFactory): void {
  if (typeof name !== 'string' || !/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new BaselineError(`policy name must match /^[a-z][a-z0-9-]*$/, got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== 'function') throw new BaselineError(`policy factory for ${name} must be a function, got ${typeof factory}`);
  factories.set(name, factory);
}

/** Sets the loader for policy specs that are paths (contain '/' or '.'), and optionally its cheap check. */
export function registerPolicyLoader(fn: PolicyLoader, check?: PolicyChecker): void {
  loader = fn;
  checker = check;
}

/** Levenshtein distance (for "did you mean"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length];
}

/** The closest of `candidates` to `name` (at most a third of its letters away), for error messages. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Checks that `spec` can be built, without building it: a registered name, or a path the
 * registered loader's check accepts (e.g. a run directory with a verified checkpoint). Lets a
 * command reject a typo before any episode runs. @throws BaselineError (with "did you mean ...?").
 */
export function checkPolicy(spec: PolicySpec): void {
  const { name } = parsePolicySpec(spec);
  if (isPolicyPath(name)) {
    if (loader === undefined) throw new BaselineError(`policy ${JSON.stringify(name)} is a path but no policy loader is registered (registerPolicyLoader)`);
    checker?.(name);
    return;
  }
  if (!factories.has(name)) {
    const near = nearestName(name, listPolicies());
    throw new BaselineError(`unknown policy ${JSON.stringify(name)}${near === undefined ? '' : ` (did you mean ${near}?)`}; registered: ${listPolicies().join(', ')}; or a path to a trained run`);
  }
}

export function listPolicies(): string[] {
  return [...factories.keys()].sort();
}

/** Builds the registered policy `name` with `options`. @throws BaselineError for an unknown name or bad options. */
export function makePolicy(name: string, options: Record<string, unknown> = {}): AnyPolicy {
  const f = factories.get(name);
  if (f === undefined) checkPolicy(name);
  if (f === undefined) throw new BaselineError(`unknown policy ${JSON.stringify(name)}; registered: ${listPolicies().join(', ')}`);
  return f(options);
}

/** Normalizes a spec to { name, options }. */
export function parsePolicySpec(spec: PolicySpec): { name: string; options: Record<string, unknown> } {
  if (typeof spec === 'string') return { name: spec, options: {} };
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') {
    throw new BaselineError(`policy spec must be a name or { name, options }, got ${JSON.stringify(spec)}`);
  }
  return { name: spec.name, options: spec.options ?? {} };
}

/** True when a spec name is a path rather than a registered name. */
export function isPolicyPath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || name.startsWith('.');
}

/** Builds a policy from a spec: registered names through makePolicy, paths through the registered loader. */
export async function loadPolicy(spec: PolicySpec): Promise<AnyPolicy> {
  const { name, options } = parsePolicySpec(spec);
  if (isPolicyPath(name)) {
    if (loader === undefined) throw new BaselineError(`policy ${JSON.stringify(name)} is a path but no policy loader is registered (registerPolicyLoader)`);
    return loader(name, options);
  }
  return makePolicy(name, options);
}

registerPolicy('twap', () => new TwapPolicy());
registerPolicy('sell-now', () => new SellNowPolicy());
registerPolicy('passive-twap', (o) => new PassiveTwapPolicy(o as PassiveTwapOptions));
registerPolicy('vwap', (o) => new VwapPolicy(o as VwapOptions));
registerPolicy('pov', (o) => new PovPolicy(o as PovOptions));
registerPolicy('random', (o) => new RandomPolicy(o as RandomOptions));
registerPolicy('ac', (o) => new AlmgrenChrissPolicy(o as unknown as AcPolicyOptions));
registerPolicy('catch-up', () => new CatchUpPolicy());
registerPolicy('imbalance', (o) => new ImbalancePolicy(o as ImbalanceOptions));
