/**
 * checkEnv: a port of Gymnasium's `utils/env_checker.check_env`, an executable spec of the Env
 * contract. It throws EnvCheckError on the first violation and returns soft warnings.
 *
 * Checks, in order:
 * 1. the spaces are spaces: `sample()` is contained, `toJSON()` rebuilds an equal space;
 * 2. `step` before any `reset` throws (skipped with `freshEnv: false`);
 * 3. `reset` returns an observation inside the observation space (finite numbers) and an info
 *    object; `reset({ seed })` twice gives the same observation and info;
 * 4. `step` returns an observation in the space, a finite number reward, boolean flags and an
 *    info object, for random actions from the action space;
 * 5. determinism: the same seed and actions give the same trajectory, over two episodes (the
 *    second started by `reset()` without a seed, which must continue the streams);
 * 6. stepping an ended episode without `reset` throws;
 * 7. bad actions (NaN, infinity, wrong shape or type, outside the bounds) throw, and the
 *    trajectory afterwards is exactly the one without them (state untouched).
 */
import { Rng } from '../simulator/random/index.ts';
import type { Env, Info, StepResult } from './core.ts';
import { Box, Discrete, MultiDiscrete, Dict, type Space, spaceFromJSON } from './spaces/index.ts';

export class EnvCheckError extends Error {
  override name = 'EnvCheckError';
}

export interface CheckEnvOptions {
  /** Seed of the checked episodes (default 123). */
  seed?: number;
  /** Step cap per episode (default 2000): longer episodes are cut and not checked for their end. */
  maxEpisodeSteps?: number;
  /** The env was never reset, so "step before reset throws" can be checked (default true). */
  freshEnv?: boolean;
  /** Steps at which bad actions are injected in check 7 (default 5). */
  badActionSteps?: number;
}

export interface CheckEnvReport {
  warnings: string[];
  /** Steps taken by the checker. */
  steps: number;
}

type AnyEnv = Env<unknown, unknown>;

interface Trajectory {
  observations: unknown[];
  rewards: number[];
  flags: string[];
  infos: Info[];
  ends: number;
}

/** Checks `env` against the Env contract. @throws EnvCheckError describing the first violation. */
export function checkEnv(env: AnyEnv, options: CheckEnvOptions = {}): CheckEnvReport {
  const seed = options.seed ?? 123;
  const maxSteps = options.maxEpisodeSteps ?? 2000;
  const warnings: string[] = [];
  let steps = 0;
  const fail = (msg: string): never => {
    throw new EnvCheckError(msg);
  };

  // 1. Spaces.
  checkSpace(env.observationSpace, 'observationSpace', warnings);
  checkSpace(env.actionSpace, 'actionSpace', warnings);
  if (env.actionSpace instanceof Box) {
    const a = env.actionSpace;
    const sym = Array.from(a.low).every((x, i) => x === -a.high[i]);
    if (!sym || a.high[0] !== 1) warnings.push('action space is not a symmetric [-1, 1] Box: agents may want RescaleAction');
  }
  const actionRng = Rng.fromSeed(seed, 'checker/actions');

  // 2. Step before reset.
  if (options.freshEnv !== false) {
    expectThrow(() => env.step(env.actionSpace.sample(actionRng)), 'step() before reset() must throw');
  }

  // 3. Reset.
  const r1 = env.reset({ seed });
  checkResetResult(env, r1, 'reset({ seed })');
  const r2 = env.reset({ seed });
  checkResetResult(env, r2, 'reset({ seed }) again');
  if (!deepEqual(r1.observation, r2.observation)) fail(`reset({ seed: ${seed} }) is not deterministic: observations ${show(r1.observation)} and ${show(r2.observation)}`);
  if (!deepEqual(r1.info, r2.info)) fail(`reset({ seed: ${seed} }) is not deterministic: infos differ`);
  checkResetResult(env, env.reset({ seed, options: {} }), 'reset({ seed, options: {} })');

  // 4-6. Two runs of the same actions must give the same trajectory.
  const actions: unknown[] = [];
  const run = (withBadActions: number): Trajectory => {
    const t: Trajectory = { observations: [], rewards: [], flags: [], infos: [], ends: 0 };
    for (let ep = 0; ep < 2; ep++) {
      const r = ep === 0 ? env.reset({ seed }) : env.reset();
      checkResetResult(env, r, ep === 0 ? 'reset({ seed })' : 'reset() without seed');
      t.observations.push(r.observation);
      t.infos.push(r.info);
      for (let i = 0; i < maxSteps; i++) {
        const idx = t.rewards.length;
        if (idx >= actions.length) actions.push(env.actionSpace.sample(actionRng));
        if (i < withBadActions) {
          for (const [label, bad] of badActions(env.actionSpace)) {
            expectThrow(() => env.step(bad), `step() with a bad action (${label}) must throw`);
          }
        }
        const s = env.step(actions[idx]);
        steps++;
        checkStepResult(env, s, `step ${i} of episode ${ep}`);
        t.observations.push(s.observation);
        t.rewards.push(s.reward);
        t.flags.push(`${s.terminated}/${s.truncated}`);
        t.infos.push(s.info);
        if (s.terminated || s.truncated) {
          t.ends++;
          // 6. Stepping an ended episode throws.
          expectThrow(() => env.step(env.actionSpace.sample(actionRng)), `step() after the episode ended (step ${i}) without reset() must throw`);
          break;
        }
      }
    }
    return t;
  };
  const a = run(0);
  if (a.ends < 2) warnings.push(`episodes did not end within ${maxSteps} steps: the end-of-episode checks were skipped`);
  const b = run(0);
  compareTrajectories(a, b, 'the same seed and actions');
  // 7. Bad actions leave the state untouched.
  const c = run(options.badActionSteps ?? 5);
  compareTrajectories(a, c, 'the same seed and actions with rejected bad actions in between');
  return { warnings, steps };
}

function checkSpace(space: Space<unknown>, what: string, warnings: string[]): void {
  if (space === null || typeof space !== 'object' || typeof space.sample !== 'function' || typeof space.contains !== 'function' || typeof space.toJSON !== 'function') {
    throw new EnvCheckError(`${what} is not a Space: ${String(space)}`);
  }
  if (!(space instanceof Box || space instanceof Discrete || space instanceof MultiDiscrete || space instanceof Dict)) {
    warnings.push(`${what} is not one of Box, Discrete, MultiDiscrete, Dict: vector envs and wrappers cannot flatten it`);
    return;
  }
  const rng = Rng.fromSeed(0, 'checker/space');
  for (let i = 0; i < 20; i++) {
    const x = space.sample(rng);
    if (!space.contains(x)) throw new EnvCheckError(`${what}.sample() returned ${show(x)}, which ${what}.contains() rejects`);
  }
  const json = space.toJSON();
  const rebuilt = spaceFromJSON(JSON.parse(JSON.stringify(json)));
  if (JSON.stringify(rebuilt.toJSON()) !== JSON.stringify(json)) throw new EnvCheckError(`${what}.toJSON() does not round-trip: ${JSON.stringify(json)}`);
  if (space instanceof Box) {
    for (let i = 0; i < space.size; i++) {
      if (space.low[i] === space.high[i]) warnings.push(`${what} dimension ${i} has low == high (${space.low[i]})`);
    }
  }
}

function checkObservation(env: AnyEnv, obs: unknown, where: string): void {
  if (!env.observationSpace.contains(obs)) throw new EnvCheckError(`${where}: observation ${show(obs)} is not in the observation space ${JSON.stringify(env.observationSpace.toJSON())}`);
  if (ArrayBuffer.isView(obs)) {
    const v = obs as unknown as ArrayLike<number>;
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) throw new EnvCheckError(`${where}: observation element ${i} is ${v[i]} (NaN or infinite)`);
  }
}

function checkInfo(info: unknown, where: string): void {
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw new EnvCheckError(`${where}: info must be a plain object, got ${show(info)}`);
}

function checkResetResult(env: AnyEnv, r: unknown, where: string): void {
  if (typeof r !== 'object' || r === null || !('observation' in r) || !('info' in r)) throw new EnvCheckError(`${where} must return { observation, info }, got ${show(r)}`);
  const rr = r as { observation: unknown; info: unknown };
  checkObservation(env, rr.observation, where);
  checkInfo(rr.info, where);
}

function checkStepResult(env: AnyEnv, s: StepResult<unknown>, where: string): void {
  if (typeof s !== 'object' || s === null) throw new EnvCheckError(`${where}: step() must return an object, got ${show(s)}`);
  checkObservation(env, s.observation, where);
  if (typeof s.reward !== 'number' || !Number.isFinite(s.reward)) throw new EnvCheckError(`${where}: reward must be a finite number, got ${show(s.reward)}`);
  if (typeof s.terminated !== 'boolean') throw new EnvCheckError(`${where}: terminated must be a boolean, got ${show(s.terminated)}`);
  if (typeof s.truncated !== 'boolean') throw new EnvCheckError(`${where}: truncated must be a boolean, got ${show(s.truncated)}`);
  checkInfo(s.info, where);
}

function compareTrajectories(a: Trajectory, b: Trajectory, what: string): void {
  const n = Math.max(a.rewards.length, b.rewards.length);
  if (a.rewards.length !== b.rewards.length) throw new EnvCheckError(`${what} gave episodes of different total lengths: ${a.rewards.length} and ${b.rewards.length} steps`);
  for (let i = 0; i < a.observations.length; i++) {
    if (!deepEqual(a.observations[i], b.observations[i])) throw new EnvCheckError(`${what} gave different observations at record ${i}: ${show(a.observations[i])} vs ${show(b.observations[i])}`);
    if (!deepEqual(a.infos[i], b.infos[i])) throw new EnvCheckError(`${what} gave different infos at record ${i}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Object.is(a.rewards[i], b.rewards[i])) throw new EnvCheckError(`${what} gave different rewards at step ${i}: ${a.rewards[i]} vs ${b.rewards[i]}`);
    if (a.flags[i] !== b.flags[i]) throw new EnvCheckError(`${what} gave different terminated/truncated at step ${i}: ${a.flags[i]} vs ${b.flags[i]}`);
  }
}

/** Invalid actions for a space, labelled. */
export function badActions(space: Space<unknown>): [string, unknown][] {
  const out: [string, unknown][] = [
    ['undefined', undefined],
    ['a string', 'sell'],
    ['null', null],
  ];
  if (space instanceof Box) {
    const n = space.size;
    const mid = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const lo = space.low[i];
      const hi = space.high[i];
      mid[i] = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
    }
    const withAt = (i: number, x: number): Float64Array => {
      const v = mid.slice();
      v[i] = x;
      return v;
    };
    out.push(['wrong length (one more)', new Float64Array(n + 1).fill(mid[0])]);
    if (n > 1) out.push(['wrong length (one less)', mid.slice(0, n - 1)]);
    out.push(['a plain number', mid[0]]);
    for (let i = 0; i < n; i++) {
      out.push([`NaN at ${i}`, withAt(i, NaN)]);
      out.push([`+Infinity at ${i}`, withAt(i, Infinity)]);
      out.push([`-Infinity at ${i}`, withAt(i, -Infinity)]);
      if (Number.isFinite(space.high[i])) out.push([`above high at ${i}`, withAt(i, space.high[i] + Math.max(1, Math.abs(space.high[i])))]);
      if (Number.isFinite(space.low[i])) out.push([`below low at ${i}`, withAt(i, space.low[i] - Math.max(1, Math.abs(space.low[i])))]);
    }
  } else if (space instanceof Discrete) {
    out.push(['one past the end', space.start + space.n], ['below start', space.start - 1], ['a fraction', space.start + 0.5], ['NaN', NaN], ['Infinity', Infinity], ['an array', [space.start]]);
  } else if (space instanceof MultiDiscrete) {
    const n = space.nvec.length;
    out.push(['wrong length', new Int32Array(n + 1)]);
    const over = Int32Array.from(space.start);
    over[0] = space.start[0] + space.nvec[0];
    out.push(['one past the end at 0', over]);
    const frac = Float64Array.from(space.start);
    frac[0] += 0.5;
    out.push(['a fraction at 0', frac]);
  }
  return out;
}

function expectThrow(f: () => unknown, what: string): void {
  let threw = false;
  try {
    f();
  } catch (err) {
    threw = true;
    if (!(err instanceof Error)) throw new EnvCheckError(`${what}, and it threw a non-Error: ${String(err)}`);
  }
  if (!threw) throw new EnvCheckError(`${what}, but it returned normally`);
}

/** Structural equality: typed arrays element-wise (NaN equal to NaN), objects key by key. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || a.constructor !== b.constructor) return false;
    const x = a as unknown as ArrayLike<number>;
    const y = b as unknown as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function show(x: unknown): string {
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x as unknown as ArrayLike<number>).slice(0, 12).join(', ')}]`;
  try {
    return JSON.stringify(x)?.slice(0, 300) ?? String(x);
  } catch {
    return String(x);
  }
}
