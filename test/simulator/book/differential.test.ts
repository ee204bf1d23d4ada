import { describe, expect, it } from 'vitest';
import { BUY, SELL, BOTH, POST_ONLY, IOC, MAX_PRICE, BookError, OrderBook, ReferenceBook } from '../../../simulator/book/index.ts';
import type { Book } from '../../../simulator/book/index.ts';
import { Rng } from '../../../simulator/random/index.ts';

/** One command, as plain numbers, applied identically to both books. */
interface Cmd {
  kind: 'limit' | 'market' | 'cancel' | 'reduce' | 'replace';
  owner: number;
  side: number;
  price: number;
  qty: number;
  flags: number;
  id: number;
  time: number;
}

type Outcome = { ok: true; value: number } | { ok: false; name: string };

function apply(book: Book, c: Cmd): Outcome {
  try {
    switch (c.kind) {
      case 'limit':
        return { ok: true, value: book.limit(c.owner, c.side, c.price, c.qty, c.time, c.flags) };
      case 'market':
        return { ok: true, value: book.market(c.owner, c.side, c.qty, c.time) };
      case 'cancel':
        book.cancel(c.id);
        return { ok: true, value: 0 };
      case 'reduce':
        return { ok: true, value: book.reduce(c.id, c.qty) };
      case 'replace':
        return { ok: true, value: book.replace(c.id, c.price, c.qty, c.time) };
    }
  } catch (e) {
    if (!(e instanceof BookError)) throw e;
    return { ok: false, name: e.name };
  }
}

function fillsOf(book: Book): number[] {
  const f = book.fills;
  const out: number[] = [];
  for (let i = 0; i < f.count; i++) out.push(f.makerId[i], f.takerId[i], f.makerOwner[i], f.takerOwner[i], f.price[i], f.qty[i], f.time[i], f.takerSide[i]);
  return out;
}

const BAD_NUMBERS = [0, -1, 1.5, NaN, Infinity, -Infinity];

/** Draws the next command from the seeded stream; `fast` is read only to pick live ids. */
function nextCmd(rng: Rng, fast: Book, center: number, t: number): Cmd {
  const c: Cmd = { kind: 'limit', owner: rng.int(0, 3), side: rng.bernoulli(0.5) ? BUY : SELL, price: 0, qty: rng.int(1, 20), flags: 0, id: 0, time: t };
  const live = fast.liveCount();
  const pickLive = (): number => (live > 0 ? fast.liveOrderAt(rng.int(0, live - 1)) : rng.int(1, 50));
  const u = rng.next();
  // Above ~250 resting orders, cancels become more likely so the book stays a realistic size.
  const cancelBoost = live > 250 ? 0.25 : 0;
  if (u < 0.5 - cancelBoost) {
    c.kind = 'limit';
    const far = rng.next();
    if (far < 0.01) c.price = rng.int(1, 20);
    else if (far < 0.02) c.price = rng.int(999_990, 1_000_010);
    else if (far < 0.022) c.price = MAX_PRICE - rng.int(0, 3);
    else c.price = Math.max(1, center - c.side * rng.int(-4, 30));
    const fl = rng.next();
    c.flags = fl < 0.15 ? POST_ONLY : fl < 0.3 ? IOC : 0;
  } else if (u < 0.54) {
    c.kind = 'market';
    c.qty = rng.int(1, 20);
  } else if (u < 0.72) {
    c.kind = 'cancel';
    // Occasionally a finished or never-issued id (an error that must leave the book unchanged).
    c.id = rng.bernoulli(0.05) ? rng.int(1, 1000) + (rng.bernoulli(0.5) ? 10_000_000 : 0) : pickLive();
  } else if (u < 0.8) {
    c.kind = 'reduce';
    c.id = pickLive();
    const q = fast.orderQty(c.id);
    const r = rng.next();
    c.qty = r < 0.15 ? q : r < 0.2 ? q + 1 : r < 0.23 ? 0 : Math.max(1, rng.int(1, Math.max(1, q - 1)));
  } else if (u < 0.92) {
    c.kind = 'replace';
    c.id = pickLive();
    const has = fast.has(c.id);
    const q = fast.orderQty(c.id);
    const p0 = has ? fast.orderPrice(c.id) : center;
    const r = rng.next();
    if (r < 0.35) {
      c.price = p0;
      c.qty = Math.max(1, rng.int(1, Math.max(1, q)));
    } else if (r < 0.55) {
      c.price = p0;
      c.qty = q + rng.int(1, 10);
    } else {
      c.price = Math.max(1, center + rng.int(-15, 15));
      c.qty = rng.int(1, 30);
    }
  } else {
    // Bad input of every kind.
    const which = rng.int(0, 7);
    const bad = BAD_NUMBERS[rng.int(0, BAD_NUMBERS.length - 1)];
    c.kind = which < 4 ? 'limit' : which < 5 ? 'market' : which < 6 ? 'reduce' : 'replace';
    c.price = center;
    c.id = pickLive();
    if (which === 0) c.qty = bad;
    else if (which === 1) c.price = bad;
    else if (which === 2) c.side = rng.bernoulli(0.5) ? 0 : 2;
    else if (which === 3) c.flags = rng.bernoulli(0.5) ? 3 : 7;
    else if (which === 4) c.qty = bad;
    else if (which === 5) c.qty = bad;
    else if (which === 6) c.price = bad === 0 ? -5 : bad;
    else {
      c.kind = 'limit';
      c.owner = rng.bernoulli(0.5) ? -1 : 0.5;
    }
  }
  return c;
}

describe('OrderBook vs ReferenceBook (differential)', () => {
  it('agrees on results, fills, state hash and queries over 120,000 seeded commands', () => {
    const rng = Rng.fromSeed(20261121, 'book-differential');
    const fast = new OrderBook({ orderCapacity: 16, pageCapacity: 4 });
    const ref = new ReferenceBook();
    const depthF = new Float64Array(20);
    const depthR = new Float64Array(20);
    let center = 5000;
    let t = 0;
    let errors = 0;
    let fillsSeen = 0;
    let liveSum = 0;
    const N = 120_000;
    let before = fast.hash();
    for (let n = 0; n < N; n++) {
      t += 0.001;
      if (rng.bernoulli(0.01)) center = Math.max(40, center + rng.int(-40, 40));
      const cmd = nextCmd(rng, fast, center, t);
      fast.fills.clear();
      ref.fills.clear();
      const a = apply(fast, cmd);
      const b = apply(ref, cmd);
      if (JSON.stringify(a) !== JSON.stringify(b)) expect.fail(`command ${n} ${JSON.stringify(cmd)}: fast ${JSON.stringify(a)} ref ${JSON.stringify(b)}`);
      const hf = fast.hash();
      if (!a.ok) {
        errors++;
        if (hf !== before) expect.fail(`command ${n} ${JSON.stringify(cmd)} threw but changed the book`);
      }
      if (hf !== ref.hash()) expect.fail(`command ${n} ${JSON.stringify(cmd)}: hash differs`);
      before = hf;
      if (fast.fills.count !== ref.fills.count || fillsOf(fast).join() !== fillsOf(ref).join()) expect.fail(`command ${n}: fills differ`);
      fillsSeen += fast.fills.count;
      liveSum += fast.liveCount();
      if (n < 3000 || n % 10 === 0) fast.validate();
      if (n % 200 === 0) {
        ref.validate();
        expect([fast.bestBid(), fast.bestAsk(), fast.orderCount(), fast.levelCount(BUY), fast.levelCount(SELL), fast.restingQty(BUY), fast.restingQty(SELL)]).toEqual([
          ref.bestBid(),
          ref.bestAsk(),
          ref.orderCount(),
          ref.levelCount(BUY),
          ref.levelCount(SELL),
          ref.restingQty(BUY),
          ref.restingQty(SELL),
        ]);
        expect(fast.depth(5, BOTH, depthF)).toBe(ref.depth(5, BOTH, depthR));
        expect(Array.from(depthF)).toEqual(Array.from(depthR));
        const live = fast.liveCount();
        expect(live).toBe(ref.liveCount());
        if (live > 0) {
          const i = rng.int(0, live - 1);
          const id = fast.liveOrderAt(i);
          expect(ref.liveOrderAt(i)).toBe(id);
          expect(fast.queueAhead(id)).toBe(ref.queueAhead(id));
          expect(fast.volumeAt(fast.orderSide(id), fast.orderPrice(id))).toBe(ref.volumeAt(ref.orderSide(id), ref.orderPrice(id)));
          expect([fast.orderQty(id), fast.orderOwner(id), fast.orderTime(id)]).toEqual([ref.orderQty(id), ref.orderOwner(id), ref.orderTime(id)]);
        }
      }
    }
    // The stream exercised what it should: errors, fills, and a book of realistic size.
    expect(errors).toBeGreaterThan(N * 0.05);
    expect(fillsSeen).toBeGreaterThan(N * 0.1);
    expect(liveSum / N).toBeGreaterThan(30); // mean resting orders (about 65 with this seed)
  });
});
