/**
 * Env throughput measurements behind `execution-gym bench env` (no printing here).
 *
 * `benchmarkEnv`: one env stepped by a TWAP policy (action 1 = one TWAP slice as a market order;
 * Discrete menus use the 1× market slice), resetting at each episode end. Reports env steps per
 * wall second (resets included), per process-CPU second (robust on a shared machine) and
 * excluding resets, and reset times.
 * `benchmarkVector`: a WorkerVectorEnv stepped in lockstep with the same policy.
 * `benchmarkVectorScaling`: SyncVectorEnv vs WorkerVectorEnv on 1 and on N workers, same envs,
 * interleaved rounds (the figure: N workers over 1).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { EnvError } from './core.ts';
import { make } from './registry.ts';
import { Box, Discrete, type Space } from './spaces/index.ts';
import { SyncVectorEnv, WorkerVectorEnv, type InfoMode, type VectorEnv } from './vector/index.ts';

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
  /** Which infos the workers send back (WorkerVectorEnv's `infos`; default 'final'). */
  infos?: boolean | InfoMode;
}

export interface VectorBenchmarkResult {
  numEnvs: number;
  numWorkers: number;
  envSteps: number;
  seconds: number;
  /** Env steps per wall second over all envs (autoresets included). */
  stepsPerSecond: number;
}

/** Fills every row of a batch action buffer with the TWAP action of `id`'s action space. */
function fillTwap(id: string, options: Record<string, unknown>, actions: Float64Array, numEnvs: number, actionDim: number): void {
  const one = make(id, options);
  const a = twapAction(one.actionSpace as Space<unknown>);
  one.close();
  for (let i = 0; i < numEnvs; i++) {
    if (typeof a === 'number') actions[i] = a;
    else actions.set(a, i * actionDim);
  }
}

export async function benchmarkVector(o: VectorBenchmarkOptions): Promise<VectorBenchmarkResult> {
  const id = o.id ?? 'Liquidate-v0';
  const vec = await WorkerVectorEnv.create({ id, numEnvs: o.numEnvs, numWorkers: o.numWorkers, options: o.options ?? {}, infos: o.infos });
  try {
    const actions = vec.actionBuffer;
    fillTwap(id, o.options ?? {}, actions, o.numEnvs, vec.actionDim);
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

export interface VectorScalingOptions {
  id?: string;
  options?: Record<string, unknown>;
  numEnvs: number;
  /** Workers of the scaled configuration (compared with 1 worker on the same numEnvs). */
  numWorkers: number;
  /** Timed lockstep batch steps per configuration, split evenly over the rounds. */
  batchSteps?: number;
  /** Interleaved rounds (sync, 1 worker, N workers, then again): a load burst hits all three. */
  rounds?: number;
  /** Untimed batch steps per configuration before the first round (JIT). */
  warmupBatchSteps?: number;
  seed?: number;
  /** Which infos the workers send back (default 'final', what trainers get by default). */
  infos?: boolean | InfoMode;
}

export interface VectorScalingResult {
  numEnvs: number;
  numWorkers: number;
  rounds: number;
  batchStepsPerRound: number;
  infos: InfoMode;
  /** Median over rounds of env steps per wall second: SyncVectorEnv in this thread, the worker env on 1 and on N workers. */
  stepsPerSecondSync: number;
  stepsPerSecond1Worker: number;
  stepsPerSecondNWorkers: number;
  /** stepsPerSecondNWorkers / stepsPerSecond1Worker (ratio of medians): the scaling figure. */
  speedup: number;
  /** stepsPerSecond1Worker / stepsPerSecondSync: what the thread hop costs. */
  oneWorkerVsSync: number;
  /** Per-round figures, in order (steps per second). */
  perRound: { sync: number; one: number; many: number }[];
  /**
   * CPU cores used by other processes during the timed rounds, on average (from /proc/stat minus
   * this process's CPU time; null where /proc/stat is unreadable). Above ~0.1 the figures,
   * the speedup most of all, understate a quiet machine.
   */
  otherCores: number | null;
  /** 1-minute load average at the end (this benchmark included). */
  loadAverage: number;
  cpus: number;
}

/** Busy CPU seconds of the whole machine since boot (Linux /proc/stat), or null. */
function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...; USER_HZ is 100 on Linux.
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / 100;
  } catch {
    return null;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Scaling of the worker vector env: SyncVectorEnv, WorkerVectorEnv on 1 worker and on N workers,
 * all on the same numEnvs envs, seeds and TWAP actions, timed in interleaved rounds so that load
 * from other processes falls on all three alike. Reports medians over rounds.
 */
export async function benchmarkVectorScaling(o: VectorScalingOptions): Promise<VectorScalingResult> {
  const id = o.id ?? 'Liquidate-v0';
  const options = o.options ?? {};
  const rounds = o.rounds ?? 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new EnvError(`rounds must be a positive integer, got ${String(rounds)}`);
  const perRoundBatches = Math.max(1, Math.round((o.batchSteps ?? 500) / rounds));
  const warm = o.warmupBatchSteps ?? 100;
  const seed = o.seed ?? 1;
  const sync = SyncVectorEnv.fromId(id, o.numEnvs, options);
  const one = await WorkerVectorEnv.create({ id, numEnvs: o.numEnvs, numWorkers: 1, options, infos: o.infos });
  let many: WorkerVectorEnv | undefined;
  try {
    many = await WorkerVectorEnv.create({ id, numEnvs: o.numEnvs, numWorkers: o.numWorkers, options, infos: o.infos });
    const actions = new Float64Array(o.numEnvs * sync.actionDim);
    fillTwap(id, options, actions, o.numEnvs, sync.actionDim);
    const envs: VectorEnv[] = [sync, one, many];
    for (const v of envs) {
      await v.reset({ seed });
      for (let i = 0; i < warm; i++) await v.step(actions);
    }
    const perRound: { sync: number; one: number; many: number }[] = [];
    const rate = async (v: VectorEnv): Promise<number> => {
      const t0 = performance.now();
      for (let i = 0; i < perRoundBatches; i++) await v.step(actions);
      return (perRoundBatches * o.numEnvs) / ((performance.now() - t0) / 1000);
    };
    const busy0 = machineBusySeconds();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) perRound.push({ sync: await rate(sync), one: await rate(one), many: await rate(many) });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const busy1 = machineBusySeconds();
    const otherCores = busy0 === null || busy1 === null ? null : Math.max(0, (busy1 - busy0 - (cpu.user + cpu.system) / 1e6) / wall);
    const s = median(perRound.map((x) => x.sync));
    const a = median(perRound.map((x) => x.one));
    const b = median(perRound.map((x) => x.many));
    return {
      numEnvs: o.numEnvs,
      numWorkers: o.numWorkers,
      rounds,
      batchStepsPerRound: perRoundBatches,
      infos: one.infoMode,
      stepsPerSecondSync: s,
      stepsPerSecond1Worker: a,
      stepsPerSecondNWorkers: b,
      speedup: b / a,
      oneWorkerVsSync: a / s,
      perRound,
      otherCores,
      loadAverage: loadavg()[0],
      cpus: availableParallelism(),
    };
  } finally {
    await sync.close();
    await one.close();
    await many?.close();
  }
}
