/**
 * Evaluation of a policy that lives on the other side of the wire (a Python callable): the client
 * steps `numEnvs` envs in lockstep, each slot working through the evaluation seeds in order, and
 * the server keeps each episode's trajectory. When an episode ends its record is made by the very
 * `runEpisode` of the `evaluate` command, replaying the recorded trajectory, so the record of an
 * episode depends only on (policy, env, seed) and is the one a TypeScript policy acting the same
 * way would get. `finish` runs the baselines with `evaluate` (worker threads, the command line's
 * code) and summarizes everything with `summarize`, so the baselines' numbers are the command
 * line's.
 */
import { fileURLToPath } from 'node:url';
import type { Env, Info, ResetResult, StepResult } from '../../env/core.ts';
import { ActionReader, make, type GymEnv, type Space } from '../../env/index.ts';
import type { AnyPolicy, EpisodeContext } from '../../agents/index.ts';
import { EVALUATION_SEED_MIN, evaluate, evaluationSeeds, formatSummaryTable, importModules, runEpisode, summarize, type EpisodeRecord } from '../evaluate/index.ts';
import { baselineSpec } from '../evaluate/baselines.ts';
import { DEFAULT_AC_CALIBRATION_SEEDS, DEFAULT_LAMBDA_PER_BPS, DEFAULT_POV_RHO } from '../evaluate/defaults.ts';
import { ServeError, type Encoder, KIND } from './protocol.ts';

interface Trajectory {
  start: ResetResult<unknown, Info>;
  actions: unknown[];
  results: StepResult<unknown, Info>[];
}

/** Plays a recorded trajectory back as an env (for `runEpisode`). */
class RecordedEnv implements Env<unknown, unknown> {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly metadata: Record<string, unknown>;
  private k = 0;
  constructor(
    source: GymEnv,
    private readonly t: Trajectory,
  ) {
    this.observationSpace = source.observationSpace as Space<unknown>;
    this.actionSpace = source.actionSpace as Space<unknown>;
    this.metadata = source.metadata;
  }
  reset(): ResetResult<unknown, Info> {
    this.k = 0;
    return this.t.start;
  }
  step(): StepResult<unknown, Info> {
    const r = this.t.results[this.k++];
    if (r === undefined) throw new ServeError('recorded trajectory ended before the episode did');
    return r;
  }
  close(): void {}
}

/** Plays the recorded actions back as a policy named like the client's. */
class RecordedPolicy {
  private k = 0;
  constructor(
    readonly name: string,
    private readonly t: Trajectory,
  ) {}
  reset(_info: Info, _context?: EpisodeContext): void {
    this.k = 0;
  }
  act(): unknown {
    return this.t.actions[this.k++];
  }
}

export interface EvaluationStart {
  env: string;
  envOptions: Record<string, unknown>;
  episodes: number;
  seedOffset: number;
  numEnvs: number;
  /** Name of the client's policy in the summary; null: only baselines. */
  policy: string | null;
}

export interface FinishOptions {
  baselines: string[];
  lambdaPerBps: number;
  povRho: number;
  calibrationSeeds: number;
  /** Worker threads of the baselines' evaluation (undefined: available cores). */
  workers: number | undefined;
  /** Include every episode record in the result. */
  records: boolean;
}

function int(v: unknown, what: string, min: number, dflt?: number): number {
  if (v === undefined || v === null) {
    if (dflt !== undefined) return dflt;
    throw new ServeError(`${what} is required`);
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new ServeError(`${what} must be an integer >= ${min}, got ${JSON.stringify(v)}`, typeof v === 'number' ? 'value' : 'type');
  return v;
}

function num(v: unknown, what: string, min: number, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new ServeError(`${what} must be a finite number >= ${min}, got ${JSON.stringify(v)}`, typeof v === 'number' ? 'value' : 'type');
  return v;
}

/** Parses EVAL_START's JSON. @throws ServeError naming the field. */
export function parseEvaluationStart(o: Record<string, unknown>): EvaluationStart {
  const env = o.env ?? 'Liquidate-v0';
  if (typeof env !== 'string' || env.length === 0) throw new ServeError(`env must be an env id string, got ${JSON.stringify(env)}`, 'type');
  const envOptions = o.envOptions ?? {};
  if (typeof envOptions !== 'object' || envOptions === null || Array.isArray(envOptions)) throw new ServeError(`env options must be an object, got ${JSON.stringify(envOptions)}`, 'type');
  const policy = o.policy ?? null;
  if (policy !== null && (typeof policy !== 'string' || policy.length === 0)) throw new ServeError(`policy name must be a non-empty string, got ${JSON.stringify(policy)}`, 'type');
  return {
    env,
    envOptions: envOptions as Record<string, unknown>,
    episodes: int(o.episodes, 'episodes', 1, 1000),
    seedOffset: int(o.seedOffset, 'seed offset', 0, 0),
    numEnvs: int(o.numEnvs, 'num_envs', 1, 16),
    policy,
  };
}

/** Parses EVAL_FINISH's JSON. */
export function parseFinish(o: Record<string, unknown>): FinishOptions {
  const b = o.baselines ?? ['twap', 'passive-twap', 'vwap', 'ac'];
  if (!Array.isArray(b) || b.some((x) => typeof x !== 'string' || x.length === 0)) throw new ServeError(`baselines must be a list of policy names, got ${JSON.stringify(b)}`, 'type');
  if (new Set(b).size !== b.length) throw new ServeError(`baselines lists a name twice: ${JSON.stringify(b)}`);
  const povRho = num(o.povRho, 'pov_rho', 0, DEFAULT_POV_RHO);
  if (!(povRho > 0 && povRho < 1)) throw new ServeError(`pov_rho must be in (0, 1), got ${povRho}`);
  return {
    baselines: b as string[],
    lambdaPerBps: num(o.lambdaPerBps, 'lambda_per_bps', 0, DEFAULT_LAMBDA_PER_BPS),
    povRho,
    calibrationSeeds: int(o.calibrationSeeds, 'calibration_seeds', 1, DEFAULT_AC_CALIBRATION_SEEDS),
    workers: o.workers === undefined || o.workers === null ? undefined : int(o.workers, 'workers', 0),
    records: o.records === true,
  };
}

export class EvaluationSession {
  readonly start: EvaluationStart;
  readonly seeds: number[];
  readonly numEnvs: number;
  readonly obsDim: number;
  readonly actionDim: number;
  readonly observationSpace: Record<string, unknown>;
  readonly actionSpace: Record<string, unknown>;
  private readonly envs: GymEnv[] = [];
  private readonly reader: ActionReader | undefined;
  private readonly slotSeed: Int32Array;
  private readonly traj: (Trajectory | undefined)[];
  private readonly records: (EpisodeRecord | undefined)[];
  private readonly obs: Float64Array;
  private readonly active: Uint8Array;
  private readonly started: Uint8Array;
  private next = 0;
  private finished = 0;
  private resetDone = false;

  constructor(start: EvaluationStart) {
    this.start = start;
    this.seeds = evaluationSeeds(start.episodes, start.seedOffset);
    // Only baselines: no envs to step, but the env id and options are checked now.
    const probe = make(start.env, start.envOptions);
    this.obsDim = (probe.observationSpace as unknown as { size?: number }).size ?? 0;
    this.observationSpace = probe.observationSpace.toJSON();
    this.actionSpace = probe.actionSpace.toJSON();
    if (start.policy === null) {
      probe.close();
      this.numEnvs = 0;
      this.actionDim = 0;
    } else {
      if (!(this.obsDim > 0)) throw new ServeError(`${start.env}'s observation space is not a flat Box: ${JSON.stringify(this.observationSpace)}`);
      this.numEnvs = Math.min(start.numEnvs, this.seeds.length);
      this.envs.push(probe);
      for (let i = 1; i < this.numEnvs; i++) this.envs.push(make(start.env, start.envOptions));
      this.reader = new ActionReader(probe.actionSpace as Space<unknown>);
      this.actionDim = this.reader.dim;
    }
    this.slotSeed = new Int32Array(this.numEnvs).fill(-1);
    this.traj = new Array(this.numEnvs).fill(undefined);
    this.records = new Array(this.seeds.length).fill(undefined);
    this.obs = new Float64Array(this.numEnvs * this.obsDim);
    this.active = new Uint8Array(this.numEnvs);
    this.started = new Uint8Array(this.numEnvs);
  }

  describe(): Record<string, unknown> {
    const first = this.seeds[0];
    return {
      seeds: { first, count: this.seeds.length, offset: first - EVALUATION_SEED_MIN },
      numEnvs: this.numEnvs,
      obsDim: this.obsDim,
      actionDim: this.actionDim,
      observationSpace: this.observationSpace,
      actionSpace: this.actionSpace,
    };
  }

  /** Starts episode `seedIndex` in slot `i`. */
  private begin(i: number, seedIndex: number): void {
    const env = this.envs[i];
    const r = env.reset({ seed: this.seeds[seedIndex] }) as ResetResult<Float64Array, Info>;
    this.obs.set(r.observation, i * this.obsDim);
    this.slotSeed[i] = seedIndex;
    this.traj[i] = { start: r, actions: [], results: [] };
    this.active[i] = 1;
    this.started[i] = 1;
  }

  private fill(i: number): void {
    if (this.next < this.seeds.length) this.begin(i, this.next++);
    else {
      this.active[i] = 0;
      this.slotSeed[i] = -1;
      this.traj[i] = undefined;
    }
  }

  private noPolicy(): void {
    if (this.start.policy === null) throw new ServeError('this evaluation has no policy to step (only baselines)');
  }

  reset(enc: Encoder, handle: number): Buffer {
    this.noPolicy();
    if (this.resetDone) throw new ServeError('evaluation already started: EVAL_RESET is sent once');
    this.started.fill(0);
    for (let i = 0; i < this.numEnvs; i++) this.fill(i);
    this.resetDone = true;
    return this.reply(enc, handle);
  }

  step(actions: Float64Array, enc: Encoder, handle: number): Buffer {
    this.noPolicy();
    if (!this.resetDone) throw new ServeError('EVAL_STEP before EVAL_RESET');
    const reader = this.reader as ActionReader;
    // Every action is checked before any env moves, so a rejected step leaves all slots untouched.
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.active[i] === 0) continue;
      const why = reader.check(actions, i);
      if (why !== null) throw new ServeError(`invalid action for env ${i} (seed ${this.seeds[this.slotSeed[i]]}): ${why}`);
    }
    this.started.fill(0);
    for (let i = 0; i < this.numEnvs; i++) {
      if (this.active[i] === 0) continue;
      const a = reader.read(actions, i);
      const r = this.envs[i].step(a as Float64Array) as StepResult<Float64Array, Info>;
      const t = this.traj[i] as Trajectory;
      t.actions.push(a);
      t.results.push(r);
      if (r.terminated || r.truncated) {
        const s = this.slotSeed[i];
        this.records[s] = runEpisode(new RecordedEnv(this.envs[i], t), new RecordedPolicy(this.start.policy as string, t) as unknown as AnyPolicy, this.seeds[s]);
        this.finished++;
        this.fill(i);
      } else {
        this.obs.set(r.observation, i * this.obsDim);
      }
    }
    return this.reply(enc, handle);
  }

  private reply(enc: Encoder, handle: number): Buffer {
    return enc.begin(KIND.R_EVAL_OBS, 0, handle).u32(this.finished).f64s(this.obs).u8s(this.active).u8s(this.started).finish();
  }

  /** The baselines' records (`evaluate`), the summary (`summarize`) and the table. */
  async finish(o: FinishOptions, modules: string[]): Promise<Record<string, unknown>> {
    const name = this.start.policy;
    if (name !== null && this.finished < this.seeds.length) {
      throw new ServeError(`only ${this.finished} of ${this.seeds.length} episodes of ${name} have finished: keep stepping until every slot is inactive`);
    }
    if (name !== null && o.baselines.includes(name)) throw new ServeError(`the policy name '${name}' is also a baseline's: choose another name`);
    if (name === null && o.baselines.length === 0) throw new ServeError('nothing to evaluate: no policy and no baselines');
    const { env, envOptions } = this.start;
    // As the `evaluate` command: the trained-policy loader is always there (baselines may be run directories).
    const policyLoader = fileURLToPath(new URL('../train/policy-loader.ts', import.meta.url));
    const allModules = [policyLoader, ...modules];
    await importModules(allModules);
    const runs: Record<string, EpisodeRecord[]> = {};
    if (name !== null) runs[name] = this.records as EpisodeRecord[];
    const settings = { lambdaPerBps: o.lambdaPerBps, povRho: o.povRho, calibrationSeeds: o.calibrationSeeds, log: (line: string) => void process.stderr.write(line + '\n') };
    // Shipped policy names (policies/), run directories and ONNX files may stand beside the
    // baselines, as in the command line; every one is checked before any episode runs.
    const { resolvePolicyName, checkPolicies } = await import('../train/policy-loader.ts');
    const { checkPolicy } = await import('../../agents/index.ts');
    const specs = o.baselines.map((b) => {
      const resolved = resolvePolicyName(b);
      checkPolicy(resolved);
      return baselineSpec(resolved, env, envOptions, settings).spec;
    });
    await checkPolicies(specs, env, envOptions);
    for (let i = 0; i < o.baselines.length; i++) {
      const b = o.baselines[i];
      runs[b] = await evaluate(specs[i], env, envOptions, this.seeds, { workers: o.workers, modules: allModules });
      for (const r of runs[b]) r.policy = b;
    }
    const summary = summarize(runs, { lambdaPerBps: o.lambdaPerBps });
    const first = this.seeds[0];
    return {
      env,
      envOptions,
      episodes: this.seeds.length,
      seeds: { first, count: this.seeds.length, offset: first - EVALUATION_SEED_MIN },
      lambdaPerBps: o.lambdaPerBps,
      policies: summary,
      table: formatSummaryTable(summary),
      records: o.records ? runs : undefined,
    };
  }

  close(): void {
    for (const e of this.envs) e.close();
    this.envs.length = 0;
  }
}
