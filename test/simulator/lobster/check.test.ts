import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../../simulator/random/index.ts';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE, LobsterFormatError, LobsterWriter, OneStepChecker, checkLobsterFiles } from '../../../simulator/lobster/index.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eg-check-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A full-depth price-level book (price ticks -> size per side) driven by a seeded random stream
 * through every event type; after each message the top `levels` of each side are written.
 * `corruptAt`: the first visible execution (type 4) at or after that step is written with a size
 * one larger than the one applied.
 */
function writeSession(name: string, steps: number, levels: number, seed: number, corruptAt = -1): { messages: string; orderbook: string; corrupted: number } {
  const rng = Rng.fromSeed(seed, 'lobster-check-test');
  const asks = new Map<number, number>([[10001, 5], [10002, 3]]);
  const bids = new Map<number, number>([[9999, 4], [9998, 2]]);
  const messages = join(dir, `${name}_message.csv`);
  const orderbook = join(dir, `${name}_orderbook.csv`);
  const w = new LobsterWriter({ messagesPath: messages, orderbookPath: orderbook, levels, tickSize: 100 });
  const sorted = (book: Map<number, number>, asc: boolean): number[] => [...book.keys()].sort((a, b) => (asc ? a - b : b - a));
  const ap: number[] = [];
  const aq: number[] = [];
  const bp: number[] = [];
  const bq: number[] = [];
  let id = 100;
  let corrupted = -1;
  for (let s = 0; s < steps; s++) {
    const t = s * 0.01;
    const dirn = rng.bernoulli(0.5) ? 1 : -1;
    const book = dirn === 1 ? bids : asks;
    const levelPrices = sorted(book, dirn === -1);
    const bestAsk = Math.min(...asks.keys());
    const bestBid = Math.max(...bids.keys());
    const u = rng.next();
    let type: number;
    let price: number;
    let qty: number;
    if (u < 0.4 || levelPrices.length < 3) {
      type = 1;
      price = dirn === 1 ? bestAsk - rng.int(1, 8) : bestBid + rng.int(1, 8);
      qty = rng.int(1, 5);
      book.set(price, (book.get(price) ?? 0) + qty);
    } else if (u < 0.9) {
      type = u < 0.55 ? 2 : u < 0.75 ? 3 : 4;
      price = type === 4 ? levelPrices[0] : levelPrices[rng.int(0, levelPrices.length - 1)];
      const have = book.get(price) ?? 0;
      qty = type === 2 ? Math.max(1, have - 1) : rng.int(1, have);
      if (type === 2 && have === 1) type = 3;
      const left = have - qty;
      if (left > 0) book.set(price, left);
      else book.delete(price);
    } else {
      type = u < 0.95 ? 5 : u < 0.98 ? 6 : 7;
      price = dirn === 1 ? bestBid : bestAsk;
      qty = rng.int(1, 10);
    }
    let written = qty;
    if (corruptAt >= 0 && s >= corruptAt && corrupted < 0 && type === 4) {
      written = qty + 1;
      corrupted = s;
    }
    if (type === 7) w.writeHalt(t, rng.int(-1, 1));
    else w.writeMessage(t, type, id++, written, price, dirn);
    const a = sorted(asks, true);
    const b = sorted(bids, false);
    ap.length = aq.length = bp.length = bq.length = 0;
    for (const p of a) {
      ap.push(p);
      aq.push(asks.get(p) ?? 0);
    }
    for (const p of b) {
      bp.push(p);
      bq.push(bids.get(p) ?? 0);
    }
    w.writeBook(ap, aq, Math.min(levels, ap.length), bp, bq, Math.min(levels, bp.length));
  }
  w.close();
  return { messages, orderbook, corrupted };
}

describe('one-step check on a synthetic session', () => {
  it('passes on every transition of a consistent session with every event type; deep levels are re-seeded', () => {
    const { messages, orderbook } = writeSession('ok', 3000, 3, 7);
    const report = checkLobsterFiles(messages, orderbook);
    expect(report.levels).toBe(3);
    expect(report.rows).toBe(3000);
    expect(report.transitions).toBe(2999);
    expect(report.details).toEqual([]);
    expect(report.mismatches).toBe(0);
    expect(report.reseeded).toBeGreaterThan(0);
    for (let type = 1; type <= 7; type++) expect(report.typeCounts[type]).toBeGreaterThan(0);
  });

  it('reports a deliberate mismatch: the transition, the message and the field', () => {
    const { messages, orderbook, corrupted } = writeSession('bad', 400, 2, 7, 250);
    expect(corrupted).toBeGreaterThanOrEqual(250);
    const report = checkLobsterFiles(messages, orderbook, { levels: 2 });
    const line = readFileSync(messages, 'utf8').split('\n')[corrupted].split(',');
    expect(report.mismatches).toBe(1);
    expect(report.details).toHaveLength(1);
    const d = report.details[0];
    expect([d.row, d.type, d.size, d.price, d.direction]).toEqual([corrupted, 4, Number(line[3]), Number(line[4]), Number(line[5])]);
    expect(d.reason).toMatch(/(Size1: expected)|(removes \d+ from a level of \d+)/);
  });

  it('fails clearly when the files have different row counts', () => {
    const { messages, orderbook } = writeSession('short', 50, 2, 3);
    const cut = join(dir, 'cut_orderbook.csv');
    writeFileSync(cut, readFileSync(orderbook, 'utf8').split('\n').slice(0, 40).join('\n') + '\n');
    expect(() => checkLobsterFiles(messages, cut)).toThrow(LobsterFormatError);
    expect(() => checkLobsterFiles(messages, cut)).toThrow(/different row counts/);
    expect(() => checkLobsterFiles(messages, orderbook, { levels: 3 })).toThrow(/8 columns/);
    const badType = join(dir, 'badtype_message.csv');
    writeFileSync(badType, readFileSync(messages, 'utf8').replace(/^([^,]*),\d,/, '$1,9,'));
    expect(() => checkLobsterFiles(badType, orderbook)).toThrow(/line 1: event type 9/);
  });
});

describe('OneStepChecker.step', () => {
  const A = EMPTY_ASK_PRICE;
  const B = EMPTY_BID_PRICE;
  it('re-seeds a level entering a full window from below, and only then', () => {
    const c = new OneStepChecker(2);
    // Full 2-level window: delete the best ask; ask 3 enters from below (unknown to the message).
    const prev = Float64Array.from([101, 5, 99, 4, 102, 3, 98, 2]);
    const next = Float64Array.from([102, 3, 99, 4, 107, 9, 98, 2]);
    expect(c.step(prev, 0, 1, 0, 3, 1, 5, 101, -1, next, 0)).toBe(true);
    expect(c.reseeded).toBe(1);
    // Window not full: the bottom must become empty.
    const prev2 = Float64Array.from([101, 5, 99, 4, A, 0, 98, 2]);
    const good = Float64Array.from([A, 0, 99, 4, A, 0, 98, 2]);
    const bad = Float64Array.from([107, 9, 99, 4, A, 0, 98, 2]);
    expect(c.step(prev2, 0, 2, 0, 4, 1, 5, 101, -1, good, 0)).toBe(true);
    expect(c.step(prev2, 0, 3, 0, 4, 1, 5, 101, -1, bad, 0)).toBe(false);
    expect(c.report().details[0].reason).toMatch(/askPrice1: expected 9999999999, found 107/);
    expect(c.reseeded).toBe(1);
  });

  it('inserts a new level in price order and drops the last one out of a full window', () => {
    const c = new OneStepChecker(2);
    const prev = Float64Array.from([101, 5, 99, 4, 102, 3, 98, 2]);
    const next = Float64Array.from([101, 5, 100, 7, 102, 3, 99, 4]);
    expect(c.step(prev, 0, 1, 0, 1, 9, 7, 100, 1, next, 0)).toBe(true);
    // Beyond a full window: nothing visible changes.
    expect(c.step(prev, 0, 2, 0, 1, 9, 7, 90, 1, prev, 0)).toBe(true);
    // A cancel at a price inside the window where no level exists is a mismatch.
    const withEmpty = Float64Array.from([101, 5, 99, 4, 102, 3, B, 0]);
    expect(c.step(withEmpty, 0, 3, 0, 2, 9, 1, 97, 1, withEmpty, 0)).toBe(false);
    expect(c.unknownPrice).toBe(1);
    expect(c.mismatches).toBe(1);
    expect(c.report().details[0].reason).toMatch(/no visible level at price 97/);
    expect(() => new OneStepChecker(0)).toThrow(/levels must be a positive integer, got 0/);
    const before = c.transitions;
    expect(() => c.step(prev, 4, 4, 0, 1, 9, 7, 100, 1, next, 0)).toThrow(/rows need 8 values/);
    expect(() => c.step(prev, 0, 4, 0, 1, 9, 7, 100, 0, next, 0)).toThrow(/direction must be 1 \(buy\) or -1 \(sell\) for type 1, got 0/);
    expect(c.transitions).toBe(before);
  });
});
