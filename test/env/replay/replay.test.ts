import { describe, expect, it } from 'vitest';
import { checkEnv, EnvError, make } from '../../../env/index.ts';
import { ReplayExecutionEnv } from '../../../env/replay/index.ts';
import { ReplayDriver, ReplayDriverError } from '../../../simulator/replay/index.ts';
import { AGENT_OWNER } from '../../../simulator/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPolicies, makePolicy, parsePolicySpec } from '../../../agents/index.ts';
import { baselineSpec } from '../../../experiments/evaluate/baselines.ts';
import { runEpisode } from '../../../experiments/evaluate/episode.ts';
import { makeEnvForPolicy } from '../../../experiments/evaluate/run.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/lobster/index.ts';

import { files, longDay } from './days.ts';

/**
 * A hand-made level-1 day (tick 100, prices in LOBSTER units): asks at 101 ticks rest before the
 * open (unknown ids); bids at 99 are orders 1 and 2; order 1 is executed in two fills, order 2
 * deleted, the bid level at 98 then enters from below; a buyer takes the whole ask level and 102
 * enters; a hidden execution prints at 100.
 */
function handMade(): { messages: LobsterMessages; orderbook: LobsterOrderbook } {
  return files(
    [
      [1, 1, 1, 100, 9900, 1],
      [2, 1, 2, 50, 9900, 1],
      [3, 4, 1, 40, 9900, 1],
      [4, 4, 1, 60, 9900, 1],
      [5, 3, 2, 50, 9900, 1],
      [6, 4, 99, 200, 10100, -1],
      [7, 5, 0, 30, 10000, 1],
    ],
    [
      [10100, 200, 9900, 100],
      [10100, 200, 9900, 150],
      [10100, 200, 9900, 110],
      [10100, 200, 9900, 50],
      [10100, 200, 9800, 300],
      [10200, 100, 9800, 300],
      [10200, 100, 9800, 300],
    ],
  );
}

describe('ReplayDriver', () => {
  it('without an agent reproduces the file: same touch, no divergence, the trades on the tape', () => {
    const d = new ReplayDriver(handMade());
    d.reset(0);
    d.runUntil(10);
    expect(d.finished).toBe(true);
    expect(d.bestBid()).toBe(98);
    expect(d.bestAsk()).toBe(102);
    const r = d.report();
    expect(r.mismatches).toBe(0);
    expect(r.reseeded).toBe(2);
    expect(Array.from(d.tape.qty.subarray(0, d.tape.length))).toEqual([40, 60, 200, 30]);
    // Executions of bids are sells (−1), of asks buys (+1); the hidden print keeps its direction's sign.
    expect(Array.from(d.tape.sign.subarray(0, d.tape.length))).toEqual([-1, -1, 1, -1]);
    // A start before the first row starts at that row (t = 1 s): samples at 1, 2, ..., 10 s.
    expect(d.series.t0).toBe(1);
    expect(d.series.length).toBe(10);
    expect(d.series.mid[3]).toBe(100);
  });

  it('the agent taking liquidity shrinks later historical executions of that volume', () => {
    const d = new ReplayDriver(handMade());
    d.reset(1.5);
    // Seeded from row 0: 100 shares at 99 (order 1, now unknown: synthetic) and 200 at 101.
    expect(d.submitMarket(AGENT_OWNER, -1, 30)).toBe(30);
    expect(d.outsideFills.length).toBe(1);
    expect(d.outsideFills.qty[0]).toBe(30);
    expect(d.outsideFills.side[0]).toBe(-1);
    expect(d.outsideFills.owner[0]).toBe(AGENT_OWNER);
    d.runUntil(4.5);
    // History executed 40 + 60 of order 1; the agent had already taken 30 of it, so only 70 traded
    // and order 2 (50) still rests at 99 untouched.
    const histFills = Array.from(d.tape.qty.subarray(1, d.tape.length));
    expect(histFills.reduce((a: number, b: number) => a + b, 0)).toBe(70);
    expect(d.bestBid()).toBe(99);
    expect(d.book.volumeAt(1, 99)).toBe(50);
    expect(d.report().consumedSkips).toBeGreaterThanOrEqual(1);
    d.runUntil(10);
    expect(d.bestBid()).toBe(98);
  });

  it('a resting agent order keeps its queue place: volume ahead trades first', () => {
    const d = new ReplayDriver(handMade());
    d.reset(1.5);
    const id = d.submitLimit(AGENT_OWNER, 1, 99, 20);
    expect(d.isResting(id)).toBe(true);
    expect(d.queueAhead(id)).toBe(100);
    d.runUntil(4.5);
    // The two executions (100) took exactly the 100 shares ahead of the agent.
    expect(d.orderQty(id)).toBe(20);
    expect(d.queueAhead(id)).toBe(0);
    expect(d.outsideFills.length).toBe(0);
  });

  it('a historical buyer meets the agent ask inside the spread first; the rest of its size stays in the book', () => {
    const d = new ReplayDriver(handMade());
    d.reset(5.5);
    const id = d.submitLimit(AGENT_OWNER, -1, 100, 20);
    d.runUntil(6.5);
    expect(d.isResting(id)).toBe(false);
    expect(d.outsideFills.length).toBe(1);
    expect(d.outsideFills.price[0]).toBe(100);
    expect(d.outsideFills.aggressive[0]).toBe(0);
    // History's 200-share buy took the agent's 20 and 180 of the 200 at 101: 20 remain (the agent's impact).
    expect(d.book.volumeAt(-1, 101)).toBe(20);
    expect(d.report().mismatches).toBeGreaterThan(0);
  });

  it('rejects bad input and leaves the state as it was', () => {
    const d = new ReplayDriver(handMade());
    d.reset(0);
    d.runUntil(2.5);
    const h = d.book.hash();
    expect(() => d.runUntil(1)).toThrow(ReplayDriverError);
    expect(() => d.submitMarket(5, -1, 10)).toThrow(/owner/);
    expect(() => d.submitMarket(AGENT_OWNER, 0, 10)).toThrow(/side/);
    expect(() => d.submitLimit(AGENT_OWNER, 1, 0, 10)).toThrow(ReplayDriverError);
    expect(() => d.reset(1e6)).toThrow(/startSeconds/);
    expect(d.book.hash()).toBe(h);
    expect(() => new ReplayDriver({ ...handMade(), orderbook: { length: 2, levels: 1, values: new Float64Array(8) } })).toThrow(/row counts/);
  });
});

describe('ReplayExecutionEnv', () => {
  const day = longDay(900, 3);

  it('passes the env checker', () => {
    const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, quantity: 600, horizonSeconds: 120, decisionSeconds: 10 });
    const report = checkEnv(env);
    expect(report.steps).toBeGreaterThan(0);
  });

  it('TWAP sells the parent order; rewards sum to −IS_bps; the replay follows the file when the agent is idle', () => {
    for (const actionMode of ['market', 'limit'] as const) {
      const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, quantity: 600, horizonSeconds: 120, decisionSeconds: 10, actionMode, startSeconds: 300 });
      const { observation, info } = env.reset({ seed: 1 });
      expect(env.observationSpace.contains(observation)).toBe(true);
      expect(info.arrivalPrice).toBe(100);
      let sum = 0;
      let last: { executedQty: number; unfilledQty: number; isBps: number } = info;
      let steps = 0;
      for (;;) {
        const r = env.step(actionMode === 'market' ? new Float64Array([1]) : new Float64Array([1, 0]));
        expect(env.observationSpace.contains(r.observation)).toBe(true);
        sum += r.reward;
        last = r.info;
        steps++;
        if (r.terminated) break;
      }
      expect(steps).toBe(12);
      expect(last.executedQty as number).toBe(600 - (last.unfilledQty as number));
      expect(sum).toBeCloseTo(-(last.isBps as number), 9);
      // A seller hitting bids at 99 against an arrival mid of 100 pays at least one tick's half-spread.
      if (actionMode === 'market') expect(last.isBps as number).toBeGreaterThanOrEqual(100);
    }
    const idle = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, quantity: 600, horizonSeconds: 120, decisionSeconds: 10, startSeconds: 300 });
    idle.reset({ seed: 1 });
    let r;
    do r = idle.step(new Float64Array([0]));
    while (!r.terminated && r.info.decisionIndex < 11);
    expect(r.terminated).toBe(false);
    do r = idle.step(new Float64Array([0]));
    while (!r.terminated);
    expect((r.info.marketReport as { mismatches: number }).mismatches).toBe(0);
    expect(() => idle.step(new Float64Array([Number.NaN]))).toThrow();
  });

  it('rejects bad options with an EnvError naming the field, before any episode', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ horizonSeconds: 100, decisionSeconds: 30 }, /integer/],
      [{ quantity: 0 }, /quantity/],
      [{ side: 'hold' }, /side/],
      [{ unfilledPenaltyBps: Number.NaN }, /unfilledPenaltyBps/],
      [{ unfilledPenaltyBps: -5 }, /unfilledPenaltyBps/],
      [{ sessionStart: Number.NaN }, /sessionStart/],
      [{ sessionSeconds: -1 }, /sessionSeconds/],
      [{ tickSize: 0.5 }, /tickSize/],
      [{ colour: 'red' }, /unknown option.*colour/],
      [{ messages: 42 }, /messages/],
    ];
    for (const [o, re] of bad) {
      expect(() => new ReplayExecutionEnv({ ...day, ...o })).toThrow(EnvError);
      expect(() => new ReplayExecutionEnv({ ...day, ...o })).toThrow(re);
    }
    expect(() => new ReplayExecutionEnv({ messages: '/no/such/file.csv', orderbook: '/no/such/book.csv' })).toThrow(/no\/such\/file/);
    const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, horizonSeconds: 120, decisionSeconds: 10 });
    expect(() => env.step(new Float64Array([1]))).toThrow(/before reset/);
  });

  it('is registered: make() without data files says what it needs', () => {
    expect(() => make('Liquidate-Replay-v0')).toThrow(EnvError);
    expect(() => make('Liquidate-Replay-v0')).toThrow(/needs a LOBSTER day: options.messages and options.orderbook/);
    const env = make('Liquidate-Replay-v0', { ...day, sessionSeconds: 900, horizonSeconds: 120, decisionSeconds: 10 });
    expect(env).toBeInstanceOf(ReplayExecutionEnv);
    expect(env.metadata.id).toBe('Liquidate-Replay-v0');
  });

  it('an unseeded reset continues the seed sequence like the other envs (not seed 0 again)', () => {
    const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, horizonSeconds: 60, decisionSeconds: 10 });
    const first = env.reset({ seed: 11 }).info;
    const starts = [first.startSeconds];
    for (let i = 0; i < 6; i++) starts.push(env.reset().info.startSeconds);
    expect(new Set(starts).size).toBeGreaterThan(3);
    const again = env.reset({ seed: 11 }).info;
    expect(again.startSeconds).toBe(first.startSeconds);
    expect(again.quantity).toBe(first.quantity);
    expect(env.reset().info.startSeconds).toBe(starts[1]);
  });

  it('rewards sum to −IS to 1e−9 in every action mode, with fees; every baseline (VWAP, POV and AC calibrated on the day included) runs on it', () => {
    const rng = Rng.fromSeed(4, 'replay-test');
    for (const actionMode of ['market', 'limit', 'discrete'] as const) {
      const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, horizonSeconds: 120, decisionSeconds: 10, actionMode, makerFeeBps: -0.2, takerFeeBps: 0.3, aMax: 3 });
      for (let ep = 0; ep < 8; ep++) {
        const r0 = env.reset({ seed: 100 + ep });
        expect(r0.info.expectedCumulativeVolume.length).toBe(13);
        let sum = 0;
        for (;;) {
          const s = env.step(env.actionSpace.sample(rng));
          sum += s.reward;
          if (s.terminated) {
            expect(Math.abs(sum + s.info.isBps)).toBeLessThan(1e-9);
            expect(s.info.remainingQty).toBe(0);
            break;
          }
        }
      }
    }
    const names = listPolicies();
    expect(names).toEqual(expect.arrayContaining(['twap', 'passive-twap', 'vwap', 'pov', 'ac', 'sell-now']));
    const options = { ...day, sessionSeconds: 900, horizonSeconds: 120, decisionSeconds: 10 };
    const cacheDir = mkdtempSync(join(tmpdir(), 'eg-replay-ac-'));
    for (const name of names) {
      // AC's parameters are calibrated on the replayed day itself (a few seeds here).
      const spec = parsePolicySpec(baselineSpec(name, 'Liquidate-Replay-v0', options, { calibrationSeeds: 4, cacheDir }).spec);
      const policy = makePolicy(spec.name, spec.options);
      const env = makeEnvForPolicy('Liquidate-Replay-v0', options, policy);
      for (const seed of [1, 2, 3]) {
        const rec = runEpisode(env, policy, seed);
        expect(rec.completion).toBe(1);
        expect(Math.abs(rec.rewardSum + rec.isBps)).toBeLessThan(1e-9);
      }
    }
  });
});
