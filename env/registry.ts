/**
 * The env registry (Gymnasium's `register` / `make`). Built-in ids:
 * - `Liquidate-AC-v0`: the pure Almgren–Chriss world (env/ac);
 * - `Liquidate-v0`, `Acquire-v0`, `Liquidate-Limit-v0`: the execution task on the simulated
 *   market (env/execution);
 * - `Liquidate-Replay-v0`: the same task on a historical LOBSTER day (env/replay).
 * `make` of a built-in id is typed: its options autocomplete and the env it returns has typed
 * info (`ExecutionInfo`). Register your own ids with `register`; extend `EnvIds` (declaration
 * merging) to type them too.
 * Worker-thread vector envs build their envs through this registry from (id, options), so an env
 * registered at run time in the main thread is unknown to workers unless its module registers it
 * on import and is listed in the vector env's `modules`.
 */
import { EnvError, type Env } from './core.ts';
import { AlmgrenChrissEnv, type AcOptionsInput } from './ac/index.ts';
import { ExecutionEnv, type ExecutionOptionsInput } from './execution/index.ts';
import { ReplayExecutionEnv, type ReplayOptionsInput } from './replay/index.ts';

/** The env type `make` returns: flat Float64Array observations; Box (Float64Array) or Discrete (number) actions. */
export type GymEnv = Env<Float64Array, Float64Array | number>;
export type EnvFactory = (options: Record<string, unknown>) => GymEnv;

interface Entry {
  factory: EnvFactory;
  description: string;
}

const entries = new Map<string, Entry>();

/** Registers `id`. @throws EnvError when the id is taken (pass `overwrite: true` to replace) or malformed. */
export function register(id: string, factory: EnvFactory, opts: { description?: string; overwrite?: boolean } = {}): void {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.:/-]+-v\d+$/.test(id)) throw new EnvError(`env id must look like 'Name-v0', got ${String(id)}`);
  if (typeof factory !== 'function') throw new EnvError(`register('${id}'): factory must be a function, got ${String(factory)}`);
  if (entries.has(id) && opts.overwrite !== true) throw new EnvError(`env id '${id}' is already registered`);
  entries.set(id, { factory, description: opts.description ?? '' });
}

/** The built-in ids: the options `make` takes and the env it returns. */
export interface EnvIds {
  'Liquidate-v0': { options: ExecutionOptionsInput; env: ExecutionEnv };
  'Acquire-v0': { options: ExecutionOptionsInput; env: ExecutionEnv };
  'Liquidate-Limit-v0': { options: ExecutionOptionsInput; env: ExecutionEnv };
  'Liquidate-Replay-v0': { options: ReplayOptionsInput; env: ReplayExecutionEnv };
  'Liquidate-AC-v0': { options: AcOptionsInput; env: AlmgrenChrissEnv };
}

/** Builds a new env. @throws EnvError for an unknown id or invalid options (from the env). */
export function make<K extends keyof EnvIds>(id: K, options?: EnvIds[K]['options']): EnvIds[K]['env'];
export function make(id: string, options?: Record<string, unknown>): GymEnv;
export function make(id: string, options: Record<string, unknown> = {}): GymEnv {
  const e = entries.get(id);
  if (e === undefined) {
    const near = listEnvs().find((k) => k.toLowerCase() === String(id).toLowerCase() || k.replace(/-v\d+$/, '') === String(id).replace(/-v\d+$/, ''));
    throw new EnvError(`unknown env id ${JSON.stringify(id)}${near === undefined ? '' : ` (did you mean ${near}?)`}; registered: ${listEnvs().join(', ')}`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new EnvError(`make('${id}'): options must be an object, got ${String(options)}`);
  return e.factory(options);
}

/** Registered ids, sorted. */
export function listEnvs(): string[] {
  return [...entries.keys()].sort();
}

export function envDescription(id: string): string | undefined {
  return entries.get(id)?.description;
}

register('Liquidate-AC-v0', (o) => new AlmgrenChrissEnv(o, 'Liquidate-AC-v0') as GymEnv, {
  description: 'Sell X shares in the pure Almgren–Chriss world (Brownian price, linear impact); reward in bps of X·S0 with the λσ²τx² penalty.',
});

register('Liquidate-v0', (o) => new ExecutionEnv({ side: 'sell', ...o }, 'Liquidate-v0'), {
  description: 'Sell a parent order on the simulated market within the horizon; market-order action (multiple of the TWAP slice) by default; reward = -IS in bps of arrival notional.',
});
register('Acquire-v0', (o) => new ExecutionEnv({ side: 'buy', ...o }, 'Acquire-v0'), {
  description: 'Buy a parent order on the simulated market within the horizon (the mirror of Liquidate-v0).',
});
register('Liquidate-Replay-v0', (o) => new ReplayExecutionEnv(o, 'Liquidate-Replay-v0'), {
  description: 'The Liquidate-v0 task on a historical LOBSTER day (options messages and orderbook: file paths or read columns); the flow is history, the agent\'s orders sit in the replayed book.',
});
register('Liquidate-Limit-v0', (o) => new ExecutionEnv({ side: 'sell', actionMode: 'limit', ...o }, 'Liquidate-Limit-v0'), {
  description: 'Liquidate-v0 with limit-order actions: [size multiple of the TWAP slice, price offset in ticks from the own-side touch].',
});
