/**
 * ReplayExecutionEnv: the execution task (env/execution/README.md) on a historical LOBSTER day
 * instead of the simulated market: the background flow is the file's messages (ReplayDriver),
 * the agent's orders sit in the same L3 book. Actions (`market`, `limit`), the 11 observation
 * features, the reward (implementation shortfall in bps of arrival notional, summing to −IS_bps)
 * and the deadline sweep follow env/execution's conventions; what differs is listed in README.md.
 */
import type { Env, Info, ResetArgs, ResetResult, StepResult } from '../core.ts';
import { EnvError } from '../core.ts';
import { Box } from '../spaces/index.ts';
import { Rng, assertSeed } from '../../simulator/random/index.ts';
import type { LobsterMessages, LobsterOrderbook } from '../../simulator/replay/index.ts';
import { ReplayDriver, ReplayDriverError } from './driver.ts';
import { FEATURES, FEATURE_HIGH, FEATURE_LOW, FeatureComputer, type FeatureState } from '../execution/features.ts';

/** Feature names: env/execution's, computed by its FeatureComputer on the replay driver. */
export const REPLAY_FEATURES = FEATURES;
/** Owner id of the agent's orders. */
export const REPLAY_AGENT_OWNER = 100;

export interface ReplayEnvOptions {
  messages: LobsterMessages;
  orderbook: LobsterOrderbook;
  /** Tick in LOBSTER price units (default 100). */
  tickSize?: number;
  /** Seconds after midnight of session time 0 (default 34,200). */
  sessionStart?: number;
  /** Session length, seconds (default 23,400). */
  sessionSeconds?: number;
  side?: 'sell' | 'buy';
  /** Parent order, shares (default 1,000). */
  quantity?: number;
  horizonSeconds?: number;
  decisionSeconds?: number;
  /** Session seconds of the first decision, or 'random' (uniform whole seconds in [0, session − T]). */
  startSeconds?: number | 'random';
  actionMode?: 'market' | 'limit';
  aMax?: number;
  maxOffsetTicks?: number;
  unfilledPenaltyBps?: number;
  volatilityWindowSeconds?: number;
}


function positive(name: string, v: number, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new EnvError(`Replay-Execution: ${name} must be a finite ${integer ? 'integer' : 'number'} > 0, got ${String(v)}`);
  }
  return v;
}

export class ReplayExecutionEnv implements Env<Float64Array, Float64Array> {
  readonly observationSpace: Box;
  readonly actionSpace: Box;
  readonly metadata: Record<string, unknown>;
  readonly driver: ReplayDriver;
  private readonly o: Required<Omit<ReplayEnvOptions, 'messages' | 'orderbook'>>;
  private readonly K: number;
  private readonly sideSign: number;
  private started = false;
  private done = false;
  private start = 0;
  private k = 0;
  private Q = 0;
  private remaining = 0;
  private arrival = 0;
  private executed = 0;
  private notional = 0;
  private cost = 0;
  private restingId = 0;
  private unfilled = 0;
  private passiveQty = 0;
  /** IS (bps) at the last decision: each reward is minus its change, so rewards sum to −IS_bps. */
  private lastIs = 0;
  private stepFills: { time: number; price: number; qty: number; passive: boolean }[] = [];
  private readonly features = new FeatureComputer();
  private readonly fstate: FeatureState = { decisionIndex: 0, decisionCount: 1, remaining: 0, quantity: 1, side: -1, arrivalTicks: 1, flowMark: 0, owner: REPLAY_AGENT_OWNER, restingId: 0, volWindow: 60 };

  constructor(options: ReplayEnvOptions) {
    const o = {
      tickSize: options.tickSize ?? 100,
      sessionStart: options.sessionStart ?? 34200,
      sessionSeconds: options.sessionSeconds ?? 23400,
      side: options.side ?? 'sell',
      quantity: options.quantity ?? 1000,
      horizonSeconds: options.horizonSeconds ?? 600,
      decisionSeconds: options.decisionSeconds ?? 10,
      startSeconds: options.startSeconds ?? 'random',
      actionMode: options.actionMode ?? 'market',
      aMax: options.aMax ?? 10,
      maxOffsetTicks: options.maxOffsetTicks ?? 10,
      unfilledPenaltyBps: options.unfilledPenaltyBps ?? 500,
      volatilityWindowSeconds: options.volatilityWindowSeconds ?? 60,
    };
    if (o.side !== 'sell' && o.side !== 'buy') throw new EnvError(`Replay-Execution: side must be 'sell' or 'buy', got ${String(o.side)}`);
    if (o.actionMode !== 'market' && o.actionMode !== 'limit') throw new EnvError(`Replay-Execution: actionMode must be 'market' or 'limit', got ${String(o.actionMode)}`);
    positive('quantity', o.quantity, true);
    positive('horizonSeconds', o.horizonSeconds);
    positive('decisionSeconds', o.decisionSeconds);
    positive('aMax', o.aMax);
    positive('maxOffsetTicks', o.maxOffsetTicks);
    positive('sessionSeconds', o.sessionSeconds);
    positive('volatilityWindowSeconds', o.volatilityWindowSeconds, true);
    const K = o.horizonSeconds / o.decisionSeconds;
    if (!Number.isInteger(K)) throw new EnvError(`Replay-Execution: horizonSeconds / decisionSeconds must be an integer, got ${o.horizonSeconds} / ${o.decisionSeconds}`);
    if (o.horizonSeconds > o.sessionSeconds) throw new EnvError(`Replay-Execution: horizonSeconds (${o.horizonSeconds}) exceeds the session (${o.sessionSeconds} s)`);
    if (o.startSeconds !== 'random' && !(Number.isFinite(o.startSeconds) && o.startSeconds >= 0 && o.startSeconds <= o.sessionSeconds - o.horizonSeconds)) {
      throw new EnvError(`Replay-Execution: startSeconds must be 'random' or a number in [0, ${o.sessionSeconds - o.horizonSeconds}], got ${String(o.startSeconds)}`);
    }
    try {
      this.driver = new ReplayDriver({ messages: options.messages, orderbook: options.orderbook, tickSize: o.tickSize, sessionStart: o.sessionStart });
    } catch (err) {
      if (err instanceof ReplayDriverError) throw new EnvError(`Replay-Execution: ${err.message}`);
      throw err;
    }
    this.o = o;
    this.K = K;
    this.sideSign = o.side === 'sell' ? -1 : 1;
    this.observationSpace = new Box(FEATURE_LOW, FEATURE_HIGH);
    this.actionSpace = o.actionMode === 'market' ? new Box([0], [o.aMax]) : new Box([0, -o.maxOffsetTicks], [o.aMax, o.maxOffsetTicks]);
    this.metadata = { id: 'Replay-Execution-v0', features: [...REPLAY_FEATURES], renderModes: [] };
  }

  reset(args: ResetArgs = {}): ResetResult<Float64Array> {
    const seed = args.seed ?? 0;
    try {
      assertSeed(seed);
    } catch (err) {
      throw new EnvError(`Replay-Execution reset: ${(err as Error).message}`);
    }
    const o = this.o;
    const maxStart = Math.min(o.sessionSeconds, this.driver.lastTime) - o.horizonSeconds;
    if (maxStart < 0) throw new EnvError(`Replay-Execution: the file ends ${this.driver.lastTime} s after the open, before one horizon (${o.horizonSeconds} s)`);
    const start = o.startSeconds === 'random' ? Rng.fromSeed(seed, 'randomize').int(0, Math.floor(maxStart)) : Math.min(o.startSeconds, maxStart);
    this.driver.reset(start);
    this.driver.runUntil(start);
    this.start = start;
    this.k = 0;
    this.Q = o.quantity;
    this.remaining = o.quantity;
    this.arrival = this.driver.mid();
    if (!Number.isFinite(this.arrival)) throw new EnvError(`Replay-Execution: the book is empty at ${start} s`);
    this.executed = 0;
    this.notional = 0;
    this.cost = 0;
    this.restingId = 0;
    this.unfilled = 0;
    this.passiveQty = 0;
    this.lastIs = 0;
    this.stepFills = [];
    this.started = true;
    this.done = false;
    return { observation: this.observe(0), info: { ...this.info([]), startSeconds: start, horizonSeconds: o.horizonSeconds, decisionSeconds: o.decisionSeconds, side: o.side, tickDollars: o.tickSize / 10000 } };
  }

  step(action: Float64Array): StepResult<Float64Array> {
    if (!this.started) throw new EnvError('Replay-Execution: step before reset');
    if (this.done) throw new EnvError('Replay-Execution: step after the episode ended; call reset');
    if (!this.actionSpace.contains(action)) throw new EnvError(`Replay-Execution: action ${JSON.stringify(Array.from(action ?? []))} is outside the action space (low ${JSON.stringify(Array.from(this.actionSpace.low))}, high ${JSON.stringify(Array.from(this.actionSpace.high))})`);
    const dr = this.driver;
    const o = this.o;
    const left = this.K - this.k;
    const slice = this.remaining / left;
    const tapeMark = dr.tape.length;
    dr.outsideFills.clear();
    if (o.actionMode === 'market') {
      const q = Math.min(Math.round(action[0] * slice), this.remaining);
      if (q > 0) dr.submitMarket(REPLAY_AGENT_OWNER, this.sideSign, q);
    } else {
      const q = Math.min(Math.round(action[0] * slice), this.remaining);
      const touch = this.sideSign < 0 ? dr.bestAsk() || Math.ceil(dr.mid() + 0.5) : dr.bestBid() || Math.floor(dr.mid() - 0.5);
      const price = Math.max(1, Math.round(touch - this.sideSign * action[1]));
      const keep = this.restingId > 0 && dr.isResting(this.restingId) && dr.book.orderPrice(this.restingId) === price && q > 0;
      if (!keep) {
        if (this.restingId > 0) dr.cancel(this.restingId);
        this.restingId = 0;
        if (q > 0) {
          const id = dr.submitLimit(REPLAY_AGENT_OWNER, this.sideSign, price, q);
          if (dr.isResting(id)) this.restingId = id;
        }
      }
    }
    this.k++;
    const t = this.start + this.k * o.decisionSeconds;
    // Fills of the agent's own call were recorded; now the history runs to the next decision.
    this.absorbFills();
    dr.outsideFills.clear();
    dr.runUntil(t);
    this.absorbFills();
    let forced = 0;
    if (this.k === this.K && this.remaining > 0) {
      if (this.restingId > 0) dr.cancel(this.restingId);
      this.restingId = 0;
      dr.outsideFills.clear();
      forced = this.remaining;
      const rest = dr.submitMarket(REPLAY_AGENT_OWNER, this.sideSign, this.remaining);
      this.absorbFills();
      if (rest > 0) {
        // Shares not even the sweep can fill count at the penalty price.
        const px = this.arrival * (1 + (this.sideSign * o.unfilledPenaltyBps) / 1e4);
        this.cost += rest * (px - this.arrival) * this.sideSign;
        this.unfilled += rest;
        this.remaining = 0;
      }
    }
    const before = this.lastIs;
    const isNow = this.isBps();
    this.lastIs = isNow;
    const reward = -(isNow - before);
    const terminated = this.k === this.K || this.remaining === 0;
    if (terminated && this.restingId > 0) {
      dr.cancel(this.restingId);
      this.restingId = 0;
    }
    this.done = terminated;
    const info = { ...this.info(this.stepFills), reward, forcedQty: forced, stepVolume: this.volumeSince(tapeMark) };
    return { observation: this.observe(tapeMark), reward, terminated, truncated: false, info };
  }

  private absorbFills(): void {
    const f = this.driver.outsideFills;
    for (let i = 0; i < f.length; i++) {
      if (f.sign[i] !== this.sideSign) continue;
      const q = Math.min(f.qty[i], this.remaining);
      if (q <= 0) continue;
      this.remaining -= q;
      this.executed += q;
      this.notional += q * f.price[i];
      this.cost += this.sideSign * q * (f.price[i] - this.arrival);
      if (f.aggressive[i] === 0) this.passiveQty += q;
      this.stepFills.push({ time: f.time[i], price: f.price[i], qty: q, passive: f.aggressive[i] === 0 });
    }
    f.clear();
  }

  private isBps(): number {
    return (this.cost / (this.Q * this.arrival)) * 1e4;
  }

  private volumeSince(mark: number): number {
    let v = 0;
    for (let i = mark; i < this.driver.tape.length; i++) v += this.driver.tape.qty[i];
    return v;
  }

  private info(fills: { time: number; price: number; qty: number; passive: boolean }[]): Info {
    const dr = this.driver;
    const out: Info = {
      fills: fills.slice(),
      quantity: this.Q,
      executedQty: this.executed,
      remainingQty: this.remaining,
      avgPrice: this.executed > 0 ? this.notional / this.executed : null,
      isBps: this.isBps(),
      arrivalPrice: this.arrival,
      mid: dr.mid(),
      timeLeftSeconds: (this.K - this.k) * this.o.decisionSeconds,
      decisionIndex: this.k,
      decisionCount: this.K,
      restingQty: this.restingId > 0 ? dr.orderQty(this.restingId) : 0,
      unfilledQty: this.unfilled,
      passiveQty: this.passiveQty,
      time: dr.now,
      replay: dr.report(),
    };
    this.stepFills = [];
    return out;
  }

  private observe(flowMark: number): Float64Array {
    const out = new Float64Array(REPLAY_FEATURES.length);
    const st = this.fstate;
    st.decisionIndex = this.k;
    st.decisionCount = this.K;
    st.remaining = this.remaining;
    st.quantity = this.Q;
    st.side = this.sideSign;
    st.arrivalTicks = this.arrival;
    st.flowMark = flowMark;
    st.restingId = this.restingId;
    st.volWindow = this.o.volatilityWindowSeconds;
    this.features.compute(this.driver, st, out);
    return out;
  }

  close(): void {
    this.started = false;
  }
}
