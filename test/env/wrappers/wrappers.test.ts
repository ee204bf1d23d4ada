import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlmgrenChrissEnv } from '../../../env/ac/index.ts';
import { checkEnv } from '../../../env/checker.ts';
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../../../env/core.ts';
import { Box, Dict, Discrete } from '../../../env/spaces/index.ts';
import {
  ClipAction,
  FlattenObservation,
  NormalizeObservation,
  NormalizeReward,
  RecordEpisodeStatistics,
  RescaleAction,
  TimeLimit,
  type EpisodeStatistics,
} from '../../../env/wrappers/index.ts';

const act = (...a: number[]): Float64Array => Float64Array.from(a);

/** A Dict-observation env for FlattenObservation: counts steps, reward 1 per step, ends after 3. */
class DictEnv implements Env<Record<string, unknown>, number> {
  readonly observationSpace = new Dict({ k: new Discrete(4), v: new Box(0, 10, [1]) });
  readonly actionSpace = new Discrete(2);
  readonly metadata = {};
  private t = -1;
  reset(_args?: ResetArgs): ResetResult<Record<string, unknown>> {
    this.t = 0;
    return { observation: { k: 0, v: act(0) }, info: {} };
  }
  step(a: number): StepResult<Record<string, unknown>> {
    if (this.t < 0 || this.t >= 3) throw new EnvError('step out of order');
    if (!this.actionSpace.contains(a)) throw new EnvError(`bad action ${a}`);
    this.t++;
    return { observation: { k: this.t, v: act(this.t * 2) }, reward: 1, terminated: this.t === 3, truncated: false, info: {} };
  }
  close(): void {}
}

describe('wrappers', () => {
  it('TimeLimit truncates after maxEpisodeSteps and then refuses to step', () => {
    const env = new TimeLimit(new AlmgrenChrissEnv({ N: 10 }), 3);
    env.reset({ seed: 1 });
    expect(env.step(act(1)).truncated).toBe(false);
    env.step(act(1));
    const r = env.step(act(1));
    expect(r.truncated).toBe(true);
    expect(r.terminated).toBe(false);
    expect(() => env.step(act(1))).toThrow(/truncated at 3 steps/);
    env.reset();
    expect(env.elapsedSteps).toBe(0);
    expect(() => new TimeLimit(new AlmgrenChrissEnv(), 0)).toThrow(EnvError);
    expect(checkEnv(new TimeLimit(new AlmgrenChrissEnv({ N: 10 }), 4) as never).steps).toBeGreaterThan(0);
  });

  it('RecordEpisodeStatistics reports return and length at the end', () => {
    const env = new RecordEpisodeStatistics(new AlmgrenChrissEnv());
    env.reset({ seed: 2 });
    let sum = 0;
    let last: StepResult<Float64Array> | undefined;
    for (let k = 0; k < 5; k++) {
      last = env.step(act(1));
      sum += last.reward;
      if (k < 4) expect(last.info.episode).toBeUndefined();
    }
    const ep = last?.info.episode as EpisodeStatistics;
    expect(ep.r).toBeCloseTo(sum, 12);
    expect(ep.l).toBe(5);
    expect(ep.t).toBeGreaterThanOrEqual(0);
    expect(env.returnQueue).toEqual([ep.r]);
  });

  it('NormalizeObservation normalizes with running stats, freezes, saves and loads', () => {
    const env = new NormalizeObservation(new AlmgrenChrissEnv({ N: 20 }));
    expect((env.observationSpace as Box).isBounded()).toBe(false);
    for (let ep = 0; ep < 20; ep++) {
      env.reset({ seed: ep });
      for (let k = 0; k < 20; k++) env.step(act(1));
    }
    // time left is uniform on {1, 0.95, ..., 0}: mean 0.5.
    expect(env.rms.mean[0]).toBeCloseTo(0.5, 6);
    env.frozen = true;
    const saved = env.toJSON();
    const o = env.reset({ seed: 99 }).observation;
    expect(env.toJSON()).toEqual(saved);
    expect(o[0]).toBeCloseTo((1 - saved.mean[0]) / Math.sqrt(saved.var[0] + 1e-8), 12);
    const dir = mkdtempSync(join(tmpdir(), 'normobs-'));
    try {
      env.save(join(dir, 'obs.json'));
      const other = new NormalizeObservation(new AlmgrenChrissEnv({ N: 20 }));
      other.load(join(dir, 'obs.json'));
      other.frozen = true;
      expect(other.reset({ seed: 99 }).observation).toEqual(o);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => new NormalizeObservation(new DictEnv() as never)).toThrow(/1-d Box/);
  });

  it('NormalizeReward divides by the running std of the discounted return', () => {
    const inner = new NormalizeReward(new DictEnv(), 0.5);
    inner.reset();
    const r1 = inner.step(0).reward;
    // After one update with G = 1: count 1 + 1e-4, var = (1e-4 * 1 + 0 + 1 * 1e-4 * 1 / (1 + 1e-4)) / (1 + 1e-4).
    const c = 1 + 1e-4;
    const v = (1e-4 + (1e-4 * 1) / c) / c;
    expect(r1).toBeCloseTo(1 / Math.sqrt(v + 1e-8), 6);
    expect(() => new NormalizeReward(new DictEnv(), 2)).toThrow(/gamma/);
  });

  it('ClipAction clips finite actions into the inner box and rejects NaN', () => {
    const env = new ClipAction(new AlmgrenChrissEnv({ sigma: 0 }));
    env.reset({ seed: 1 });
    const r = env.step(act(100));
    expect(r.terminated).toBe(true);
    expect(r.info.tradedQty).toBe(1e6);
    env.reset({ seed: 1 });
    expect(env.step(act(-3)).info.tradedQty).toBe(0);
    expect(() => env.step(act(NaN))).toThrow(EnvError);
  });

  it('RescaleAction maps [-1, 1] onto the inner bounds', () => {
    const env = new RescaleAction(new AlmgrenChrissEnv({ sigma: 0 }));
    expect((env.actionSpace as Box).toJSON()).toMatchObject({ low: [-1], high: [1] });
    env.reset({ seed: 1 });
    // 0 maps to a = 2.5 of [0, 5]: 2.5 TWAP slices of 2e5.
    expect(env.step(act(0)).info.tradedQty).toBeCloseTo(5e5, 6);
    expect(() => env.step(act(1.5))).toThrow(/outside \[-1, 1\]/);
    expect(checkEnv(new RescaleAction(new AlmgrenChrissEnv()) as never).warnings).toEqual([]);
  });

  it('FlattenObservation one-hots Discrete parts of a Dict observation', () => {
    const env = new FlattenObservation(new DictEnv());
    expect(env.observationSpace.shape).toEqual([5]);
    expect(Array.from(env.reset().observation)).toEqual([1, 0, 0, 0, 0]);
    expect(Array.from(env.step(1).observation)).toEqual([0, 1, 0, 0, 2]);
  });

  it('wrappers expose the innermost env and pass metadata through', () => {
    const base = new AlmgrenChrissEnv();
    const env = new TimeLimit(new ClipAction(base), 5);
    expect(env.unwrapped).toBe(base);
    expect(env.metadata.id).toBe('Liquidate-AC-v0');
  });
});
