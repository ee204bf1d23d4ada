/**
 * Liquidity takers: market orders from a 2-D Hawkes process (simulator/flow): dimension 0 buys,
 * 1 sells; baselines (muBuy, muSell) x intraday profile; two exponential components (decayFast,
 * decaySlow) with self-branching selfFast/selfSlow and buy-sell cross-branching crossFast/crossSlow.
 * An outside (agent) market order that fills q shares excites the flow like
 * m = agentExcitation x min(1, q / mean taker size) taker orders of its side, on average: floor(m)
 * excitations plus one more with probability m - floor(m) (0 = off; 1 = an order of at least the
 * mean taker size excites like one taker order, a smaller one proportionally less, so splitting a
 * metaorder finely does not multiply its excitation). Sizes are lognormal (median `sizeMedian`, sigma
 * `sizeSigma`), rounded to round lots with probability `roundLotProbability` (0.5 by default).
 * Metaorder splitting (`metaorderConcurrent` > 0): the side of each baseline (immigrant) event
 * comes from one of K concurrent metaorders of Pareto length (Lillo–Mike–Farmer), drawn from its
 * own stream; the events it excites follow the kernel (their sides as the Hawkes dimension).
 *
 * Common random numbers (paired runs with and without an agent): the baseline Hawkes process and
 * the sizes of its orders share one stream (drawn in a fixed order: the process is never
 * excited from outside), the agent-triggered orders draw from a second one. It is generated as the agent's own
 * Hawkes cluster (the branching representation of a linear Hawkes process, exact): an excitation
 * of dimension d at time t has Poisson(α_c[j][d]) children in dimension j at t + Exp(β_c) for each
 * kernel component c, each child a taker market order (scheduled in the event queue as
 * EV_TAKER_CHILD) with children of its own. So an agent's order adds the orders it excites and
 * leaves the rest of the flow exactly as it would have been.
 */
import { HawkesProcess, meanIntensity } from '../flow/index.ts';
import type { HawkesParamsInput } from '../flow/index.ts';
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize, meanSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, OWNER_TAKER as OWNER_TAKER_, EV_TAKER_CHILD as EV_TAKER_CHILD_ } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const OWNER_TAKER = OWNER_TAKER_;
const EV_TAKER_CHILD = EV_TAKER_CHILD_;

export class HawkesTakers {
  enabled = false;
  process: HawkesProcess | null = null;
  private rng!: Rng;
  /** Everything about agent-triggered orders (rounding of the excitation, children, their sizes). */
  private agentRng!: Rng;
  /** Branching of the agent's cluster: alpha[c·4 + j·2 + d] (target j, source d), decay[c]. */
  private readonly alpha = new Float64Array(8);
  private readonly decay = new Float64Array(2);
  private median = 100;
  private sigma = 0;
  private lot = 100;
  private agentExcitation = 0;
  /** Mean market orders per second (session average), both sides. */
  meanRate = 0;
  private lotP = 0.5;
  /** Metaorder splitting of immigrant sides (0 = off): concurrent metaorders, their sides and orders left. */
  private metaK = 0;
  private metaAlpha = 1.5;
  private metaMin = 1;
  private metaRng: Rng | null = null;
  private readonly metaSide = new Int8Array(64);
  private readonly metaLeft = new Float64Array(64);

  /** The flow's parameters for a market (2 dimensions: buy, sell). */
  static hawkesParams(p: MarketParams): HawkesParamsInput {
    const t = p.takers;
    const input: HawkesParamsInput = {
      mu: [t.muBuy, t.muSell],
      components: [
        { decay: t.decayFast, branching: [[t.selfFast, t.crossFast], [t.crossFast, t.selfFast]] },
        { decay: t.decaySlow, branching: [[t.selfSlow, t.crossSlow], [t.crossSlow, t.selfSlow]] },
      ],
    };
    if (p.intraday.enabled) {
      input.profile = {
        sessionSeconds: p.sessionSeconds,
        open: p.intraday.openMultiplier,
        openTau: p.intraday.openTau,
        close: p.intraday.closeMultiplier,
        closeTau: p.intraday.closeTau,
      };
    }
    return input;
  }

  /** Builds the process for `p` (parses and validates; throws FlowError on bad parameters). */
  configure(p: MarketParams, rng: Rng): void {
    const t = p.takers;
    this.metaK = t.metaorderConcurrent;
    this.setRng(rng);
    this.alpha[0] = t.selfFast;
    this.alpha[1] = t.crossFast;
    this.alpha[2] = t.crossFast;
    this.alpha[3] = t.selfFast;
    this.alpha[4] = t.selfSlow;
    this.alpha[5] = t.crossSlow;
    this.alpha[6] = t.crossSlow;
    this.alpha[7] = t.selfSlow;
    this.decay[0] = t.decayFast;
    this.decay[1] = t.decaySlow;
    this.enabled = t.enabled && t.muBuy + t.muSell > 0;
    this.median = t.sizeMedian;
    this.sigma = t.sizeSigma;
    this.lot = p.lotSize;
    this.agentExcitation = t.agentExcitation;
    this.lotP = t.roundLotProbability;
    this.metaK = t.metaorderConcurrent;
    this.metaAlpha = t.metaorderTailExponent;
    this.metaMin = t.metaorderMinOrders;
    this.metaSide.fill(0);
    this.metaLeft.fill(0);
    if (this.enabled) {
      this.process = new HawkesProcess(HawkesTakers.hawkesParams(p));
      const lam = meanIntensity(this.process.params);
      this.meanRate = lam[0] + lam[1];
    } else {
      this.process = null;
      this.meanRate = 0;
    }
  }

  /** Replaces the random stream (a new episode with the same parameters). */
  setRng(rng: Rng): void {
    this.rng = rng;
    this.agentRng = rng.fork('agent');
    // Its own stream (created only when splitting is on): the baseline process draws as without it.
    this.metaRng = this.metaK > 0 ? rng.fork('metaorders') : null;
    this.metaSide.fill(0);
    this.metaLeft.fill(0);
  }

  /** Mean market-order volume per second (session average), shares. */
  meanVolumeRate(): number {
    return this.meanRate * meanSize(this.median, this.sigma);
  }

  start(host: TraderHost): void {
    if (this.process !== null) this.process.reset(this.rng, host.now);
  }

  /**
   * The stochastic activity factor (configs `activity`) is `scale` from `time` on: the Hawkes
   * baseline is multiplied by it (the process redraws its pending event; exact). Call at or
   * before the pending event's time.
   */
  setActivity(scale: number, time: number): void {
    if (this.process !== null) this.process.setBaselineScale(scale, time);
  }

  /** Time of the next taker order, +Infinity when disabled. */
  peekTime(): number {
    return this.process === null ? Infinity : this.process.peekNextTime();
  }

  /** Consumes the pending Hawkes event and sends its market order. */
  fire(host: TraderHost): void {
    const proc = this.process as HawkesProcess;
    const dim = this.metaK > 0 && proc.peekIsBaseline() ? proc.consumeAs(this.metaorderDim()) : proc.consume();
    const side = dim === 0 ? BUY : SELL;
    host.placeMarket(OWNER_TAKER, side, drawSize(this.rng, this.median, this.sigma, this.lot, this.lotP));
  }

  /**
   * The dimension (0 buy, 1 sell) of the next immigrant: one of the `metaK` concurrent
   * metaorders, picked uniformly; a finished one is replaced by a new metaorder of random side
   * and Pareto length N = ceil(minOrders · U^(−1/α)) orders (Lillo–Mike–Farmer).
   */
  private metaorderDim(): number {
    const rng = this.metaRng as Rng;
    const k = Math.floor(rng.next() * this.metaK);
    if (this.metaLeft[k] <= 0) {
      this.metaSide[k] = rng.next() < 0.5 ? 0 : 1;
      this.metaLeft[k] = Math.ceil(this.metaMin * Math.pow(1 - rng.next(), -1 / this.metaAlpha));
    }
    this.metaLeft[k]--;
    return this.metaSide[k];
  }

  /**
   * An outside market order of `side` that filled `qty` shares at `host.now` excites the flow:
   * its cluster of taker orders is scheduled (see the header); the baseline process is untouched.
   */
  exciteOutside(host: TraderHost, side: number, qty: number): void {
    if (this.process === null || this.agentExcitation <= 0 || qty <= 0) return;
    const rel = qty / meanSize(this.median, this.sigma);
    const m = this.agentExcitation * (rel < 1 ? rel : 1);
    let n = Math.floor(m);
    if (m > n && this.agentRng.next() < m - n) n++;
    const dim = side === BUY ? 0 : 1;
    for (let k = 0; k < n; k++) this.spawnChildren(host, dim);
  }

  /** Schedules the children of an event of dimension `dim` at `host.now` (agent cluster). */
  private spawnChildren(host: TraderHost, dim: number): void {
    const rng = this.agentRng;
    for (let c = 0; c < 2; c++) {
      for (let j = 0; j < 2; j++) {
        const a = this.alpha[c * 4 + j * 2 + dim];
        if (a <= 0) continue;
        const kids = rng.poisson(a);
        for (let k = 0; k < kids; k++) host.schedule(host.now + rng.exponential(this.decay[c]), (EV_TAKER_CHILD << 8) | j);
      }
    }
  }

  /** A scheduled order of the agent's cluster in dimension `dim` (0 buy, 1 sell): sends it, schedules its children. */
  fireChild(host: TraderHost, dim: number): void {
    host.placeMarket(OWNER_TAKER, dim === 0 ? BUY : SELL, drawSize(this.agentRng, this.median, this.sigma, this.lot, this.lotP));
    this.spawnChildren(host, dim);
  }
}
