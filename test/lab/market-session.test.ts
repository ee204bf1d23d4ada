/**
 * The Market view's session in Node: live parameters change exactly what they say and nothing
 * else, the randomization draw lists each distribution field with its drawn value, a session is
 * a pure function of (preset, seed, live parameters), and the visitor's order rests at the touch.
 */
import { describe, expect, it } from 'vitest';
import { applyLive, branchingRatio, MarketSession, randomizationDraw } from '../../lab/src/core/market-session.ts';
import { loadMarketConfig, parseMarketSpec } from '../../configs/index.ts';
import { randomizeMarket } from '../../simulator/index.ts';
import { Rng } from '../../simulator/random/index.ts';

const base = randomizeMarket(loadMarketConfig('default'), Rng.fromSeed(1, 'randomize'));

describe('live parameters', () => {
  it('branching: the four ratios scaled together to the total asked, proportions kept', () => {
    const p = applyLive(base, { branching: 0.8 });
    expect(branchingRatio(p)).toBeCloseTo(0.8, 14);
    expect(p.takers.selfFast / p.takers.selfSlow).toBeCloseTo(base.takers.selfFast / base.takers.selfSlow, 14);
    expect(p.takers.muBuy).toBe(base.takers.muBuy);
    expect(branchingRatio(base)).toBeCloseTo(0.57, 14); // the default preset, untouched
  });

  it('tick: the dollar price kept to within half a new tick; depth multiplies the LP rate', () => {
    const p = applyLive(base, { tickCents: 5, depth: 2 });
    expect(p.tickDollars).toBe(0.05);
    expect(Math.abs(p.initialPriceTicks * p.tickDollars - base.initialPriceTicks * base.tickDollars)).toBeLessThanOrEqual(0.025 + 1e-12);
    expect(p.liquidity.limitRate).toBe(2 * base.liquidity.limitRate);
    expect(base.liquidity.limitRate).toBe(1.6);
  });

  it('refuses values outside their range, naming them', () => {
    expect(() => applyLive(base, { branching: 1 })).toThrow('branching must be a number in [0, 0.95], got 1');
    expect(() => applyLive(base, { depth: Number.NaN })).toThrow(/depth must be a number in \[0.25, 4\], got NaN/);
  });
});

describe('randomization draw', () => {
  it('lists each distribution field with the value drawn for the episode', () => {
    const spec = parseMarketSpec({ takers: { muBuy: { uniform: [0.05, 0.1] } }, liquidity: { limitRate: { choice: [1, 2] } } });
    const params = randomizeMarket(spec, Rng.fromSeed(4, 'randomize'));
    const draw = randomizationDraw(spec, params);
    expect(draw.map((d) => d.path)).toEqual(['takers.muBuy', 'liquidity.limitRate']);
    expect(draw[0].value).toBe(params.takers.muBuy);
    expect(draw[0].value).toBeGreaterThanOrEqual(0.05);
    expect(draw[0].value).toBeLessThanOrEqual(0.1);
    expect([1, 2]).toContain(draw[1].value);
    expect(randomizationDraw(loadMarketConfig('default'), base)).toEqual([]);
  });
});

describe('market session', () => {
  it('is a pure function of preset, seed and live parameters', () => {
    const a = new MarketSession('default', 9, { depth: 1.5 });
    const b = new MarketSession('default', 9, { depth: 1.5 });
    a.advance(120);
    b.advance(60);
    b.advance(60);
    expect(a.market.now).toBe(b.market.now);
    expect([...a.depth()]).toEqual([...b.depth()]);
    expect(a.market.tape.length).toBe(b.market.tape.length);
    expect(a.intensities()).toEqual(b.intensities());
  });

  it("the visitor's sell rests at the best ask, last in its queue, and is cancelled on request", () => {
    const s = new MarketSession('default', 2);
    s.advance(30);
    const ask = s.market.bestAsk();
    const d = s.depth();
    const queue = d[2 * s.levels + 1];
    s.postMine(-1, 300);
    expect(s.myOrders()).toEqual([{ price: ask, qty: 300, ahead: queue }]);
    s.cancelMine();
    expect(s.myOrders()).toEqual([]);
    expect(s.depth()[2 * s.levels + 1]).toBe(queue);
  });

  it('facts: sign autocorrelation positive (self-exciting takers), intensities above the baseline rates', () => {
    const s = new MarketSession('default', 5);
    s.advance(1800);
    const f = s.facts();
    expect(f.returnCount).toBe(180);
    expect(f.signCount).toBeGreaterThan(500);
    expect(f.signAcf[0]).toBeGreaterThan(0);
    expect(f.meanSpreadTicks).toBeGreaterThanOrEqual(1);
    const [lb, ls] = s.intensities();
    // λ_i(t) = μ_i·s(t) + excitation ≥ μ_i·s(t) > 0.
    expect(lb).toBeGreaterThan(0);
    expect(ls).toBeGreaterThan(0);
  });
});
