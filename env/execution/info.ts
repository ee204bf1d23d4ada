/**
 * The typed `info` of the execution envs (Liquidate-v0, Acquire-v0, Liquidate-Limit-v0,
 * Liquidate-Replay-v0) and the fields every execution task reports (Liquidate-AC-v0 too).
 * Units: shares, ticks, bps of the arrival notional, session seconds. Field meanings are also in
 * README.md.
 */

/** Fields every execution task reports, at reset and after every step (baselines read these). */
export type TaskInfo = {
  /** Parent order, shares. */
  quantity: number;
  /** Shares executed so far (the deadline sweep included). */
  executedQty: number;
  /** Shares still to execute. */
  remainingQty: number;
  /** Implementation shortfall so far, bps of the arrival notional (positive = cost). */
  isBps: number;
  /** Decisions taken so far, k (0 at reset). */
  decisionIndex: number;
  /** Decisions in an episode, K. */
  decisionCount: number;
};

/** One fill of the agent. */
export type Fill = {
  /** Session seconds. */
  time: number;
  /** Ticks. */
  price: number;
  /** Shares. */
  qty: number;
  /** True when the agent's order rested (maker), false when it took liquidity. */
  passive: boolean;
};

/** The info of `step` (and the common part of `reset`'s). */
export type ExecutionInfo = TaskInfo & {
  /** The agent's fills during this step (empty at reset). */
  fills: Fill[];
  /** Average execution price so far, ticks; null before any fill. */
  avgPrice: number | null;
  /** Fees so far, bps of the arrival notional (part of isBps). */
  feesBps: number;
  /** Accumulated risk penalty λ·Σ(x_k/Q)²·(Δmid_k)², bps (0 when riskAversion is 0). */
  riskBps: number;
  /** Mid at the first decision, ticks (the arrival price P0). */
  arrivalPrice: number;
  /** Mid now, ticks. */
  mid: number;
  /** VWAP of all trades since the episode started, ticks; null before any trade. */
  marketVwap: number | null;
  /** The agent's average price against that VWAP, bps (positive = worse); null until both exist. */
  slippageVsVwapBps: number | null;
  /** Seconds to the deadline. */
  timeLeftSeconds: number;
  /** Shares traded by everyone during the last step. */
  stepVolume: number;
  /** Shares traded during the last step by others than the agent (POV reads this). */
  othersVolumeLastStep: number;
  /** Shares of the agent's resting limit order (0 without one). */
  restingQty: number;
  /** Shares the deadline sweep sent as a market order in this step. */
  forcedQty: number;
  /** Shares the deadline sweep sent in the episode. */
  sweptQty: number;
  /** Shares even the sweep could not fill, counted at `unfilledPenaltyBps`. */
  unfilledQty: number;
  /** Shares filled passively (the agent's resting orders hit), fills counted by kind. */
  passiveQty: number;
  passiveFills: number;
  aggressiveFills: number;
  /** Session time now, seconds. */
  time: number;
  /** This step's reward (steps only). */
  reward?: number;
  /** The market's own counters at the last step (the replay's consistency report). */
  marketReport?: Record<string, unknown>;
  /** With the `latency` option: what the connection did so far. */
  latency?: LatencyStats;
  /** With `rewardBaseline`: the baseline's IS so far in its twin market (bps). */
  baselineIsBps?: number;
};

/** The info of `reset`: the step fields plus what is fixed for the episode. */
export type ExecutionResetInfo = ExecutionInfo & {
  /** The episode's seed (the given one, or the next of the sequence). */
  episodeSeed: number;
  side: 'sell' | 'buy';
  /** Session time of the first decision, seconds. */
  startSeconds: number;
  horizonSeconds: number;
  decisionSeconds: number;
  /** One tick in dollars. */
  tickDollars: number;
  /** Expected market volume over the horizon, shares, and per decision interval. */
  expectedVolume: number;
  expectedVolumePerStep: number;
  /** Expected volume shares of the K decision intervals (sum 1). */
  volumeProfile: number[];
  /** Expected cumulative volume fraction at each decision time, U_0 = 0 … U_K = 1 (VWAP reads this). */
  expectedCumulativeVolume: number[];
};

/** What the latency path counts (info.latency). */
export type LatencyStats = {
  /** The last order-path and data-path latencies drawn, seconds. */
  orderSeconds: number;
  dataSeconds: number;
  /** Messages sent (orders, cancels, the sweep) and cancels among them. */
  messagesSent: number;
  cancelsSent: number;
  /** Cancels that arrived after their order had filled (lost the race). */
  cancelsLate: number;
  /** Orders the pre-trade check cut to nothing (the shares had executed meanwhile). */
  ordersCapped: number;
  /** Shares of limit orders that reached the book. */
  limitQtySent: number;
};

