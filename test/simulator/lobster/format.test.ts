import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE, LobsterFormatError, LobsterType, LobsterWriter, MESSAGE_COLUMNS, NumericCsvReader, ReplayError, forEachMessageBatch, groupExecutions, messageCoverage, partialSessionNote, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eg-lobster-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('NumericCsvReader', () => {
  it('parses decimals, negatives, CRLF, blank lines and a last line without newline, across tiny chunks', () => {
    const text = '\n34200.004241176,1,16113575,18,5853300,1\r\n34200.5,-1,0,0,-9999999999,-1\n\n7,2,3,4,5,6';
    const p = file('mixed.csv', text);
    for (const chunkBytes of [1, 3, 7, 64, 1 << 20]) {
      const r = NumericCsvReader.open(p, { chunkBytes, batchRows: 2 });
      expect(r.columns).toBe(6);
      const all: number[] = [];
      for (let n = r.fill(); n > 0; n = r.fill()) all.push(...r.values.subarray(0, n * 6));
      r.close();
      expect(all).toEqual([34200.004241176, 1, 16113575, 18, 5853300, 1, 34200.5, -1, 0, 0, -9999999999, -1, 7, 2, 3, 4, 5, 6]);
      expect(r.rowsRead).toBe(3);
    }
  });

  it('rejects a row with the wrong field count or a bad character, naming the line', () => {
    const short = file('short.csv', '1,2,3,4,5,6\n1,2,3,4,5\n');
    expect(() => readLobsterMessages(short)).toThrow(LobsterFormatError);
    expect(() => readLobsterMessages(short)).toThrow(/line 2/);
    const long = file('long.csv', '1,2,3,4,5,6,7\n');
    expect(() => readLobsterMessages(long)).toThrow(/more than 6 fields/);
    const bad = file('bad.csv', '1,1,3,4,5x,1\n');
    expect(() => readLobsterMessages(bad)).toThrow(/line 1: an unexpected character 'x'/);
    const empty = file('emptyfield.csv', '1,1,,4,5,1\n');
    expect(() => readLobsterMessages(empty)).toThrow(/where a number is expected/);
  });

  it('rejects invalid event types and directions', () => {
    expect(() => readLobsterMessages(file('type8.csv', '1,8,3,4,5,1\n'))).toThrow(/event type 8/);
    expect(() => readLobsterMessages(file('dir0.csv', '1,1,3,4,5,0\n'))).toThrow(/direction 0/);
    expect(() => readLobsterMessages(join(dir, 'missing.csv'))).toThrow(LobsterFormatError);
  });
});

describe('LobsterWriter and readers', () => {
  it('reads a message file longer than one batch (65,536 rows) into columns of exactly its row count', () => {
    // A real day has hundreds of thousands of rows; the columns used to keep the grown capacity
    // (131,072 for 70,001 rows), which broke every caller pairing them with arrays of `length`.
    const n = 70_001;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`${34200 + i * 0.01},1,${i + 1},100,${5_000_000 + (i % 7) * 100},${i % 2 === 0 ? 1 : -1}`);
    const m = readLobsterMessages(file('long_message_1.csv', lines.join('\n') + '\n'));
    expect(m.length).toBe(n);
    for (const col of [m.time, m.type, m.orderId, m.size, m.price, m.direction]) expect(col.length).toBe(n);
    expect(m.orderId[n - 1]).toBe(n);
    expect(m.time[n - 1]).toBeCloseTo(34200 + (n - 1) * 0.01, 9);
    expect(m.direction[n - 2]).toBe(-1);
  });

  it('writes every event type and an N-level book; reading back gives identical values', () => {
    const messagesPath = join(dir, 'rt_message_3.csv');
    const orderbookPath = join(dir, 'rt_orderbook_3.csv');
    const w = new LobsterWriter({ messagesPath, orderbookPath, levels: 3, tickSize: 100, sessionStartSeconds: 34200 });
    const rows: [number, number, number, number, number, number][] = [
      [0.000000001, 1, 11, 100, 10001, -1],
      [0.5, 2, 11, 40, 10001, -1],
      [1.25, 3, 11, 60, 10001, -1],
      [2, 4, 7, 10, 9999, 1],
      [2, 5, 0, 15, 10000, -1],
      [3.123456789, 6, 5, 300, 10000, 1],
    ];
    const ask = [10001, 10003, 10010];
    const askQ = [5, 6, 7];
    const bid = [9999, 9998];
    const bidQ = [8, 9];
    for (const r of rows) {
      w.writeMessage(...r);
      w.writeBook(ask, askQ, 3, bid, bidQ, 2);
    }
    w.writeHalt(4, -1);
    w.writeBook(ask, askQ, 0, bid, bidQ, 1);
    w.close();
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);

    const m = readLobsterMessages(messagesPath);
    expect(m.length).toBe(7);
    for (let i = 0; i < rows.length; i++) {
      const [t, type, id, q, p, d] = rows[i];
      expect(m.time[i]).toBeCloseTo(34200 + t, 9);
      expect([m.type[i], m.orderId[i], m.size[i], m.price[i], m.direction[i]]).toEqual([type, id, q, p * 100, d]);
    }
    expect([m.type[6], m.price[6]]).toEqual([LobsterType.HALT, -1]);
    const firstLine = readFileSync(messagesPath, 'utf8').split('\n')[0];
    expect(firstLine).toBe('34200.000000001,1,11,100,1000100,-1');

    const b = readLobsterOrderbook(orderbookPath);
    expect(b.levels).toBe(3);
    expect(b.length).toBe(7);
    expect(Array.from(b.values.subarray(0, 12))).toEqual([1000100, 5, 999900, 8, 1000300, 6, 999800, 9, 1001000, 7, EMPTY_BID_PRICE, 0]);
    expect(Array.from(b.values.subarray(6 * 12, 7 * 12))).toEqual([
      EMPTY_ASK_PRICE, 0, 999900, 8, EMPTY_ASK_PRICE, 0, EMPTY_BID_PRICE, 0, EMPTY_ASK_PRICE, 0, EMPTY_BID_PRICE, 0,
    ]);
    expect(() => readLobsterOrderbook(orderbookPath, 2)).toThrow(/12 columns.*8 \(2 levels\)/);

    // Streaming batches see the same rows.
    const seen: number[] = [];
    const n = forEachMessageBatch(messagesPath, (v, rowsInBatch) => {
      for (let r = 0; r < rowsInBatch; r++) seen.push(v[r * MESSAGE_COLUMNS + 1]);
    }, 2);
    expect(n).toBe(7);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rejects bad writer input without writing anything, and unpaired rows at close', () => {
    const w = new LobsterWriter({ messagesPath: join(dir, 'bad_m.csv'), orderbookPath: join(dir, 'bad_b.csv'), levels: 2, tickSize: 100 });
    expect(() => w.writeMessage(NaN, 1, 1, 1, 1, 1)).toThrow(ReplayError);
    expect(() => w.writeMessage(1, 7, 1, 1, 1, 1)).toThrow(/writeHalt/);
    expect(() => w.writeMessage(1, 1, 1, 1.5, 1, 1)).toThrow(/qty must be an integer >= 0, got 1.5/);
    expect(() => w.writeMessage(1, 1, 1, 1, 1.5, 1)).toThrow(/priceTicks/);
    expect(() => w.writeMessage(1, 1, 1, 1, 1, 0)).toThrow(/direction/);
    expect(() => w.writeHalt(1, 2)).toThrow(/halt code/);
    expect(() => w.writeBook([10, 9], [1, 1], 2, [8], [1], 1)).toThrow(/strictly increasing/);
    expect(() => w.writeBook([10], [0], 1, [8], [1], 1)).toThrow(/positive integer, got 0/);
    expect(w.messages).toBe(0);
    expect(w.books).toBe(0);
    w.writeMessage(1, 1, 1, 1, 10, -1);
    expect(() => w.close()).toThrow(/1 messages, 0 orderbook rows/);
    w.abort();
    expect(readdirSync(dir).filter((f) => f.startsWith('.bad_') || f.startsWith('bad_'))).toEqual([]);
    expect(() => new LobsterWriter({ messagesPath: join(dir, 'x.csv'), orderbookPath: join(dir, 'y.csv'), levels: 0, tickSize: 100 })).toThrow(/levels must be a positive integer, got 0/);
    expect(() => new LobsterWriter({ messagesPath: join(dir, 'x.csv'), orderbookPath: join(dir, 'y.csv'), levels: 1, tickSize: 0.5 })).toThrow(/tickSize/);
  });
});

describe('groupExecutions', () => {
  it('groups same-timestamp, same-side executions into market orders with sign = -direction', () => {
    const p = file(
      'grp.csv',
      [
        '10.0,4,1,100,1000000,-1', // buy market order hits two asks
        '10.0,4,2,50,1000100,-1',
        '10.0,1,9,30,1000100,1', // the remainder rests: does not split the group
        '10.0,5,3,20,1000050,-1', // hidden fill at the same time and side
        '10.0,4,4,10,999900,1', // same time, other side: a new order
        '11.5,4,5,7,999900,1',
        '11.5,4,6,3,999800,1',
        '12.0,5,0,40,999950,1', // hidden only
      ].join('\n') + '\n',
    );
    const m = readLobsterMessages(p);
    const vis = groupExecutions(m);
    expect(vis.length).toBe(3);
    expect(Array.from(vis.sign.subarray(0, 3))).toEqual([1, -1, -1]);
    expect(Array.from(vis.qty.subarray(0, 3))).toEqual([150, 10, 10]);
    expect(Array.from(vis.fills.subarray(0, 3))).toEqual([2, 1, 2]);
    expect(vis.vwap[0]).toBeCloseTo((100 * 1000000 + 50 * 1000100) / 150, 9);
    expect(vis.vwap[2]).toBeCloseTo((7 * 999900 + 3 * 999800) / 10, 9);
    const all = groupExecutions(m, true);
    expect(all.length).toBe(4);
    expect(Array.from(all.qty.subarray(0, 4))).toEqual([170, 10, 10, 40]);
    expect(Array.from(all.sign.subarray(0, 4))).toEqual([1, -1, -1, -1]);
  });
});

describe('messageCoverage and partialSessionNote', () => {
  const rows = (times: number[]) => ({ length: times.length, time: Float64Array.from(times) });

  it('measure how much of the session the rows span, clipped to it', () => {
    expect(messageCoverage(rows([34200, 57600]), 34200, 23400)).toEqual({ first: 34200, last: 57600, share: 1 });
    // LOBSTER's sample of a day's first 999 rows: 49 s of 23,400.
    expect(messageCoverage(rows([34200.5, 34249.5]), 34200, 23400).share).toBeCloseTo(49 / 23400, 15);
    // Rows outside the session count only for their part inside it.
    expect(messageCoverage(rows([30000, 40050]), 34200, 23400).share).toBeCloseTo(5850 / 23400, 15);
    expect(messageCoverage(rows([]), 34200, 23400).share).toBe(0);
  });

  it('say nothing for a whole day and, for a partial file, give the options that read the part it holds', () => {
    expect(partialSessionNote(rows([34201, 57590]), 34200, 23400)).toBeNull();
    const note = partialSessionNote(rows([34200.02, 34249.1]), 34200, 23400) as string;
    expect(note).toMatch(/0\.2% of the 23400-s session from 34200/);
    expect(note).toMatch(/--session-start 34200 --session-seconds 50$/);
    // With those options the file covers its session.
    expect(partialSessionNote(rows([34200.02, 34249.1]), 34200, 50)).toBeNull();
    // Rows outside the session: the options name the rows' own span.
    expect(partialSessionNote(rows([30000.5, 30010.2]), 34200, 23400)).toMatch(/0\.0% of the 23400-s session from 34200: .* --session-start 30000 --session-seconds 11$/);
    expect(partialSessionNote(rows([]), 34200, 23400)).toBeNull();
  });
});
