/**
 * The optimal-execution task, once, over any `ExecutionMarket` (market.ts): the simulated market
 * (env.ts: Liquidate-v0, Acquire-v0, Liquidate-Limit-v0) and a replayed LOBSTER day
 * (env/replay: Liquidate-Replay-v0) are this class with a different `MarketSource`.
 *
 * Task: sell (or buy) Q shares within T = horizonSeconds, deciding every Δt = decisionSeconds
 * (K = T/Δt decisions at session times start + kΔt, k = 0..K−1). Each step applies the action at
 * t_k, runs the market to t_{k+1} and collects the agent's fills. At the deadline t_K any resting
 * order is cancelled and what is left goes as one market order; shares even that sweep cannot fill
 * (an empty book side) count as executed `unfilledPenaltyBps` beyond the arrival price.
 *
 * Arrival price P0 = the mid at the first decision (reset). Step k's implementation-shortfall
 * contribution (tick·shares) is Σ_fills side·qty·(price − P0) + fees, with side SELL = −1,
 * BUY = +1 (so positive is a cost), and
 *   reward_k = −contribution_k / (Q·P0) · 1e4 − λ·(x_k/Q)²·(Δmid_k / P0 · 1e4)²,
 * so an episode's rewards sum to −IS_bps (− the risk penalty when λ > 0), exactly up to rounding.
 *
 * Seeds: `reset({ seed })` makes the episode seed `seed`; `reset()` takes the next episode seed
 * deriveSeed(seed, 'episode/n') of the last seed given (0 if none), n = 1, 2, ... (Gymnasium's
 * "no seed continues"). From the episode seed: the market's own draws (the source's, e.g. the
 * simulated flow from `market`), the market parameters and the task draws (start time, quantity:
 * `randomize` and its fork `task`), and `agentRng` for exploration (`agent`): independent
 * streams, so the market path of a seed depends on the action mode only through the agent's own
 * orders.
 *
 * Action modes (see README.md): market, limit, discrete. Invalid actions throw EnvError and leave
 * the env untouched; the raw env never clips.
 */
import { AGENT_OWNER, BUY, LatencyModel, SELL } from '../../simulator/index.ts';
import { parseLatency, type LatencySpec } from '../../configs/index.ts';
import { Rng, assertSeed, deriveSeed } from '../../simulator/random/index.ts';
import { z } from 'zod';
import { EnvError, type Env, type ResetArgs, type ResetResult, type StepResult } from '../core.ts';
import { parseOptions } from '../options.ts';
import { Box, Discrete, explain, type Space } from '../spaces/index.ts';
import { EXTENDED_FEATURES, EXTENDED_HIGH, EXTENDED_LOW, FEATURES, FEATURE_HIGH, FEATURE_LOW, FeatureComputer, type FeatureState } from './features.ts';
import type { ExecutionInfo, ExecutionResetInfo, Fill, LatencyStats } from './info.ts';
import type { ExecutionMarket, MarketSource } from './market.ts';
import { QuantitySchema, type TaskOptions } from './options.ts';

/** The discrete menu (actionMode 'discrete'). */
export const DISCRETE_ACTIONS = ['wait', 'passive slice', 'market slice', 'market 2x slice'] as const;

/**
 * The discrete actions with actionBase 'passive-twap': what to do with passive TWAP's size this
 * decision (the shares behind the linear schedule by the next decision, passiveTwapSize). 0 is
 * passive TWAP itself: post at the own-side touch. 1 posts one tick better than the own-side touch
 * when the spread has room (>= 2 ticks; otherwise at the touch, so it never crosses). 2 posts one
 * tick behind the touch. The touch and the spread are the book's as it stands, the agent's own
 * resting order included (as in limit mode's offsets): when that order alone is the best price,
 * choosing 1 again steps it one more tick in, while the spread allows. 3 takes: cancels the
 * resting order and sends the size as a market order. Each is the hybrid action [size, offset,
 * market] it stands for, so both order paths (with and without latency) run it unchanged.
 */
export const RESIDUAL_DISCRETE_ACTIONS = ['passive TWAP', 'improve 1 tick', 'behind 1 tick', 'take'] as const;

const ResetOptionsSchema = z.strictObject({
  quantity: QuantitySchema.optional(),
  startSeconds: z.number().refine((x) => Number.isFinite(x) && x >= 0, { error: 'startSeconds must be a finite number >= 0' }).optional(),
});

/** Per-episode options of `reset({ options })`. */
export type ExecutionResetOptions = z.input<typeof ResetOptionsSchema>;

export type ExecutionAction = Float64Array | number;

export class ExecutionTaskEnv<M extends ExecutionMarket = ExecutionMarket> implements Env<Float64Array, ExecutionAction, ExecutionInfo, ExecutionResetInfo> {
  readonly observationSpace: Box;
  readonly actionSpace: Space<ExecutionAction>;
  readonly metadata: Record<string, unknown>;
  /** The task's options (parsed, defaults filled in) with K, the decision count. */
  readonly options: TaskOptions & { decisionCount: number };

  protected readonly id: string;
  /** Where each episode's market comes from. */
  readonly source: MarketSource<M>;
  private readonly sideSign: number;
  private readonly K: number;
  private readonly features = new FeatureComputer();
  private readonly fstate: FeatureState;
  /** Observation length (11, or 15 with the extended features). */
  private readonly nFeatures: number;
  /** Decision index at which the resting order was placed, and passive shares filled this step (extended features). */
  private restingSince = 0;
  private stepPassive = 0;
  private market: M | null = null;
  private baseSeed = 0;
  private episodeCounter = -1;
  private agent = Rng.fromSeed(0, 'agent');
  private started = false;
  private done = false;
  // Episode state.
  private start = 0;
  private Q = 1;
  private arrival = 1;
  private k = 0;
  private remaining = 0;
  private executed = 0;
  private execNotional = 0;
  private costTotal = 0;
  private feesTotal = 0;
  private riskTotal = 0;
  private unfilled = 0;
  private swept = 0;
  private passiveQty = 0;
  private passiveFills = 0;
  private aggressiveFills = 0;
  private restingId = 0;
  private lastMid = 0;
  private vwapMark = 0;
  private vwapPV = 0;
  private vwapV = 0;
  /** The last step's market volume: everyone's, and the other traders' only (set by settle). */
  private stepVolume = 0;
  private stepOthers = 0;
  private stepCost = 0;
  private stepFills: Fill[] = [];
  // Latency (see the "Latency" section below): the parsed config, this episode's model (null:
  // no latency, the task runs its latency-free path) and the in-flight state.
  private readonly latencySpec: LatencySpec | null;
  private lat: LatencyModel | null = null;
  private readonly pending: Message[] = [];
  private lastArrival = 0;
  private nextHandle = 1;
  /** Handle → exchange order id, for the agent's limit orders that reached the book. */
  private readonly handles = new Map<number, number>();
  /** The agent's working limit order as it knows it: handle, price, shares sent, shares reported filled. */
  private work: { handle: number; price: number; size: number; filled: number; since: number } | null = null;
  /** The agent's fills not yet reported to it (fill time + data latency not reached). */
  private readonly unreported: { time: number; price: number; qty: number; aggressive: boolean; orderId: number }[] = [];
  /** Exchange order id → handle (to tell the agent which of its orders a fill belongs to). */
  private readonly idToHandle = new Map<number, number>();
  private trueExecuted = 0;
  private lastMessages = 0;
  private viewBid = 0;
  private viewAsk = 0;
  private viewMid = 0;
  private snapMark = 0;
  private latencyStats: LatencyStats = newLatencyStats();
  // rewardBaseline: the twin env the baseline runs in, its latest info, whether its episode ended.
  private twin: ExecutionTaskEnv<M> | null = null;
  private twinInfo!: ExecutionInfo;
  private twinDone = true;
  /** The absolute action a residual one stands for (actionBase), reused every step. */
  private readonly absolute: Float64Array;
  /** The action mode the step runs: actionMode, except 'hybrid' for discrete residual actions. */
  private readonly stepMode: 'market' | 'limit' | 'hybrid' | 'discrete';

  /**
   * @param options the parsed task options (see options.ts); `source` gives each episode's market;
   * `makeTwin(overrides)` builds the same env with the given options changed (for `rewardBaseline`).
   */
  constructor(id: string, options: TaskOptions & { decisionCount: number }, source: MarketSource<M>, makeTwin?: (overrides: Record<string, unknown>) => ExecutionTaskEnv<M>) {
    this.id = id;
    this.options = options;
    this.source = source;
    if (options.rewardBaseline !== 'none') {
      if (makeTwin === undefined) throw new EnvError(`${id}: rewardBaseline '${options.rewardBaseline}' needs an env that can build its twin`);
      this.twin = makeTwin({ rewardBaseline: 'none', actionBase: 'none', actionMode: options.rewardBaseline === 'twap' ? 'market' : 'limit', aMax: 1e6 });
    }
    const o = options;
    this.sideSign = o.side === 'sell' ? SELL : BUY;
    this.K = o.decisionCount;
    try {
      this.latencySpec = o.latency === undefined ? null : parseLatency(o.latency, `${id} options.latency`);
    } catch (err) {
      throw new EnvError(`invalid ${id} options: ${(err as Error).message}`);
    }
    this.nFeatures = o.features === 'extended' ? EXTENDED_FEATURES.length : FEATURES.length;
    this.observationSpace =
      o.features === 'extended' ? new Box(EXTENDED_LOW, EXTENDED_HIGH, [this.nFeatures], 'float64') : new Box(FEATURE_LOW, FEATURE_HIGH, [this.nFeatures], 'float64');
    // Residual actions (actionBase): the size is a change to passive TWAP's, so it may be negative.
    const sizeLow = o.actionBase === 'none' ? 0 : -o.aMax;
    this.absolute = new Float64Array(o.actionMode === 'limit' ? 2 : 3);
    // Discrete residual actions run as the hybrid actions they stand for.
    this.stepMode = o.actionMode === 'discrete' && o.actionBase !== 'none' ? 'hybrid' : o.actionMode;
    switch (o.actionMode) {
      case 'market':
        this.actionSpace = new Box(0, o.aMax, [1], 'float64') as Space<ExecutionAction>;
        break;
      case 'limit':
        this.actionSpace = new Box([sizeLow, -o.maxOffsetTicks], [o.aMax, o.maxOffsetTicks], [2], 'float64') as Space<ExecutionAction>;
        break;
      case 'hybrid':
        this.actionSpace = new Box([sizeLow, -o.maxOffsetTicks, 0], [o.aMax, o.maxOffsetTicks, o.aMax], [3], 'float64') as Space<ExecutionAction>;
        break;
      default:
        this.actionSpace = new Discrete(o.actionBase === 'none' ? DISCRETE_ACTIONS.length : RESIDUAL_DISCRETE_ACTIONS.length) as Space<ExecutionAction>;
    }
    this.fstate = {
      decisionIndex: 0,
      decisionCount: this.K,
      remaining: 0,
      quantity: 1,
      side: this.sideSign,
      arrivalTicks: 1,
      flowMark: 0,
      owner: AGENT_OWNER,
      restingId: 0,
      volWindow: o.volatilityWindowSeconds,
      executed: 0,
      orderAge: 0,
      ownTouch: 0,
      maxOffsetTicks: o.maxOffsetTicks,
      lastPassiveQty: 0,
    };
    this.metadata = {
      id,
      features: o.features === 'extended' ? [...EXTENDED_FEATURES] : [...FEATURES],
      actionMode: o.actionMode,
      actionBase: o.actionBase,
      side: o.side,
      decisionCount: this.K,
      discreteActions: o.actionMode !== 'discrete' ? undefined : o.actionBase === 'none' ? [...DISCRETE_ACTIONS] : [...RESIDUAL_DISCRETE_ACTIONS],
      rewardUnit: 'bps of arrival notional',
    };
  }

  /** The market of the current episode (read-only use: book, tape, expectations); null before the first reset. */
  get currentMarket(): M | null {
    return this.market;
  }

  /** The episode's `agent` stream, for policies that explore. */
  get agentRng(): Rng {
    return this.agent;
  }

  /**
   * Starts an episode. `options` may override `quantity` and `startSeconds` for this episode.
   * @throws EnvError for a bad seed or options (the env is untouched).
   */
  reset(args: ResetArgs = {}): ResetResult<Float64Array, ExecutionResetInfo> {
    const r = this.resetTask(args);
    const twin = this.twin;
    if (twin !== null) {
      const t = twin.reset({ seed: r.info.episodeSeed, options: args.options });
      this.twinInfo = t.info;
      this.twinDone = false;
      r.info.baselineIsBps = 0;
    }
    return r;
  }

  /** @throws EnvError for a bad action or call order (the env is untouched). */
  step(action: ExecutionAction): StepResult<Float64Array, ExecutionInfo> {
    const r = this.stepTask(action);
    const twin = this.twin;
    if (twin === null) return r;
    // The baseline's step in its twin market; when the agent's episode ends, the baseline's runs to
    // its own end, so the rewards sum to −(IS − baseline IS).
    let base = 0;
    do {
      if (this.twinDone) break;
      const t = twin.step(baselineAction(this.options.rewardBaseline, this.twinInfo));
      base += t.reward;
      this.twinInfo = t.info;
      this.twinDone = t.terminated;
    } while (r.terminated);
    r.reward -= base;
    r.info.reward = r.reward;
    r.info.baselineIsBps = this.twinInfo.isBps;
    return r;
  }

  private resetTask(args: ResetArgs): ResetResult<Float64Array, ExecutionResetInfo> {
    const o = this.options;
    if (args === null || typeof args !== 'object') throw new EnvError(`${this.id} reset: the argument must be an object like { seed, options } or nothing, got ${String(args)}`);
    if (args.seed !== undefined) {
      try {
        assertSeed(args.seed);
      } catch (err) {
        throw new EnvError(`${this.id} reset: ${(err as Error).message}`);
      }
    }
    const ro = parseOptions(ResetOptionsSchema, args.options ?? {}, `${this.id} reset`);
    // Everything that can fail is checked before any state changes.
    // Episode seeds: a seed restarts the sequence, no seed takes its next element (committed only
    // once nothing below can fail, so a rejected reset leaves the sequence where it was).
    const base = args.seed ?? this.baseSeed;
    const episode = args.seed !== undefined ? 0 : this.episodeCounter + 1;
    const epSeed = episode === 0 ? base : deriveSeed(base, `episode/${episode}`);
    const rr = Rng.fromSeed(epSeed, 'randomize');
    const plan = this.source.plan(epSeed, rr);
    const task = rr.fork('task');
    const first = Math.ceil(plan.sessionBegin);
    const maxStart = plan.sessionEnd - o.horizonSeconds;
    const fixedStart = ro.startSeconds ?? (o.startSeconds === 'random' ? undefined : o.startSeconds);
    if (maxStart < plan.sessionBegin) throw new EnvError(`${this.id}: horizonSeconds (${o.horizonSeconds}) does not fit in the market's session [${plan.sessionBegin}, ${plan.sessionEnd}] s`);
    if (fixedStart !== undefined && (fixedStart > maxStart || fixedStart < plan.sessionBegin)) {
      throw new EnvError(`${this.id}: startSeconds must be in [${plan.sessionBegin}, ${maxStart}] (the session minus the horizon), got ${fixedStart}`);
    }
    const start = fixedStart ?? task.int(first, Math.max(first, Math.floor(maxStart)));
    const m = plan.open(start);
    this.market = m;
    const qOpt = ro.quantity ?? o.quantity;
    let Q: number;
    if (qOpt === undefined) Q = task.uniform(o.volumeShare[0], o.volumeShare[1]) * m.expectedVolume(start, start + o.horizonSeconds);
    else if (typeof qOpt === 'number') Q = qOpt;
    else if ('uniform' in qOpt) Q = task.uniform(qOpt.uniform[0], qOpt.uniform[1]);
    else Q = Math.exp(task.uniform(Math.log(qOpt.loguniform[0]), Math.log(qOpt.loguniform[1])));
    Q = Math.max(1, Math.round(Q));
    this.baseSeed = base;
    this.episodeCounter = episode;
    this.agent = Rng.fromSeed(epSeed, 'agent');
    this.start = start;
    this.Q = Q;
    this.arrival = m.mid();
    this.k = 0;
    this.remaining = Q;
    this.executed = 0;
    this.execNotional = 0;
    this.costTotal = 0;
    this.feesTotal = 0;
    this.riskTotal = 0;
    this.unfilled = 0;
    this.swept = 0;
    this.passiveQty = 0;
    this.passiveFills = 0;
    this.aggressiveFills = 0;
    this.restingId = 0;
    this.restingSince = 0;
    this.stepPassive = 0;
    this.lastMid = this.arrival;
    this.vwapMark = m.tape.length;
    this.vwapPV = 0;
    this.vwapV = 0;
    this.stepFills = [];
    m.outsideFills.clear();
    this.resetLatency(epSeed, m);
    this.started = true;
    this.done = false;
    const observation = this.observe(m.tape.length);
    const profile = m.volumeProfile(start, start + o.horizonSeconds, this.K);
    const cumulative = new Array<number>(this.K + 1);
    cumulative[0] = 0;
    for (let i = 0; i < this.K; i++) cumulative[i + 1] = cumulative[i] + profile[i];
    cumulative[this.K] = 1;
    const expectedVolume = m.expectedVolume(start, start + o.horizonSeconds);
    const info: ExecutionResetInfo = {
      ...this.stepInfo(0, 0, 0),
      episodeSeed: epSeed,
      side: o.side,
      startSeconds: start,
      horizonSeconds: o.horizonSeconds,
      decisionSeconds: o.decisionSeconds,
      tickDollars: m.tickDollars,
      expectedVolume,
      expectedVolumePerStep: expectedVolume / this.K,
      volumeProfile: Array.from(profile),
      expectedCumulativeVolume: cumulative,
    };
    return { observation, info };
  }

  private stepTask(action: ExecutionAction): StepResult<Float64Array, ExecutionInfo> {
    if (!this.started) throw new EnvError(`${this.id}: step() before reset(): call reset() first`);
    if (this.done) throw new EnvError(`${this.id}: step() after the episode ended: call reset() first`);
    const why = explain(this.actionSpace as Space<unknown>, action);
    if (why !== null) throw new EnvError(`invalid action for ${this.id} (${this.options.actionMode} mode, ${JSON.stringify(this.actionSpace.toJSON())}): ${why}`);
    if (this.options.actionBase !== 'none') action = typeof action === 'number' ? this.discreteResidual(action) : this.absoluteAction(action as Float64Array);
    if (this.lat !== null) return this.stepLatent(action);
    const m = this.market as M;
    const o = this.options;
    this.stepCost = 0;
    this.stepFills = [];
    this.stepPassive = 0;
    const flowMark = m.tape.length;
    const slice = this.remaining / (this.K - this.k);
    switch (this.stepMode) {
      case 'market': {
        this.cancelResting();
        this.sendMarket(Math.min(Math.round((action as Float64Array)[0] * slice), this.remaining));
        break;
      }
      case 'limit': {
        const a = action as Float64Array;
        this.placeLimit(Math.min(Math.round(a[0] * slice), this.remaining), Math.round(a[1]));
        break;
      }
      case 'hybrid': {
        // The limit order (re-pegged as in limit mode), then a market order for up to what is
        // neither executed nor resting: resting + market never exceed what is left.
        const a = action as Float64Array;
        this.placeLimit(Math.min(Math.round(a[0] * slice), this.remaining), Math.round(a[1]));
        const mq = Math.min(Math.round(a[2] * slice), this.remaining - this.restingQty());
        if (mq >= 1) this.sendMarket(mq);
        break;
      }
      default: {
        switch (action as number) {
          case 0:
            this.cancelResting();
            break;
          case 1:
            this.placeLimit(Math.min(Math.round(slice), this.remaining), 0);
            break;
          case 2:
            this.cancelResting();
            this.sendMarket(Math.min(Math.round(slice), this.remaining));
            break;
          default:
            this.cancelResting();
            this.sendMarket(Math.min(Math.round(2 * slice), this.remaining));
        }
      }
    }
    this.k++;
    m.runUntil(this.start + this.k * o.decisionSeconds);
    this.drainFills();
    let forced = 0;
    if (this.k === this.K || this.remaining === 0) {
      this.cancelResting();
      if (this.remaining > 0) {
        forced = this.remaining;
        this.swept = forced;
        this.sendMarket(this.remaining);
      }
      if (this.remaining > 0) {
        // The book side ran dry: count the rest at the penalty price.
        const q = this.remaining;
        const pen = (q * this.arrival * o.unfilledPenaltyBps) / 1e4;
        this.stepCost += pen;
        this.costTotal += pen;
        this.unfilled = q;
        this.remaining = 0;
      }
    }
    const terminated = this.remaining === 0;
    this.done = terminated;
    const reward = this.settle(m.mid(), m.tape.length);
    const observation = this.observe(flowMark);
    const info = this.stepInfo(this.stepVolume, this.stepOthers, forced);
    // With a latency option whose paths are zero, the same counts as on the latency path (no race is lost).
    if (this.latencySpec !== null) info.latency = { ...this.latencyStats };
    info.reward = reward;
    if (terminated && this.source.report !== undefined) info.marketReport = this.source.report(m);
    return { observation, reward, terminated, truncated: false, info };
  }

  /**
   * The end of a step on either path: the risk term from the move of `mid`, the step's market
   * volume (everyone's into stepVolume, the other traders' into stepOthers) over the tape up to
   * `tapeEnd`, the horizon VWAP, and the reward.
   */
  private settle(mid: number, tapeEnd: number): number {
    const o = this.options;
    let risk = 0;
    if (o.riskAversion > 0) {
      const dmid = ((mid - this.lastMid) / this.arrival) * 1e4;
      const x = this.remaining / this.Q;
      risk = o.riskAversion * x * x * dmid * dmid;
      this.riskTotal += risk;
    }
    this.lastMid = mid;
    const tp = (this.market as M).tape;
    let vol = 0;
    let others = 0;
    for (let i = this.vwapMark; i < tapeEnd; i++) {
      const q = tp.qty[i];
      vol += q;
      this.vwapPV += tp.price[i] * q;
      if (tp.takerOwner[i] !== AGENT_OWNER && tp.makerOwner[i] !== AGENT_OWNER) others += q;
    }
    this.vwapV += vol;
    this.vwapMark = tapeEnd;
    this.stepVolume = vol;
    this.stepOthers = others;
    return (-this.stepCost / (this.Q * this.arrival)) * 1e4 - risk;
  }

  close(): void {
    this.started = false;
    this.market = null;
  }

  // ------------------------------------------------------------------------------------------

  private sendMarket(qty: number): void {
    if (qty < 1) return;
    (this.market as M).submitMarket(AGENT_OWNER, this.sideSign, qty);
    this.latencyStats.messagesSent++;
    this.drainFills();
  }

  /** Shares of the agent's resting order (0 without one). */
  private restingQty(): number {
    const m = this.market as M;
    return this.restingId > 0 && m.isResting(this.restingId) ? m.orderQty(this.restingId) : 0;
  }

  private cancelResting(): void {
    if (this.restingId > 0) {
      (this.market as M).cancel(this.restingId);
      this.restingId = 0;
      this.latencyStats.messagesSent++;
      this.latencyStats.cancelsSent++;
    }
  }

  /**
   * A residual action (actionBase 'passive-twap') as the absolute action it stands for: passive
   * TWAP's size (passiveTwapSize, as the twin's baseline computes it) plus the agent's change,
   * floored at 0; the offset and the market size as given. Written into a buffer the env owns (no allocation per step).
   */
  private absoluteAction(a: Float64Array): Float64Array {
    const out = this.absolute;
    const size = passiveTwapSize(this.Q, this.K, this.k, this.remaining) + a[0];
    out[0] = size > 0 ? size : 0;
    for (let i = 1; i < a.length; i++) out[i] = a[i];
    return out;
  }

  /**
   * A discrete residual action (RESIDUAL_DISCRETE_ACTIONS) as the hybrid action it stands for, in
   * the env's buffer. "Improve" reads the spread the agent sees: the book, or its delayed view of
   * it under latency; with a side empty there is no spread to improve into, so it joins.
   */
  private discreteResidual(a: number): Float64Array {
    const out = this.absolute;
    const size = passiveTwapSize(this.Q, this.K, this.k, this.remaining);
    let bid: number;
    let ask: number;
    if (this.lat !== null) {
      bid = this.viewBid;
      ask = this.viewAsk;
    } else {
      const m = this.market as M;
      bid = m.bestBid();
      ask = m.bestAsk();
    }
    out[0] = a === 3 ? 0 : size;
    out[1] = a === 1 ? (bid > 0 && ask > 0 && ask - bid >= 2 ? -1 : 0) : a === 2 ? 1 : 0;
    out[2] = a === 3 ? size : 0;
    return out;
  }

  /**
   * Limit order of `qty` at `offset` ticks from the own-side touch (positive = deeper, negative =
   * into the spread; crossing executes at once as a marketable limit). A resting order already at
   * the target price is kept with its queue priority (its size unchanged); otherwise it is
   * cancelled and replaced. qty 0 cancels.
   */
  private placeLimit(qty: number, offset: number): void {
    const m = this.market as M;
    const side = this.sideSign;
    const bid = m.bestBid();
    const ask = m.bestAsk();
    let touch: number;
    if (side === SELL) touch = ask > 0 ? ask : bid > 0 ? bid + 1 : Math.round(m.mid());
    else touch = bid > 0 ? bid : ask > 0 ? ask - 1 : Math.round(m.mid());
    let price = side === SELL ? touch + offset : touch - offset;
    if (price < 1) price = 1;
    if (this.restingId > 0 && !m.isResting(this.restingId)) this.restingId = 0;
    if (this.restingId > 0 && qty >= 1 && m.orderPrice(this.restingId) === price) return;
    this.cancelResting();
    if (qty < 1) return;
    const id = m.submitLimit(AGENT_OWNER, side, price, qty);
    this.latencyStats.messagesSent++;
    this.latencyStats.limitQtySent += qty;
    this.drainFills();
    this.restingId = id > 0 && m.isResting(id) ? id : 0;
    this.restingSince = this.k;
  }

  /** Moves the agent's new fills into the episode's accounting. */
  private drainFills(): void {
    const f = (this.market as M).outsideFills;
    const o = this.options;
    for (let i = 0; i < f.length; i++) {
      if (f.owner[i] !== AGENT_OWNER) continue;
      const q = f.qty[i];
      const p = f.price[i];
      const aggressive = f.aggressive[i] === 1;
      const fee = (q * p * (aggressive ? o.takerFeeBps : o.makerFeeBps)) / 1e4;
      const c = this.sideSign * q * (p - this.arrival) + fee;
      this.stepCost += c;
      this.costTotal += c;
      this.feesTotal += fee;
      this.remaining -= q;
      this.executed += q;
      this.execNotional += p * q;
      if (aggressive) this.aggressiveFills++;
      else {
        this.passiveFills++;
        this.passiveQty += q;
        this.stepPassive += q;
      }
      this.stepFills.push({ time: f.time[i], price: p, qty: q, passive: !aggressive });
    }
    f.clear();
  }

  private observe(flowMark: number): Float64Array {
    const s = this.fstate;
    s.decisionIndex = this.k;
    s.remaining = this.remaining;
    s.quantity = this.Q;
    s.arrivalTicks = this.arrival;
    s.flowMark = flowMark;
    s.restingId = this.restingId;
    return this.computeFeatures(this.k - this.restingSince);
  }

  /** Fills the extended part of the feature state (when used) and computes the observation. */
  private computeFeatures(orderAge: number): Float64Array {
    const s = this.fstate;
    const m = this.market as M;
    if (this.nFeatures > FEATURES.length) {
      s.executed = this.Q - this.remaining;
      s.orderAge = orderAge;
      s.ownTouch = this.sideSign === SELL ? m.bestAsk() : m.bestBid();
      s.lastPassiveQty = this.stepPassive;
    }
    const out = new Float64Array(this.nFeatures);
    this.features.compute(m, s, out);
    return out;
  }

  /** The step's info (field list in info.ts). */
  private stepInfo(stepVolume: number, othersVolume: number, forcedQty: number): ExecutionInfo {
    const m = this.market as M;
    if (this.lat !== null) return this.stepInfoLatent(stepVolume, othersVolume, forcedQty);
    const notional = this.Q * this.arrival;
    const avg = this.executed > 0 ? this.execNotional / this.executed : null;
    const vwap = this.vwapV > 0 ? this.vwapPV / this.vwapV : null;
    return {
      fills: this.stepFills,
      quantity: this.Q,
      executedQty: this.executed,
      remainingQty: this.remaining,
      avgPrice: avg,
      isBps: (this.costTotal / notional) * 1e4,
      feesBps: (this.feesTotal / notional) * 1e4,
      riskBps: this.riskTotal,
      arrivalPrice: this.arrival,
      mid: m.mid(),
      marketVwap: vwap,
      slippageVsVwapBps: avg !== null && vwap !== null ? ((this.sideSign * (avg - vwap)) / vwap) * 1e4 : null,
      timeLeftSeconds: (this.K - this.k) * this.options.decisionSeconds,
      decisionIndex: this.k,
      decisionCount: this.K,
      stepVolume,
      othersVolumeLastStep: othersVolume,
      restingQty: this.restingId > 0 ? m.orderQty(this.restingId) : 0,
      forcedQty,
      sweptQty: this.swept,
      unfilledQty: this.unfilled,
      passiveQty: this.passiveQty,
      passiveFills: this.passiveFills,
      aggressiveFills: this.aggressiveFills,
      time: m.now,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Latency (option `latency`, configs/latency.ts). With a model whose paths are not both zero,
  // `step` runs this path instead; without one, none of it runs and the task is exactly the
  // latency-free one.
  //
  // - Orders, cancels and re-pegs the agent sends at decision time t reach the book at
  //   max(previous arrival, t + order latency): messages of one connection keep their order.
  //   A cancel that arrives after its order filled does nothing (counted in
  //   `info.latency.cancelsLate`). At arrival, the exchange side (a broker's pre-trade check) caps
  //   an order at the shares not yet executed and not resting in the agent's other orders, so
  //   stale knowledge never oversells.
  // - The agent sees the book as of t − d (d = a data latency drawn per decision, at most the
  //   decision interval): the observation, the touch it prices its limit orders from, and info's
  //   market fields are read at that instant; its fills are reported (and enter the reward) once
  //   fill time + d has passed.
  // - The deadline sweep (cancel, then a market order for what is left) is sent at the deadline
  //   and arrives with the order latency; the last step reports every fill, so the rewards still
  //   sum to −IS exactly. The first observation (reset) is the book at the start.

  private resetLatency(epSeed: number, m: M): void {
    this.lat = null;
    this.latencyStats = newLatencyStats();
    if (this.latencySpec === null) return;
    const model = new LatencyModel(this.latencySpec, Rng.fromSeed(epSeed, 'latency'));
    if (!model.enabled) return;
    this.lat = model;
    this.pending.length = 0;
    this.lastArrival = m.now;
    this.nextHandle = 1;
    this.handles.clear();
    this.idToHandle.clear();
    this.work = null;
    this.unreported.length = 0;
    this.trueExecuted = 0;
    this.lastMessages = m.messageCount();
    this.viewBid = m.bestBid();
    this.viewAsk = m.bestAsk();
    this.viewMid = m.mid();
    this.snapMark = m.tape.length;
  }

  /** Sends a message at the current decision time; it arrives after the order latency (FIFO). */
  private send(kind: number, price: number, qty: number, handle: number, rate: number): void {
    const m = this.market as M;
    const delay = (this.lat as LatencyModel).order(rate);
    const arrival = Math.max(this.lastArrival, m.now + delay);
    this.lastArrival = arrival;
    this.pending.push({ time: arrival, kind, price, qty, handle });
    const s = this.latencyStats;
    s.orderSeconds = delay;
    s.messagesSent++;
    if (kind === MSG_CANCEL) s.cancelsSent++;
  }

  /** Runs the market to `t`, applying the agent's messages that arrive on the way, in order. */
  private advanceTo(t: number): void {
    const m = this.market as M;
    const p = this.pending;
    while (p.length > 0 && p[0].time <= t) {
      const msg = p.shift() as Message;
      if (msg.time > m.now) m.runUntil(msg.time);
      this.collect();
      this.apply(msg);
      this.collect();
    }
    if (t > m.now) m.runUntil(t);
    this.collect();
  }

  /** Shares the exchange side lets a new agent order have: not executed, not resting elsewhere. */
  private available(): number {
    const m = this.market as M;
    let resting = 0;
    for (const id of this.handles.values()) if (m.isResting(id)) resting += m.orderQty(id);
    return this.Q - this.trueExecuted - resting;
  }

  /** A message reaches the book. */
  private apply(msg: Message): void {
    const m = this.market as M;
    const s = this.latencyStats;
    switch (msg.kind) {
      case MSG_CANCEL: {
        const id = this.handles.get(msg.handle);
        if (id !== undefined && m.isResting(id)) m.cancel(id);
        else s.cancelsLate++;
        this.handles.delete(msg.handle);
        break;
      }
      case MSG_LIMIT: {
        const q = Math.min(msg.qty, this.available());
        if (q < 1) {
          s.ordersCapped++;
          break;
        }
        const id = m.submitLimit(AGENT_OWNER, this.sideSign, msg.price, q);
        this.idToHandle.set(id, msg.handle);
        if (id > 0 && m.isResting(id)) this.handles.set(msg.handle, id);
        s.limitQtySent += q;
        break;
      }
      default: {
        // MSG_MARKET, or the deadline sweep (qty Infinity: everything the agent still holds).
        const q = Math.min(msg.qty, this.available());
        if (q < 1) {
          if (msg.kind === MSG_MARKET) s.ordersCapped++;
          break;
        }
        const filled = m.submitMarket(AGENT_OWNER, this.sideSign, q);
        if (msg.kind === MSG_SWEEP) this.swept = filled;
      }
    }
  }

  /** Moves the agent's new fills from the market into the not-yet-reported list. */
  private collect(): void {
    const f = (this.market as M).outsideFills;
    for (let i = 0; i < f.length; i++) {
      if (f.owner[i] !== AGENT_OWNER) continue;
      this.unreported.push({ time: f.time[i], price: f.price[i], qty: f.qty[i], aggressive: f.aggressive[i] === 1, orderId: f.orderId[i] });
      this.trueExecuted += f.qty[i];
    }
    f.clear();
  }

  /** Reports the fills with time <= `cutoff` to the agent: they enter the accounting of this step. */
  private report(cutoff: number): void {
    const o = this.options;
    const u = this.unreported;
    let kept = 0;
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      if (x.time > cutoff) {
        u[kept++] = x;
        continue;
      }
      const fee = (x.qty * x.price * (x.aggressive ? o.takerFeeBps : o.makerFeeBps)) / 1e4;
      const c = this.sideSign * x.qty * (x.price - this.arrival) + fee;
      this.stepCost += c;
      this.costTotal += c;
      this.feesTotal += fee;
      this.remaining -= x.qty;
      this.executed += x.qty;
      this.execNotional += x.price * x.qty;
      if (x.aggressive) this.aggressiveFills++;
      else {
        this.passiveFills++;
        this.passiveQty += x.qty;
        this.stepPassive += x.qty;
      }
      this.stepFills.push({ time: x.time, price: x.price, qty: x.qty, passive: !x.aggressive });
      const w = this.work;
      if (w !== null && this.idToHandle.get(x.orderId) === w.handle) {
        w.filled += x.qty;
        if (w.filled >= w.size) this.work = null;
      }
    }
    u.length = kept;
  }

  /** The touch the agent prices from: its delayed view of the book. */
  private viewTouch(): number {
    const bid = this.viewBid;
    const ask = this.viewAsk;
    if (this.sideSign === SELL) return ask > 0 ? ask : bid > 0 ? bid + 1 : Math.round(this.viewMid);
    return bid > 0 ? bid : ask > 0 ? ask - 1 : Math.round(this.viewMid);
  }

  /** Cancels the agent's working order (a message; it may lose the race against a fill). */
  private cancelWork(rate: number): void {
    if (this.work === null) return;
    this.send(MSG_CANCEL, 0, 0, this.work.handle, rate);
    this.work = null;
  }

  /** Latency-path limit order at `offset` from the agent's view of its own-side touch (see placeLimit). */
  private placeLimitLatent(qty: number, offset: number, rate: number): void {
    let price = this.sideSign === SELL ? this.viewTouch() + offset : this.viewTouch() - offset;
    if (price < 1) price = 1;
    const w = this.work;
    if (w !== null && qty >= 1 && w.price === price) return;
    this.cancelWork(rate);
    if (qty < 1) return;
    const handle = this.nextHandle++;
    this.send(MSG_LIMIT, price, qty, handle, rate);
    this.work = { handle, price, size: qty, filled: 0, since: this.k };
  }

  private stepLatent(action: ExecutionAction): StepResult<Float64Array, ExecutionInfo> {
    const m = this.market as M;
    const o = this.options;
    const lat = this.lat as LatencyModel;
    this.stepCost = 0;
    this.stepFills = [];
    this.stepPassive = 0;
    const count = m.messageCount();
    const rate = (count - this.lastMessages) / o.decisionSeconds;
    this.lastMessages = count;
    const slice = this.remaining / (this.K - this.k);
    switch (this.stepMode) {
      case 'market': {
        this.cancelWork(rate);
        const q = Math.min(Math.round((action as Float64Array)[0] * slice), this.remaining);
        if (q >= 1) this.send(MSG_MARKET, 0, q, 0, rate);
        break;
      }
      case 'limit': {
        const a = action as Float64Array;
        this.placeLimitLatent(Math.min(Math.round(a[0] * slice), this.remaining), Math.round(a[1]), rate);
        break;
      }
      case 'hybrid': {
        const a = action as Float64Array;
        this.placeLimitLatent(Math.min(Math.round(a[0] * slice), this.remaining), Math.round(a[1]), rate);
        const w = this.work;
        const mq = Math.min(Math.round(a[2] * slice), this.remaining - (w === null ? 0 : w.size - w.filled));
        if (mq >= 1) this.send(MSG_MARKET, 0, mq, 0, rate);
        break;
      }
      default: {
        const a = action as number;
        if (a === 1) this.placeLimitLatent(Math.min(Math.round(slice), this.remaining), 0, rate);
        else {
          this.cancelWork(rate);
          const q = a === 2 ? Math.min(Math.round(slice), this.remaining) : a === 3 ? Math.min(Math.round(2 * slice), this.remaining) : 0;
          if (q >= 1) this.send(MSG_MARKET, 0, q, 0, rate);
        }
      }
    }
    this.k++;
    const next = this.start + this.k * o.decisionSeconds;
    const flowMark = this.snapMark;
    let forced = 0;
    let terminated: boolean;
    if (this.k === this.K) {
      // The deadline: run to it, then the sweep (cancel the working order, a market order for
      // everything left), which arrives with the order latency; every fill is then reported.
      // The agent sends the sweep knowing its fills up to the deadline less the last data
      // latency, so it cancels an order it knows has filled no more than at any other decision.
      this.advanceTo(next);
      this.report(next - this.latencyStats.dataSeconds);
      this.cancelWork(rate);
      this.send(MSG_SWEEP, 0, Infinity, 0, rate);
      this.advanceTo(this.lastArrival);
      forced = this.swept;
      this.report(Infinity);
      if (this.remaining > 0) {
        const q = this.remaining;
        const pen = (q * this.arrival * o.unfilledPenaltyBps) / 1e4;
        this.stepCost += pen;
        this.costTotal += pen;
        this.unfilled = q;
        this.remaining = 0;
      }
      this.snapshot();
      terminated = true;
    } else {
      // The agent's next view: the book d seconds before the next decision.
      const d = Math.min(lat.data(rate), o.decisionSeconds);
      this.latencyStats.dataSeconds = d;
      const seen = Math.max(next - d, m.now);
      this.advanceTo(seen);
      this.report(seen);
      this.snapshot();
      const observation = this.observeLatent(flowMark);
      this.advanceTo(next);
      terminated = this.remaining === 0;
      return this.finishLatent(observation, terminated, forced);
    }
    return this.finishLatent(this.observeLatent(flowMark), terminated, forced);
  }

  /** Records the agent's view now: the touch and mid it sees, and where the tape stood. */
  private snapshot(): void {
    const m = this.market as M;
    this.viewBid = m.bestBid();
    this.viewAsk = m.bestAsk();
    this.viewMid = m.mid();
    this.snapMark = m.tape.length;
  }

  private observeLatent(flowMark: number): Float64Array {
    const s = this.fstate;
    const w = this.work;
    const id = w === null ? undefined : this.handles.get(w.handle);
    s.decisionIndex = this.k;
    s.remaining = this.remaining;
    s.quantity = this.Q;
    s.arrivalTicks = this.arrival;
    s.flowMark = flowMark;
    s.restingId = id !== undefined && (this.market as M).isResting(id) ? id : 0;
    return this.computeFeatures(w === null ? 0 : this.k - w.since);
  }

  private finishLatent(observation: Float64Array, terminated: boolean, forced: number): StepResult<Float64Array, ExecutionInfo> {
    const m = this.market as M;
    this.done = terminated;
    // The market as the agent has seen it this step (to its view; all of it at the end).
    const reward = this.settle(this.viewMid, terminated ? m.tape.length : this.snapMark);
    const info = this.stepInfo(this.stepVolume, this.stepOthers, forced);
    info.reward = reward;
    if (terminated && this.source.report !== undefined) info.marketReport = this.source.report(m);
    return { observation, reward, terminated, truncated: false, info };
  }

  /** stepInfo on the latency path: market fields as the agent sees them, its working order as it knows it. */
  private stepInfoLatent(stepVolume: number, othersVolume: number, forcedQty: number): ExecutionInfo {
    const notional = this.Q * this.arrival;
    const avg = this.executed > 0 ? this.execNotional / this.executed : null;
    const vwap = this.vwapV > 0 ? this.vwapPV / this.vwapV : null;
    const w = this.work;
    return {
      fills: this.stepFills,
      quantity: this.Q,
      executedQty: this.executed,
      remainingQty: this.remaining,
      avgPrice: avg,
      isBps: (this.costTotal / notional) * 1e4,
      feesBps: (this.feesTotal / notional) * 1e4,
      riskBps: this.riskTotal,
      arrivalPrice: this.arrival,
      mid: this.viewMid,
      marketVwap: vwap,
      slippageVsVwapBps: avg !== null && vwap !== null ? ((this.sideSign * (avg - vwap)) / vwap) * 1e4 : null,
      timeLeftSeconds: (this.K - this.k) * this.options.decisionSeconds,
      decisionIndex: this.k,
      decisionCount: this.K,
      stepVolume,
      othersVolumeLastStep: othersVolume,
      restingQty: w === null ? 0 : w.size - w.filled,
      forcedQty,
      sweptQty: this.swept,
      unfilledQty: this.unfilled,
      passiveQty: this.passiveQty,
      passiveFills: this.passiveFills,
      aggressiveFills: this.aggressiveFills,
      time: (this.market as M).now,
      latency: { ...this.latencyStats },
    };
  }
}

/** Kinds of the agent's messages on the latency path. */
const MSG_CANCEL = 0;
const MSG_LIMIT = 1;
const MSG_MARKET = 2;
const MSG_SWEEP = 3;

/** One message of the agent on its way to the book. */
interface Message {
  /** Session time it reaches the book. */
  time: number;
  kind: number;
  price: number;
  qty: number;
  /** The agent's handle of the order a limit creates or a cancel targets. */
  handle: number;
}

function newLatencyStats(): LatencyStats {
  return { orderSeconds: 0, dataSeconds: 0, messagesSent: 0, cancelsSent: 0, cancelsLate: 0, ordersCapped: 0, limitQtySent: 0 };
}

/**
 * The built-in baselines of `rewardBaseline`: TWAP (one slice as a market order) and passive TWAP
 * (a limit order at the touch for what the linear schedule needs by the next decision), as actions
 * of the twin env (market and limit mode, aMax 1e6).
 */
function baselineAction(kind: string, info: ExecutionInfo): Float64Array {
  if (kind === 'twap') return Float64Array.of(1);
  return Float64Array.of(passiveTwapSize(info.quantity, info.decisionCount, info.decisionIndex, info.remainingQty), 0);
}

/**
 * Passive TWAP's size at decision k of N with `remaining` of X left: the shares behind the linear
 * schedule by the next decision, in slices of what is left (remaining / (N − k)); 0 when ahead.
 * The one formula for it: the env's twin baseline, residual actions and the `passive-twap` policy
 * all call this, so they post the same whole shares on every seed.
 */
export function passiveTwapSize(X: number, N: number, k: number, remaining: number): number {
  const need = (X * (k + 1)) / N - (X - remaining);
  const slice = remaining / Math.max(1, N - k);
  return slice > 0 && need > 0 ? need / slice : 0;
}
