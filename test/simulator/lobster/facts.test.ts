import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LobsterWriter, ReplayError, lobsterFacts, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eg-lfacts-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('lobsterFacts', () => {
  it('counts limit orders, cancels, grouped market orders and hidden volume; spread in cents', () => {
    const messagesPath = join(dir, 'f_message_1.csv');
    const orderbookPath = join(dir, 'f_orderbook_1.csv');
    const w = new LobsterWriter({ messagesPath, orderbookPath, levels: 1, tickSize: 100 });
    // Book: ask 10002 / bid 10000 ticks ($100.02 / $100.00): a 2-tick (2-cent) spread throughout.
    const book = (): void => w.writeBook([10002], [100], 1, [10000], [100], 1);
    const seconds = 3600;
    let id = 1;
    for (let s = 0; s < seconds; s += 10) {
      w.writeMessage(s, 1, id++, 10, 10000, 1); // limit buy
      book();
      w.writeMessage(s + 1, 3, id - 1, 10, 10000, 1); // its deletion
      book();
      // A buy market order of two fills at the same timestamp (sells hit: direction -1) ...
      w.writeMessage(s + 2, 4, 900, 30, 10002, -1);
      book();
      w.writeMessage(s + 2, 4, 901, 10, 10002, -1);
      book();
      // ... and a hidden execution of 20 shares.
      w.writeMessage(s + 3, 5, 0, 20, 10001, 1);
      book();
    }
    w.close();
    const m = readLobsterMessages(messagesPath);
    const b = readLobsterOrderbook(orderbookPath);
    const f = lobsterFacts(m, b, { tickSize: 100, sessionStart: 34200, sessionSeconds: seconds });
    const n = seconds / 10;
    expect(f.meanSpreadCents).toBeCloseTo(2, 12);
    expect(f.spread.meanTicks).toBe(2);
    expect(f.spread.meanBps).toBeCloseTo((2 / 10001) * 10000, 10);
    expect(f.messageRates).toEqual({ limit: n / seconds, cancel: n / seconds, market: n / seconds, marketInclHidden: (2 * n) / seconds, hiddenExecution: n / seconds, halt: 0 });
    expect(f.trades).toEqual({ count: n, meanQty: 40, buyShare: 1 });
    expect(f.hiddenVolumeShare).toBeCloseTo(20 / 60, 12);
    expect(f.volume.total).toBe(60 * n);
    expect(f.depth).toEqual({ bid: [100], ask: [100] });
    // A constant mid: returns are all 0.
    expect(f.returns[0].sd).toBe(0);
    expect(() => lobsterFacts(m, { ...b, length: b.length - 1 })).toThrow(ReplayError);
    expect(() => lobsterFacts(m, b, { tickSize: 0 })).toThrow(/tickSize/);
  });
});
