/**
 * The one-step consistency check of a LOBSTER message file against its orderbook file.
 *
 * For each k >= 1, message k is applied to orderbook row k−1 (a snapshot of L visible levels per
 * side) and the result is compared with row k. Applying a message to a snapshot:
 * - type 1 (new limit order) adds its size to its price level, or inserts a new level in price
 *   order if it falls inside the window (the last visible level then drops out);
 * - types 2, 3, 4 (cancel, delete, visible execution) subtract the size from the level; a level
 *   that reaches 0 is removed and the levels below move up;
 * - messages at prices beyond a full window change nothing visible; types 5 (hidden execution),
 *   6 (cross) and 7 (halt) change nothing visible.
 * The documented exception: when a level is removed from a full window, the level that enters at
 * the bottom comes from below the window and no message tells it; it is re-seeded from row k
 * (counted in `reseeded`). When the window was not full, the new bottom level is empty.
 *
 * `OneStepChecker.step` allocates nothing; a mismatch detail is allocated only when reported.
 */
import { ReplayError } from './errors.ts';
import { EMPTY_ASK_PRICE, EMPTY_BID_PRICE, LobsterType, MSG_DIRECTION, MSG_ID, MSG_PRICE, MSG_SIZE, MSG_TIME, MSG_TYPE, assertLevels } from './format.ts';
import { forEachLobsterRow } from './files.ts';

/** One transition whose prediction disagrees with the next orderbook row. */
export interface MismatchDetail {
  /** 0-based index of the message (and of the orderbook row compared with). */
  row: number;
  time: number;
  type: number;
  orderId: number;
  size: number;
  price: number;
  direction: number;
  /** What was wrong, e.g. `bidSize3: expected 200, found 100` (first differing fields). */
  reason: string;
}

export interface OneStepReport {
  /** Levels per side in the orderbook file. */
  levels: number;
  /** Transitions checked (messages − 1). */
  transitions: number;
  /** Transitions whose predicted row differs from the next row, or whose message contradicts the previous row (removes more than a level holds; no level at its price inside the window). */
  mismatches: number;
  /** Levels re-seeded from the next row because they entered the window from below. */
  reseeded: number;
  /** Messages of types 2–4 at a price inside the window where no level exists. */
  unknownPrice: number;
  /** Count of messages per type (index 1–7; index 0 unused). */
  typeCounts: number[];
  /** The first `maxDetails` mismatches. */
  details: MismatchDetail[];
}

const FIELD = ['askPrice', 'askSize', 'bidPrice', 'bidSize'];

export class OneStepChecker {
  readonly levels: number;
  readonly maxDetails: number;
  private readonly pred: Float64Array;
  private readonly known: Uint8Array;
  transitions = 0;
  mismatches = 0;
  reseeded = 0;
  unknownPrice = 0;
  readonly typeCounts = [0, 0, 0, 0, 0, 0, 0, 0];
  readonly details: MismatchDetail[] = [];

  constructor(levels: number, maxDetails = 20) {
    assertLevels(levels);
    if (!Number.isInteger(maxDetails) || maxDetails < 0) throw new ReplayError(`maxDetails must be an integer >= 0, got ${String(maxDetails)}`);
    this.levels = levels;
    this.maxDetails = maxDetails;
    this.pred = new Float64Array(4 * levels);
    this.known = new Uint8Array(4 * levels);
  }

  /** Counts a message's type (call once per message, including the first). */
  countType(type: number): void {
    if (type >= 1 && type <= 7) this.typeCounts[type]++;
  }

  /**
   * Checks one transition: message (type, size, price, direction) applied to `prev` (row-major
   * 4·levels values starting at prevOff) must give `next` (starting at nextOff).
   * Returns true if they match. `row` and the message fields are used only in reports.
   * Throws ReplayError (counting nothing) if a row is too short or the direction is not ±1.
   */
  step(prev: Float64Array, prevOff: number, row: number, time: number, type: number, orderId: number, size: number, price: number, direction: number, next: Float64Array, nextOff: number): boolean {
    const L = this.levels;
    const pred = this.pred;
    const known = this.known;
    if (!(prevOff >= 0 && prevOff + 4 * L <= prev.length && nextOff >= 0 && nextOff + 4 * L <= next.length)) {
      throw new ReplayError(`rows need ${4 * L} values from their offsets: prev has ${prev.length} (offset ${prevOff}), next ${next.length} (offset ${nextOff})`);
    }
    if (type >= 1 && type <= 4 && direction !== 1 && direction !== -1) {
      throw new ReplayError(`direction must be 1 (buy) or -1 (sell) for type ${type}, got ${String(direction)}`);
    }
    for (let i = 0; i < 4 * L; i++) {
      pred[i] = prev[prevOff + i];
      known[i] = 1;
    }
    this.transitions++;
    let note = '';
    if (type === LobsterType.SUBMIT || type === LobsterType.CANCEL || type === LobsterType.DELETE || type === LobsterType.EXECUTE) {
      // Ask side: offset 0, ascending; bid side: offset 2, descending.
      const side = direction === 1 ? 2 : 0;
      const asc = side === 0;
      const empty = asc ? EMPTY_ASK_PRICE : EMPTY_BID_PRICE;
      let n = 0;
      while (n < L && pred[4 * n + side + 1] > 0) n++;
      let i = 0;
      while (i < n && pred[4 * i + side] !== price && (asc ? pred[4 * i + side] < price : pred[4 * i + side] > price)) i++;
      const found = i < n && pred[4 * i + side] === price;
      if (type === LobsterType.SUBMIT) {
        if (found) {
          pred[4 * i + side + 1] += size;
        } else if (i < L) {
          const last = n < L ? n : L - 1;
          for (let j = last; j > i; j--) {
            pred[4 * j + side] = pred[4 * (j - 1) + side];
            pred[4 * j + side + 1] = pred[4 * (j - 1) + side + 1];
          }
          pred[4 * i + side] = price;
          pred[4 * i + side + 1] = size;
        }
      } else if (found) {
        const left = pred[4 * i + side + 1] - size;
        if (left > 0) {
          pred[4 * i + side + 1] = left;
        } else {
          if (left < 0) note = `removes ${size} from a level of ${pred[4 * i + side + 1]}; `;
          for (let j = i; j < n - 1; j++) {
            pred[4 * j + side] = pred[4 * (j + 1) + side];
            pred[4 * j + side + 1] = pred[4 * (j + 1) + side + 1];
          }
          pred[4 * (n - 1) + side] = empty;
          pred[4 * (n - 1) + side + 1] = 0;
          if (n === L) {
            // Enters from below the window: no message describes it.
            known[4 * (L - 1) + side] = 0;
            known[4 * (L - 1) + side + 1] = 0;
            this.reseeded++;
          }
        }
      } else if (i < n || n < L) {
        this.unknownPrice++;
        note = `no visible level at price ${price}; `;
      }
    }
    let bad = 0;
    let reason = note;
    for (let k = 0; k < 4 * L; k++) {
      const actual = next[nextOff + k];
      if (known[k] === 0) continue;
      if (pred[k] !== actual) {
        if (bad < 3 && this.details.length < this.maxDetails) {
          reason += `${FIELD[k & 3]}${(k >> 2) + 1}: expected ${pred[k]}, found ${actual}; `;
        }
        bad++;
      }
    }
    // A message that removes more than its level holds, or names a price inside the window where
    // no level exists, is inconsistent even if the next row happens to agree.
    if (bad === 0 && note === '') return true;
    this.mismatches++;
    if (this.details.length < this.maxDetails) {
      this.details.push({ row, time, type, orderId, size, price, direction, reason: reason.replace(/; $/, '') });
    }
    return false;
  }

  report(): OneStepReport {
    return {
      levels: this.levels,
      transitions: this.transitions,
      mismatches: this.mismatches,
      reseeded: this.reseeded,
      unknownPrice: this.unknownPrice,
      typeCounts: this.typeCounts.slice(),
      details: this.details.slice(),
    };
  }
}

export interface OneStepFileReport extends OneStepReport {
  /** Message rows read. */
  rows: number;
  /** Wall-clock seconds spent reading and checking. */
  seconds: number;
  /** Message rows per wall-clock second (reading both files and checking). */
  rowsPerSecond: number;
}

/**
 * Runs the one-step check over a message file and its orderbook file, streaming both in
 * lockstep. `levels` must match the orderbook file when given (inferred otherwise).
 * Throws LobsterFormatError on a malformed file or when the files have different row counts.
 */
export function checkLobsterFiles(messagesPath: string, orderbookPath: string, options: { levels?: number; maxDetails?: number } = {}): OneStepFileReport {
  const t0 = performance.now();
  let checker = new OneStepChecker(1, 0);
  let prev = new Float64Array(0);
  const open = (levels: number): void => {
    checker = new OneStepChecker(levels, options.maxDetails ?? 20);
    prev = new Float64Array(4 * levels);
  };
  const { rows } = forEachLobsterRow(messagesPath, orderbookPath, options.levels, open, (row, mv, o, bv, bo) => {
    const type = mv[o + MSG_TYPE];
    checker.countType(type);
    if (row > 0) checker.step(prev, 0, row, mv[o + MSG_TIME], type, mv[o + MSG_ID], mv[o + MSG_SIZE], mv[o + MSG_PRICE], mv[o + MSG_DIRECTION], bv, bo);
    for (let k = 0; k < prev.length; k++) prev[k] = bv[bo + k];
  });
  const seconds = (performance.now() - t0) / 1000;
  return { ...checker.report(), rows, seconds, rowsPerSecond: seconds > 0 ? rows / seconds : Infinity };
}
