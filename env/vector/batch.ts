/**
 * EnvBatch: steps a contiguous slice of envs into caller-owned batch buffers, with next-step
 * autoreset. Both SyncVectorEnv (one batch of all envs) and the worker vector env (one batch per
 * worker) run this same code, which is why their results are identical for the same seeds.
 */
import { deriveSeed } from '../../simulator/random/index.ts';
import { EnvError, type Env, type Info } from '../core.ts';
import { Box, Discrete, MultiDiscrete, type Space, flatDim, flattenInto, explain } from '../spaces/index.ts';

type AnyEnv = Env<unknown, unknown>;

/** Flat length of one action in the batch action buffer (Box: size; Discrete: 1; MultiDiscrete: length). */
export function actionDimOf(space: Space<unknown>): number {
  if (space instanceof Box) return space.size;
  if (space instanceof Discrete) return 1;
  if (space instanceof MultiDiscrete) return space.nvec.length;
  throw new EnvError(`vector envs support Box, Discrete and MultiDiscrete action spaces, got ${JSON.stringify(space.toJSON())}`);
}

/** Reads env i's action from row i of the flat action buffer into the form its space expects. */
export class ActionReader {
  readonly space: Space<unknown>;
  readonly dim: number;
  private readonly kind: 0 | 1 | 2;

  constructor(space: Space<unknown>) {
    this.space = space;
    this.dim = actionDimOf(space);
    this.kind = space instanceof Box ? 0 : space instanceof Discrete ? 1 : 2;
  }

  /** A fresh action value for row `i` (envs may not keep references to their actions). */
  read(actions: Float64Array, i: number): unknown {
    const o = i * this.dim;
    switch (this.kind) {
      case 0:
        return actions.slice(o, o + this.dim);
      case 1:
        return actions[o];
      default:
        return Float64Array.prototype.slice.call(actions, o, o + this.dim);
    }
  }

  /**
   * True when row `i` is certainly a valid action, without allocating (Box: finite and within
   * bounds; Discrete: an integer in range). False means "ask `check`", which has the last word.
   */
  fastValid(actions: Float64Array, i: number): boolean {
    const o = i * this.dim;
    if (this.kind === 0) {
      const box = this.space as Box;
      for (let j = 0; j < this.dim; j++) {
        const x = actions[o + j];
        if (!(Number.isFinite(x) && x >= box.low[j] && x <= box.high[j])) return false;
      }
      return true;
    }
    if (this.kind === 1) return (this.space as Discrete).contains(actions[o]);
    return false;
  }

  /** Why row `i` is not a valid action, or null. */
  check(actions: Float64Array, i: number): string | null {
    if (this.fastValid(actions, i)) return null;
    if (this.kind === 2) {
      const o = i * this.dim;
      return explain(this.space, actions.subarray(o, o + this.dim));
    }
    return explain(this.space, this.read(actions, i));
  }
}

export class EnvBatch {
  readonly envs: AnyEnv[];
  /** Global index of the first env of this batch (for seeds and error messages). */
  readonly firstIndex: number;
  readonly obsDim: number;
  readonly actions: ActionReader;
  /** 1 where the env ended on the previous step and is reset on the next one. */
  readonly needsReset: Uint8Array;
  private started = false;

  constructor(envs: AnyEnv[], firstIndex = 0) {
    if (envs.length === 0) throw new EnvError('a vector env needs at least one env');
    this.envs = envs;
    this.firstIndex = firstIndex;
    const obsSpace = envs[0].observationSpace;
    this.obsDim = flatDim(obsSpace);
    this.actions = new ActionReader(envs[0].actionSpace);
    const oj = JSON.stringify(obsSpace.toJSON());
    const aj = JSON.stringify(envs[0].actionSpace.toJSON());
    for (let i = 1; i < envs.length; i++) {
      if (JSON.stringify(envs[i].observationSpace.toJSON()) !== oj || JSON.stringify(envs[i].actionSpace.toJSON()) !== aj) {
        throw new EnvError(`env ${firstIndex + i} has different spaces from env ${firstIndex}`);
      }
    }
    this.needsReset = new Uint8Array(envs.length);
  }

  /**
   * Resets every env of the batch, env i with deriveSeed(seed, firstIndex + i) when `seed` is given,
   * writing observations at rows [0, count) of `obs` (a view starting at this batch's first row).
   */
  reset(seed: number | undefined, options: Record<string, unknown> | undefined, obs: Float64Array): Info[] {
    const infos: Info[] = new Array(this.envs.length);
    for (let i = 0; i < this.envs.length; i++) {
      const args = seed === undefined ? { options } : { seed: deriveSeed(seed, this.firstIndex + i), options };
      const r = this.envs[i].reset(args);
      flattenInto(this.envs[i].observationSpace, r.observation, obs, i * this.obsDim);
      infos[i] = r.info;
    }
    this.needsReset.fill(0);
    this.started = true;
    return infos;
  }

  /** Validates every action that will be used (envs due for autoreset ignore theirs). @throws EnvError naming the env. */
  validate(actions: Float64Array): void {
    if (!this.started) throw new EnvError('vector env step() before reset(): call reset() first');
    for (let i = 0; i < this.envs.length; i++) {
      if (this.needsReset[i] === 1) continue;
      const why = this.actions.check(actions, i);
      if (why !== null) throw new EnvError(`invalid action for env ${this.firstIndex + i}: ${why}`);
    }
  }

  /**
   * One lockstep step. `actions`, `obs`, `rewards`, `terminated`, `truncated` are views whose row 0
   * is this batch's first env. Call `validate` first: then no env throws for its action.
   */
  step(actions: Float64Array, obs: Float64Array, rewards: Float64Array, terminated: Uint8Array, truncated: Uint8Array): Info[] {
    const infos: Info[] = new Array(this.envs.length);
    for (let i = 0; i < this.envs.length; i++) {
      const env = this.envs[i];
      if (this.needsReset[i] === 1) {
        const r = env.reset();
        flattenInto(env.observationSpace, r.observation, obs, i * this.obsDim);
        rewards[i] = 0;
        terminated[i] = 0;
        truncated[i] = 0;
        infos[i] = Object.assign({}, r.info, { autoreset: true });
        this.needsReset[i] = 0;
        continue;
      }
      const s = env.step(this.actions.read(actions, i));
      flattenInto(env.observationSpace, s.observation, obs, i * this.obsDim);
      rewards[i] = s.reward;
      terminated[i] = s.terminated ? 1 : 0;
      truncated[i] = s.truncated ? 1 : 0;
      infos[i] = s.info;
      if (s.terminated || s.truncated) this.needsReset[i] = 1;
    }
    return infos;
  }

  close(): void {
    for (const e of this.envs) e.close();
  }
}
