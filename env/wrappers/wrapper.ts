/**
 * Wrapper: an env around an env (Gymnasium's `Wrapper`). A concrete wrapper overrides one hook:
 * - `observation(obs)`: maps each observation (reset and step), e.g. FlattenObservation;
 * - `action(act)`: maps the outer action to the inner env's action, e.g. ClipAction;
 * - `reward(r)`: maps each step reward;
 * - `onReset(result)` / `onStep(result)`: sees (and may replace) whole results, e.g. TimeLimit.
 * Spaces and metadata pass through unless the wrapper overrides their getters.
 */
import type { Env, Info, ResetArgs, ResetResult, StepResult } from '../core.ts';
import type { Space } from '../spaces/index.ts';

export class Wrapper<O = Float64Array, A = Float64Array | number, WO = O, WA = A> implements Env<WO, WA> {
  readonly env: Env<O, A>;

  constructor(env: Env<O, A>) {
    this.env = env;
  }

  get observationSpace(): Space<WO> {
    return this.env.observationSpace as unknown as Space<WO>;
  }

  get actionSpace(): Space<WA> {
    return this.env.actionSpace as unknown as Space<WA>;
  }

  get metadata(): Record<string, unknown> {
    return this.env.metadata;
  }

  /** The innermost (unwrapped) env. */
  get unwrapped(): Env<unknown, unknown> {
    let e: unknown = this.env;
    while (e instanceof Wrapper) e = e.env;
    return e as Env<unknown, unknown>;
  }

  reset(args?: ResetArgs): ResetResult<WO> {
    const r = this.env.reset(args);
    return this.onReset({ observation: this.observation(r.observation), info: r.info });
  }

  step(action: WA): StepResult<WO> {
    const r = this.env.step(this.action(action));
    return this.onStep({
      observation: this.observation(r.observation),
      reward: this.reward(r.reward),
      terminated: r.terminated,
      truncated: r.truncated,
      info: r.info,
    });
  }

  close(): void {
    this.env.close();
  }

  protected observation(observation: O): WO {
    return observation as unknown as WO;
  }

  protected action(action: WA): A {
    return action as unknown as A;
  }

  protected reward(reward: number): number {
    return reward;
  }

  protected onReset(result: ResetResult<WO>): ResetResult<WO> {
    return result;
  }

  protected onStep(result: StepResult<WO>): StepResult<WO> {
    return result;
  }
}

/** A copy of `info` with `extra` added (wrappers never mutate the inner env's info). */
export function withInfo(info: Info, extra: Info): Info {
  return Object.assign({}, info, extra);
}
