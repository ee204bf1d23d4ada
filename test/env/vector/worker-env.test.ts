import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SyncVectorEnv, WorkerVectorEnv } from '../../../env/vector/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

describe('WorkerVectorEnv', () => {
  it('gives exactly the results of SyncVectorEnv for the same seeds, autoresets included', async () => {
    const n = 5;
    const options = { N: 6 };
    const w = await WorkerVectorEnv.create({ id: 'Liquidate-AC-v0', numEnvs: n, numWorkers: 2, options, infos: 'all' });
    try {
      const s = SyncVectorEnv.fromId('Liquidate-AC-v0', n, options);
      expect(w.obsDim).toBe(s.obsDim);
      expect(w.singleObservationSpace).toEqual(s.singleObservationSpace);
      const rw = await w.reset({ seed: 77 });
      const rs = await s.reset({ seed: 77 });
      expect(Array.from(rw.observations)).toEqual(Array.from(rs.observations));
      expect(rw.infos).toEqual(rs.infos);
      const rng = Rng.fromSeed(5, 'actions');
      const actions = new Float64Array(n);
      for (let t = 0; t < 20; t++) {
        for (let i = 0; i < n; i++) actions[i] = rng.uniform(0, 3);
        const a = await w.step(actions);
        const b = await s.step(actions);
        expect(Array.from(a.observations)).toEqual(Array.from(b.observations));
        expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
        expect(Array.from(a.terminated)).toEqual(Array.from(b.terminated));
        expect(Array.from(a.truncated)).toEqual(Array.from(b.truncated));
        expect(a.infos).toEqual(b.infos);
      }
      await expect(w.step(new Float64Array(n).fill(100))).rejects.toThrow(/invalid action for env/);
      // reset() without a seed continues every env's streams in both.
      const cw = await w.reset();
      const cs = await s.reset();
      expect(Array.from(cw.observations)).toEqual(Array.from(cs.observations));
    } finally {
      await w.close();
    }
  });

  it('imports `modules` in the workers (custom registrations) and can skip infos', async () => {
    const path = fileURLToPath(new URL('./custom-env.ts', import.meta.url));
    const w = await WorkerVectorEnv.create({ id: 'Custom-AC-v0', numEnvs: 2, numWorkers: 2, modules: [path], infos: false });
    try {
      await w.reset({ seed: 1 });
      const a = new Float64Array([1, 1]);
      await w.step(a);
      const s = await w.step(a);
      expect(Array.from(s.terminated)).toEqual([1, 1]);
      expect(s.infos).toEqual([{}, {}]);
      const r = await w.step(a);
      expect(r.infos).toEqual([{ autoreset: true }, { autoreset: true }]);
      expect(Array.from(r.rewards)).toEqual([0, 0]);
    } finally {
      await w.close();
    }
  });

  it("by default ('final') returns full infos only where an episode ended, with identical batches", async () => {
    const n = 3;
    const options = { N: 3 };
    const w = await WorkerVectorEnv.create({ id: 'Liquidate-AC-v0', numEnvs: n, numWorkers: 2, options });
    try {
      expect(w.infoMode).toBe('final');
      const s = SyncVectorEnv.fromId('Liquidate-AC-v0', n, options);
      const rw = await w.reset({ seed: 5 });
      const rs = await s.reset({ seed: 5 });
      expect(rw.infos).toEqual(rs.infos);
      const rng = Rng.fromSeed(7, 'actions');
      const actions = new Float64Array(n);
      let ends = 0;
      let autoresets = 0;
      for (let t = 0; t < 12; t++) {
        for (let i = 0; i < n; i++) actions[i] = rng.uniform(0, 3);
        const a = await w.step(actions);
        const b = await s.step(actions);
        expect(Array.from(a.observations)).toEqual(Array.from(b.observations));
        expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
        expect(Array.from(a.terminated)).toEqual(Array.from(b.terminated));
        expect(Array.from(a.truncated)).toEqual(Array.from(b.truncated));
        for (let i = 0; i < n; i++) {
          if (b.terminated[i] === 1 || b.truncated[i] === 1) {
            ends++;
            expect(a.infos[i]).toEqual(b.infos[i]);
            expect(typeof a.infos[i].executedQty).toBe('number');
          } else if (b.infos[i].autoreset === true) {
            autoresets++;
            expect(a.infos[i]).toEqual({ autoreset: true });
          } else {
            expect(a.infos[i]).toEqual({});
          }
        }
      }
      expect(ends).toBeGreaterThan(0);
      expect(autoresets).toBeGreaterThan(0);
    } finally {
      await w.close();
    }
  });

  it('reports a failing env step, a busy call, a dying worker and use after close, without hanging', async () => {
    const path = fileURLToPath(new URL('./faulty-env.ts', import.meta.url));
    const w = await WorkerVectorEnv.create({ id: 'Faulty-AC-v0', numEnvs: 3, numWorkers: 2, modules: [path] });
    await w.reset({ seed: 2 });
    await expect(w.step(new Float64Array([1, 1, 4.5]))).rejects.toThrow(/worker 1 \(envs 2\.\.2\): Error: faulty env: action 4\.5/);
    const first = w.step(new Float64Array([1, 1, 1]));
    // The rejected call must not touch the shared action buffer the workers are reading.
    await expect(w.step(new Float64Array([2, 2, 2]))).rejects.toThrow(/before the previous reset\/step finished/);
    expect(Array.from(w.actionBuffer)).toEqual([1, 1, 1]);
    await first;
    await expect(w.step(new Float64Array([4.75, 1, 1]))).rejects.toThrow(/worker 0 exited \(code 3\)/);
    await expect(w.step(new Float64Array([1, 1, 1]))).rejects.toThrow(/worker 0 exited/);
    await w.close();
    await w.close();
    await expect(w.reset()).rejects.toThrow(/after close/);
  });

  it('reports env construction errors from the workers and validates its options', async () => {
    await expect(WorkerVectorEnv.create({ id: 'Liquidate-AC-v0', numEnvs: 2, infos: 'some' as never })).rejects.toThrow(/infos must be 'all', 'final', 'none' or a boolean, got "some"/);
    await expect(WorkerVectorEnv.create({ id: 'Liquidate-AC-v0', numEnvs: 2, options: { N: -1 } })).rejects.toThrow(/worker \d .*EnvError: invalid Liquidate-AC-v0 options/);
    await expect(WorkerVectorEnv.create({ id: 'Liquidate-AC-v0', numEnvs: 2, numWorkers: 3 })).rejects.toThrow(/numWorkers/);
  });
});

describe('WorkerVectorEnv on the market', () => {
  it('equals SyncVectorEnv for Liquidate-Limit-v0 with random actions', async () => {
    const options = { market: {}, horizonSeconds: 60, decisionSeconds: 10 };
    const n = 3;
    const w = await WorkerVectorEnv.create({ id: 'Liquidate-Limit-v0', numEnvs: n, numWorkers: 2, options, infos: 'all' });
    try {
      const s = SyncVectorEnv.fromId('Liquidate-Limit-v0', n, options);
      const rw = await w.reset({ seed: 9 });
      const rs = await s.reset({ seed: 9 });
      expect(Array.from(rw.observations)).toEqual(Array.from(rs.observations));
      expect(rw.infos).toEqual(rs.infos);
      const rng = Rng.fromSeed(6, 'actions');
      const actions = new Float64Array(n * 2);
      for (let t = 0; t < 15; t++) {
        for (let i = 0; i < n; i++) {
          actions[2 * i] = rng.uniform(0, 3);
          actions[2 * i + 1] = rng.uniform(-3, 3);
        }
        const a = await w.step(actions);
        const b = await s.step(actions);
        expect(Array.from(a.observations)).toEqual(Array.from(b.observations));
        expect(Array.from(a.rewards)).toEqual(Array.from(b.rewards));
        expect(Array.from(a.terminated)).toEqual(Array.from(b.terminated));
        expect(a.infos).toEqual(b.infos);
      }
    } finally {
      await w.close();
    }
  });
});
