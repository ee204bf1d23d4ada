/**
 * What the baselines read from the env's `info` at each decision, and how they turn a number of
 * shares into an action.
 *
 * The execution envs (Liquidate-v0 and friends, Liquidate-AC-v0) report the decision clock and
 * the inventory in `info`; `readDecision` gathers those fields into one object and throws a
 * BaselineError naming the missing field when an env does not provide what a baseline needs.
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

function pickNumber(info: Info, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = info[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Reads a finite number from info under one of `keys`; throws BaselineError naming them when absent. */
export function requireNumber(info: Info | undefined, keys: readonly string[], who: string): number {
  const v = info === undefined ? undefined : pickNumber(info, keys);
  if (v === undefined) {
    throw new BaselineError(`${who} needs info.${keys[0]} (a finite number) from the env, got ${info === undefined ? 'no info' : String(info[keys[0]])}`);
  }
  return v;
}

/** Reads a finite number from info under one of `keys`, or undefined. */
export function optionalNumber(info: Info | undefined, keys: readonly string[]): number | undefined {
  return info === undefined ? undefined : pickNumber(info, keys);
}

export const INFO_KEYS = {
  decisionIndex: ['decisionIndex', 'step'],
  decisionCount: ['decisionCount', 'decisions', 'N'],
  remainingQty: ['remainingQty', 'remaining', 'inventory'],
  initialQty: ['initialQty', 'quantity', 'parentQty', 'X'],
  decisionSeconds: ['decisionSeconds', 'tau'],
} as const;

export function readDecision(info: Info | undefined, who: string): Decision {
  const decisionIndex = requireNumber(info, INFO_KEYS.decisionIndex, who);
  const decisionCount = requireNumber(info, INFO_KEYS.decisionCount, who);
  const remainingQty = requireNumber(info, INFO_KEYS.remainingQty, who);
  // Envs that do not publish the parent quantity publish what was executed (Liquidate-AC-v0).
  const executed = optionalNumber(info, ['executedQty']);
  const initialQty = optionalNumber(info, INFO_KEYS.initialQty) ?? (executed === undefined ? requireNumber(info, INFO_KEYS.initialQty, who) : remainingQty + executed);
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
