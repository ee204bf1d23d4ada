/**
 * The observation of the execution env: a fixed-length vector of normalized features, each with
 * TRUE bounds (raw values are clipped into their documented ranges). Table in ./README.md.
 *
 * Computed at each decision time from the market (book, tape, mid series) and the task state,
 * into a caller-owned buffer, allocating nothing.
 */
/**
 * What the features read: the simulated `Market` and the historical `ReplayDriver` (env/replay)
 * both provide it.
 */
export interface FeatureSource {
  spread(): number;
  mid(): number;
  /** Bids (price, qty) at [0, 2L), asks at [2L, 4L). */
  depth(levels: number, out: Float64Array): number;
  /** Mid sampled every `dt` seconds. */
  readonly series: { readonly length: number; readonly dt: number; readonly mid: Float64Array };
  readonly tape: {
    readonly length: number;
    readonly sign: ArrayLike<number>;
    readonly qty: ArrayLike<number>;
    readonly makerOwner: ArrayLike<number>;
    readonly takerOwner: ArrayLike<number>;
  };
  isResting(id: number): boolean;
  queueAhead(id: number): number;
  orderQty(id: number): number;
  /** Price of a resting order, ticks (read by the extended features). */
  orderPrice(id: number): number;
}

export const FEATURES = [
  'timeLeft',
  'inventoryLeft',
  'spread',
  'midMove',
  'imbalance1',
  'imbalance5',
  'depth',
  'volatility',
  'tradeFlow',
  'hasOrder',
  'queueAhead',
] as const;

export const FEATURE_LOW = new Float64Array([0, 0, 0, -1, -1, -1, 0, 0, -1, 0, 0]);
export const FEATURE_HIGH = new Float64Array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);

/**
 * The extended set (option `features: 'extended'`): the 11 above, then what an agent working
 * limit orders needs about its own order and schedule (README.md):
 * - scheduleGap: (X·k/K − executed) / (X/K), the shares behind the linear schedule in slices, / 5,
 *   clipped to [−1, 1] (positive = behind);
 * - orderAge: decisions since the resting order was placed (0 without one), / 10, clipped to [0, 1];
 * - orderOffset: the resting order's distance behind the own-side touch in ticks (negative inside
 *   the spread), / maxOffsetTicks, clipped to [−1, 1]; 0 without one;
 * - fillRate: the agent's passive fills during the last step, in slices (X/K), / 2, clipped to [0, 1].
 */
export const EXTENDED_FEATURES = [...FEATURES, 'scheduleGap', 'orderAge', 'orderOffset', 'fillRate'] as const;
export const EXTENDED_LOW = new Float64Array([...FEATURE_LOW, -1, 0, -1, 0]);
export const EXTENDED_HIGH = new Float64Array([...FEATURE_HIGH, 1, 1, 1, 1]);
/** Normalization of the extended features. */
export const GAP_MAX_SLICES = 5;
export const AGE_MAX_DECISIONS = 10;
export const FILL_MAX_SLICES = 2;

/** Normalization constants (see README.md). */
export const SPREAD_MAX_TICKS = 20;
export const MID_MOVE_MAX_BPS = 100;
export const DEPTH_MAX_RATIO = 5;
export const VOL_MAX_BPS = 10;

const clip = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** Task state the features need, filled by the env. */
export interface FeatureState {
  decisionIndex: number;
  decisionCount: number;
  remaining: number;
  quantity: number;
  /** SELL = −1, BUY = 1. */
  side: number;
  arrivalTicks: number;
  /** Tape row where the last decision interval started (trade flow), and the agent's owner id. */
  flowMark: number;
  owner: number;
  /** The agent's resting order id, or 0. */
  restingId: number;
  volWindow: number;
  /** Extended features only: shares executed, decisions since the resting order was placed, the own-side touch and the offset scale, passive shares filled during the last step. */
  executed?: number;
  orderAge?: number;
  ownTouch?: number;
  maxOffsetTicks?: number;
  lastPassiveQty?: number;
}

export class FeatureComputer {
  private readonly depth = new Float64Array(20);

  /**
   * Writes the features of the current market and task state into `out`: FEATURES.length values,
   * or EXTENDED_FEATURES.length for the extended set (then `m` must tell resting orders' prices).
   */
  compute(m: FeatureSource, s: FeatureState, out: Float64Array): void {
    out[0] = s.decisionCount > 0 ? clip((s.decisionCount - s.decisionIndex) / s.decisionCount, 0, 1) : 0;
    out[1] = clip(s.remaining / s.quantity, 0, 1);
    const sp = m.spread();
    out[2] = Number.isNaN(sp) ? 1 : clip(sp / SPREAD_MAX_TICKS, 0, 1);
    // Positive when the mid moved in the agent's favour (up for a seller, down for a buyer).
    const move = ((-s.side * (m.mid() - s.arrivalTicks)) / s.arrivalTicks) * 1e4;
    out[3] = clip(move / MID_MOVE_MAX_BPS, -1, 1);
    const d = this.depth;
    d.fill(0);
    m.depth(5, d);
    const bid1 = d[1];
    const ask1 = d[11];
    out[4] = bid1 + ask1 > 0 ? clip((bid1 - ask1) / (bid1 + ask1), -1, 1) : 0;
    let bid5 = 0;
    let ask5 = 0;
    for (let i = 0; i < 5; i++) {
      bid5 += d[2 * i + 1];
      ask5 += d[10 + 2 * i + 1];
    }
    out[5] = bid5 + ask5 > 0 ? clip((bid5 - ask5) / (bid5 + ask5), -1, 1) : 0;
    // Depth on the side the agent trades against (bids for a seller), relative to the parent order.
    const opp = s.side < 0 ? bid5 : ask5;
    out[6] = clip(opp / s.quantity / DEPTH_MAX_RATIO, 0, 1);
    out[7] = clip(this.volatility(m, s.volWindow) / VOL_MAX_BPS, 0, 1);
    out[8] = this.flow(m, s.flowMark, s.owner);
    if (s.restingId > 0 && m.isResting(s.restingId)) {
      const ahead = m.queueAhead(s.restingId);
      const own = m.orderQty(s.restingId);
      out[9] = 1;
      out[10] = clip(ahead / (ahead + own), 0, 1);
    } else {
      out[9] = 0;
      out[10] = 0;
    }
    if (out.length > FEATURES.length) this.extended(m, s, out);
  }

  /** The extended features (EXTENDED_FEATURES) at out[11..14]. */
  private extended(m: FeatureSource, s: FeatureState, out: Float64Array): void {
    const slice = s.quantity / s.decisionCount;
    const behind = (s.quantity * s.decisionIndex) / s.decisionCount - (s.executed ?? 0);
    out[11] = clip(behind / slice / GAP_MAX_SLICES, -1, 1);
    const resting = out[9] === 1;
    out[12] = resting ? clip((s.orderAge ?? 0) / AGE_MAX_DECISIONS, 0, 1) : 0;
    // Distance behind the own-side touch: a sell's price above the ask, a buy's below the bid.
    out[13] = resting && (s.ownTouch ?? 0) > 0 ? clip((-s.side * (m.orderPrice(s.restingId) - (s.ownTouch as number))) / (s.maxOffsetTicks ?? 10), -1, 1) : 0;
    out[14] = clip((s.lastPassiveQty ?? 0) / slice / FILL_MAX_SLICES, 0, 1);
  }

  /**
   * RMS of 1-sample mid returns (bps) over the last `window` samples, scaled to per-√second;
   * returns that are not finite (a replayed book with an empty side) are skipped; 0 with fewer
   * than two returns.
   */
  private volatility(m: FeatureSource, window: number): number {
    const sr = m.series;
    const n = sr.length;
    const first = n - 1 - window > 0 ? n - 1 - window : 0;
    let ss = 0;
    let k = 0;
    for (let i = first + 1; i < n; i++) {
      const r = (sr.mid[i] / sr.mid[i - 1] - 1) * 1e4;
      if (Number.isFinite(r)) {
        ss += r * r;
        k++;
      }
    }
    return k > 1 ? Math.sqrt(ss / k / sr.dt) : 0;
  }

  /** Signed volume share of the others' trades since `mark`: Σ sign·qty / Σ qty (0 when none). */
  private flow(m: FeatureSource, mark: number, owner: number): number {
    const tp = m.tape;
    let num = 0;
    let den = 0;
    for (let i = mark; i < tp.length; i++) {
      if (tp.takerOwner[i] === owner || tp.makerOwner[i] === owner) continue;
      num += tp.sign[i] * tp.qty[i];
      den += tp.qty[i];
    }
    return den > 0 ? clip(num / den, -1, 1) : 0;
  }
}
