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

describe('liquidity providers', () => {
  it('send limit orders at 2 × limitRate per second (Poisson count within 4 sd)', () => {
    const spec = parseMarketSpec({
      intraday: { enabled: false },
      liquidity: { limitRate: 1.6, refillRate: 0 },
      takers: { enabled: false },
      marketMakers: { enabled: false },
      fundamental: { enabled: false },
      momentum: { enabled: false },
      noise: { enabled: false },
      institutional: { enabled: false },
    });
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
});
