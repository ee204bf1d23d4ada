/**
 * Latency between the agent and the exchange (the task's `latency` option, configs/latency.ts):
 * cancel/fill races both ways, the delayed observation against the book's own history,
 * determinism and stream independence, exact accounting, zero latency = no latency bit for bit,
 * bad configs; and the background traders' order-entry latency.
 */
import { describe, expect, it } from 'vitest';
import { EnvError, make } from '../../../env/index.ts';
import { FEATURES, FeatureComputer, type FeatureState } from '../../../env/execution/features.ts';
import { ReplayExecutionEnv } from '../../../env/replay/index.ts';
import { AGENT_OWNER, Market, OWNER_NOISE, SELL, randomizeMarket } from '../../../simulator/index.ts';
import { SEND_MARKET, NOTIFY_NONE } from '../../../simulator/traders/types.ts';
import { Rng } from '../../../simulator/random/index.ts';
import { loadMarketConfig } from '../../../configs/index.ts';
import { episodesHash } from '../golden-hash.ts';
import { makePolicy } from '../../../agents/baselines/registry.ts';
import { files } from '../replay/days.ts';

/**
 * A hand-made level-1 day: bids 100 @ 99, asks 200 @ 101 (resting before the open), a
 * historical buyer executing 30 shares against the ask side at 11.05 s, a new bid at 30 s.
 */
function raceDay() {
  return files(
    [
      [0.5, 1, 1, 100, 9900, 1],
      [11.05, 4, 99, 30, 10100, -1],
      [30, 1, 2, 10, 9800, 1],
    ],
    [
      [10100, 200, 9900, 100],
      [10100, 170, 9900, 100],
      [10100, 170, 9900, 100],
    ],
  );
}

/**
 * Sell 50 shares over 20 s from t = 1 s: at t = 1 a limit order of 50 (2 TWAP slices) at 100 (one tick inside the
 * spread, so the 11.05 s buyer meets it first), at t = 11 a cancel (size 0), then the sweep at 21 s.
 */
function raceEpisode(orderSeconds: number) {
  const env = new ReplayExecutionEnv({
    ...raceDay(),
    quantity: 50,
    horizonSeconds: 20,
    decisionSeconds: 10,
    startSeconds: 1,
    actionMode: 'limit',
    aMax: 10,
    latency: { order: { seconds: orderSeconds } },
  });
  env.reset({ seed: 1 });
  const a = env.step(Float64Array.of(2, -1));
  const b = env.step(Float64Array.of(0, 0));
  return { a, b, sum: a.reward + b.reward };
}

describe('latency: cancel against fill', () => {
  it('a cancel that arrives before the historical buyer removes the order: no fill, the cancel took effect', () => {
    const { b, sum } = raceEpisode(0.01);
    expect(b.terminated).toBe(true);
    expect(b.info.passiveQty).toBe(0);
    expect(b.info.latency?.cancelsSent).toBe(1);
    expect(b.info.latency?.cancelsLate).toBe(0);
    // All 50 went in the sweep against the bids at 99.
    expect(b.info.sweptQty).toBe(50);
    expect(Math.abs(sum + b.info.isBps)).toBeLessThan(1e-9);
  });

  it('a cancel that arrives after the buyer loses the race: the 30-share fill stands, the cancel removes the 20 left', () => {
    const { b, sum } = raceEpisode(0.1);
    expect(b.info.passiveQty).toBe(30);
    expect(b.info.latency?.cancelsLate).toBe(0);
    expect(b.info.sweptQty).toBe(20);
    const fill = b.info.fills.find((f) => f.passive);
    expect(fill).toMatchObject({ price: 100, qty: 30 });
    expect(fill?.time).toBeCloseTo(11.05, 9);
    expect(Math.abs(sum + b.info.isBps)).toBeLessThan(1e-9);
  });

  it('a cancel for an order already filled in full reports that nothing was left', () => {
    // The same race with an order of exactly 30 shares: the buyer takes it all before the cancel.
    const env = new ReplayExecutionEnv({ ...raceDay(), quantity: 30, horizonSeconds: 20, decisionSeconds: 10, startSeconds: 1, actionMode: 'limit', latency: { order: { seconds: 0.1 } } });
    env.reset({ seed: 1 });
    env.step(Float64Array.of(2, -1));
    // The agent does not know yet (no report before 11.05 s): it still holds 30 and cancels.
    const b = env.step(Float64Array.of(0, 0));
    expect(b.info.latency?.cancelsSent).toBe(1);
    expect(b.info.latency?.cancelsLate).toBe(1);
    expect(b.info.passiveQty).toBe(30);
    expect(b.info.sweptQty).toBe(0);
  });
});

describe('latency: the agent sees the book as it was d seconds ago', () => {
  it('with data latency d and an idle agent, every observation equals the features of the same market run to t − d', () => {
    const d = 2.5;
    const start = 3600;
    const env = make('Liquidate-v0', { randomize: false, startSeconds: start, horizonSeconds: 120, decisionSeconds: 10, latency: { data: { seconds: d } } });
    const r = env.reset({ seed: 9 });
    const Q = r.info.quantity;
    // The reference: the same market (same parameters and seed), no agent, stopped at t − d.
    const params = randomizeMarket(loadMarketConfig('default'), Rng.fromSeed(0, 'randomize'));
    const ref = new Market(params, 9, { startSeconds: start });
    const fc = new FeatureComputer();
    const st: FeatureState = { decisionIndex: 0, decisionCount: 12, remaining: Q, quantity: Q, side: SELL, arrivalTicks: ref.mid(), flowMark: 0, owner: AGENT_OWNER, restingId: 0, volWindow: 60 };
    expect(r.info.arrivalPrice).toBe(ref.mid());
    for (let k = 1; k < 12; k++) {
      const s = env.step(Float64Array.of(0));
      ref.runUntil(start + 10 * k - d);
      st.decisionIndex = k;
      const want = new Float64Array(FEATURES.length);
      fc.compute(ref, st, want);
      expect(Array.from(s.observation)).toEqual(Array.from(want));
      expect(s.info.mid).toBe(ref.mid());
      st.flowMark = ref.tape.length;
    }
  });
});

describe('latency: determinism, streams, accounting', () => {
  it('the same seed gives the same bits with latency on; latency draws leave the market streams alone (an idle agent sees the same tape)', () => {
    const opts = { latency: 'retail', actionMode: 'limit' } as const;
    expect(episodesHash('Liquidate-v0', opts, 4)).toBe(episodesHash('Liquidate-v0', opts, 4));
    const tapeOf = (latency?: string) => {
      const env = make('Liquidate-v0', { latency, horizonSeconds: 120, randomize: false });
      env.reset({ seed: 4 });
      let s;
      do s = env.step(Float64Array.of(0));
      while (s.info.decisionIndex < 11);
      const tp = env.currentMarket!.tape;
      return Array.from(tp.price.subarray(0, tp.length)).concat(Array.from(tp.qty.subarray(0, tp.length)));
    };
    expect(tapeOf('retail')).toEqual(tapeOf(undefined));
  });

  it('rewards sum to −IS to 1e−9 with latency in every mode, on the simulated market and the replay', () => {
    const rng = Rng.fromSeed(3, 'latency-test');
    for (const actionMode of ['market', 'limit', 'discrete'] as const) {
      for (const latency of ['colocated', 'retail', { order: { distribution: 'empirical', samples: [0.001, 0.2, 3] }, data: { seconds: 0.5, loadSeconds: 0.01 } }]) {
        const env = make('Liquidate-v0', { actionMode, latency, horizonSeconds: 120, aMax: 3, makerFeeBps: -0.2, takerFeeBps: 0.3 } as never);
        for (let ep = 0; ep < 6; ep++) {
          env.reset({ seed: 50 + ep });
          let sum = 0;
          let s;
          do {
            s = env.step(env.actionSpace.sample(rng) as never);
            sum += s.reward;
          } while (!s.terminated);
          expect(Math.abs(sum + s.info.isBps)).toBeLessThan(1e-9);
          expect(s.info.remainingQty).toBe(0);
          expect(s.info.executedQty + s.info.unfilledQty).toBe(s.info.quantity);
        }
      }
    }
  });

  it('zero latency is the latency-free task, bit for bit', () => {
    // Everything but info.latency (the connection's counts, present whenever the option is given).
    const none = episodesHash('Liquidate-Limit-v0', {}, 6);
    expect(episodesHash('Liquidate-Limit-v0', { latency: 'none' }, 6, ['latency'])).toBe(none);
    expect(episodesHash('Liquidate-Limit-v0', { latency: { order: { seconds: 0 }, data: { distribution: 'empirical', samples: [0] } } }, 6, ['latency'])).toBe(none);
  });

  it('at zero latency info.latency counts the messages, no cancel loses a race, and every limit share sent is counted', () => {
    const env = make('Liquidate-Limit-v0', { latency: 'none' });
    const rng = Rng.fromSeed(9, 'test');
    let sent = 0;
    for (let ep = 0; ep < 5; ep++) {
      env.reset({ seed: 50 + ep });
      for (;;) {
        const s = env.step(env.actionSpace.sample(rng) as Float64Array);
        const l = s.info.latency;
        expect(l).toBeDefined();
        expect(l?.cancelsLate).toBe(0);
        expect(l?.ordersCapped).toBe(0);
        expect(l?.cancelsSent).toBeLessThanOrEqual(l?.messagesSent ?? 0);
        // Shares sent as limit orders cover everything filled passively.
        expect(l?.limitQtySent).toBeGreaterThanOrEqual(s.info.passiveQty);
        if (s.terminated || s.truncated) {
          sent += l?.messagesSent ?? 0;
          break;
        }
      }
    }
    expect(sent).toBeGreaterThan(0);
  });

  it('a cancel loses only a real race: with a 1 ns order latency and no data latency, none arrives late (the deadline sweep included)', () => {
    // A cancel is late only when a fill lands in the 1 ns between sending and arrival; with
    // continuous event times that has probability ~ (fill rate) x 1e-9 per cancel. An order the agent
    // already knows has filled (at a decision or at the deadline) is never cancelled.
    const env = make('Liquidate-Limit-v0', { latency: { order: { distribution: 'fixed', seconds: 1e-9 }, data: { distribution: 'fixed', seconds: 0 } } });
    const policy = makePolicy('passive-twap', {});
    let cancels = 0;
    for (let ep = 0; ep < 40; ep++) {
      const start = env.reset({ seed: 1e9 + ep });
      policy.reset?.(start.info, { seed: 1e9 + ep, actionSpace: env.actionSpace });
      let observation = start.observation;
      let info: object = start.info;
      for (;;) {
        const s = env.step(policy.act(observation, info as never) as Float64Array);
        observation = s.observation;
        info = s.info;
        if (s.terminated || s.truncated) {
          expect(s.info.latency?.cancelsLate).toBe(0);
          cancels += s.info.latency?.cancelsSent ?? 0;
          break;
        }
      }
    }
    expect(cancels).toBeGreaterThan(0);
  });

  it('rejects bad latency configs with an EnvError naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ order: { seconds: -0.1 } }, /latency\.order\.seconds: got -0\.1/],
      [{ data: { seconds: Number.NaN } }, /latency\.data\.seconds: got NaN/],
      [{ order: { distribution: 'empirical' } }, /latency\.order\.samples: .*needs samples/],
      [{ order: { distribution: 'empirical', samples: [] } }, /needs samples/],
      [{ order: { distribution: 'empirical', samples: [0.1, -1] } }, /samples must be finite seconds/],
      [{ order: { distribution: 'pareto' } }, /latency\.order\.distribution/],
      [{ order: { speed: 1 } }, /unknown field\(s\) speed/],
      ['satellite', /unknown latency preset "satellite"; allowed: none, colocated, retail/],
    ];
    for (const [latency, re] of bad) {
      expect(() => make('Liquidate-v0', { latency } as never)).toThrow(EnvError);
      expect(() => make('Liquidate-v0', { latency } as never)).toThrow(re);
    }
  });
});

describe('background traders: order-entry latency', () => {
  it('a delayed order reaches the book exactly `delay` seconds after it was sent', () => {
    const params = randomizeMarket(loadMarketConfig('default'), Rng.fromSeed(0, 'randomize'));
    const m = new Market(params, 2, { startSeconds: 1000 });
    const ownTrades = () => {
      let n = 0;
      for (let i = 0; i < m.tape.length; i++) if (m.tape.takerOwner[i] === OWNER_NOISE && m.tape.qty[i] > 0 && m.tape.time[i] >= 1000.5) n++;
      return n;
    };
    m.runUntil(1000.5);
    const before = ownTrades();
    m.sendDelayed(1.25, OWNER_NOISE, SEND_MARKET, SELL, 0, 7, 0, NOTIFY_NONE);
    m.runUntil(1001.7499);
    const noiseBefore = ownTrades();
    m.runUntil(1001.75);
    const trades = [];
    for (let i = 0; i < m.tape.length; i++) if (m.tape.time[i] === 1001.75 && m.tape.takerOwner[i] === OWNER_NOISE) trades.push(m.tape.qty[i]);
    expect(trades.reduce((a, b) => a + b, 0)).toBe(7);
    expect(noiseBefore).toBeGreaterThanOrEqual(before);
  });

  it('traders with a latency still give bit-identical runs for a seed, and a different path than without', () => {
    const spec = loadMarketConfig('default');
    const run = (lat: number) => {
      const p = randomizeMarket(spec, Rng.fromSeed(0, 'randomize'));
      const params = { ...p, fundamental: { ...p.fundamental, latencySeconds: lat }, noise: { ...p.noise, latencySeconds: lat }, momentum: { ...p.momentum, latencySeconds: lat }, institutional: { ...p.institutional, latencySeconds: lat } };
      const m = new Market(params, 5, { startSeconds: 2000 });
      m.runUntil(2600);
      return Array.from(m.tape.price.subarray(0, m.tape.length));
    };
    expect(run(0.3)).toEqual(run(0.3));
    expect(run(0.3)).not.toEqual(run(0));
  });
});
