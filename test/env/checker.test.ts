import { describe, expect, it } from 'vitest';
import { AlmgrenChrissEnv } from '../../env/ac/index.ts';
import { EnvCheckError, badActions, checkEnv, deepEqual } from '../../env/checker.ts';
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../../env/core.ts';
import { Box, Discrete } from '../../env/spaces/index.ts';
import { Rng } from '../../simulator/random/index.ts';

type Flaw = 'none' | 'nondeterministic-reset' | 'no-throw-after-end' | 'no-throw-before-reset' | 'obs-outside' | 'nan-reward' | 'mutates-on-bad-action' | 'accepts-bad-action' | 'reset-ignores-continue';

/** A random walk env with one configurable flaw. */
class ToyEnv implements Env<Float64Array, Float64Array> {
  readonly observationSpace = new Box(-100, 100, [2]);
  readonly actionSpace = new Box(-1, 1, [1]);
  readonly metadata = {};
  private rng = Rng.fromSeed(0, 'toy');
  private t = 0;
  private x = 0;
  private started = false;
  private resets = 0;
  constructor(private readonly flaw: Flaw) {}

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    this.resets++;
    if (args.seed !== undefined) this.rng = Rng.fromSeed(this.flaw === 'nondeterministic-reset' ? args.seed + this.resets : args.seed, 'toy');
    else if (this.flaw === 'reset-ignores-continue') this.rng = Rng.fromSeed(this.resets, 'toy');
    this.t = 0;
    this.x = this.rng.normal();
    this.started = true;
    return { observation: this.obs(), info: { t: 0 } };
  }

  step(a: Float64Array): StepResult<Float64Array> {
    if (!this.started && this.flaw !== 'no-throw-before-reset') throw new EnvError('step before reset');
    if (this.t >= 5 && this.flaw !== 'no-throw-after-end') throw new EnvError('step after end');
    if (!this.actionSpace.contains(a)) {
      if (this.flaw === 'mutates-on-bad-action') this.x += 1;
      if (this.flaw !== 'accepts-bad-action') throw new EnvError(`bad action ${String(a)}`);
    }
    const u = this.flaw === 'accepts-bad-action' && !this.actionSpace.contains(a) ? 0 : a[0];
    this.x += u + this.rng.normal();
    this.t++;
    return { observation: this.obs(), reward: this.flaw === 'nan-reward' ? NaN : -Math.abs(this.x), terminated: this.t >= 5, truncated: false, info: { t: this.t } };
  }

  close(): void {}

  private obs(): Float64Array {
    const o = new Float64Array([this.t / 5, Math.max(-99, Math.min(99, this.x))]);
    if (this.flaw === 'obs-outside' && this.t === 2) o[0] = 1000;
    return o;
  }
}

describe('checkEnv', () => {
  it('passes a correct env', () => {
    const r = checkEnv(new ToyEnv('none'));
    expect(r.warnings).toEqual([]);
    expect(r.steps).toBe(30);
  });

  const cases: [Flaw, RegExp][] = [
    ['nondeterministic-reset', /not deterministic/],
    ['no-throw-after-end', /after the episode ended/],
    ['no-throw-before-reset', /before reset\(\) must throw/],
    ['obs-outside', /not in the observation space/],
    ['nan-reward', /reward must be a finite number/],
    ['mutates-on-bad-action', /rejected bad actions/],
    ['accepts-bad-action', /bad action .* must throw/],
    ['reset-ignores-continue', /different observations/],
  ];
  for (const [flaw, msg] of cases) {
    it(`catches ${flaw}`, () => {
      expect(() => checkEnv(new ToyEnv(flaw))).toThrow(EnvCheckError);
      expect(() => checkEnv(new ToyEnv(flaw))).toThrow(msg);
    });
  }

  it('passes Liquidate-AC-v0 and warns that its action space is not [-1, 1]', () => {
    expect(checkEnv(new AlmgrenChrissEnv() as never).warnings.join()).toMatch(/RescaleAction/);
  });

  it('bad actions cover NaN, infinities, shape and bounds', () => {
    const labels = badActions(new Box([0, -1], [1, 1])).map(([l]) => l);
    expect(labels).toEqual(expect.arrayContaining(['NaN at 0', '+Infinity at 1', 'above high at 0', 'below low at 1', 'wrong length (one more)', 'wrong length (one less)']));
    expect(badActions(new Discrete(3)).map(([l]) => l)).toEqual(expect.arrayContaining(['one past the end', 'a fraction']));
  });

  it('deepEqual compares typed arrays, NaN and nested objects', () => {
    expect(deepEqual({ a: new Float64Array([NaN, 1]), b: [1, { c: 2 }] }, { a: new Float64Array([NaN, 1]), b: [1, { c: 2 }] })).toBe(true);
    expect(deepEqual(new Float64Array([1]), new Float32Array([1]))).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });
});
