import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMarketConfig, parseMarketSpec } from '../../../configs/index.ts';
import { Market } from '../../../simulator/index.ts';
import { LobsterRecorder, LobsterWriter, checkLobsterFiles, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eg-recorder-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The default preset with partial cancels switched on. */
function spec(partial: number) {
  const base = loadMarketConfig('default') as unknown as Record<string, Record<string, unknown>>;
  return parseMarketSpec({ ...base, liquidity: { ...base.liquidity, partialCancelProbability: partial } });
}

function record(levels: number, partial: number, seconds: number, seed = 3) {
  const market = Market.fromSpec(spec(partial), seed);
  const stem = join(dir, `L${levels}-p${partial}-s${seed}`);
  const w = new LobsterWriter({ messagesPath: `${stem}-msg.csv`, orderbookPath: `${stem}-book.csv`, levels, tickSize: 100 });
  const rec = new LobsterRecorder(market, w);
  market.recorder = rec;
  const fills0 = market.tape.length;
  const cancels0 = market.counts.cancel;
  market.runUntil(market.now + seconds);
  market.recorder = null;
  w.close();
  return { market, rec, msg: `${stem}-msg.csv`, book: `${stem}-book.csv`, fills: market.tape.length - fills0, cancels: market.counts.cancel - cancels0 };
}

/**
 * Every written message lies inside the visible window: an add rests at a price of the next row
 * (it is visible after it), a partial cancel, delete or execution names a level of the previous row.
 */
function outsideWindow(msgPath: string, bookPath: string): number {
  const m = readLobsterMessages(msgPath);
  const b = readLobsterOrderbook(bookPath);
  const L = b.levels;
  let bad = 0;
  for (let k = 1; k < m.length; k++) {
    const type = m.type[k];
    const row = type === 1 ? k : k - 1;
    const off = 4 * L * row + (m.direction[k] === 1 ? 2 : 0);
    let found = false;
    for (let i = 0; i < L; i++) if (b.values[off + 4 * i] === m.price[k] && b.values[off + 4 * i + 1] > 0) found = true;
    if (!found) bad++;
  }
  return bad;
}

describe('LobsterRecorder: a faithful level-N view of the simulated market', () => {
  for (const levels of [1, 3]) {
    it(`level ${levels}: the one-step check passes, only messages within the first ${levels} levels are written, partial cancels are type 2, one type 4 per fill`, () => {
      const r = record(levels, 0.4, 900);
      const rep = checkLobsterFiles(r.msg, r.book, { levels });
      expect(rep.transitions).toBeGreaterThan(1000);
      // Leaving out a visible message would break the next transition; writing an invisible one is caught below.
      expect(rep.mismatches).toBe(0);
      expect(rep.unknownPrice).toBe(0);
      expect(outsideWindow(r.msg, r.book)).toBe(0);
      // Every fill of a resting order is visible (it happens at the best level): one type-4 row each.
      expect(rep.typeCounts[4]).toBe(r.fills);
      expect(r.rec.written[4]).toBe(r.fills);
      // Partial cancels appear, and the view leaves out the deeper adds and cancels.
      expect(rep.typeCounts[2]).toBeGreaterThan(0);
      expect(rep.typeCounts[2] + rep.typeCounts[3]).toBeLessThan(r.cancels);
      expect(r.rec.written[1]).toBeLessThan(r.rec.seen[1]);
      expect(r.rec.seen[2] + r.rec.seen[3]).toBe(r.cancels);
      expect(rep.typeCounts[1]).toBe(r.rec.written[1]);
      const m = readLobsterMessages(r.msg);
      // A partial cancel removes part of an order: never more than a level holds (checked above), at least one share.
      for (let k = 0; k < m.length; k++) if (m.type[k] === 2) expect(m.size[k]).toBeGreaterThanOrEqual(1);
    });
  }

  it('a deeper view holds every message of a shallower one (level 1 ⊂ level 3), same seed', () => {
    const a = record(1, 0.4, 300, 5);
    const b = record(3, 0.4, 300, 5);
    for (const t of [1, 2, 3]) expect(b.rec.written[t]).toBeGreaterThanOrEqual(a.rec.written[t]);
    expect(b.rec.seen).toEqual(a.rec.seen);
  });

  it('partial cancels off (the default): no type 2, and the market draws exactly as before', () => {
    const r = record(1, 0, 600, 7);
    expect(r.rec.seen[2]).toBe(0);
    const plain = Market.fromSpec(loadMarketConfig('default'), 7);
    plain.runUntil(plain.now + 600);
    expect(plain.book.hash()).toBe(r.market.book.hash());
    expect(plain.tape.length).toBe(r.market.tape.length);
  });
});
