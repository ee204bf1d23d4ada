/**
 * One client's session: a table of handles (envs, vector envs, evaluations) and the dispatch of
 * request bodies (protocol.ts) to them. Independent of the transport: `handle(body)` returns the
 * reply frame (or a promise of it, for the worker vector env and the evaluation's baselines), and
 * never throws: a failed request is answered with an ERROR frame and leaves every env as it was.
 */
import { Box, Discrete, SyncVectorEnv, WorkerVectorEnv, benchmarkEnv, listEnvs, envDescription, make, twapAction, type GymEnv, type Space, type VectorEnv } from '../../env/index.ts';
import { EvaluationSession, parseEvaluationStart, parseFinish } from './evaluation.ts';
import { Encoder, HAS_INFO, KIND, MAGIC, PROTOCOL_VERSION, Request, ServeError, TERMINATED, TRUNCATED, WANT_INFO, type InfoMode } from './protocol.ts';

interface EnvHandle {
  kind: 'env';
  env: GymEnv;
  obsDim: number;
  discrete: boolean;
  infoMode: InfoMode;
}

interface VecHandle {
  kind: 'vec';
  vec: VectorEnv;
  sync: SyncVectorEnv | undefined;
  numEnvs: number;
  obsDim: number;
  actionDim: number;
  infoMode: InfoMode;
  actions: Float64Array;
}

interface EvalHandle {
  kind: 'eval';
  session: EvaluationSession;
}

type Handle = EnvHandle | VecHandle | EvalHandle;

export interface SessionOptions {
  /** Modules imported before the first env is made (they may register envs or policies); also given to evaluation workers. */
  modules?: string[];
  /** This package's version, reported in HELLO. */
  serverVersion?: string;
}

function infoModeOf(v: unknown, dflt: InfoMode): InfoMode {
  if (v === undefined || v === null) return dflt;
  if (v === 'all' || v === 'final' || v === 'none') return v;
  throw new ServeError(`infos must be 'all', 'final' or 'none', got ${JSON.stringify(v)}`);
}

function optionsOf(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ServeError(`options must be an object (keyword arguments), got ${JSON.stringify(v)}`, 'type');
  return v as Record<string, unknown>;
}

/** {seed?, options?} of RESET / VRESET: a present seed is passed as is (the env checks it). */
function resetArgs(o: Record<string, unknown>): { seed?: number; options?: Record<string, unknown> } {
  const args: { seed?: number; options?: Record<string, unknown> } = {};
  if (o.seed !== undefined && o.seed !== null) args.seed = o.seed as number;
  if (o.options !== undefined && o.options !== null) args.options = optionsOf(o.options);
  return args;
}

function spaceSize(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return 1;
  throw new ServeError(`spaces other than Box and Discrete are not served, got ${JSON.stringify(space.toJSON())}`);
}

export class ServeSession {
  /** Set after a failed HELLO: the transport closes once the reply is sent. */
  exitRequested = false;
  private readonly enc = new Encoder();
  private readonly handles = new Map<number, Handle>();
  private nextHandle = 1;
  private greeted = false;
  private readonly modules: string[];
  private readonly serverVersion: string;
  private modulesLoaded: Promise<void> | undefined;

  constructor(options: SessionOptions = {}) {
    this.modules = options.modules ?? [];
    this.serverVersion = options.serverVersion ?? '0.0.0';
  }

  /** Handles one request body; the reply frame is valid until the next call. Never throws. */
  handle(body: Buffer): Buffer | Promise<Buffer> {
    let req: Request | undefined;
    try {
      req = new Request(body);
      const out = this.dispatch(req);
      if (out instanceof Promise) return out.catch((err: unknown) => this.error(err, (req as Request).handle));
      return out;
    } catch (err) {
      return this.error(err, req?.handle ?? 0);
    }
  }

  /** Closes every env, vector env and evaluation (the server is exiting). */
  async closeAll(): Promise<void> {
    const hs = [...this.handles.values()];
    this.handles.clear();
    for (const h of hs) {
      try {
        await this.release(h);
      } catch {
        // Exiting anyway: a failing close must not keep the others open.
      }
    }
  }

  private error(err: unknown, handle: number): Buffer {
    const e = err instanceof Error ? err : new Error(String(err));
    const category = e instanceof ServeError ? e.category : e instanceof TypeError ? 'type' : 'value';
    return this.enc.begin(KIND.R_ERROR, 0, handle).json({ name: e.name, message: e.message, category }).finish();
  }

  private dispatch(req: Request): Buffer | Promise<Buffer> {
    if (req.kind === KIND.HELLO) return this.hello(req);
    if (!this.greeted) throw new ServeError(`the first request must be HELLO (kind ${KIND.HELLO}), got kind ${req.kind}`);
    switch (req.kind) {
      case KIND.MAKE:
        return this.withModules(() => this.make(req));
      case KIND.RESET:
        return this.reset(req);
      case KIND.STEP:
        return this.step(req);
      case KIND.CLOSE:
        return this.close(req);
      case KIND.MAKE_VEC:
        return this.withModules(() => this.makeVec(req));
      case KIND.VRESET:
        return this.vreset(req);
      case KIND.VSTEP:
        return this.vstep(req);
      case KIND.EVAL_START:
        return this.withModules(() => this.evalStart(req));
      case KIND.EVAL_RESET:
        return this.evalHandle(req).reset(this.enc, req.handle);
      case KIND.EVAL_STEP: {
        const s = this.evalHandle(req);
        const actions = req.f64s(s.numEnvs * s.actionDim);
        return s.step(actions, this.enc, req.handle);
      }
      case KIND.EVAL_FINISH:
        return this.evalFinish(req);
      case KIND.BENCH:
        return this.bench(req);
      default:
        throw new ServeError(`unknown request kind ${req.kind}`);
    }
  }

  /** Imports the session's modules once, then runs `f`. */
  private withModules(f: () => Buffer | Promise<Buffer>): Buffer | Promise<Buffer> {
    if (this.modules.length === 0) return f();
    this.modulesLoaded ??= (async () => {
      const { importModules } = await import('../evaluate/index.ts');
      await importModules(this.modules);
    })();
    return this.modulesLoaded.then(f);
  }

  private hello(req: Request): Buffer {
    const magic = req.ascii(4);
    const version = req.u32();
    if (magic !== MAGIC) {
      this.exitRequested = true;
      throw new ServeError(`not an execution-gym client: HELLO magic ${JSON.stringify(magic)}, expected ${JSON.stringify(MAGIC)}`);
    }
    if (version !== PROTOCOL_VERSION) {
      this.exitRequested = true;
      throw new ServeError(`protocol version mismatch: the client speaks version ${version}, this server (execution-gym ${this.serverVersion}) speaks version ${PROTOCOL_VERSION}; use the Python package and the TypeScript side of the same checkout`);
    }
    this.greeted = true;
    const envs = listEnvs().map((id) => ({ id, description: envDescription(id) ?? '' }));
    return this.enc.begin(KIND.R_HELLO).ascii(MAGIC).u32(PROTOCOL_VERSION).json({ serverVersion: this.serverVersion, node: process.version, pid: process.pid, envs }).finish();
  }

  private add(h: Handle): number {
    const id = this.nextHandle++;
    this.handles.set(id, h);
    return id;
  }

  private get(req: Request): Handle {
    const h = this.handles.get(req.handle);
    if (h === undefined) throw new ServeError(`unknown handle ${req.handle} (closed, or never made)`);
    return h;
  }

  private envHandle(req: Request): EnvHandle {
    const h = this.get(req);
    if (h.kind !== 'env') throw new ServeError(`handle ${req.handle} is a ${h.kind === 'vec' ? 'vector env' : 'evaluation'}, not an env`);
    return h;
  }

  private vecHandle(req: Request): VecHandle {
    const h = this.get(req);
    if (h.kind !== 'vec') throw new ServeError(`handle ${req.handle} is not a vector env`);
    return h;
  }

  private evalHandle(req: Request): EvaluationSession {
    const h = this.get(req);
    if (h.kind !== 'eval') throw new ServeError(`handle ${req.handle} is not an evaluation`);
    return h.session;
  }

  private make(req: Request): Buffer {
    const o = req.object('MAKE');
    if (typeof o.id !== 'string') throw new ServeError(`env id must be a string, got ${JSON.stringify(o.id)}`, 'type');
    const infoMode = infoModeOf(o.infos, 'final');
    const env = make(o.id, optionsOf(o.options));
    let obsDim: number;
    try {
      if (!(env.observationSpace instanceof Box)) throw new ServeError(`${o.id}'s observation space is not a Box: ${JSON.stringify(env.observationSpace.toJSON())}`);
      obsDim = env.observationSpace.size;
      spaceSize(env.actionSpace as Space<unknown>);
    } catch (err) {
      env.close();
      throw err;
    }
    const h: EnvHandle = { kind: 'env', env, obsDim, discrete: env.actionSpace instanceof Discrete, infoMode };
    const id = this.add(h);
    return this.enc
      .begin(KIND.R_READY, 0, id)
      .json({ id: o.id, observationSpace: env.observationSpace.toJSON(), actionSpace: env.actionSpace.toJSON(), metadata: env.metadata, description: envDescription(o.id) ?? '', infos: infoMode })
      .finish();
  }

  private reset(req: Request): Buffer {
    const h = this.envHandle(req);
    const r = h.env.reset(resetArgs(req.object('RESET')));
    return this.enc.begin(KIND.R_OBS, 0, req.handle).f64s(r.observation).json(r.info).finish();
  }

  private step(req: Request): Buffer {
    const h = this.envHandle(req);
    const n = req.remaining >> 3;
    if (req.remaining !== n * 8) throw new ServeError(`STEP payload of ${req.remaining} bytes is not a whole number of float64 values`);
    const a = req.f64s(n);
    const r = h.env.step(h.discrete && n === 1 ? a[0] : a);
    const ended = r.terminated || r.truncated;
    const withInfo = (req.flags & WANT_INFO) !== 0 || h.infoMode === 'all' || (ended && h.infoMode === 'final');
    const flags = (r.terminated ? TERMINATED : 0) | (r.truncated ? TRUNCATED : 0) | (withInfo ? HAS_INFO : 0);
    const enc = this.enc.begin(KIND.R_STEPPED, flags, req.handle).f64(r.reward).f64s(r.observation);
    if (withInfo) enc.json(r.info);
    return enc.finish();
  }

  private close(req: Request): Buffer | Promise<Buffer> {
    const h = this.get(req);
    this.handles.delete(req.handle);
    const out = this.release(h);
    const ok = (): Buffer => this.enc.begin(KIND.R_OK, 0, req.handle).finish();
    return out instanceof Promise ? out.then(ok) : ok();
  }

  private release(h: Handle): void | Promise<void> {
    if (h.kind === 'env') h.env.close();
    else if (h.kind === 'eval') h.session.close();
    else return h.vec.close();
  }

  private async makeVec(req: Request): Promise<Buffer> {
    const o = req.object('MAKE_VEC');
    if (typeof o.id !== 'string') throw new ServeError(`env id must be a string, got ${JSON.stringify(o.id)}`, 'type');
    const numEnvs = o.numEnvs;
    if (typeof numEnvs !== 'number' || !Number.isInteger(numEnvs) || numEnvs < 1) throw new ServeError(`num_envs must be a positive integer, got ${JSON.stringify(numEnvs)}`);
    const workers = o.workers ?? 0;
    if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0 || workers > numEnvs) throw new ServeError(`workers must be an integer in [0, num_envs = ${numEnvs}] (0: step every env in the server's thread), got ${JSON.stringify(workers)}`);
    const infoMode = infoModeOf(o.infos, 'final');
    const options = optionsOf(o.options);
    let vec: VectorEnv;
    let sync: SyncVectorEnv | undefined;
    if (workers === 0) {
      sync = SyncVectorEnv.fromId(o.id, numEnvs, options);
      vec = sync;
    } else {
      vec = await WorkerVectorEnv.create({ id: o.id, numEnvs, numWorkers: workers, options, infos: infoMode, modules: this.modules });
    }
    const h: VecHandle = { kind: 'vec', vec, sync, numEnvs, obsDim: vec.obsDim, actionDim: vec.actionDim, infoMode, actions: new Float64Array(numEnvs * vec.actionDim) };
    const id = this.add(h);
    const probe = make(o.id, options);
    const metadata = probe.metadata;
    probe.close();
    return this.enc
      .begin(KIND.R_READY, 0, id)
      .json({
        id: o.id,
        numEnvs,
        workers,
        obsDim: vec.obsDim,
        actionDim: vec.actionDim,
        observationSpace: vec.singleObservationSpace,
        actionSpace: vec.singleActionSpace,
        metadata,
        description: envDescription(o.id) ?? '',
        infos: infoMode,
        autoresetMode: vec.autoresetMode,
      })
      .finish();
  }

  private vreset(req: Request): Buffer | Promise<Buffer> {
    const h = this.vecHandle(req);
    const args = resetArgs(req.object('VRESET'));
    const done = (r: { observations: Float64Array; infos: Record<string, unknown>[] }): Buffer => {
      const enc = this.enc.begin(KIND.R_VOBS, 0, req.handle).f64s(r.observations);
      if (h.infoMode !== 'none') enc.json(r.infos);
      return enc.finish();
    };
    return h.sync !== undefined ? done(h.sync.resetSync(args)) : h.vec.reset(args).then(done);
  }

  private vstep(req: Request): Buffer | Promise<Buffer> {
    const h = this.vecHandle(req);
    if (req.remaining !== h.actions.length * 8) {
      throw new ServeError(`vector env actions must be num_envs × action size = ${h.numEnvs} × ${h.actionDim} = ${h.actions.length} float64 values, got ${req.remaining / 8}`);
    }
    req.f64sInto(h.actions);
    if (h.sync !== undefined) return this.vstepped(h, req.handle, h.sync.stepSync(h.actions));
    return h.vec.step(h.actions).then((r) => this.vstepped(h, req.handle, r));
  }

  private vstepped(h: VecHandle, handle: number, r: Awaited<ReturnType<VectorEnv['step']>>): Buffer {
    let index: number[] | undefined;
    let infos: Record<string, unknown>[] | undefined;
    if (h.infoMode !== 'none') {
      for (let i = 0; i < h.numEnvs; i++) {
        const ended = r.terminated[i] === 1 || r.truncated[i] === 1;
        const info = r.infos[i];
        let send: Record<string, unknown> | undefined;
        if (h.infoMode === 'all' || ended) send = info;
        else if (info !== undefined && info.autoreset === true) send = { autoreset: true };
        if (send === undefined) continue;
        (index ??= []).push(i);
        (infos ??= []).push(send);
      }
    }
    const enc = this.enc.begin(KIND.R_VSTEPPED, index !== undefined ? HAS_INFO : 0, handle).f64s(r.rewards).f64s(r.observations).u8s(r.terminated).u8s(r.truncated);
    if (index !== undefined) enc.json({ index, infos });
    return enc.finish();
  }

  private evalStart(req: Request): Buffer {
    const start = parseEvaluationStart(req.object('EVAL_START'));
    const session = new EvaluationSession(start);
    const id = this.add({ kind: 'eval', session });
    return this.enc.begin(KIND.R_READY, 0, id).json(session.describe()).finish();
  }

  private async evalFinish(req: Request): Promise<Buffer> {
    const session = this.evalHandle(req);
    const o = parseFinish(req.object('EVAL_FINISH'));
    const result = await session.finish(o, this.modules);
    return this.enc.begin(KIND.R_RESULT, 0, req.handle).json(result).finish();
  }

  /** TypeScript-side figures for `python -m execution_gym.bench`, measured in this process. */
  private bench(req: Request): Buffer {
    const o = req.object('BENCH');
    const id = typeof o.id === 'string' ? o.id : 'Liquidate-v0';
    const options = optionsOf(o.options);
    const seed = typeof o.seed === 'number' ? o.seed : 1;
    if (o.what === 'env') {
      const steps = typeof o.steps === 'number' ? o.steps : 20000;
      const r = benchmarkEnv({ id, options, steps, seed, warmupSteps: typeof o.warmupSteps === 'number' ? o.warmupSteps : 2000 });
      return this.enc.begin(KIND.R_RESULT).json(r).finish();
    }
    if (o.what === 'sync-vector') {
      const numEnvs = typeof o.numEnvs === 'number' ? o.numEnvs : 64;
      const batchSteps = typeof o.batchSteps === 'number' ? o.batchSteps : 100;
      const warm = typeof o.warmupBatchSteps === 'number' ? o.warmupBatchSteps : 20;
      const vec = SyncVectorEnv.fromId(id, numEnvs, options);
      try {
        const a = twapAction(vec.envs[0].actionSpace as Space<unknown>);
        const actions = new Float64Array(numEnvs * vec.actionDim);
        for (let i = 0; i < numEnvs; i++) {
          if (typeof a === 'number') actions[i] = a;
          else actions.set(a, i * vec.actionDim);
        }
        vec.resetSync({ seed });
        for (let i = 0; i < warm; i++) vec.stepSync(actions);
        const t0 = performance.now();
        for (let i = 0; i < batchSteps; i++) vec.stepSync(actions);
        const seconds = (performance.now() - t0) / 1000;
        return this.enc.begin(KIND.R_RESULT).json({ numEnvs, batchSteps, envSteps: numEnvs * batchSteps, seconds, stepsPerSecond: (numEnvs * batchSteps) / seconds }).finish();
      } finally {
        void vec.close();
      }
    }
    throw new ServeError(`BENCH what must be 'env' or 'sync-vector', got ${JSON.stringify(o.what)}`);
  }
}
