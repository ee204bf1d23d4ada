import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../simulator/random/index.ts';
import { HISTORICAL_OWNER, ReplayBook, inferTickSize, replayLobsterFiles } from '../../../simulator/replay/index.ts';
import { LobsterWriter, ReplayError, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../../simulator/lobster/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'replay-book-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TICK = 100;

/**
 * A plain reference model of an L3 book that writes LOBSTER files as the exchange would: one
 * message per event (executions one row per limit order hit, same timestamp for a sweep) and the
 * top `levels` after each; with `levels` small, events beyond the visible window are not written
 * (LOBSTER's level-N files hold only messages that touch the first N levels).
 */
class ModelBook {
  // side 1 bids, -1 asks: price -> FIFO of [id, qty]
  readonly bids = new Map<number, [number, number][]>();
  readonly asks = new Map<number, [number, number][]>();
  readonly where = new Map<number, { side: number; price: number }>();
  nextId = 1;

  book(side: number): Map<number, [number, number][]> {
    return side === 1 ? this.bids : this.asks;
  }
  prices(side: number): number[] {
    const ps = [...this.book(side).keys()];
    return side === 1 ? ps.sort((a, b) => b - a) : ps.sort((a, b) => a - b);
  }
  best(side: number): number {
    return this.prices(side)[0] ?? NaN;
  }
  /** True when `price` is among the top `levels` levels of `side` (or would be if added). */
  visible(side: number, price: number, levels: number): boolean {
    const ps = this.prices(side);
    if (ps.length < levels) return true;
    const deepest = ps[levels - 1];
    return side === 1 ? price >= deepest : price <= deepest;
  }
  add(side: number, price: number, qty: number): number {
    const id = this.nextId++;
    const m = this.book(side);
    const q = m.get(price);
    if (q === undefined) m.set(price, [[id, qty]]);
    else q.push([id, qty]);
    this.where.set(id, { side, price });
    return id;
  }
  /** Removes `by` shares of order `id` (all if by >= qty). */
  reduce(id: number, by: number): void {
    const w = this.where.get(id)!;
    const m = this.book(w.side);
    const q = m.get(w.price)!;
    const k = q.findIndex((o) => o[0] === id);
    q[k][1] -= by;
    if (q[k][1] <= 0) {
      q.splice(k, 1);
      this.where.delete(id);
      if (q.length === 0) m.delete(w.price);
    }
  }
  qty(id: number): number {
    const w = this.where.get(id);
    if (w === undefined) return 0;
    return this.book(w.side).get(w.price)!.find((o) => o[0] === id)![1];
  }
  row(levels: number): { ap: number[]; aq: number[]; bp: number[]; bq: number[] } {
    const sum = (q: [number, number][]): number => q.reduce((s, o) => s + o[1], 0);
    const ap = this.prices(-1).slice(0, levels);
    const bp = this.prices(1).slice(0, levels);
    return { ap, aq: ap.map((p) => sum(this.asks.get(p)!)), bp, bq: bp.map((p) => sum(this.bids.get(p)!)) };
  }
}

/**
 * Simulates `events` random events on a model book and writes LOBSTER files with `levels` levels.
 * `preOpen` orders rest before the first message (no type-1 message: unknown ids).
 */
function writeSession(name: string, seed: number, events: number, levels: number, preOpen: boolean): { model: ModelBook; msgPath: string; bookPath: string } {
  const rng = Rng.fromSeed(seed, 'replay-test');
  const model = new ModelBook();
  if (preOpen) {
    for (let d = 1; d <= 12; d++) {
      for (let k = rng.int(1, 3); k > 0; k--) model.add(-1, 1000 + d, 100 * rng.int(1, 4));
      for (let k = rng.int(1, 3); k > 0; k--) model.add(1, 1000 - d, 100 * rng.int(1, 4));
    }
  }
  const msgPath = join(dir, `${name}_message_${levels}.csv`);
  const bookPath = join(dir, `${name}_orderbook_${levels}.csv`);
  const w = new LobsterWriter({ messagesPath: msgPath, orderbookPath: bookPath, levels, tickSize: TICK });
  let t = 0;
  const emit = (type: number, id: number, qty: number, price: number, side: number, wasVisible: boolean): void => {
    if (!wasVisible && !model.visible(side, price, levels)) return;
    w.writeMessage(t, type, id, qty, price, side);
    const r = model.row(levels);
    w.writeBook(r.ap, r.aq, r.ap.length, r.bp, r.bq, r.bp.length);
  };
  let halted = false;
  for (let e = 0; e < events; e++) {
    t += rng.exponential(2);
    const u = rng.next();
    const live = [...model.where.keys()];
    if (u < 0.45 || live.length < 4) {
      const side = rng.bernoulli(0.5) ? 1 : -1;
      const opp = model.best(-side);
      const ref = Number.isNaN(opp) ? (Number.isNaN(model.best(side)) ? 1000 : model.best(side) + side) : opp;
      const price = ref - side * rng.int(1, 8);
      const qty = rng.bernoulli(0.7) ? 100 * rng.int(1, 5) : rng.int(1, 499);
      const vis = model.visible(side, price, levels);
      const id = model.add(side, price, qty);
      if (vis || model.visible(side, price, levels)) emit(1, id, qty, price, side, true);
    } else if (u < 0.65) {
      const id = live[rng.int(0, live.length - 1)];
      const w0 = model.where.get(id)!;
      const q = model.qty(id);
      const vis = model.visible(w0.side, w0.price, levels);
      if (q > 1) {
        const by = rng.int(1, q - 1);
        model.reduce(id, by);
        emit(2, id, by, w0.price, w0.side, vis);
      } else {
        model.reduce(id, q);
        emit(3, id, q, w0.price, w0.side, vis);
      }
    } else if (u < 0.8) {
      const id = live[rng.int(0, live.length - 1)];
      const w0 = model.where.get(id)!;
      const q = model.qty(id);
      const vis = model.visible(w0.side, w0.price, levels);
      model.reduce(id, q);
      emit(3, id, q, w0.price, w0.side, vis);
    } else if (u < 0.96) {
      // A market order: one execution row per resting order hit, all at the same time.
      const side = rng.bernoulli(0.5) ? 1 : -1;
      let want = rng.int(1, 900);
      while (want > 0 && !Number.isNaN(model.best(side))) {
        const p = model.best(side);
        const front = model.book(side).get(p)![0];
        const take = Math.min(want, front[1]);
        model.reduce(front[0], take);
        emit(4, front[0], take, p, side, true);
        want -= take;
      }
    } else if (u < 0.99) {
      const side = rng.bernoulli(0.5) ? 1 : -1;
      const p = Number.isNaN(model.best(side)) ? 1000 : model.best(side);
      w.writeMessage(t, 5, 0, rng.int(1, 300), p, side);
      const r = model.row(levels);
      w.writeBook(r.ap, r.aq, r.ap.length, r.bp, r.bq, r.bp.length);
    } else {
      halted = !halted;
      w.writeHalt(t, halted ? -1 : 1);
      const r = model.row(levels);
      w.writeBook(r.ap, r.aq, r.ap.length, r.bp, r.bq, r.bp.length);
    }
  }
  w.close();
  return { model, msgPath, bookPath };
}

function replay(m: LobsterMessages, b: LobsterOrderbook, onStep?: (k: number, rb: ReplayBook, snap: Float64Array) => void, levels = b.levels): ReplayBook {
  const rb = new ReplayBook({ levels, tickSize: TICK, maxDetails: 50 });
  const cols = 4 * b.levels;
  const snap = new Float64Array(cols);
  rb.seed(b.values, 0, { time: m.time[0], type: m.type[0], orderId: m.orderId[0], size: m.size[0], price: m.price[0], direction: m.direction[0] });
  for (let k = 1; k < m.length; k++) {
    rb.apply(m.time[k], m.type[k], m.orderId[k], m.size[k], m.price[k], m.direction[k]);
    rb.snapshot(snap);
    onStep?.(k, rb, snap);
    rb.check(b.values, k * cols);
  }
  return rb;
}

describe('ReplayBook', () => {
  it('replays a full-depth session exactly: the book after every message equals the next orderbook row', () => {
    const { model, msgPath, bookPath } = writeSession('full', 1, 3000, 60, false);
    const m = readLobsterMessages(msgPath);
    const b = readLobsterOrderbook(bookPath);
    expect(m.length).toBeGreaterThan(2500);
    let compared = 0;
    const rb = replay(m, b, (k, _rb, snap) => {
      const row = b.values.subarray(k * b.levels * 4, (k + 1) * b.levels * 4);
      for (let i = 0; i < row.length; i++) {
        if (snap[i] !== row[i]) throw new Error(`row ${k}, column ${i}: book ${snap[i]}, file ${row[i]}`);
      }
      compared++;
    });
    expect(compared).toBe(m.length - 1);
    const r = rb.report();
    expect(r.mismatches).toBe(0);
    expect(r.reseeded).toBe(0);
    expect(r.unknownShortfall).toBe(0);
    expect(r.typeCounts.slice(1).every((c, i) => i === 5 || c > 0)).toBe(true);
    // L3: every order the model still holds has the same remaining size in the replayed book.
    for (const id of model.where.keys()) {
      if (id === m.orderId[0] && m.type[0] === 1) continue;
      expect(rb.historicalQty(id)).toBe(model.qty(id));
    }
    rb.book.validate();
    expect(rb.trades.length).toBe(r.trades.visible + r.trades.hidden + r.trades.cross + (m.type[0] >= 4 && m.type[0] <= 6 ? 1 : 0));
  });

  it('replays a 3-level file with orders resting before the open: unknown ids, levels entering from below, no unexplained mismatch', () => {
    const { msgPath, bookPath } = writeSession('deep', 2, 3000, 3, true);
    const m = readLobsterMessages(msgPath);
    const b = readLobsterOrderbook(bookPath);
    const rb = replay(m, b);
    const r = rb.report();
    expect(r.details).toEqual([]);
    expect(r.mismatches).toBe(0);
    expect(r.transitions).toBe(m.length - 1);
    expect(r.unknownIds).toBeGreaterThan(0);
    expect(r.reseeded).toBeGreaterThan(0);
    // After the check the visible window is the file's.
    const snap = new Float64Array(12);
    rb.snapshot(snap);
    expect([...snap]).toEqual([...b.values.subarray((m.length - 1) * 12)]);
    rb.book.validate();
    // The streaming replay gives the same report.
    const f = replayLobsterFiles(msgPath, bookPath, { tickSize: TICK, maxDetails: 50 });
    expect(f.mismatches).toBe(0);
    expect(f.reseeded).toBe(r.reseeded);
    expect(f.unknownIds).toBe(r.unknownIds);
    expect(f.finalBestBid).toBe(rb.book.bestBid());
  });

  it('counts a row that messages cannot explain as a mismatch and re-seeds the book from it', () => {
    const { msgPath, bookPath } = writeSession('bad', 3, 400, 5, false);
    const m = readLobsterMessages(msgPath);
    const b = readLobsterOrderbook(bookPath);
    const k = 200;
    const o = k * 20;
    const bad = b.values.slice();
    // Row k's best ask holds 37 more shares than the messages say (and so do later rows until it changes).
    const p = bad[o];
    const q = bad[o + 1];
    for (let r = k; r < b.length && bad[r * 20] === p && bad[r * 20 + 1] === q; r++) bad[r * 20 + 1] += 37;
    const rb = replay(m, { ...b, values: bad });
    const r = rb.report();
    expect(r.mismatches).toBeGreaterThanOrEqual(1);
    expect(r.details[0].row).toBe(k);
    expect(r.details[0].reason).toContain(`ask ${p / TICK}`);
    const snap = new Float64Array(20);
    rb.snapshot(snap);
    expect([...snap]).toEqual([...bad.subarray((m.length - 1) * 20)]);
  });

  it('records hidden executions and halts without changing the book', () => {
    const rb = new ReplayBook({ levels: 1, tickSize: TICK });
    const row = Float64Array.from([10100, 200, 10000, 300]);
    rb.seed(row, 0);
    rb.apply(1, 5, 0, 50, 10050, 1);
    expect(rb.check(row, 0)).toBe(true);
    rb.apply(2, 7, 0, 0, -1, -1);
    expect(rb.halted).toBe(true);
    rb.apply(3, 7, 0, 0, 1, -1);
    expect(rb.halted).toBe(false);
    expect(rb.trades.length).toBe(1);
    expect(rb.trades.sign[0]).toBe(-1);
    expect(rb.trades.priceTicks[0]).toBe(100.5);
    expect(rb.book.bestAsk()).toBe(101);
  });

  it('rejects bad messages and leaves the book as it was', () => {
    const rb = new ReplayBook({ levels: 1, tickSize: TICK });
    const row = Float64Array.from([10100, 200, 10000, 300]);
    rb.seed(row, 0);
    const h = rb.book.hash();
    expect(() => rb.apply(1, 8, 1, 100, 10000, 1)).toThrow(ReplayError);
    expect(() => rb.apply(1, 1, 1, 100, 10050, 1)).toThrow(/not a positive multiple of the tick size 100/);
    expect(() => rb.apply(1, 1, 1, 100, 10000, 0)).toThrow(/direction 0/);
    expect(() => rb.apply(1, 1, 1, 1.5, 10000, 1)).toThrow(/size 1.5/);
    expect(() => rb.check(new Float64Array(3), 0)).toThrow(ReplayError);
    expect(() => new ReplayBook({ levels: 0 })).toThrow(ReplayError);
    expect(() => new ReplayBook({ levels: 1, tickSize: 2.5 })).toThrow(/tickSize/);
    expect(rb.book.hash()).toBe(h);
    expect(rb.report().typeCounts.reduce((a, c) => a + c, 0)).toBe(0);
  });

  it('match mode: a historical execution fills an outside order ahead in the queue, and later executions of the consumed order shrink', () => {
    const rb = new ReplayBook({ levels: 1, tickSize: TICK, executions: 'match' });
    rb.seed(Float64Array.from([10100, 200, 10000, 300]), 0);
    // Historical order 7 joins the bid queue behind the seeded volume; an outside bid joins behind it.
    rb.apply(1, 1, 7, 100, 10000, 1);
    const agent = rb.book.limit(100, 1, 100, 50, 1.5, 0);
    rb.registerOutside(agent);
    // Historical execution of 300 against the synthetic front volume: fills the 300 synthetic shares first.
    rb.apply(2, 4, 999, 300, 10000, 1);
    expect(rb.book.orderQty(agent)).toBe(50);
    // Execution of order 7 (100): order 7 is now at the front, the agent behind it.
    rb.apply(3, 4, 7, 60, 10000, 1);
    expect(rb.historicalQty(7)).toBe(40);
    // The agent sells 40 into the bids: takes order 7's remaining 40.
    rb.book.fills.clear();
    rb.book.market(100, -1, 40, 3.5);
    rb.noteOutsideFills();
    expect(rb.historicalQty(7)).toBe(0);
    // History then executes 40 more of order 7: the agent already took them, so nothing trades.
    rb.apply(4, 4, 7, 40, 10000, 1);
    expect(rb.book.orderQty(agent)).toBe(50);
    expect(rb.report().consumedSkips).toBeGreaterThanOrEqual(1);
    // A later execution at the level hits the agent's order, now at the front.
    rb.apply(5, 4, 12345, 30, 10000, 1);
    expect(rb.book.orderQty(agent)).toBe(20);
    expect(rb.book.orderOwner(agent)).toBe(100);
    expect(HISTORICAL_OWNER).toBe(1);
  });

  it('infers the tick size from message prices', () => {
    const m: LobsterMessages = {
      length: 3,
      time: Float64Array.from([1, 2, 3]),
      type: Int8Array.from([1, 1, 7]),
      orderId: Float64Array.from([1, 2, 0]),
      size: Float64Array.from([1, 1, 0]),
      price: Float64Array.from([5794000, 5794300, -1]),
      direction: Int8Array.from([1, -1, -1]),
    };
    expect(inferTickSize(m)).toBe(100);
  });
});
