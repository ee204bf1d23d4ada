/**
 * Env throughput measurements behind `execution-gym bench env` (no printing here).
 *
 * `benchmarkEnv`: one env stepped by a TWAP policy (action 1 = one TWAP slice as a market order;
 * Discrete menus use the 1× market slice), resetting at each episode end. Reports env steps per
 * wall second (resets included), per process-CPU second (robust on a shared machine) and
 * excluding resets, and reset times.
 * `benchmarkVector`: a WorkerVectorEnv stepped in lockstep with the same policy.
 */
import { EnvError } from './core.ts';
import { make } from './registry.ts';
import { Box, Discrete, type Space } from './spaces/index.ts';
import { WorkerVectorEnv } from './vector/index.ts';

/** The TWAP action of a space: 1 on the first Box coordinate (0 elsewhere, clamped into bounds); Discrete: 2 (1× market slice). */
export function twapAction(space: Space<unknown>): Float64Array | number {
  if (space instanceof Discrete) return space.n > 2 ? space.start + 2 : space.start;
  if (!(space instanceof Box)) throw new EnvError(`no TWAP action for space ${JSON.stringify(space.toJSON())}`);
  const a = new Float64Array(space.size);
  for (let i = 0; i < space.size; i++) a[i] = Math.min(space.high[i], Math.max(space.low[i], i === 0 ? 1 : 0));
  return a;
}

export interface EnvBenchmarkOptions {
  id?: string;
  options?: Record<string, unknown>;
  /** Env steps to time (after warm-up). */
  steps?: number;
  /** Untimed warm-up steps (JIT). */
  warmupSteps?: number;
  seed?: number;
}

export interface EnvBenchmarkResult {
  id: string;
  steps: number;
  episodes: number;
  seconds: number;
  cpuSeconds: number;
  /** Env steps per wall second, resets included. */
  stepsPerSecond: number;
  /** Env steps per second of process CPU time, resets included. */
  stepsPerCpuSecond: number;
  /** Env steps per wall second of `step` calls only. */
  stepOnlyPerSecond: number;
  /** Mean wall time of a seeded reset, ms. */
  resetMs: number;
  resetMsP50: number;
  resetMsMax: number;
  /** Mean decisions per episode. */
  meanEpisodeSteps: number;
}

export function benchmarkEnv(o: EnvBenchmarkOptions = {}): EnvBenchmarkResult {
  const id = o.id ?? 'Liquidate-v0';
  const steps = o.steps ?? 20000;
  const warm = o.warmupSteps ?? 2000;
  let seed = o.seed ?? 1;
  const env = make(id, o.options ?? {});
  const action = twapAction(env.actionSpace as Space<unknown>);
  env.reset({ seed: seed++ });
  for (let i = 0; i < warm; i++) if (env.step(action).terminated) env.reset({ seed: seed++ });
  const resets: number[] = [];
  let stepMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let t = performance.now();
  env.reset({ seed: seed++ });
  resets.push(performance.now() - t);
  let n = 0;
  let episodes = 0;
  while (n < steps) {
    t = performance.now();
    const r = env.step(action);
    stepMs += performance.now() - t;
    n++;
    if (r.terminated || r.truncated) {
      episodes++;
      t = performance.now();
      env.reset({ seed: seed++ });
      resets.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpuSeconds = (c.user + c.system) / 1e6;
  env.close();
  const sorted = [...resets].sort((a, b) => a - b);
  return {
    id,
    steps: n,
    episodes,
    seconds,
    cpuSeconds,
    stepsPerSecond: n / seconds,
    stepsPerCpuSecond: n / cpuSeconds,
    stepOnlyPerSecond: n / (stepMs / 1000),
    resetMs: resets.reduce((a, b) => a + b, 0) / resets.length,
    resetMsP50: sorted[Math.floor(sorted.length / 2)],
    resetMsMax: sorted[sorted.length - 1],
    meanEpisodeSteps: episodes > 0 ? n / episodes : n,
  };
}

export interface VectorBenchmarkOptions {
  id?: string;
  options?: Record<string, unknown>;
  numEnvs: number;
  numWorkers: number;
  /** Lockstep batch steps to time (each is numEnvs env steps). */
  batchSteps?: number;
  warmupBatchSteps?: number;
  seed?: number;
  /** Send infos back from the workers (default true). */
  infos?: boolean;
}

export interface VectorBenchmarkResult {
  numEnvs: number;
  numWorkers: number;
  envSteps: number;
  seconds: number;
  /** Env steps per wall second over all envs (autoresets included). */
  stepsPerSecond: number;
}

export async function benchmarkVector(o: VectorBenchmarkOptions): Promise<VectorBenchmarkResult> {
  const id = o.id ?? 'Liquidate-v0';
  const vec = await WorkerVectorEnv.create({ id, numEnvs: o.numEnvs, numWorkers: o.numWorkers, options: o.options ?? {}, infos: o.infos });
  try {
    const actions = vec.actionBuffer;
    const one = make(id, o.options ?? {});
    const a = twapAction(one.actionSpace as Space<unknown>);
    one.close();
    for (let i = 0; i < o.numEnvs; i++) {
      if (typeof a === 'number') actions[i] = a;
      else actions.set(a, i * vec.actionDim);
    }
    await vec.reset({ seed: o.seed ?? 1 });
    const warm = o.warmupBatchSteps ?? 200;
    for (let i = 0; i < warm; i++) await vec.step(actions);
    const batches = o.batchSteps ?? 1000;
    const t0 = performance.now();
    for (let i = 0; i < batches; i++) await vec.step(actions);
    const seconds = (performance.now() - t0) / 1000;
    const envSteps = batches * o.numEnvs;
    return { numEnvs: o.numEnvs, numWorkers: o.numWorkers, envSteps, seconds, stepsPerSecond: envSteps / seconds };
  } finally {
    await vec.close();
  }
}
