/** FlattenObservation: observations become flat Float64Arrays (Discrete parts one-hot, Dict keys sorted). */
import type { Env } from '../core.ts';
import { type Box, type Space, flatten, flattenSpace } from '../spaces/index.ts';
import { Wrapper } from './wrapper.ts';

export class FlattenObservation<O, A> extends Wrapper<O, A, Float64Array> {
  private readonly flat: Box;

  constructor(env: Env<O, A>) {
    super(env);
    this.flat = flattenSpace(env.observationSpace as Space<unknown>);
  }

  override get observationSpace(): Space<Float64Array> {
    return this.flat;
  }

  protected override observation(observation: O): Float64Array {
    return flatten(this.env.observationSpace as Space<unknown>, observation);
  }
}
