/**
 * The seeded steady-state workload behind `execution-gym bench book`.
 *
 * Mix (in steady state): about 45% limit orders near the touch, 40% cancels of uniformly random
 * resting orders, 15% market orders. Limit prices sit `1 + d` ticks behind the opposite touch
 * with d exponential (mean 20 ticks, capped at 150: a decreasing distance profile that keeps
 * about 100 occupied levels a side), plus 2% marketable limits; sizes 100..1000 shares; market
 * orders 100..300 shares, leaning 70/30 towards a latent fair value that random-walks
 * (±0.05 ticks a message), so the mid drifts (hundreds of ticks over 10M messages). The cancel
 * share scales with (resting / target) so the book stays near the target size (a restoring
 * force; without it the order count would random-walk).
 *
 * Random draws are made in chunks into typed arrays *outside* the timed section (their cost is
 * reported separately); the timed section is the book work plus the few state-dependent choices
 * (which order to cancel, prices relative to the touch). Memory: fixed chunk arrays plus the
 * book, which grows with resting orders only.
 */
import { Rng } from '../random/index.ts';
import { BUY, SELL } from './types.ts';
import { OrderBook } from './order-book.ts';

export interface BookWorkloadOptions {
  /** Messages to process (limit + cancel + market). */
  messages: number;
  seed: number;
  /** Resting orders the workload holds the book near (default 4,000). */
  targetOrders?: number;
  /** Called after each chunk with messages done so far (for progress bars). */
  onProgress?: (done: number) => void;
  /** A full garbage collection, run before and after to measure live heap (default: globalThis.gc if exposed). */
  gc?: () => void;
  /** Run the book's validate() after every chunk of 65,536 messages (for tests). */
  validate?: boolean;
}

export interface BookWorkloadResult {
  messages: number;
  seed: number;
  /** Seconds spent in the book (and the state-dependent choices), generation excluded. */
  bookSeconds: number;
  /** Seconds spent drawing random numbers into the chunk arrays. */
  generationSeconds: number;
  messagesPerSecond: number;
  nsPerMessage: number;
  /** Throughput counting generation too. */
  messagesPerSecondInclGeneration: number;
  /** Process CPU time (user + system) during the book sections: robust to a shared machine. */
  bookCpuSeconds: number;
  /** Messages per CPU second of the book sections (wall-clock figures suffer when the CPU is shared). */
  messagesPerCpuSecond: number;
  limits: number;
  cancels: number;
  markets: number;
  fills: number;
  restingOrders: number;
  bidLevels: number;
  askLevels: number;
  /** Mean resting orders and occupied levels per side, sampled once per chunk. */
  meanRestingOrders: number;
  meanLevelsPerSide: number;
  midStart: number;
  midEnd: number;
  midMin: number;
  midMax: number;
  /** True when the heap figures were taken right after a full collection. */
  heapAfterGc: boolean;
  heapUsedBeforeMB: number;
  heapUsedMB: number;
  peakRssMB: number;
}

const CHUNK = 1 << 16;
const START_PRICE = 100_000;
const MB = 1024 * 1024;
/** Fair-value random-walk step per message (ticks): about 160 ticks of drift over 10M messages. */
const FAIR_STEP = 0.05;

export function runBookWorkload(opts: BookWorkloadOptions): BookWorkloadResult {
  const { messages, seed } = opts;
  if (!Number.isInteger(messages) || messages < 1) throw new RangeError(`messages must be a positive integer, got ${String(messages)}`);
  const target = opts.targetOrders ?? 4000;
  const rng = Rng.fromSeed(seed, 'bench-book');
  const book = new OrderBook({ orderCapacity: 2 * target, pageCapacity: 16 });
  const fills = book.fills;

  const u = new Float64Array(CHUNK);
  const v = new Float64Array(CHUNK);
  const side = new Int8Array(CHUNK);
  const dist = new Int32Array(CHUNK);
  const qty = new Int32Array(CHUNK);
  const fairAt = new Float64Array(CHUNK);

  // Seed the book: 2,000 orders a side on the same distance profile.
  let t = 0;
  for (let i = 0; i < target; i++) {
    const s = i % 2 === 0 ? BUY : SELL;
    const d = Math.min(150, Math.floor(rng.exponential(1 / 20)));
    book.limit(i % 64, s, s === BUY ? START_PRICE - 1 - d : START_PRICE + 1 + d, 100 * rng.int(1, 10), t);
  }
  fills.clear();
  const midStart = book.mid();
  let midMin = midStart;
  let midMax = midStart;
  let sumOrders = 0;
  let sumLevels = 0;
  let samples = 0;

  // Collect first (when a collector is available) so heap figures are live data, not garbage.
  const gc = opts.gc ?? (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let limits = 0;
  let cancels = 0;
  let markets = 0;
  let nFills = 0;
  let genNs = 0n;
  let bookNs = 0n;
  let bookCpuUs = 0;
  let done = 0;
  let fair = midStart;
  while (done < messages) {
    const n = Math.min(CHUNK, messages - done);
    const g0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      u[i] = rng.next();
      v[i] = rng.next();
      side[i] = rng.next() < 0.5 ? BUY : SELL;
      // Decreasing distance profile; 2% marketable (negative distance crosses the touch).
      const r = rng.next();
      dist[i] = r < 0.02 ? -1 - Math.floor(r * 150) : Math.min(150, Math.floor(rng.exponential(1 / 20)));
      qty[i] = 100 * rng.int(1, 10);
      fair += rng.next() < 0.5 ? -FAIR_STEP : FAIR_STEP;
      fairAt[i] = fair;
    }
    const c0 = process.cpuUsage();
    const b0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      t += 1e-4;
      const live = book.liveCount();
      const ui = u[i];
      const cancelCut = 0.15 + 0.4 * Math.min(2, live / target);
      if (ui < 0.15) {
        markets++;
        // Market orders lean towards the fair value (70/30), which drags the mid along.
        const m = book.mid();
        const s = m === m && fairAt[i] !== m ? (v[i] < 0.3 ? -1 : 1) * (fairAt[i] > m ? BUY : SELL) : side[i];
        // Sizes 100, 200 or 300 shares: ui is uniform on [0, 0.15) here.
        book.market(i & 63, s, 100 * (1 + Math.floor(ui * 20)), t);
      } else if (ui < cancelCut && live > 0) {
        cancels++;
        book.cancel(book.liveOrderAt(Math.floor(v[i] * live)));
      } else {
        limits++;
        const s = side[i];
        const bid = book.bestBid();
        const ask = book.bestAsk();
        let ref: number;
        if (s === BUY) ref = ask !== 0 ? ask : bid !== 0 ? bid + 1 : START_PRICE;
        else ref = bid !== 0 ? bid : ask !== 0 ? ask - 1 : START_PRICE;
        let p = s === BUY ? ref - 1 - dist[i] : ref + 1 + dist[i];
        if (p < 1) p = 1;
        book.limit(i & 63, s, p, qty[i], t);
      }
      nFills += fills.count;
      fills.clear();
    }
    const b1 = process.hrtime.bigint();
    const c1 = process.cpuUsage(c0);
    bookCpuUs += c1.user + c1.system;
    genNs += b0 - g0;
    bookNs += b1 - b0;
    done += n;
    const m = book.mid();
    if (m < midMin) midMin = m;
    if (m > midMax) midMax = m;
    sumOrders += book.orderCount();
    sumLevels += (book.levelCount(BUY) + book.levelCount(SELL)) / 2;
    samples++;
    if (opts.validate) book.validate();
    opts.onProgress?.(done);
  }
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const bookSeconds = Number(bookNs) / 1e9;
  const generationSeconds = Number(genNs) / 1e9;
  return {
    messages,
    seed,
    bookSeconds,
    generationSeconds,
    messagesPerSecond: messages / bookSeconds,
    nsPerMessage: (bookSeconds * 1e9) / messages,
    messagesPerSecondInclGeneration: messages / (bookSeconds + generationSeconds),
    bookCpuSeconds: bookCpuUs / 1e6,
    messagesPerCpuSecond: messages / (bookCpuUs / 1e6),
    limits,
    cancels,
    markets,
    fills: nFills,
    restingOrders: book.orderCount(),
    bidLevels: book.levelCount(BUY),
    askLevels: book.levelCount(SELL),
    meanRestingOrders: sumOrders / samples,
    meanLevelsPerSide: sumLevels / samples,
    midStart,
    midEnd: book.mid(),
    midMin,
    midMax,
    heapAfterGc: gc !== undefined,
    heapUsedBeforeMB: heapBefore / MB,
    heapUsedMB: heapAfter / MB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  };
}
