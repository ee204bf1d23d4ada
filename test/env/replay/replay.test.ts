import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../../env/index.ts';
import { ReplayDriver, ReplayDriverError, ReplayExecutionEnv, REPLAY_AGENT_OWNER } from '../../../env/replay/index.ts';
import { Rng } from '../../../simulator/random/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/replay/index.ts';

const S0 = 34200;

type Msg = [number, number, number, number, number, number];

function files(msgs: Msg[], rows: number[][]): { messages: LobsterMessages; orderbook: LobsterOrderbook } {
  return {
    messages: {
      length: msgs.length,
      time: Float64Array.from(msgs, (r) => S0 + r[0]),
      type: Int8Array.from(msgs, (r) => r[1]),
      orderId: Float64Array.from(msgs, (r) => r[2]),
      size: Float64Array.from(msgs, (r) => r[3]),
      price: Float64Array.from(msgs, (r) => r[4]),
      direction: Int8Array.from(msgs, (r) => r[5]),
    },
    orderbook: { length: rows.length, levels: 1, values: Float64Array.from(rows.flat()) },
  };
}

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
    expect(d.submitMarket(REPLAY_AGENT_OWNER, -1, 30)).toBe(0);
    expect(d.outsideFills.length).toBe(1);
    expect(d.outsideFills.qty[0]).toBe(30);
    expect(d.outsideFills.sign[0]).toBe(-1);
    d.runUntil(4.5);
    // History executed 40 + 60 of order 1; the agent had already taken 30 of it, so only 70 traded
    // and order 2 (50) still rests at 99 untouched.
    const histFills = Array.from(d.tape.qty.subarray(1, d.tape.length));
    expect(histFills.reduce((a, b) => a + b, 0)).toBe(70);
    expect(d.bestBid()).toBe(99);
    expect(d.book.volumeAt(1, 99)).toBe(50);
    expect(d.report().consumedSkips).toBeGreaterThanOrEqual(1);
    d.runUntil(10);
    expect(d.bestBid()).toBe(98);
  });

  it('a resting agent order keeps its queue place: volume ahead trades first', () => {
    const d = new ReplayDriver(handMade());
    d.reset(1.5);
    const id = d.submitLimit(REPLAY_AGENT_OWNER, 1, 99, 20);
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
    const id = d.submitLimit(REPLAY_AGENT_OWNER, -1, 100, 20);
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
    expect(() => d.submitMarket(REPLAY_AGENT_OWNER, 0, 10)).toThrow(/side/);
    expect(() => d.submitLimit(REPLAY_AGENT_OWNER, 1, 0, 10)).toThrow(ReplayDriverError);
    expect(() => d.reset(1e6)).toThrow(/startSeconds/);
    expect(d.book.hash()).toBe(h);
    expect(() => new ReplayDriver({ ...handMade(), orderbook: { length: 2, levels: 1, values: new Float64Array(8) } })).toThrow(/row counts/);
  });
});

/**
 * A level-1 day of `seconds`: one bid and one ask level (99 / 101 ticks) refilled by adds every
 * second, executions of the front order every 3 s on a random side, deletions every 5 s.
 */
function longDay(seconds: number, seed: number): { messages: LobsterMessages; orderbook: LobsterOrderbook } {
  const rng = Rng.fromSeed(seed, 'long-day');
  const q: Record<number, [number, number][]> = { 1: [[1, 300]], [-1]: [[2, 300]] };
  let id = 3;
  const msgs: Msg[] = [];
  const rows: number[][] = [];
  const px = (side: number): number => (side === 1 ? 9900 : 10100);
  const row = (): number[] => [10100, q[-1].reduce((a, o) => a + o[1], 0), 9900, q[1].reduce((a, o) => a + o[1], 0)];
  for (let t = 1; t < seconds; t++) {
    const side = t % 2 === 0 ? 1 : -1;
    const size = 100 * rng.int(1, 3);
    q[side].push([id, size]);
    msgs.push([t, 1, id++, size, px(side), side]);
    rows.push(row());
    if (t % 3 === 0) {
      const s = rng.bernoulli(0.5) ? 1 : -1;
      if (q[s].length > 1) {
        const front = q[s][0];
        const take = Math.min(front[1], rng.int(1, 150));
        front[1] -= take;
        if (front[1] === 0) q[s].shift();
        msgs.push([t + 0.5, 4, front[0], take, px(s), s]);
        rows.push(row());
      }
    }
    if (t % 5 === 0) {
      const s = rng.bernoulli(0.5) ? 1 : -1;
      if (q[s].length > 1) {
        const o = q[s].pop() as [number, number];
        msgs.push([t + 0.7, 3, o[0], o[1], px(s), s]);
        rows.push(row());
      }
    }
  }
  return files(msgs, rows);
}

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
      let last = info;
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
    while (!r.terminated && (r.info.decisionIndex as number) < 11);
    expect((r.info.replay as { mismatches: number }).mismatches).toBe(0);
    expect(() => idle.step(new Float64Array([Number.NaN]))).toThrow();
  });

  it('rejects bad options', () => {
    expect(() => new ReplayExecutionEnv({ ...day, horizonSeconds: 100, decisionSeconds: 30 })).toThrow(/integer/);
    expect(() => new ReplayExecutionEnv({ ...day, quantity: 0 })).toThrow(/quantity/);
    expect(() => new ReplayExecutionEnv({ ...day, side: 'hold' as 'sell' })).toThrow(/side/);
    const env = new ReplayExecutionEnv({ ...day, sessionSeconds: 900, horizonSeconds: 120, decisionSeconds: 10 });
    expect(() => env.step(new Float64Array([1]))).toThrow(/before reset/);
  });
});
