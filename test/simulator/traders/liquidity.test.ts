import { describe, expect, it } from 'vitest';
import { parseMarketSpec } from '../../../configs/index.ts';
import type { MarketSpec } from '../../../configs/index.ts';
import { Market, AGENT_OWNER, BUY, OWNER_LIQUIDITY } from '../../../simulator/index.ts';
import type { MessageRecorder } from '../../../simulator/index.ts';

/** Times at which the liquidity providers' orders started resting, from `from` on. */
function lpSubmissions(spec: MarketSpec, seed: number, agentAt: number | null, until: number): number[] {
  const m = Market.fromSpec(spec, seed);
  const times: number[] = [];
  const rec: MessageRecorder = {
    onSubmit: (time, id) => {
      if (m.book.orderOwner(id) === OWNER_LIQUIDITY) times.push(time);
    },
    onCancel: () => undefined,
    onExecute: () => undefined,
  };
  m.recorder = rec;
  if (agentAt !== null) {
    m.runUntil(agentAt);
    for (let k = 0; k < 10; k++) m.submitMarket(AGENT_OWNER, BUY, 1500);
  }
  m.runUntil(until);
  return times;
}

/** A market of liquidity providers alone (no intraday profile, no other trader), with these provider settings. */
function providersOnly(liquidity: Record<string, unknown>): MarketSpec {
  return parseMarketSpec({
    intraday: { enabled: false },
    liquidity,
    takers: { enabled: false },
    marketMakers: { enabled: false },
    fundamental: { enabled: false },
    momentum: { enabled: false },
    noise: { enabled: false },
    institutional: { enabled: false },
  });
}

describe('liquidity providers', () => {
  it('send limit orders at 2 × limitRate per second (Poisson count within 4 sd)', () => {
    const spec = providersOnly({ limitRate: 1.6, refillRate: 0 });
    const T = 5000;
    const n = lpSubmissions(spec, 2, null, T).length;
    const mean = 2 * 1.6 * T;
    expect(Math.abs(n - mean)).toBeLessThan(4 * Math.sqrt(mean));
  });

  it('draw limit arrivals from an exogenous clock: an agent shifts none of their times (common random numbers)', () => {
    // Refills are state-dependent by design: off here, so every LP order is a limit arrival.
    const spec = parseMarketSpec({ liquidity: { refillRate: 0 } });
    const a = lpSubmissions(spec, 4, null, 1500);
    const b = lpSubmissions(spec, 4, 300, 1500);
    expect(a.length).toBeGreaterThan(2000);
    expect(b).toEqual(a);
  });

  it('join the best queue with joinBestProbability: at 1 every order rests at its side\'s best price as it was', () => {
    const spec = providersOnly({ limitRate: 1, refillRate: 0, joinBestProbability: 1, cancelRate: 0.05 });
    const m = Market.fromSpec(spec, 3);
    let n = 0;
    let joined = 0;
    const bestBefore = { bid: 0, ask: 0 };
    const rec: MessageRecorder = {
      onSubmit: (_time, id, qty, price, side) => {
        if (m.book.orderOwner(id) !== OWNER_LIQUIDITY) return;
        n++;
        // The level held more than the order: it was there before, at the best as it was.
        if (price === (side === BUY ? bestBefore.bid : bestBefore.ask) && m.book.volumeAt(side, price) > qty) joined++;
      },
      onCancel: () => undefined,
      onExecute: () => undefined,
    };
    m.recorder = rec;
    for (let t = 1; t <= 2000; t += 0.01) {
      bestBefore.bid = m.book.bestBid();
      bestBefore.ask = m.book.bestAsk();
      m.runUntil(t);
    }
    expect(n).toBeGreaterThan(3000);
    // Joins never move the best, so the best before each 0.01 s step is the one each order saw,
    // unless a cancel emptied the best level earlier in the same step (the queue holds tens of
    // orders: it does not happen in this seeded run). Every order joined.
    expect(joined).toBe(n);
  });

  it('cancel orders at their side\'s best at bestCancelFactor × cancelRate and those behind at cancelRate (hazards within 4 sd)', () => {
    const f = 0.25;
    const theta = 0.2;
    const spec = providersOnly({ limitRate: 2, refillRate: 0, minDistanceTicks: 1, maxDistanceTicks: 10, cancelRate: theta, bestCancelFactor: f });
    const m = Market.fromSpec(spec, 5);
    let cBest = 0;
    let cBehind = 0;
    m.recorder = {
      onSubmit: () => undefined,
      // Reported after the book removed the order: a bid at the best level is at or above the best
      // left (the level may be gone), one behind it is below the best, which it did not touch.
      onCancel: (_t, id, _q, price, side) => {
        const best = side === BUY ? m.book.bestBid() : m.book.bestAsk();
        if (best === 0 || (side === BUY ? price >= best : price <= best)) cBest++;
        else cBehind++;
      },
      onExecute: () => undefined,
    };
    // Order-seconds at the best and behind, from the book on a 0.05 s grid (the grid is independent
    // of the flow, so its average is the time average).
    const dt = 0.05;
    let tBest = 0;
    let tBehind = 0;
    const t0 = m.now;
    for (let t = t0 + dt; t <= t0 + 3000; t += dt) {
      m.runUntil(t);
      const bid = m.book.bestBid();
      const ask = m.book.bestAsk();
      const n = m.book.liveCount();
      for (let i = 0; i < n; i++) {
        const id = m.book.liveOrderAt(i);
        if (m.book.orderPrice(id) === (m.book.orderSide(id) === BUY ? bid : ask)) tBest += dt;
        else tBehind += dt;
      }
    }
    expect(cBest).toBeGreaterThan(2000);
    expect(cBehind).toBeGreaterThan(2000);
    // Counts are Poisson given the exposure: relative sd 1/sqrt(count).
    expect(Math.abs(cBest / tBest / (f * theta) - 1)).toBeLessThan(4 / Math.sqrt(cBest));
    expect(Math.abs(cBehind / tBehind / theta - 1)).toBeLessThan(4 / Math.sqrt(cBehind));
  });
});
