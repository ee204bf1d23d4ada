/**
 * Liquidate-Replay-v0: the execution task (env/execution/task.ts, the same code as Liquidate-v0)
 * on a historical LOBSTER day instead of the simulated market: the background flow is the file's
 * messages (simulator/replay/driver.ts), the agent's orders sit in the same L3 book. What differs
 * from the simulated market (no reaction of history to the agent, how a book is seeded) is in
 * README.md.
 *
 * Options: every task option (env/execution/options.ts), and `messages` / `orderbook` (file
 * paths, or the columns `readLobsterMessages` / `readLobsterOrderbook` return), `tickSize`
 * (inferred from the prices when absent), `sessionStart`, `sessionSeconds`,
 * `expectedDailyVolume`. Nothing is drawn from the market: a seed only picks the start time and
 * the order size (the task's `randomize`/`task` streams), so the same seed replays the same
 * episode.
 */
import { z } from 'zod';
import { readLobsterMessages, readLobsterOrderbook } from '../../simulator/lobster/files.ts';
import { lobsterChecksum, type LobsterMessages, type LobsterOrderbook } from '../../simulator/lobster/format.ts';
import { LobsterFormatError, ReplayError } from '../../simulator/lobster/errors.ts';
import { ReplayDriver, ReplayDriverError } from '../../simulator/replay/driver.ts';
import { inferTickSize } from '../../simulator/replay/replay-book.ts';
import type { Rng } from '../../simulator/random/index.ts';
import { EnvError } from '../core.ts';
import type { MarketPlan, MarketSource } from '../execution/market.ts';
import { TaskOptionsSchema, parseTaskOptions } from '../execution/options.ts';
import { ExecutionTaskEnv } from '../execution/task.ts';

export const REPLAY_ENV_ID = 'Liquidate-Replay-v0';

const isMessages = (v: unknown): v is LobsterMessages =>
  typeof v === 'object' && v !== null && Number.isInteger((v as LobsterMessages).length) && (v as LobsterMessages).time instanceof Float64Array && (v as LobsterMessages).type instanceof Int8Array;
const isOrderbook = (v: unknown): v is LobsterOrderbook =>
  typeof v === 'object' && v !== null && Number.isInteger((v as LobsterOrderbook).length) && Number.isInteger((v as LobsterOrderbook).levels) && (v as LobsterOrderbook).values instanceof Float64Array;

const DATA_HELP = 'Liquidate-Replay-v0 needs a LOBSTER day: options.messages and options.orderbook, each a file path or the columns readLobsterMessages / readLobsterOrderbook return';
const finite = (what: string) => z.number({ error: `${what} must be a number` }).refine(Number.isFinite, { error: `${what} must be finite` });

/** The replay env's options: the task's and the historical day's. */
export const ReplayOptionsSchema = TaskOptionsSchema.extend({
  /** LOBSTER message file: a path, or the columns of readLobsterMessages. */
  messages: z.union([z.string().min(1), z.custom<LobsterMessages>(isMessages)], { error: DATA_HELP }),
  /** LOBSTER orderbook file (any level count): a path, or the columns of readLobsterOrderbook. */
  orderbook: z.union([z.string().min(1), z.custom<LobsterOrderbook>(isOrderbook)], { error: DATA_HELP }),
  /** One tick in LOBSTER price units (dollars × 10,000); inferred from the message prices when absent. */
  tickSize: z.number().int({ error: 'tickSize must be an integer (dollars × 10,000)' }).min(1).max(1e9).optional(),
  /** Session time 0, seconds after midnight (default 34,200: 09:30). */
  sessionStart: finite('sessionStart').refine((x) => x >= 0 && x < 86400, { error: 'sessionStart must be in [0, 86400) seconds after midnight' }).default(34200),
  /** Session length, seconds (default 23,400: 6.5 hours). */
  sessionSeconds: finite('sessionSeconds').refine((x) => x > 0 && x <= 86400, { error: 'sessionSeconds must be in (0, 86400]' }).default(23400),
  /** Expected shares traded per session, for VWAP and the default order size (default: the file's own executed volume). */
  expectedDailyVolume: finite('expectedDailyVolume').refine((x) => x > 0, { error: 'expectedDailyVolume must be > 0' }).optional(),
});

export type ReplayOptionsInput = z.input<typeof ReplayOptionsSchema>;
export type ReplayOptions = z.output<typeof ReplayOptionsSchema>;

/** Episodes on the historical day: the driver is reset to the episode's start. */
export class ReplayMarketSource implements MarketSource<ReplayDriver> {
  private checksum = '';

  constructor(
    readonly driver: ReplayDriver,
    private readonly id = REPLAY_ENV_ID,
  ) {}

  /** The day (a checksum of its files) and the driver's settings. */
  identity(): unknown {
    const d = this.driver;
    if (this.checksum === '') this.checksum = lobsterChecksum(d.messages, d.orderbook);
    return { lobster: this.checksum, rows: d.messages.length, levels: d.orderbook.levels, tickSize: d.tickSize, sessionStart: d.sessionStart, sessionSeconds: d.sessionSeconds, expectedDailyVolume: d.expectedDailyVolume };
  }

  plan(_episodeSeed: number, _randomize: Rng): MarketPlan<ReplayDriver> {
    const dr = this.driver;
    return {
      sessionBegin: Math.max(0, dr.firstTime),
      sessionEnd: Math.min(dr.sessionSeconds, dr.lastTime),
      open: (start: number): ReplayDriver => {
        try {
          dr.reset(start);
          dr.runUntil(Math.max(start, dr.now));
        } catch (err) {
          if (err instanceof ReplayDriverError) throw new EnvError(`${this.id} reset: ${err.message}`);
          throw err;
        }
        if (!(dr.mid() > 0)) throw new EnvError(`${this.id} reset: the book is empty at ${start} s (no price to take as the arrival price)`);
        return dr;
      },
    };
  }

  report(dr: ReplayDriver): Record<string, unknown> {
    return { ...dr.report() };
  }
}

export class ReplayExecutionEnv extends ExecutionTaskEnv<ReplayDriver> {
  declare readonly options: ReplayOptions & { decisionCount: number };
  /** The historical day behind the episodes. */
  readonly driver: ReplayDriver;

  /** @throws EnvError for invalid options or data files (naming the field and value). */
  constructor(options: ReplayOptionsInput | Record<string, unknown> = {}, id = REPLAY_ENV_ID) {
    const given = (options ?? {}) as Record<string, unknown>;
    if (typeof given === 'object' && (given.messages === undefined || given.orderbook === undefined)) {
      throw new EnvError(`${DATA_HELP} (got messages: ${given.messages === undefined ? 'none' : 'given'}, orderbook: ${given.orderbook === undefined ? 'none' : 'given'})`);
    }
    const o = parseTaskOptions(ReplayOptionsSchema, options, id);
    let driver: ReplayDriver;
    try {
      const messages = typeof o.messages === 'string' ? readLobsterMessages(o.messages) : o.messages;
      const orderbook = typeof o.orderbook === 'string' ? readLobsterOrderbook(o.orderbook) : o.orderbook;
      driver = new ReplayDriver({
        messages,
        orderbook,
        tickSize: o.tickSize ?? inferTickSize(messages),
        sessionStart: o.sessionStart,
        sessionSeconds: o.sessionSeconds,
        expectedDailyVolume: o.expectedDailyVolume,
        label: typeof o.messages === 'string' ? o.messages : 'options.messages',
      });
    } catch (err) {
      const data = err instanceof ReplayDriverError || err instanceof LobsterFormatError || err instanceof ReplayError || typeof (err as { code?: unknown }).code === 'string';
      if (data) throw new EnvError(`invalid ${id} options: ${(err as Error).message}`);
      throw err;
    }
    super(id, o, new ReplayMarketSource(driver, id), (overrides) => new ReplayExecutionEnv({ ...(options as Record<string, unknown>), messages: driver.messages, orderbook: driver.orderbook, ...overrides }, id));
    this.driver = driver;
  }
}
