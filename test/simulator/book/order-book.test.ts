import { describe, expect, it } from 'vitest';
import { BUY, SELL, BOTH, POST_ONLY, IOC, REJECTED, MAX_PRICE, MAX_QTY, BookError, FillBuffer, OrderBook, ReferenceBook, grownColumn } from '../../../simulator/book/index.ts';
import type { Book } from '../../../simulator/book/index.ts';

const books: [string, () => Book][] = [
  ['OrderBook', () => new OrderBook({ orderCapacity: 16, pageCapacity: 4 })],
  ['ReferenceBook', () => new ReferenceBook()],
];

function fillRows(b: Book): number[][] {
  const f = b.fills;
  const rows: number[][] = [];
  for (let i = 0; i < f.count; i++) rows.push([f.makerId[i], f.takerId[i], f.makerOwner[i], f.takerOwner[i], f.price[i], f.qty[i], f.time[i], f.takerSide[i]]);
  return rows;
}

describe.each(books)('%s', (_name, make) => {
  it('reports an empty book as 0 best prices and NaN mid/spread', () => {
    const b = make();
    expect([b.bestBid(), b.bestAsk()]).toEqual([0, 0]);
    expect(b.mid()).toBeNaN();
    expect(b.spread()).toBeNaN();
    expect(b.market(1, BUY, 10, 0)).toBe(10);
    expect(b.fills.count).toBe(0);
    const out = new Float64Array(8).fill(7);
    expect(b.depth(2, BOTH, out)).toBe(0);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    b.validate();
  });

  it('fills in price then time priority, at the resting prices', () => {
    const b = make();
    const a1 = b.limit(1, SELL, 101, 5, 1);
    const a2 = b.limit(2, SELL, 100, 5, 2);
    const a3 = b.limit(3, SELL, 100, 5, 3);
    expect([b.bestBid(), b.bestAsk()]).toEqual([0, 100]);
    const t = b.limit(9, BUY, 101, 12, 4);
    expect(fillRows(b)).toEqual([
      [a2, t, 2, 9, 100, 5, 4, BUY],
      [a3, t, 3, 9, 100, 5, 4, BUY],
      [a1, t, 1, 9, 101, 2, 4, BUY],
    ]);
    expect(b.has(t)).toBe(false);
    expect(b.orderQty(a1)).toBe(3);
    expect(b.queueAhead(a1)).toBe(0);
    b.validate();
  });

  it('rests the remainder of a crossing limit at its own price', () => {
    const b = make();
    b.limit(1, SELL, 100, 5, 0);
    const t = b.limit(2, BUY, 102, 8, 1);
    expect(b.fills.count).toBe(1);
    expect(b.orderQty(t)).toBe(3);
    expect(b.orderPrice(t)).toBe(102);
    expect([b.bestBid(), b.bestAsk(), b.spread()]).toEqual([102, 0, NaN]);
    b.validate();
  });

  it('partially fills a maker and keeps it at the head', () => {
    const b = make();
    const m1 = b.limit(1, BUY, 50, 10, 0);
    const m2 = b.limit(2, BUY, 50, 10, 0);
    expect(b.market(3, SELL, 4, 1)).toBe(0);
    expect(b.orderQty(m1)).toBe(6);
    expect(b.queueAhead(m2)).toBe(6);
    expect(b.volumeAt(BUY, 50)).toBe(16);
    expect(b.volumeAt(SELL, 50)).toBe(0);
    b.validate();
  });

  it('walks levels with a market order and returns the remainder when the side runs dry', () => {
    const b = make();
    b.limit(1, BUY, 99, 3, 0);
    b.limit(1, BUY, 97, 4, 0);
    b.limit(1, BUY, 90, 5, 0);
    expect(b.market(2, SELL, 20, 1)).toBe(8);
    expect(fillRows(b).map((r) => [r[4], r[5]])).toEqual([
      [99, 3],
      [97, 4],
      [90, 5],
    ]);
    expect(b.bestBid()).toBe(0);
    expect(b.restingQty(BUY)).toBe(0);
    b.validate();
  });

  it('rejects a crossing post-only order without touching the book or using an id', () => {
    const b = make();
    b.limit(1, SELL, 100, 5, 0);
    const h = b.hash();
    const last = b.lastOrderId;
    expect(b.limit(2, BUY, 100, 5, 1, POST_ONLY)).toBe(REJECTED);
    expect(b.limit(2, BUY, 105, 5, 1, POST_ONLY)).toBe(REJECTED);
    expect(b.hash()).toBe(h);
    expect(b.lastOrderId).toBe(last);
    const ok = b.limit(2, BUY, 99, 5, 1, POST_ONLY);
    expect(ok).toBe(last + 1);
    expect(b.orderQty(ok)).toBe(5);
    expect(b.limit(3, SELL, 99, 1, 1, POST_ONLY)).toBe(REJECTED);
    b.validate();
  });

  it('fills what crosses of an IOC order and cancels the rest', () => {
    const b = make();
    b.limit(1, SELL, 100, 5, 0);
    b.limit(1, SELL, 103, 5, 0);
    const id = b.limit(2, BUY, 101, 9, 1, IOC);
    expect(b.fills.count).toBe(1);
    expect(b.fills.qty[0]).toBe(5);
    expect(b.has(id)).toBe(false);
    expect(b.orderQty(id)).toBe(0);
    expect([b.bestBid(), b.bestAsk()]).toEqual([0, 103]);
    b.validate();
  });

  it('computes queue position, depth and counts', () => {
    const b = make();
    const x = b.limit(1, BUY, 10, 3, 0);
    const y = b.limit(2, BUY, 10, 4, 0);
    const z = b.limit(3, BUY, 10, 5, 0);
    b.limit(1, BUY, 8, 1, 0);
    b.limit(1, SELL, 12, 2, 0);
    expect([b.queueAhead(x), b.queueAhead(y), b.queueAhead(z)]).toEqual([0, 3, 7]);
    b.cancel(y);
    expect(b.queueAhead(z)).toBe(3);
    const out = new Float64Array(12);
    expect(b.depth(3, BOTH, out)).toBe(3);
    expect(Array.from(out)).toEqual([10, 8, 8, 1, 0, 0, 12, 2, 0, 0, 0, 0]);
    expect(b.depth(1, SELL, out)).toBe(1);
    expect([out[0], out[1]]).toEqual([12, 2]);
    expect([b.orderCount(), b.levelCount(BUY), b.levelCount(SELL), b.restingQty(BUY), b.restingQty(SELL)]).toEqual([4, 2, 1, 9, 2]);
    expect([b.mid(), b.spread()]).toEqual([11, 2]);
    expect([b.orderSide(z), b.orderOwner(z), b.orderTime(z), b.orderPrice(z)]).toEqual([BUY, 3, 0, 10]);
  });

  it('reduce keeps priority; reducing to zero cancels', () => {
    const b = make();
    const x = b.limit(1, SELL, 20, 10, 0);
    const y = b.limit(2, SELL, 20, 10, 0);
    expect(b.reduce(x, 7)).toBe(3);
    expect(b.queueAhead(y)).toBe(3);
    b.market(3, BUY, 1, 1);
    expect(b.fills.makerId[0]).toBe(x);
    expect(b.reduce(x, 2)).toBe(0);
    expect(b.has(x)).toBe(false);
    expect(b.queueAhead(y)).toBe(0);
    b.validate();
  });

  it('replace: same price and smaller size keeps priority, larger size or new price loses it; the id stays', () => {
    const b = make();
    const x = b.limit(1, BUY, 30, 10, 0);
    const y = b.limit(2, BUY, 30, 10, 0);
    expect(b.replace(x, 30, 6, 5)).toBe(6);
    expect([b.queueAhead(x), b.orderTime(x)]).toEqual([0, 0]);
    expect(b.replace(x, 30, 8, 6)).toBe(8);
    expect([b.queueAhead(x), b.queueAhead(y), b.orderTime(x)]).toEqual([10, 0, 6]);
    expect(b.replace(y, 31, 10, 7)).toBe(10);
    expect([b.bestBid(), b.orderPrice(y), b.queueAhead(x)]).toEqual([31, 31, 0]);
    b.limit(3, SELL, 35, 4, 8);
    expect(b.replace(y, 36, 10, 9)).toBe(6);
    expect(fillRows(b).at(-1)).toEqual([b.lastOrderId, y, 3, 2, 35, 4, 9, BUY]);
    expect(b.has(y)).toBe(true);
    b.limit(4, SELL, 40, 5, 10);
    expect(b.replace(x, 45, 5, 11)).toBe(0);
    expect(b.has(x)).toBe(false);
    b.validate();
  });

  it('handles prices far apart (10 and 1,000,000 ticks, up to MAX_PRICE) and finds the next level across the gap', () => {
    const b = make();
    b.limit(1, BUY, 10, 1, 0);
    b.limit(1, BUY, 1, 1, 0);
    const far = b.limit(1, SELL, 1_000_000, 2, 0);
    b.limit(1, SELL, MAX_PRICE, 3, 0);
    b.limit(1, BUY, 500_000, 4, 0);
    expect([b.bestBid(), b.bestAsk()]).toEqual([500_000, 1_000_000]);
    b.validate();
    b.market(2, SELL, 4, 1);
    expect(b.bestBid()).toBe(10);
    b.market(2, BUY, 2, 1);
    expect(b.bestAsk()).toBe(MAX_PRICE);
    expect(b.has(far)).toBe(false);
    b.market(2, SELL, 1, 1);
    expect(b.bestBid()).toBe(1);
    const out = new Float64Array(4);
    b.depth(2, BUY, out);
    expect(Array.from(out)).toEqual([1, 1, 0, 0]);
    b.validate();
  });

  it('never reuses an id, and a finished id is an error', () => {
    const b = make();
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const id = b.limit(1, i % 2 === 0 ? BUY : SELL, 100 + (i % 7) * (i % 2 === 0 ? -1 : 1) + (i % 2 === 0 ? -1 : 1), 1, i);
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      if (i % 3 === 0) b.cancel(id);
      if (i % 5 === 0) {
        b.market(2, BUY, 1, i);
        expect(seen.has(b.lastOrderId)).toBe(false);
        seen.add(b.lastOrderId);
      }
    }
    expect(() => b.cancel(1)).toThrow(BookError);
    expect(() => b.cancel(1)).toThrow(/order id 1 is unknown or finished/);
    b.validate();
  });

  it('grows its order columns and fill buffer without losing state', () => {
    const b = make();
    for (let i = 0; i < 1000; i++) b.limit(i % 5, SELL, 1000 + (i % 300), 1, i);
    b.fills.clear();
    expect(b.market(1, BUY, 1200, 2000)).toBe(200);
    expect(b.fills.count).toBe(1000);
    expect(b.fills.price[999]).toBe(1299);
    expect(b.fills.capacity).toBeGreaterThanOrEqual(1000);
    b.validate();
  });

  describe('bad input throws BookError naming the value and leaves the book exactly as before', () => {
    const setup = (): { b: Book; id: number } => {
      const b = make();
      b.limit(1, BUY, 100, 5, 0);
      const id = b.limit(2, SELL, 105, 5, 0);
      b.limit(3, SELL, 106, 5, 0);
      return { b, id };
    };
    const cases: [string, (b: Book, id: number) => unknown, RegExp][] = [
      ['qty 0', (b) => b.limit(1, BUY, 100, 0, 0), /qty .* got 0/],
      ['qty negative', (b) => b.limit(1, BUY, 100, -3, 0), /got -3/],
      ['qty fractional', (b) => b.limit(1, BUY, 100, 1.5, 0), /got 1.5/],
      ['qty NaN', (b) => b.market(1, BUY, NaN, 0), /got NaN/],
      ['qty Infinity', (b) => b.market(1, SELL, Infinity, 0), /got Infinity/],
      ['price 0', (b) => b.limit(1, BUY, 0, 1, 0), /price .* got 0/],
      ['price fractional', (b) => b.limit(1, SELL, 100.5, 1, 0), /got 100.5/],
      ['price NaN', (b) => b.limit(1, SELL, NaN, 1, 0), /got NaN/],
      ['price too large', (b) => b.limit(1, SELL, MAX_PRICE + 1, 1, 0), /got 2147483648/],
      ['side 0', (b) => b.limit(1, 0, 100, 1, 0), /side .* got 0/],
      ['side 2', (b) => b.market(1, 2, 1, 0), /side .* got 2/],
      ['owner negative', (b) => b.limit(-1, BUY, 100, 1, 0), /owner .* got -1/],
      ['time NaN', (b) => b.limit(1, BUY, 100, 1, NaN), /time .* got NaN/],
      ['flags both', (b) => b.limit(1, BUY, 100, 1, 0, POST_ONLY | IOC), /flags .* got 3/],
      ['cancel unknown', (b) => b.cancel(999), /999/],
      ['cancel 0', (b) => b.cancel(0), /order id 0/],
      ['reduce too much', (b, id) => b.reduce(id, 6), /\[1, 5\].* got 6/],
      ['reduce zero', (b, id) => b.reduce(id, 0), /got 0/],
      ['reduce unknown', (b) => b.reduce(12345, 1), /12345/],
      ['replace bad price', (b, id) => b.replace(id, -1, 5, 1), /newPriceTicks .* got -1/],
      ['replace qty 0', (b, id) => b.replace(id, 105, 0, 1), /newQty .* got 0/],
      ['replace unknown', (b) => b.replace(777, 100, 1, 1), /777/],
      ['depth out too short', (b) => b.depth(3, BOTH, new Float64Array(11)), /at least 12/],
      ['volumeAt bad side', (b) => b.volumeAt(3, 100), /got 3/],
    ];
    it.each(cases)('%s', (_c, call, msg) => {
      const { b, id } = setup();
      const h = b.hash();
      const counts = [b.orderCount(), b.restingQty(BUY), b.restingQty(SELL), b.lastOrderId];
      expect(() => call(b, id)).toThrow(BookError);
      expect(() => call(b, id)).toThrow(msg);
      expect(b.hash()).toBe(h);
      expect([b.orderCount(), b.restingQty(BUY), b.restingQty(SELL), b.lastOrderId]).toEqual(counts);
      b.validate();
    });
  });
});

describe.each(books)('%s conservation over long runs', (_name, make) => {
  it('validate() stays exact once the cumulative shares of a side pass 2^53', () => {
    const b = make();
    // 9,000 orders of 2^40 − 1 shares (odd, so the sums are not exact past 2^53): 9.9e15 submitted, beyond 2^53 ≈ 9.0e15.
    for (let i = 0; i < 9000; i++) {
      const id = b.limit(1, BUY, 100, MAX_QTY - 1, i, 0);
      if (i % 2 === 0) b.cancel(id);
      else b.market(2, SELL, MAX_QTY - 1, i);
    }
    b.limit(1, BUY, 99, 7, 9000, 0);
    b.limit(2, SELL, 101, 3, 9000, 0);
    expect(() => b.validate()).not.toThrow();
  });
});

describe('OrderBook specifics', () => {
  it('shares one FillBuffer between calls and across books when given one', () => {
    const fills = new FillBuffer(2);
    const b = new OrderBook({ fills });
    expect(b.fills).toBe(fills);
    b.limit(1, SELL, 10, 1, 0);
    b.limit(1, SELL, 11, 1, 0);
    b.limit(1, SELL, 12, 1, 0);
    b.market(2, BUY, 3, 1);
    expect(fills.count).toBe(3);
    expect(fills.capacity).toBeGreaterThanOrEqual(3);
  });

  it('keeps a uniform live list with swap-remove', () => {
    const b = new OrderBook();
    const ids = [1, 2, 3, 4].map((i) => b.limit(0, BUY, 10 + i, 1, 0));
    b.cancel(ids[1]);
    expect([0, 1, 2].map((i) => b.liveOrderAt(i))).toEqual([ids[0], ids[3], ids[2]]);
    expect(() => b.liveOrderAt(3)).toThrow(BookError);
  });

  it('re-centres across many pages as the price drifts far, without leaking pages', () => {
    const b = new OrderBook({ pageCapacity: 4 });
    let p = 1000;
    for (let step = 0; step < 2000; step++) {
      const id = b.limit(0, BUY, p, 1, step);
      b.limit(0, SELL, p + 3, 1, step);
      b.cancel(id);
      b.market(1, BUY, 1, step);
      p += 37;
    }
    expect(b.orderCount()).toBe(0);
    b.validate();
    // A drift of 74,000 ticks touched ~290 pages, but at most a few were live at once.
    expect((b as unknown as { pgUsed: number }).pgUsed).toBeLessThanOrEqual(4);
  });
});

describe('grownColumn', () => {
  it('copies a column of any typed-array kind into a larger one of the same kind', () => {
    const f = grownColumn(Float64Array.of(1.5, -2), 4);
    expect(f).toBeInstanceOf(Float64Array);
    expect([...f]).toEqual([1.5, -2, 0, 0]);
    const i = grownColumn(Int32Array.of(7), 3);
    expect(i).toBeInstanceOf(Int32Array);
    expect([...i]).toEqual([7, 0, 0]);
    const s = grownColumn(Int8Array.of(-1, 1), 2 * 2);
    expect(s).toBeInstanceOf(Int8Array);
    expect([...s]).toEqual([-1, 1, 0, 0]);
  });
});
