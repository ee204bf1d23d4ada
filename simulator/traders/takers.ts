/**
 * Liquidity takers: market orders from a 2-D Hawkes process (simulator/flow): dimension 0 buys,
 * 1 sells; baselines (muBuy, muSell) x intraday profile; two exponential components (decayFast,
 * decaySlow) with self-branching selfFast/selfSlow and buy-sell cross-branching crossFast/crossSlow.
 * An outside (agent) market order that fills q shares excites the flow like
 * m = agentExcitation x min(1, q / mean taker size) taker orders of its side, on average: floor(m)
 * excitations plus one more with probability m - floor(m) (0 = off; 1 = an order of at least the
 * mean taker size excites like one taker order, a smaller one proportionally less, so splitting a
 * metaorder finely does not multiply its excitation). Sizes are lognormal (median `sizeMedian`, sigma
 * `sizeSigma`), rounded to round lots half of the time.
 */
import { HawkesProcess, meanIntensity } from '../flow/index.ts';
import type { HawkesParamsInput } from '../flow/index.ts';
import type { Rng } from '../random/index.ts';
import type { MarketParams } from '../../configs/index.ts';
import { drawSize, meanSize } from './sizes.ts';
import { BUY as BUY_, SELL as SELL_, OWNER_TAKER as OWNER_TAKER_ } from './types.ts';
import type { TraderHost } from './types.ts';

// Imported constants copied into module constants: hot code reads them without a module getter.
const BUY = BUY_;
const SELL = SELL_;
const OWNER_TAKER = OWNER_TAKER_;

export class HawkesTakers {
  enabled = false;
  process: HawkesProcess | null = null;
  private rng!: Rng;
  private median = 100;
  private sigma = 0;
  private lot = 100;
  private agentExcitation = 0;
  /** Mean market orders per second (session average), both sides. */
  meanRate = 0;

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
    this.rng = rng;
    this.enabled = t.enabled && t.muBuy + t.muSell > 0;
    this.median = t.sizeMedian;
    this.sigma = t.sizeSigma;
    this.lot = p.lotSize;
    this.agentExcitation = t.agentExcitation;
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
  }

  /** Mean market-order volume per second (session average), shares. */
  meanVolumeRate(): number {
    return this.meanRate * meanSize(this.median, this.sigma);
  }

  start(host: TraderHost): void {
    if (this.process !== null) this.process.reset(this.rng, host.now);
  }

  /** Time of the next taker order, +Infinity when disabled. */
  peekTime(): number {
    return this.process === null ? Infinity : this.process.peekNextTime();
  }

  /** Consumes the pending Hawkes event and sends its market order. */
  fire(host: TraderHost): void {
    const dim = (this.process as HawkesProcess).consume();
    const side = dim === 0 ? BUY : SELL;
    host.placeMarket(OWNER_TAKER, side, drawSize(this.rng, this.median, this.sigma, this.lot, 0.5));
  }

  /** An outside market order of `side` that filled `qty` shares at `time` (≤ the pending event) excites the flow. */
  exciteOutside(side: number, qty: number, time: number): void {
    if (this.process === null || this.agentExcitation <= 0 || qty <= 0) return;
    const rel = qty / meanSize(this.median, this.sigma);
    const m = this.agentExcitation * (rel < 1 ? rel : 1);
    let n = Math.floor(m);
    if (m > n && this.rng.next() < m - n) n++;
    const dim = side === BUY ? 0 : 1;
    for (let k = 0; k < n; k++) this.process.excite(dim, time);
  }
}
