/**
 * What the baselines read from the env's `info` at each decision, and how they turn a number of
 * shares into an action.
 *
 * Every execution task (Liquidate-v0 and friends, Liquidate-Replay-v0, Liquidate-AC-v0) reports
 * the decision clock and the inventory in `info` (the `TaskInfo` fields of env/execution/info.ts);
 * `readDecision` gathers them into one object and throws a BaselineError naming the missing field
 * when an env does not provide what a baseline needs.
 */
import type { Info } from '../../env/core.ts';
import type { EpisodeContext } from '../policy.ts';
import { BaselineError } from './errors.ts';

export interface Decision {
  /** Index k of this decision, 0-based. */
  decisionIndex: number;
  /** Number of decisions N in the episode. */
  decisionCount: number;
  /** N − k: decisions left including this one (>= 1). */
  decisionsLeft: number;
  /** Shares still to execute (not counting what is resting unfilled in the book as executed). */
  remainingQty: number;
  /** Shares of the parent order. */
  initialQty: number;
}

/**
 * Reads the finite number `info[key]`; throws BaselineError naming the field when the env does not
 * report it (every execution task reports the TaskInfo fields; the rest are env-specific).
 */
export function requireNumber(info: Info | undefined, key: string, who: string): number {
  const v = info?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new BaselineError(`${who} needs info.${key} (a finite number) from the env, got ${info === undefined ? 'no info' : String(v)}`);
  }
  return v;
}

/** Reads the finite number `info[key]`, or undefined. */
export function optionalNumber(info: Info | undefined, key: string): number | undefined {
  const v = info?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The decision clock and the inventory from the TaskInfo fields every execution task reports. */
export function readDecision(info: Info | undefined, who: string): Decision {
  const decisionIndex = requireNumber(info, 'decisionIndex', who);
  const decisionCount = requireNumber(info, 'decisionCount', who);
  const remainingQty = requireNumber(info, 'remainingQty', who);
  const initialQty = requireNumber(info, 'quantity', who);
  const decisionsLeft = Math.max(1, decisionCount - decisionIndex);
  return { decisionIndex, decisionCount, decisionsLeft, remainingQty, initialQty };
}

/** Bounds of one coordinate of the action space (a Box's low/high), or the defaults. */
export function actionBounds(context: EpisodeContext | undefined, index: number, low: number, high: number): { low: number; high: number } {
  const space = context?.actionSpace as { low?: ArrayLike<number>; high?: ArrayLike<number> } | undefined;
  const lo = space?.low?.[index];
  const hi = space?.high?.[index];
  return { low: typeof lo === 'number' ? lo : low, high: typeof hi === 'number' ? hi : high };
}

/**
 * The market-mode action that sells `shares` now: a multiple of the TWAP slice of what is left
 * (slice = remaining / decisions left), clipped to [low, high].
 */
export function sliceMultiple(shares: number, d: Decision, low: number, high: number): number {
  if (!(d.remainingQty > 0)) return low;
  const a = (Math.max(0, shares) * d.decisionsLeft) / d.remainingQty;
  return Math.min(high, Math.max(low, a));
}

/**
 * The aMax that schedule-following baselines ask the env for (the largest the execution env
 * accepts): their actions are computed slice multiples (AC front-loading, VWAP and passive-TWAP
 * catch-up, POV bursts, sell-now) and must not be clipped by the env's default aMax of 10. aMax
 * only bounds actions; the market is the same.
 */
export const BASELINE_AMAX = 1e6;
export const BASELINE_ENV_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({ aMax: BASELINE_AMAX });
