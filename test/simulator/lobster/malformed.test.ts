/**
 * Malformed LOBSTER files: every defect gives a typed error naming the file and the 1-based line
 * (never a silent pass, never a raw TypeError/RangeError), through every reader: the one-step
 * check, the replay, the whole-file readers, and the replay env (paths and data in memory).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError } from '../../../env/core.ts';
import { ReplayExecutionEnv } from '../../../env/replay/index.ts';
import { LobsterFormatError, checkLobsterFiles, readLobsterMessages, readLobsterOrderbook } from '../../../simulator/lobster/index.ts';
import { ReplayDriver, ReplayDriverError, replayLobsterFiles } from '../../../simulator/replay/index.ts';
import { longDay } from '../../env/replay/days.ts';

const dir = mkdtempSync(join(tmpdir(), 'eg-malformed-'));
const DAY = longDay(300, 7);
const NAME = 'TEST_2012-06-21_34200000_57600000';

/** The synthetic day as LOBSTER text: one line per message / book row. */
function csvLines(): { messages: string[]; orderbook: string[] } {
  const m = DAY.messages;
  const messages: string[] = [];
  for (let i = 0; i < m.length; i++) messages.push([m.time[i].toFixed(9), m.type[i], m.orderId[i], m.size[i], m.price[i], m.direction[i]].join(','));
  const b = DAY.orderbook;
  const orderbook: string[] = [];
  for (let i = 0; i < b.length; i++) orderbook.push(Array.from(b.values.subarray(4 * i, 4 * i + 4)).join(','));
  return { messages, orderbook };
}

let n = 0;
/** Writes a pair of files (after `edit`) and returns their paths. */
function pair(edit: (f: { messages: string[]; orderbook: string[] }) => void, join_ = '\n'): { messages: string; orderbook: string } {
  const f = csvLines();
  edit(f);
  n++;
  const mp = join(dir, `${NAME}_message_1.case${n}.csv`);
  const bp = join(dir, `${NAME}_orderbook_1.case${n}.csv`);
  writeFileSync(mp, f.messages.join(join_) + join_);
  writeFileSync(bp, f.orderbook.join(join_) + join_);
  return { messages: mp, orderbook: bp };
}

const setField = (line: string, k: number, v: string): string => {
  const p = line.split(',');
  p[k] = v;
  return p.join(',');
};

/** Every way in: each must throw `type` with a message matching `re`. */
function expectEverywhere(files: { messages: string; orderbook: string }, re: RegExp, pairOnly = false): number {
  const all: [string, () => unknown, new (...a: never[]) => Error][] = [
    ['lobster check', () => checkLobsterFiles(files.messages, files.orderbook), LobsterFormatError],
    ['replay', () => replayLobsterFiles(files.messages, files.orderbook), LobsterFormatError],
    ['read both', () => [readLobsterMessages(files.messages), readLobsterOrderbook(files.orderbook)], LobsterFormatError],
    ['replay env', () => new ReplayExecutionEnv({ messages: files.messages, orderbook: files.orderbook, sessionSeconds: 23400 }), EnvError],
  ];
  // A defect of the pair (row counts) is invisible to a reader of one file.
  const readers = pairOnly ? all.filter((r) => r[0] !== 'read both') : all;
  for (const [, fn, type] of readers) {
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(re);
  }
  return readers.length;
}

describe('malformed LOBSTER files', () => {
  it('the unmodified pair reads, checks and replays cleanly (the baseline of the cases below)', () => {
    const f = pair(() => undefined);
    expect(checkLobsterFiles(f.messages, f.orderbook).mismatches).toBe(0);
    expect(replayLobsterFiles(f.messages, f.orderbook).mismatches).toBe(0);
    expect(() => new ReplayExecutionEnv({ ...f, sessionSeconds: 23400 })).not.toThrow();
  });

  const cases: [string, (f: { messages: string[]; orderbook: string[] }) => void, (f: { messages: string }) => RegExp, 'pair'?][] = [
    [
      'times swapped between two lines far apart (unsorted)',
      (f) => {
        const a = f.messages[10].split(',')[0];
        const b = f.messages[200].split(',')[0];
        f.messages[10] = setField(f.messages[10], 0, b);
        f.messages[200] = setField(f.messages[200], 0, a);
      },
      (f) => new RegExp(`${esc(f.messages)}, line 12: time .* is before the previous row's`),
    ],
    ['a negative time', (f) => (f.messages[5] = setField(f.messages[5], 0, '-3.5')), (f) => new RegExp(`${esc(f.messages)}, line 6: time -3.5 s after midnight is outside the session \\[34200, 57600\\]`)],
    ['a time after the session', (f) => (f.messages[f.messages.length - 1] = setField(f.messages[f.messages.length - 1], 0, '60000')), (f) => new RegExp(`${esc(f.messages)}, line \\d+: time 60000 .*outside the session`)],
    ['a negative size', (f) => (f.messages[7] = setField(f.messages[7], 3, '-100')), (f) => new RegExp(`${esc(f.messages)}, line 8: size -100 \\(allowed: a positive integer`)],
    ['a fractional size', (f) => (f.messages[7] = setField(f.messages[7], 3, '12.5')), (f) => new RegExp(`${esc(f.messages)}, line 8: size 12.5`)],
    ['a zero size', (f) => (f.messages[7] = setField(f.messages[7], 3, '0')), (f) => new RegExp(`${esc(f.messages)}, line 8: size 0`)],
    ['an unknown event type', (f) => (f.messages[3] = setField(f.messages[3], 1, '9')), (f) => new RegExp(`${esc(f.messages)}, line 4: event type 9`)],
    ['a direction of 0', (f) => (f.messages[3] = setField(f.messages[3], 5, '0')), (f) => new RegExp(`${esc(f.messages)}, line 4: direction 0`)],
    ['a zero price', (f) => (f.messages[4] = setField(f.messages[4], 4, '0')), (f) => new RegExp(`${esc(f.messages)}, line 5: price 0`)],
    ['a word where a number belongs', (f) => (f.messages[2] = setField(f.messages[2], 3, 'ten')), (f) => new RegExp(`${esc(f.messages)}, line 3: 't' where a number is expected`)],
    ['a missing message field', (f) => (f.messages[2] = f.messages[2].split(',').slice(0, 5).join(',')), (f) => new RegExp(`${esc(f.messages)}, line 3: 5 fields where 6 are expected`)],
    ['an extra message field', (f) => (f.messages[2] = `${f.messages[2]},1`), (f) => new RegExp(`${esc(f.messages)}, line 3: more than 6 fields`)],
    ['an empty field', (f) => (f.messages[2] = setField(f.messages[2], 5, '')), (f) => new RegExp(`${esc(f.messages)}, line 3: the end of the line where a number is expected`)],
    ['a truncated last message row', (f) => (f.messages[f.messages.length - 1] = f.messages[f.messages.length - 1].split(',').slice(0, 3).join(',')), (f) => new RegExp(`${esc(f.messages)}, line \\d+: 3 fields where 6 are expected`)],
    ['a missing orderbook column', (f) => (f.orderbook[6] = f.orderbook[6].split(',').slice(0, 3).join(',')), () => /orderbook_1\.case\d+\.csv, line 7: 3 fields where 4 are expected/],
    ['fewer orderbook rows than messages', (f) => f.orderbook.splice(100), () => /different row counts|row counts differ/, 'pair'],
  ];
  for (const [name, edit, re, kind] of cases) {
    it(name, () => {
      const f = pair(edit);
      expect(expectEverywhere(f, re(f), kind === 'pair')).toBe(kind === 'pair' ? 3 : 4);
    });
  }

  it('carriage-return-only line ends, in either file', () => {
    const f = pair(() => undefined, '\r');
    for (const fn of [() => checkLobsterFiles(f.messages, f.orderbook), () => readLobsterMessages(f.messages), () => readLobsterOrderbook(f.orderbook), () => replayLobsterFiles(f.messages, f.orderbook)]) {
      expect(fn).toThrow(LobsterFormatError);
      expect(fn).toThrow(/line 1: carriage-return-only line ends \(allowed: LF or CRLF/);
    }
    expect(() => new ReplayExecutionEnv({ ...f })).toThrow(EnvError);
    // CRLF is fine.
    const crlf = pair(() => undefined, '\r\n');
    expect(checkLobsterFiles(crlf.messages, crlf.orderbook).mismatches).toBe(0);
  });

  it('data in memory is checked too, naming what it is and the 1-based row', () => {
    const m = { ...DAY.messages, time: DAY.messages.time.slice() };
    m.time[20] = m.time[40];
    expect(() => new ReplayDriver({ messages: m, orderbook: DAY.orderbook })).toThrow(ReplayDriverError);
    expect(() => new ReplayDriver({ messages: m, orderbook: DAY.orderbook })).toThrow(/messages, line 22: time .* is before the previous row's/);
    expect(() => new ReplayExecutionEnv({ messages: m, orderbook: DAY.orderbook })).toThrow(/options.messages, line 22/);
    const late = { ...DAY.messages, time: DAY.messages.time.slice() };
    late.time[late.length - 1] = 34200 + 23400 + 1;
    expect(() => new ReplayDriver({ messages: late, orderbook: DAY.orderbook })).toThrow(/outside the session \[34200, 57600\]/);
  });

  it('the written pair of the cases is what the readers see (sanity of the fixture)', () => {
    const f = pair(() => undefined);
    expect(readFileSync(f.messages, 'utf8').split('\n').length - 1).toBe(DAY.messages.length);
  });
});

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
