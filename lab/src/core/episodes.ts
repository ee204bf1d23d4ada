/**
 * The Execute view's episodes, free of the DOM so that the worker runs them and Node tests check
 * them. A policy's episode is `runEpisode` of experiments/evaluate (the harness `evaluate` uses)
 * on the env `makeEnvForPolicy` builds, with the policy options `baselineSpec` gives: so the IS
 * shown for (env, seed, policy) is the IS `execution-gym evaluate` records, to the last bit. A
 * pass-through recorder around the env keeps what the charts need (decision times, mids, fills,
 * inventory and IS after each decision); it changes no call the policy or the env sees.
 */
import { AlmgrenChrissEnv, ExecutionTaskEnv, make, type Env, type Fill, type Info } from '../../../env/index.ts';
import { AlmgrenChrissPolicy, calibrateAcOn, loadPolicy, listPolicies, parsePolicySpec, type AnyPolicy, type PolicySpec } from '../../../agents/index.ts';
import { runEpisode, type EpisodeRecord } from '../../../experiments/evaluate/episode.ts';
import { makeEnvForPolicy } from '../../../experiments/evaluate/run.ts';
import { baselineSpec } from '../../../experiments/evaluate/baselines.ts';
import { acHoldings } from '../../../env/ac/closed-form.ts';
import { DEFAULT_LAMBDA_PER_BPS } from '../../../experiments/evaluate/defaults.ts';

/** The envs the Execute view offers. */
export const EXECUTE_ENVS = ['Liquidate-v0', 'Liquidate-Limit-v0', 'Liquidate-AC-v0'] as const;
export type ExecuteEnvId = (typeof EXECUTE_ENVS)[number];

/** The baselines the Execute view offers: every registered one. */
export function executeBaselines(): string[] {
  return listPolicies();
}

/** What the charts draw of one episode (prices in the env's unit: ticks, or $ in the AC world). */
export interface EpisodeTrace {
  policy: string;
  envId: string;
  seed: number;
  quantity: number;
  decisionCount: number;
  /** Time of each decision and of the end (length steps + 1): session seconds, or the AC world's step index. */
  times: number[];
  /** Mid (or the AC world's unaffected price) at the same points. */
  mids: number[];
  /** Shares left and IS so far (bps) at the same points. */
  inventory: number[];
  isBps: number[];
  /** The agent's fills (AC world: one per trade at the execution price). */
  fills: Fill[];
  arrivalPrice: number;
  /** Final IS, bps (the record's isBps). */
  finalIsBps: number;
  /** The evaluation record (as `evaluate` writes it); absent while a hand-traded episode runs. */
  record?: EpisodeRecord;
}

/** Env options of the view: the parent order size under the env's own name. */
export function envOptionsFor(envId: string, quantity: number | undefined): Record<string, unknown> {
  if (quantity === undefined) return {};
  if (!Number.isInteger(quantity) || quantity <= 0) throw new Error(`quantity must be a positive integer of shares, got ${String(quantity)}`);
  return envId === 'Liquidate-AC-v0' ? { X: quantity } : { quantity };
}

/** Wraps an env and records every reset and step (the calls pass through unchanged). */
export class TraceRecorder implements Env<unknown, unknown> {
  readonly trace: EpisodeTrace;
  constructor(
    readonly inner: Env<unknown, unknown>,
    policy: string,
    envId: string,
  ) {
    this.trace = { policy, envId, seed: -1, quantity: NaN, decisionCount: 0, times: [], mids: [], inventory: [], isBps: [], fills: [], arrivalPrice: NaN, finalIsBps: NaN };
  }
  get observationSpace() {
    return this.inner.observationSpace;
  }
  get actionSpace() {
    return this.inner.actionSpace;
  }
  get metadata() {
    return this.inner.metadata;
  }
  reset(args?: { seed?: number; options?: Record<string, unknown> }) {
    const r = this.inner.reset(args);
    const t = this.trace;
    t.seed = args?.seed ?? -1;
    t.times.length = t.mids.length = t.inventory.length = t.isBps.length = t.fills.length = 0;
    const info = r.info;
    t.quantity = Number(info.quantity);
    t.decisionCount = Number(info.decisionCount);
    t.arrivalPrice = typeof info.arrivalPrice === 'number' ? info.arrivalPrice : Number(info.price);
    this.record(info, 0);
    return r;
  }
  step(action: unknown) {
    const r = this.inner.step(action);
    const info = r.info;
    this.record(info, this.trace.times.length);
    if (Array.isArray(info.fills)) for (const f of info.fills as Fill[]) this.trace.fills.push({ time: f.time, price: f.price, qty: f.qty, passive: f.passive });
    else if (typeof info.tradedQty === 'number' && info.tradedQty > 0) this.trace.fills.push({ time: this.trace.times.length - 1, price: Number(info.execPrice), qty: info.tradedQty, passive: false });
    if (r.terminated || r.truncated) this.trace.finalIsBps = Number(info.isBps);
    return r;
  }
  close(): void {
    this.inner.close();
  }
  private record(info: Info, k: number): void {
    const t = this.trace;
    t.times.push(typeof info.time === 'number' ? info.time : k);
    t.mids.push(typeof info.mid === 'number' ? info.mid : Number(info.price));
    t.inventory.push(Number(info.remainingQty));
    t.isBps.push(Number(info.isBps));
  }
}

/** AC parameters calibrated on a market, keyed by `acCalibrationKey` (the lab bundles the command line's, see lab/ac-calibrations.ts). */
export interface BundledAcCalibration {
  market: string;
  intervalSeconds: number;
  seeds: number;
  sigma: number;
  eta: number;
  gamma: number;
  epsilon: number;
}

/** The key of an AC calibration: the market and the decision interval (the two things it depends on). */
export function acCalibrationKey(market: string, intervalSeconds: number): string {
  return `${market}@${intervalSeconds}s`;
}

/**
 * The policy spec `evaluate` uses for `name` on this env (POV's rate, AC's parameters). AC on a
 * market takes the calibration in `bundled` when it holds one for the env's market and decision
 * interval (then the spec is evaluate's, bit for bit); otherwise it calibrates here with `acSeeds` seeds.
 */
export function labPolicySpec(name: string, envId: string, envOptions: Record<string, unknown>, acSeeds: number, bundled: Record<string, BundledAcCalibration> = {}): PolicySpec {
  const { name: base } = parsePolicySpec(name);
  if (base === 'ac' && envId !== 'Liquidate-AC-v0') return acSpecOnMarket(envId, envOptions, acSeeds, bundled);
  return baselineSpec(name, envId, envOptions).spec;
}

function acSpecOnMarket(envId: string, envOptions: Record<string, unknown>, seeds: number, bundled: Record<string, BundledAcCalibration>): PolicySpec {
  const probe = make(envId, envOptions);
  try {
    if (!(probe instanceof ExecutionTaskEnv)) throw new Error(`${envId} is not an execution env on a market`);
    const market = typeof envOptions.market === 'string' ? envOptions.market : 'default';
    const intervalSeconds = probe.options.decisionSeconds;
    const c = bundled[acCalibrationKey(market, intervalSeconds)] ?? calibrateAcOn(probe.source, market, { seeds, intervalSeconds });
    return { name: 'ac', options: { sigma: c.sigma, eta: c.eta, gamma: c.gamma, epsilon: c.epsilon, lambdaPerBps: DEFAULT_LAMBDA_PER_BPS } };
  } finally {
    probe.close();
  }
}

/** Runs one episode of a baseline (or a loaded policy) exactly as `evaluate` does, recording the trace. */
export async function runTracedEpisode(policySpec: PolicySpec, label: string, envId: string, envOptions: Record<string, unknown>, seed: number, policy?: AnyPolicy): Promise<EpisodeTrace & { acKappa?: number }> {
  const p = policy ?? (await loadPolicy(policySpec));
  const env = makeEnvForPolicy(envId, envOptions, p);
  const rec = new TraceRecorder(env, label, envId);
  try {
    const record = runEpisode(rec, p, seed);
    rec.trace.record = record;
    rec.trace.finalIsBps = record.isBps;
    const out: EpisodeTrace & { acKappa?: number } = rec.trace;
    if (p instanceof AlmgrenChrissPolicy && Number.isFinite(p.kappa)) out.acKappa = p.kappa;
    return out;
  } finally {
    rec.close();
  }
}

/**
 * The Almgren–Chriss inventory schedule for the plot: in the AC world the env's own optimal
 * holdings; elsewhere the holdings for κ (from an ac run) over the env's decisions, or with no κ
 * the λ = 0 schedule, which is the straight TWAP line.
 */
export function acSchedule(envId: string, envOptions: Record<string, unknown>, quantity: number, decisionCount: number, kappa?: number, tau?: number): number[] {
  if (envId === 'Liquidate-AC-v0') {
    const env = make('Liquidate-AC-v0', envOptions as never) as AlmgrenChrissEnv;
    try {
      return [...env.optimal.holdings];
    } finally {
      env.close();
    }
  }
  if (kappa !== undefined && tau !== undefined && kappa > 0) return [...acHoldings(kappa, tau, decisionCount, quantity)];
  return Array.from({ length: decisionCount + 1 }, (_, k) => (quantity * (decisionCount - k)) / decisionCount);
}

/** A hand-traded episode: the visitor's three buttons over the env in hybrid mode (market mode in the AC world). */
export type HandAction = 'sell' | 'post' | 'wait';

export class HandEpisode {
  readonly recorder: TraceRecorder;
  done = false;
  private readonly hybrid: boolean;
  constructor(envId: string, envOptions: Record<string, unknown>, seed: number) {
    this.hybrid = envId !== 'Liquidate-AC-v0';
    const env = make(envId, this.hybrid ? { ...envOptions, actionMode: 'hybrid' } : envOptions) as Env<unknown, unknown>;
    this.recorder = new TraceRecorder(env, 'you', envId);
    this.recorder.reset({ seed });
  }
  /** sell: a market order for one TWAP slice of what is left; post: a limit order of one slice at the own-side touch; wait: neither (a resting order is cancelled). */
  step(a: HandAction): void {
    if (this.done) throw new Error('the episode is over: start a new one');
    if (a !== 'sell' && a !== 'post' && a !== 'wait') throw new Error(`action must be sell, post or wait, got ${String(a)}`);
    let action: Float64Array;
    if (this.hybrid) action = a === 'sell' ? Float64Array.of(0, 0, 1) : a === 'post' ? Float64Array.of(1, 0, 0) : Float64Array.of(0, 0, 0);
    else action = Float64Array.of(a === 'wait' ? 0 : 1);
    const r = this.recorder.step(action);
    this.done = r.terminated || r.truncated;
  }
}
