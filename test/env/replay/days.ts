/** Small LOBSTER-format days built in memory for the replay tests (no files needed). */
import { Rng } from '../../../simulator/random/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/lobster/index.ts';

export const S0 = 34200;

export type Msg = [number, number, number, number, number, number];

export function files(msgs: Msg[], rows: number[][]): { messages: LobsterMessages; orderbook: LobsterOrderbook } {
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
 * A level-1 day of `seconds`: one bid and one ask level (99 / 101 ticks) refilled by adds every
 * second, executions of the front order every 3 s on a random side, deletions every 5 s.
 */
export function longDay(seconds: number, seed: number): { messages: LobsterMessages; orderbook: LobsterOrderbook } {
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

