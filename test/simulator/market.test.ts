import { describe, expect, it } from 'vitest';
import { loadMarketConfig, parseMarketSpec, MARKET_PRESETS } from '../../configs/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import {
  Market,
  MarketError,
  randomizeMarket,
  AGENT_OWNER,
  BUY,
  SELL,
  POST_ONLY,
  REJECTED,
  OWNER_LIQUIDITY,
  OWNER_TAKER,
  OWNER_DEEP_LIQUIDITY,
} from '../../simulator/index.ts';
import { BookError } from '../../simulator/book/index.ts';
import { Rng } from '../../simulator/random/index.ts';

function paramsOf(name: string, seed = 1): MarketParams {
  return randomizeMarket(loadMarketConfig(name), Rng.fromSeed(seed, 'randomize'));
}

/** FNV-1a over the tape columns: equal hashes mean identical tapes (for these tests). */
function tapeHash(m: Market): number {
  const t = m.tape;
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    const s = x.toString();
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  };
  for (let i = 0; i < t.length; i++) {
    mix(t.time[i]);
    mix(t.price[i]);
    mix(t.qty[i]);
    mix(t.sign[i]);
    mix(t.makerOwner[i]);
    mix(t.takerOwner[i]);
  }
  return h >>> 0;
}

describe('Market', () => {
  it('runs every preset with the book valid throughout and a realistic start', () => {
    for (const name of MARKET_PRESETS) {
      const m = new Market(paramsOf(name), 3);
      // The episode starts from a book built by the flow: both sides populated, not crossed.
      expect(m.bestBid(), name).toBeGreaterThan(0);
      expect(m.bestAsk(), name).toBeGreaterThan(m.bestBid());
      expect(m.book.orderCount(), name).toBeGreaterThan(10);
      m.book.validate();
      for (let t = 60; t <= 1800; t += 60) {
        m.runUntil(t);
        m.book.validate();
      }
      expect(m.tape.length, name).toBeGreaterThan(0);
      expect(Number.isFinite(m.mid()), name).toBe(true);
    }
  });

  it('is reproducible: same params and seed give the same tape, however runUntil is chunked', () => {
    const p = paramsOf('default');
    const a = new Market(p, 42);
    a.runUntil(1200);
    const b = new Market(p, 42);
    for (let t = 7.3; t < 1200; t += 7.3) b.runUntil(t);
    b.runUntil(1200);
    expect(b.tape.length).toBe(a.tape.length);
    expect(tapeHash(b)).toBe(tapeHash(a));
    expect(b.book.hash()).toBe(a.book.hash());
    // reset() on a used market gives the same episode as a fresh one.
    b.reset(p, 42);
    b.runUntil(1200);
    expect(tapeHash(b)).toBe(tapeHash(a));
    const c = new Market(p, 43);
    c.runUntil(1200);
    expect(tapeHash(c)).not.toBe(tapeHash(a));
  });

  it('starts the episode at startSeconds with empty records', () => {
    const m = new Market(paramsOf('default'), 1, { startSeconds: 5000 });
    expect(m.now).toBe(5000);
    expect(m.tape.length).toBe(0);
    expect(m.series.length).toBe(0);
    expect(m.counts.events).toBe(0);
    m.runUntil(5010);
    expect(m.series.length).toBe(11);
    expect(m.series.t0).toBe(5000);
  });

  it('lets the agent trade: a market order fills against the book and changes the market (paired run)', () => {
    const p = paramsOf('default');
    const base = new Market(p, 9);
    const agent = new Market(p, 9);
    base.runUntil(600);
    agent.runUntil(600);
    expect(agent.book.hash()).toBe(base.book.hash());
    const ask = agent.bestAsk();
    const filled = agent.submitMarket(AGENT_OWNER, BUY, 2000);
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThanOrEqual(2000);
    // The agent's fills: aggressive buys at or above the ask it saw.
    const f = agent.outsideFills;
    let q = 0;
    for (let i = 0; i < f.length; i++) {
      expect(f.owner[i]).toBe(AGENT_OWNER);
      expect(f.side[i]).toBe(BUY);
      expect(f.aggressive[i]).toBe(1);
      expect(f.price[i]).toBeGreaterThanOrEqual(ask);
      q += f.qty[i];
    }
    expect(q).toBe(filled);
    expect(agent.bestAsk()).toBeGreaterThanOrEqual(ask);
    base.runUntil(900);
    agent.runUntil(900);
    expect(tapeHash(agent)).not.toBe(tapeHash(base));
    agent.book.validate();
  });

  it('gives the agent passive fills on its resting orders, with queue positions', () => {
    const p = paramsOf('large-tick');
    const m = new Market(p, 4);
    m.runUntil(60);
    const bid = m.bestBid();
    const id = m.submitLimit(AGENT_OWNER, BUY, bid, 100, POST_ONLY);
    expect(id).toBeGreaterThan(0);
    expect(m.isResting(id)).toBe(true);
    expect(m.orderPrice(id)).toBe(bid);
    expect(m.queueAhead(id)).toBeGreaterThan(0);
    // A post-only order that would cross is rejected and changes nothing.
    const h = m.book.hash();
    expect(m.submitLimit(AGENT_OWNER, BUY, m.bestAsk(), 100, POST_ONLY)).toBe(REJECTED);
    expect(m.book.hash()).toBe(h);
    // Run until the order fills (or give up after an hour of market time: then cancel it).
    let t = 60;
    while (m.isResting(id) && t < 3660) m.runUntil((t += 10));
    if (m.isResting(id)) {
      expect(m.cancel(id)).toBe(true);
      expect(m.cancel(id)).toBe(false);
    } else {
      const f = m.outsideFills;
      expect(f.length).toBeGreaterThan(0);
      let q = 0;
      for (let i = 0; i < f.length; i++) {
        expect(f.aggressive[i]).toBe(0);
        expect(f.orderId[i]).toBe(id);
        expect(f.price[i]).toBe(bid);
        q += f.qty[i];
      }
      expect(q).toBe(100);
      expect(m.cancel(id)).toBe(false);
    }
  });

  it('rejects bad outside input with a MarketError and leaves the market untouched', () => {
    const m = new Market(paramsOf('default'), 2);
    m.runUntil(30);
    const h = m.book.hash();
    const tape = m.tape.length;
    const bad: [string, () => unknown][] = [
      ['owner', () => m.submitLimit(OWNER_LIQUIDITY, BUY, 100, 100)],
      ['side', () => m.submitMarket(AGENT_OWNER, 0, 100)],
      ['qty', () => m.submitMarket(AGENT_OWNER, BUY, 0)],
      ['qty', () => m.submitLimit(AGENT_OWNER, SELL, m.bestAsk(), 1.5)],
      ['priceTicks', () => m.submitLimit(AGENT_OWNER, SELL, Number.NaN, 100)],
      ['flags', () => m.submitLimit(AGENT_OWNER, SELL, m.bestAsk(), 100, 7)],
      ['id', () => m.cancel(-3)],
      ['t must be', () => m.runUntil(10)],
      ['t must be', () => m.runUntil(Number.POSITIVE_INFINITY)],
    ];
    for (const [word, fn] of bad) {
      expect(fn).toThrow(MarketError);
      expect(fn).toThrow(word);
    }
    // Background orders cannot be cancelled from outside.
    const someone = m.book.liveOrderAt(0);
    expect(() => m.cancel(someone)).toThrow(/background trader/);
    expect(m.book.hash()).toBe(h);
    expect(m.tape.length).toBe(tape);
    expect(() => m.reset(paramsOf('default'), -1)).toThrow(MarketError);
  });

  it('throws (never swallows) an invalid order sent by a trader', () => {
    const m = new Market(paramsOf('default'), 2);
    expect(() => m.placeLimit(OWNER_TAKER, BUY, 0, 100, 0)).toThrow(BookError);
    expect(() => m.placeMarket(OWNER_TAKER, BUY, -5)).toThrow(BookError);
    m.book.validate();
  });

  it('handles empty sides: mid never NaN, market orders on an empty side fill nothing', () => {
    const off = parseMarketSpec({
      takers: { enabled: false },
      liquidity: { enabled: false },
      marketMakers: { enabled: false },
      fundamental: { enabled: false },
      momentum: { enabled: false },
      noise: { enabled: false },
      institutional: { enabled: false },
    });
    const m = Market.fromSpec(off, 1);
    expect(m.bestBid()).toBe(0);
    expect(m.bestAsk()).toBe(0);
    expect(m.mid()).toBe(off.initialPriceTicks as number);
    expect(Number.isNaN(m.spread())).toBe(true);
    expect(m.submitMarket(AGENT_OWNER, BUY, 100)).toBe(0);
    m.runUntil(100);
    expect(m.series.length).toBeGreaterThan(0);
    for (let k = 0; k < m.series.length; k++) expect(Number.isNaN(m.series.mid[k])).toBe(false);
    // One side only: the mid is the last trade price clamped to that side.
    const p0 = off.initialPriceTicks as number;
    m.submitLimit(AGENT_OWNER, SELL, p0 - 50, 100);
    expect(m.mid()).toBe(p0 - 50);
    m.submitLimit(AGENT_OWNER + 1, BUY, p0 - 50, 40);
    expect(m.lastTradePrice).toBe(p0 - 50);
    expect(m.mid()).toBe(p0 - 50);
    m.submitLimit(AGENT_OWNER + 1, BUY, p0 - 60, 40);
    expect(m.mid()).toBe(p0 - 55);
    expect(m.spread()).toBe(10);
    // Both fills of the crossing pair were recorded for the two outside owners.
    expect(m.outsideFills.length).toBe(2);
  });

  it('shows cheap stylized facts on a short run: positive trade-sign ACF and a spread of at least one tick', () => {
    const m = new Market(paramsOf('default'), 5, { startSeconds: 3600 });
    m.runUntil(3600 + 3600);
    const mo = m.marketOrders();
    const n = mo.sign.length;
    expect(n).toBeGreaterThan(500);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += mo.sign[i] / n;
    let c0 = 0;
    let c1 = 0;
    for (let i = 0; i < n; i++) c0 += (mo.sign[i] - mean) ** 2;
    for (let i = 1; i < n; i++) c1 += (mo.sign[i] - mean) * (mo.sign[i - 1] - mean);
    // Under independent signs the lag-1 ACF has sd ≈ 1/√n: require 4 sd above zero.
    expect(c1 / c0).toBeGreaterThan(4 / Math.sqrt(n));
    const s = m.series;
    for (let k = 0; k < s.length; k++) if (!Number.isNaN(s.spread[k])) expect(s.spread[k]).toBeGreaterThanOrEqual(1);
    // Every trade is inside the prices that were ever quoted: positive integers.
    for (let i = 0; i < m.tape.length; i++) expect(Number.isInteger(m.tape.price[i]) && m.tape.price[i] > 0).toBe(true);
  });

  it('reports expected volume and an intraday profile consistent with it', () => {
    const m = new Market(paramsOf('default'), 1);
    const day = m.params.sessionSeconds;
    const v = m.expectedVolume(0, day);
    expect(v).toBeCloseTo(m.baseVolumeRate() * day, 6);
    // The U-shape: the first and last half hours carry more than their time share.
    expect(m.expectedVolume(day - 1800, day)).toBeGreaterThan((v * 1800) / day);
    expect(m.expectedVolume(0, 1800)).toBeGreaterThan((v * 1800) / day);
    const prof = m.volumeProfile(0, day, 13);
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += prof[i];
    expect(sum).toBeCloseTo(1, 12);
    expect(prof[12]).toBeGreaterThan(prof[6]);
    expect(m.tickDollars).toBe(0.01);
    expect(m.referencePriceTicks).toBe(m.params.initialPriceTicks);
  });

  it('stochastic activity: the factor has mean 1 and the market-order count follows it (slope 1 within 4 se)', () => {
    // Takers and liquidity only, no intraday profile: given the factor's path, a minute's expected
    // taker count is 60·λ̄·Ā (λ̄ the stationary Hawkes rate, Ā the factor's mean over the minute;
    // the kernels forget within seconds). Off (sd 0), the market is the one without the section.
    const spec = (sd: number): MarketParams =>
      randomizeMarket(
        parseMarketSpec({
          intraday: { enabled: false },
          activity: { sd, meanReversionSeconds: 300 },
          fundamental: { enabled: false },
          momentum: { enabled: false },
          noise: { enabled: false },
          institutional: { enabled: false },
        }),
        Rng.fromSeed(1, 'randomize'),
      );
    const off = new Market(spec(0), 7);
    const plain = new Market(randomizeMarket(parseMarketSpec({ intraday: { enabled: false }, fundamental: { enabled: false }, momentum: { enabled: false }, noise: { enabled: false }, institutional: { enabled: false } }), Rng.fromSeed(1, 'randomize')), 7);
    off.runUntil(600);
    plain.runUntil(600);
    expect(tapeHash(off)).toBe(tapeHash(plain));
    expect(off.activityFactor()).toBe(1);

    const sd = 0.5;
    const tau = 300;
    const m = new Market(spec(sd), 7);
    const lam = m.takers.meanRate;
    const minutes = 400;
    const x: number[] = [];
    const y: number[] = [];
    let aSum = 0;
    let aN = 0;
    for (let k = 0; k < minutes; k++) {
      const before = m.counts.market;
      let a = 0;
      for (let s = 1; s <= 60; s++) {
        m.runUntil(k * 60 + s);
        a += m.activityFactor();
      }
      x.push(a / 60);
      y.push((m.counts.market - before) / (60 * lam));
      aSum += a;
      aN += 60;
    }
    // E[A] = 1; Var(mean of A over T) <= Var(A)·2τ/T (A's autocorrelation is below X's e^(−ℓ/τ)).
    const varA = Math.expm1(sd * sd);
    expect(Math.abs(aSum / aN - 1)).toBeLessThan(4 * Math.sqrt((varA * 2 * tau) / aN));
    // Least-squares slope of y on Ā and its standard error.
    const n = x.length;
    const mx = x.reduce((u, v) => u + v, 0) / n;
    const my = y.reduce((u, v) => u + v, 0) / n;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (x[i] - mx) ** 2;
      sxy += (x[i] - mx) * (y[i] - my);
    }
    const slope = sxy / sxx;
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (y[i] - my - slope * (x[i] - mx)) ** 2;
    const se = Math.sqrt(rss / (n - 2) / sxx);
    expect(Math.abs(slope - 1)).toBeLessThan(4 * se);
    expect(se).toBeLessThan(0.15);
  });

  it('deep liquidity layer: each layer holds its M/M/inf mean (arrival rate / its own hazard) per side', () => {
    // Liquidity providers alone (nothing trades): each layer is an M/M/∞ queue, stationary count
    // Poisson(λ/θ) per side. The cancel clock runs at the larger hazard and thins the deep orders
    // to theirs. The time average over T has sd ≈ √(2m/(θT)) (autocorrelation e^(−θℓ)); 4 sd.
    const T = 40_000;
    const lp = { limitRate: 0.5, cancelRate: 0.1, minDistanceTicks: 2, maxDistanceTicks: 5, refillRate: 0, deepRate: 0.4, deepCancelRate: 0.02, deepMinDistanceTicks: 10, deepMaxDistanceTicks: 30 };
    const p = randomizeMarket(
      parseMarketSpec({
        intraday: { enabled: false },
        takers: { enabled: false },
        liquidity: lp,
        marketMakers: { enabled: false },
        fundamental: { enabled: false },
        momentum: { enabled: false },
        noise: { enabled: false },
        institutional: { enabled: false },
      }),
      Rng.fromSeed(1, 'randomize'),
    );
    const m = new Market(p, 11);
    let fast = 0;
    let deep = 0;
    let n = 0;
    for (let t = 500; t <= T; t += 5) {
      m.runUntil(t);
      const b = m.book;
      for (let i = 0; i < b.liveCount(); i++) {
        const o = b.orderOwner(b.liveOrderAt(i));
        if (o === OWNER_DEEP_LIQUIDITY) deep++;
        else if (o === OWNER_LIQUIDITY) fast++;
      }
      n++;
    }
    const mFast = (2 * lp.limitRate) / lp.cancelRate;
    const mDeep = (2 * lp.deepRate) / lp.deepCancelRate;
    expect(m.counts.market).toBe(0);
    expect(Math.abs(fast / n - mFast)).toBeLessThan(4 * Math.sqrt((2 * mFast) / (lp.cancelRate * T)));
    expect(Math.abs(deep / n - mDeep)).toBeLessThan(4 * Math.sqrt((2 * mDeep) / (lp.deepCancelRate * T)));
    // The initializer seeds the deep layer's stationary queues too (not an empty deep book at the start).
    const m0 = new Market(p, 11);
    let deep0 = 0;
    for (let i = 0; i < m0.book.liveCount(); i++) if (m0.book.orderOwner(m0.book.liveOrderAt(i)) === OWNER_DEEP_LIQUIDITY) deep0++;
    expect(Math.abs(deep0 - mDeep)).toBeLessThan(4 * Math.sqrt(mDeep));
  });

  it('lets agent market orders excite the taker flow (paired run with and without excitation)', () => {
    // Takers only (plus liquidity to trade against): count taker orders in the minute after a burst.
    const mk = (excite: number): Market =>
      Market.fromSpec(
        parseMarketSpec({
          takers: { agentExcitation: excite, muBuy: 0.05, muSell: 0.05 },
          intraday: { enabled: false },
          fundamental: { enabled: false },
          momentum: { enabled: false },
          noise: { enabled: false },
          institutional: { enabled: false },
        }),
        8,
      );
    let withExc = 0;
    let without = 0;
    for (let seed = 0; seed < 20; seed++) {
      for (const e of [0, 3]) {
        const m = mk(e);
        m.reset(m.params, seed);
        m.runUntil(100);
        for (let k = 0; k < 5; k++) m.submitMarket(AGENT_OWNER, BUY, 300);
        const mark = m.tape.length;
        m.runUntil(160);
        const orders = m.marketOrders(mark);
        let c = 0;
        for (let i = 0; i < orders.owner.length; i++) if (orders.owner[i] === OWNER_TAKER && orders.sign[i] > 0) c++;
        if (e === 0) without += c;
        else withExc += c;
      }
    }
    // 5 orders of 300 shares (above the mean taker size) × 3 excitations each × branching 0.55 ≈ 8 extra buys per seed, 165 over 20 seeds,
    // against a baseline of about 20 × 60 s × 0.05/(1 − 0.57) ≈ 140 (Poisson-like sd ≈ 30).
    expect(withExc - without).toBeGreaterThan(4 * Math.sqrt(without + withExc));
  });
});
