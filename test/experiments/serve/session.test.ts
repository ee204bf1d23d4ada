import { describe, expect, it } from 'vitest';
import { SyncVectorEnv, make } from '../../../env/index.ts';
import { evaluate, evaluationSeeds, summarize } from '../../../experiments/evaluate/index.ts';
import { HAS_INFO, KIND, PROTOCOL_VERSION, ServeSession, TERMINATED, WANT_INFO } from '../../../experiments/serve/index.ts';
import { body, f64, hello, json, parse, type Reply } from './client.ts';

async function send(s: ServeSession, b: Buffer): Promise<Reply> {
  return parse(await s.handle(b));
}

async function session(): Promise<ServeSession> {
  const s = new ServeSession({ serverVersion: 'test' });
  const r = await send(s, hello());
  expect(r.kind).toBe(KIND.R_HELLO);
  expect(r.payload.toString('latin1', 0, 4)).toBe('EXGY');
  expect(r.payload.readUInt32LE(4)).toBe(PROTOCOL_VERSION);
  const info = json(r.payload, 8) as { envs: { id: string }[] };
  expect(info.envs.map((e) => e.id)).toContain('Liquidate-v0');
  return s;
}

function error(r: Reply): { name: string; message: string; category: string } {
  expect(r.kind).toBe(KIND.R_ERROR);
  return json(r.payload) as { name: string; message: string; category: string };
}

describe('ServeSession: start', () => {
  it('wants HELLO first, and refuses another protocol version (then asks to exit)', async () => {
    const s = new ServeSession();
    expect(error(await send(s, body(KIND.MAKE, 0, { id: 'Liquidate-v0' }))).message).toMatch(/first request must be HELLO/);
    const e = error(await send(s, hello(PROTOCOL_VERSION + 1)));
    expect(e.message).toContain(`client speaks version ${PROTOCOL_VERSION + 1}`);
    expect(s.exitRequested).toBe(true);
    const t = new ServeSession();
    expect(error(await send(t, hello(PROTOCOL_VERSION, 'NOPE'))).message).toMatch(/magic/);
  });

  it('answers unknown kinds, handles and malformed bodies with ERROR and stays usable', async () => {
    const s = await session();
    expect(error(await send(s, body(99))).message).toMatch(/unknown request kind 99/);
    expect(error(await send(s, body(KIND.STEP, 42, new Float64Array([1])))).message).toMatch(/unknown handle 42/);
    expect(error(await send(s, Buffer.from([1, 2]))).message).toMatch(/shorter than the 8-byte header/);
    expect(error(await send(s, body(KIND.MAKE, 0, Buffer.from('{not json')))).message).toMatch(/malformed/);
    const e = error(await send(s, body(KIND.MAKE, 0, { id: 'Nope-v0' })));
    expect(e.name).toBe('EnvError');
    expect(e.message).toMatch(/unknown env id "Nope-v0"/);
    expect((await send(s, body(KIND.MAKE, 0, { id: 'Liquidate-AC-v0' }))).kind).toBe(KIND.R_READY);
  });
});

describe('ServeSession: one env', () => {
  it('gives the observations, rewards and flags of the env itself, bit for bit; infos per mode', async () => {
    const s = await session();
    const ready = await send(s, body(KIND.MAKE, 0, { id: 'Liquidate-v0', options: { horizonSeconds: 120 }, infos: 'final' }));
    expect(ready.kind).toBe(KIND.R_READY);
    const h = ready.handle;
    const desc = json(ready.payload) as { observationSpace: { shape: number[] }; actionSpace: { type: string } };
    expect(desc.observationSpace.shape).toEqual([11]);
    const env = make('Liquidate-v0', { horizonSeconds: 120 });
    const r0 = env.reset({ seed: 5 });
    const o0 = await send(s, body(KIND.RESET, h, { seed: 5 }));
    expect(o0.kind).toBe(KIND.R_OBS);
    expect(f64(o0.payload, 0, 11)).toEqual(r0.observation);
    expect(json(o0.payload, 88)).toEqual(JSON.parse(JSON.stringify(r0.info)));
    const actions = [0.5, 2, 0, 1.25, 3, 1, 1, 1, 1, 1, 1, 1];
    for (let k = 0; ; k++) {
      const a = new Float64Array([actions[k]]);
      const want = env.step(a);
      // Ask for the info on even steps; 'final' mode sends it at the end anyway.
      const got = await send(s, body(KIND.STEP, h, a, k % 2 === 0 ? WANT_INFO : 0));
      expect(got.kind).toBe(KIND.R_STEPPED);
      expect(Object.is(got.payload.readDoubleLE(0), want.reward)).toBe(true);
      expect(f64(got.payload, 8, 11)).toEqual(want.observation);
      expect((got.flags & TERMINATED) !== 0).toBe(want.terminated);
      const withInfo = (got.flags & HAS_INFO) !== 0;
      expect(withInfo).toBe(k % 2 === 0 || want.terminated);
      if (withInfo) expect(json(got.payload, 96)).toEqual(JSON.parse(JSON.stringify(want.info)));
      else expect(got.payload.length).toBe(96);
      if (want.terminated) break;
    }
    // An unseeded reset continues the seed sequence, as the env's.
    const r1 = env.reset();
    expect(f64((await send(s, body(KIND.RESET, h, {}))).payload, 0, 11)).toEqual(r1.observation);
    expect((await send(s, body(KIND.CLOSE, h))).kind).toBe(KIND.R_OK);
    expect(error(await send(s, body(KIND.RESET, h, {}))).message).toMatch(/unknown handle/);
  });

  it('rejects a bad action with the env message and leaves the env untouched', async () => {
    const s = await session();
    const h = (await send(s, body(KIND.MAKE, 0, { id: 'Liquidate-v0', options: { horizonSeconds: 60 } }))).handle;
    const env = make('Liquidate-v0', { horizonSeconds: 60 });
    env.reset({ seed: 9 });
    await send(s, body(KIND.RESET, h, { seed: 9 }));
    for (const bad of [new Float64Array([Number.NaN]), new Float64Array([1, 2]), new Float64Array([11]), new Float64Array([-1])]) {
      const e = error(await send(s, body(KIND.STEP, h, bad)));
      expect(e.name).toBe('EnvError');
      expect(e.message).toMatch(/invalid action for Liquidate-v0/);
    }
    expect(error(await send(s, body(KIND.STEP, h, Buffer.from([1, 2, 3])))).message).toMatch(/whole number of float64/);
    const e = error(await send(s, body(KIND.RESET, h, { seed: -1 })));
    expect(e.message).toMatch(/-1/);
    // The trajectory goes on exactly as the env's without the bad calls.
    for (;;) {
      const a = new Float64Array([1]);
      const want = env.step(a);
      const got = await send(s, body(KIND.STEP, h, a));
      expect(f64(got.payload, 8, 11)).toEqual(want.observation);
      expect(got.payload.readDoubleLE(0)).toBe(want.reward);
      if (want.terminated) break;
    }
    expect(error(await send(s, body(KIND.STEP, h, new Float64Array([1])))).message).toMatch(/reset/);
  });

  it('takes Discrete actions as one float64', async () => {
    const s = await session();
    const ready = await send(s, body(KIND.MAKE, 0, { id: 'Liquidate-v0', options: { actionMode: 'discrete', horizonSeconds: 60 } }));
    expect((json(ready.payload) as { actionSpace: unknown }).actionSpace).toEqual({ type: 'Discrete', n: 4, start: 0 });
    const env = make('Liquidate-v0', { actionMode: 'discrete', horizonSeconds: 60 });
    env.reset({ seed: 3 });
    await send(s, body(KIND.RESET, ready.handle, { seed: 3 }));
    const want = env.step(2);
    const got = await send(s, body(KIND.STEP, ready.handle, new Float64Array([2])));
    expect(f64(got.payload, 8, 11)).toEqual(want.observation);
    expect(error(await send(s, body(KIND.STEP, ready.handle, new Float64Array([1.5])))).message).toMatch(/expected an integer in \[0, 3\], got 1.5/);
  });
});

describe('ServeSession: vector envs', () => {
  it('steps every env in one reply, identical to SyncVectorEnv, on this thread and on 2 workers; sparse final infos', async () => {
    const s = await session();
    const n = 4;
    const options = { horizonSeconds: 60 };
    const sync = SyncVectorEnv.fromId('Liquidate-v0', n, options);
    const want = sync.resetSync({ seed: 11 });
    const wantObs = [Float64Array.from(want.observations)];
    const wantRewards: Float64Array[] = [];
    const wantEnds: number[][] = [];
    const actions = new Float64Array(n);
    for (let t = 0; t < 9; t++) {
      for (let i = 0; i < n; i++) actions[i] = ((t + i) % 3) * 0.75;
      const r = sync.stepSync(actions);
      wantObs.push(Float64Array.from(r.observations));
      wantRewards.push(Float64Array.from(r.rewards));
      wantEnds.push([...r.terminated].flatMap((x, i) => (x === 1 ? [i] : [])));
    }
    for (const workers of [0, 2]) {
      const ready = await send(s, body(KIND.MAKE_VEC, 0, { id: 'Liquidate-v0', numEnvs: n, options, workers }));
      expect(ready.kind).toBe(KIND.R_READY);
      const h = ready.handle;
      const r0 = await send(s, body(KIND.VRESET, h, { seed: 11 }));
      expect(f64(r0.payload, 0, n * 11)).toEqual(wantObs[0]);
      expect((json(r0.payload, n * 88) as unknown[]).length).toBe(n);
      let sawEnd = false;
      for (let t = 0; t < 9; t++) {
        for (let i = 0; i < n; i++) actions[i] = ((t + i) % 3) * 0.75;
        const r = await send(s, body(KIND.VSTEP, h, actions));
        expect(r.kind).toBe(KIND.R_VSTEPPED);
        expect(f64(r.payload, 0, n)).toEqual(wantRewards[t]);
        expect(f64(r.payload, 8 * n, n * 11)).toEqual(wantObs[t + 1]);
        const term = [...r.payload.subarray(8 * n + 88 * n, 8 * n + 88 * n + n)].flatMap((x, i) => (x === 1 ? [i] : []));
        expect(term).toEqual(wantEnds[t]);
        const infos = (r.flags & HAS_INFO) !== 0 ? (json(r.payload, 8 * n + 88 * n + 2 * n) as { index: number[]; infos: Record<string, unknown>[] }) : { index: [], infos: [] };
        for (let k = 0; k < infos.index.length; k++) {
          const i = infos.index[k];
          if (term.includes(i)) {
            sawEnd = true;
            expect(infos.infos[k].remainingQty).toBe(0);
          } else expect(infos.infos[k]).toEqual({ autoreset: true });
        }
        for (const i of term) expect(infos.index).toContain(i);
      }
      expect(sawEnd).toBe(true);
      const bad = new Float64Array(n);
      bad[2] = Number.NaN;
      expect(error(await send(s, body(KIND.VSTEP, h, bad))).message).toMatch(/invalid action for env 2/);
      expect(error(await send(s, body(KIND.VSTEP, h, new Float64Array(n + 1)))).message).toMatch(/num_envs × action size = 4 × 1 = 4/);
      expect((await send(s, body(KIND.CLOSE, h))).kind).toBe(KIND.R_OK);
    }
    await s.closeAll();
  });
});

describe('ServeSession: evaluation of a client policy', () => {
  it('records episodes with runEpisode: a client acting as TWAP gets the twap records; the summary is summarize()', async () => {
    const s = await session();
    const episodes = 7;
    const envOptions = { horizonSeconds: 60 };
    const ready = await send(s, body(KIND.EVAL_START, 0, { env: 'Liquidate-v0', envOptions, episodes, seedOffset: 3, numEnvs: 3, policy: 'client-twap' }));
    expect(ready.kind).toBe(KIND.R_READY);
    const desc = json(ready.payload) as { numEnvs: number; obsDim: number; actionDim: number; seeds: { first: number; count: number } };
    expect(desc.seeds).toEqual({ first: 1e9 + 3, count: episodes, offset: 3 });
    const n = desc.numEnvs;
    let r = await send(s, body(KIND.EVAL_RESET, ready.handle));
    let steps = 0;
    const active = (p: Buffer): number[] => [...p.subarray(4 + 8 * n * 11, 4 + 8 * n * 11 + n)];
    expect(active(r.payload)).toEqual([1, 1, 1]);
    expect(error(await send(s, body(KIND.EVAL_FINISH, ready.handle, { baselines: [] }))).message).toMatch(/only 0 of 7 episodes/);
    while (active(r.payload).some((x) => x === 1)) {
      r = await send(s, body(KIND.EVAL_STEP, ready.handle, new Float64Array(n).fill(1)));
      expect(r.kind).toBe(KIND.R_EVAL_OBS);
      steps++;
    }
    expect(r.payload.readUInt32LE(0)).toBe(episodes);
    expect(steps).toBeGreaterThanOrEqual(Math.ceil(episodes / n) * 6);
    const done = await send(s, body(KIND.EVAL_FINISH, ready.handle, { baselines: ['twap'], workers: 0, records: true }));
    expect(done.kind).toBe(KIND.R_RESULT);
    const result = json(done.payload) as { policies: Record<string, unknown>; records: Record<string, { policy: string }[]>; table: string };
    const seeds = evaluationSeeds(episodes, 3);
    const twap = await evaluate('twap', 'Liquidate-v0', envOptions, seeds, { workers: 0 });
    expect(result.records.twap).toEqual(JSON.parse(JSON.stringify(twap)));
    expect(result.records['client-twap']).toEqual(JSON.parse(JSON.stringify(twap.map((x) => ({ ...x, policy: 'client-twap' })))));
    const client = twap.map((x) => ({ ...x, policy: 'client-twap' }));
    expect(result.policies).toEqual(JSON.parse(JSON.stringify(summarize({ 'client-twap': client, twap }, { lambdaPerBps: 0.01 }))));
    expect(result.table).toMatch(/client-twap/);
    expect(error(await send(s, body(KIND.EVAL_FINISH, ready.handle, { baselines: ['client-twap'] }))).message).toMatch(/also a baseline/);
  });

  it('checks every slot action before moving any env', async () => {
    const s = await session();
    const ready = await send(s, body(KIND.EVAL_START, 0, { env: 'Liquidate-AC-v0', episodes: 2, numEnvs: 2, policy: 'p' }));
    await send(s, body(KIND.EVAL_RESET, ready.handle));
    expect(error(await send(s, body(KIND.EVAL_STEP, ready.handle, new Float64Array([1, -3])))).message).toMatch(/invalid action for env 1 \(seed 1000000001\)/);
    const r = await send(s, body(KIND.EVAL_STEP, ready.handle, new Float64Array([1, 1])));
    expect(r.kind).toBe(KIND.R_EVAL_OBS);
    expect(error(await send(s, body(KIND.EVAL_START, 0, { env: 'Liquidate-AC-v0', episodes: 0, policy: 'p' }))).message).toMatch(/episodes must be an integer >= 1, got 0/);
  });
});
