/**
 * One evaluation episode: reset the env with a seed, let the policy act until the episode ends,
 * and condense what happened into an `EpisodeRecord`.
 *
 * Fields come from the env's `info` (the `ExecutionInfo` fields: the IS, the market VWAP, the
 * fills and the inventory); where an env does not report one (Liquidate-AC-v0 has no fills or
 * VWAP), the record holds NaN (or, for the IS, −Σ rewards, which is the IS in bps for the
 * execution envs by construction).
 */
import type { Env, Info } from '../../env/core.ts';
import type { ExecutionInfo } from '../../env/execution/index.ts';
import type { AnyPolicy } from '../../agents/index.ts';

export interface EpisodeRecord {
  /** Policy name (as given to the harness). */
  policy: string;
  /** The seed passed to env.reset. */
  seed: number;
  /** Implementation shortfall in bps of arrival notional (positive = cost). */
  isBps: number;
  /** Slippage against the market VWAP over the horizon, bps (positive = worse than VWAP). NaN if the env does not report it. */
  slippageVwapBps: number;
  /** Executed share of the parent order by the end (including the deadline sweep), in [0, 1]. */
  completion: number;
  /** Share of the parent order executed before the deadline sweep, in [0, 1]. NaN if unknown. */
  completionBeforeDeadline: number;
  /** Number of fills of the agent's orders: all, passive (its limit orders hit), aggressive. */
  fills: number;
  passiveFills: number;
  aggressiveFills: number;
  /** Passive executed quantity / executed quantity (0 when nothing executed; NaN if unknown). */
  passiveShare: number;
  /** Decisions taken. */
  steps: number;
  /** Σ rewards of the episode. */
  rewardSum: number;
  /** Parent order size, shares. */
  quantity: number;
  /** Session time of the first decision, seconds (NaN if the env does not report it). */
  startSeconds: number;
  /** Shares left after each decision, starting with the initial quantity (length steps + 1). */
  inventory: number[];
  /** Shares filled passively by the end of each decision, starting at 0 (length steps + 1; NaN if unknown). */
  passivePath: number[];
  /** The parent order as a share of the market's expected volume over the horizon (NaN if unknown). */
  sizeShare: number;
  /**
   * With the env's `latency` option (info.latency): shares sent as limit orders, cancels sent, and
   * cancels that arrived after their order had filled (lost the race). NaN without the option.
   */
  limitQtySent: number;
  cancelsSent: number;
  cancelsLate: number;
}

/** Thrown when an episode cannot be run (an env that never ends, a policy that throws). */
export class EvaluationError extends Error {
  override name = 'EvaluationError';
}

/** The finite number info[key] (a field of ExecutionInfo / TaskInfo), or undefined. */
function num(info: Info, key: keyof ExecutionInfo): number | undefined {
  const v = info[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

interface FillLike {
  qty?: unknown;
  passive?: unknown;
}

export interface RunEpisodeOptions {
  /** Safety cap on decisions (default 1,000,000). */
  maxSteps?: number;
}

/** Runs one episode of `policy` in `env` on `seed`. */
export function runEpisode(env: Env<unknown, unknown>, policy: AnyPolicy, seed: number, options: RunEpisodeOptions = {}): EpisodeRecord {
  const maxSteps = options.maxSteps ?? 1_000_000;
  const start = env.reset({ seed });
  policy.reset?.(start.info, { seed, actionSpace: env.actionSpace });
  const startRemaining = num(start.info, 'remainingQty');
  const startExecuted = num(start.info, 'executedQty') ?? 0;
  const initialQty = num(start.info, 'quantity') ?? (startRemaining === undefined ? Number.NaN : startRemaining + startExecuted);
  const inventory: number[] = [startRemaining ?? initialQty];
  const passivePath: number[] = [num(start.info, 'passiveQty') ?? Number.NaN];
  let observation = start.observation;
  let info = start.info;
  let rewardSum = 0;
  let steps = 0;
  let countedFills = 0;
  let countedPassive = 0;
  let countedPassiveQty = 0;
  let countedQty = 0;
  let sawFills = false;
  for (;;) {
    if (steps >= maxSteps) throw new EvaluationError(`episode with seed ${seed} did not end within ${maxSteps} steps`);
    const action = policy.act(observation, info);
    const r = env.step(action);
    steps++;
    rewardSum += r.reward;
    info = r.info;
    observation = r.observation;
    const fills = info.fills;
    if (Array.isArray(fills)) {
      sawFills = true;
      for (const f of fills as FillLike[]) {
        const q = typeof f?.qty === 'number' ? f.qty : 0;
        countedFills++;
        countedQty += q;
        if (f?.passive === true) {
          countedPassive++;
          countedPassiveQty += q;
        }
      }
    }
    inventory.push(num(info, 'remainingQty') ?? Number.NaN);
    passivePath.push(num(info, 'passiveQty') ?? Number.NaN);
    if (r.terminated || r.truncated) break;
  }
  const final = info;
  const remaining = num(final, 'remainingQty') ?? Number.NaN;
  const executed = num(final, 'executedQty') ?? initialQty - remaining;
  const swept = num(final, 'sweptQty');
  const passiveFills = num(final, 'passiveFills') ?? (sawFills ? countedPassive : Number.NaN);
  const aggressiveFills = num(final, 'aggressiveFills') ?? (sawFills ? countedFills - countedPassive : Number.NaN);
  const passiveQty = num(final, 'passiveQty') ?? (sawFills ? countedPassiveQty : Number.NaN);
  const executedForShare = sawFills && num(final, 'passiveQty') === undefined ? countedQty : executed;
  const lat = (final as Partial<ExecutionInfo>).latency;
  return {
    policy: policy.name,
    seed,
    isBps: num(final, 'isBps') ?? -rewardSum,
    slippageVwapBps: num(final, 'slippageVsVwapBps') ?? Number.NaN,
    completion: initialQty > 0 ? executed / initialQty : Number.NaN,
    completionBeforeDeadline: swept !== undefined && initialQty > 0 ? (executed - swept) / initialQty : Number.NaN,
    fills: passiveFills + aggressiveFills,
    passiveFills,
    aggressiveFills,
    passiveShare: executedForShare > 0 ? passiveQty / executedForShare : Number.isNaN(passiveQty) ? Number.NaN : 0,
    steps,
    rewardSum,
    quantity: initialQty,
    startSeconds: (typeof start.info.startSeconds === 'number' ? start.info.startSeconds : undefined) ?? Number.NaN,
    inventory,
    passivePath,
    sizeShare: typeof start.info.expectedVolume === 'number' && start.info.expectedVolume > 0 ? initialQty / start.info.expectedVolume : Number.NaN,
    limitQtySent: lat?.limitQtySent ?? Number.NaN,
    cancelsSent: lat?.cancelsSent ?? Number.NaN,
    cancelsLate: lat?.cancelsLate ?? Number.NaN,
  };
}
