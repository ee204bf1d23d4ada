/**
 * `execution-gym benchmark`: the main job. Trains the learning agents (benchmark/agents.ts: PPO and
 * SAC with market orders, and an agent placing limit orders) on Liquidate-v0 with `seeds` training
 * seeds each, evaluates every policy on the same held-out seeds, compares the agents with every
 * baseline across training seeds (IQM and stratified bootstrap intervals), evaluates them without
 * retraining on held-out presets (and on a replayed LOBSTER day when one is given), runs the
 * Liquidate-AC-v0 check against the closed form, and writes a report with plots into one run
 * directory:
 *
 *   report.md, report.html     the report (html is self-contained: charts inlined as SVG)
 *   results.csv                one row per (policy, episode) on Liquidate-v0 (first training seed)
 *   seeds.csv                  the learning agents' other training seeds, same layout
 *   held-out.csv               every held-out market's records
 *   ac-results.csv             the Almgren–Chriss world check
 *   summary.json               every figure of the report, machine-readable
 *   *.svg, *.png               the charts
 *   train/<agent>/seed-<s>/, train-ac/<algo>/   the training runs (config.yaml, metrics.jsonl, checkpoints)
 *
 * Training and evaluation seeds come from disjoint ranges (env/seeds.ts).
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, writeJsonAtomic } from '../../configs/fs.ts';
import { resolveBudget, type Budget } from './budgets.ts';
import { AGENTS, type BenchmarkAgent } from './agents.ts';
import { silentPhases, type PhaseFactory } from '../progress.ts';
import type { EpisodeRecord, PolicySummary } from '../evaluate/index.ts';
import type { PolicySpec } from '../../agents/index.ts';
import { DEFAULT_LAMBDA_PER_BPS as LAMBDA_PER_BPS } from '../evaluate/defaults.ts';
import type { LatencySweep } from '../latency/sweep.ts';
import type {
  ReportData,
  PolicyRow,
  AcCheckRow,
  CurvePoint,
  InventoryPoint,
  ExampleEpisode,
  PairedDiff,
  CrossSeedRow,
  HeldOutSection,
  ParticipationPoint,
  SizePoint,
  DiagnosticPoint,
  ProfilePoint,
  CostRiskPoint,
} from '../report/index.ts';

export interface BenchmarkOptions {
  /** quick | standard | full. */
  budget: string;
  /** Per-field overrides of the budget (tests use tiny ones). */
  overrides?: Partial<Budget>;
  /** Run seed: training seeds derive from it; evaluation seeds are the first held-out ones. */
  seed: number;
  outDir: string;
  backend?: 'auto' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
  /** Options of Liquidate-v0 (default: its defaults, domain randomization on). */
  envOptions?: Record<string, unknown>;
  /** Options of Liquidate-AC-v0. */
  acEnvOptions?: Record<string, unknown>;
  phases?: PhaseFactory;
  log?: (line: string) => void;
  /** The command line, recorded in the report. */
  command?: string;
  /**
   * More policies to evaluate beside the trained agents and the baselines: shipped policy names
   * (policies/index.json), run directories or ONNX files (docs/policy-contract.md). ONNX models
   * are checked against the env before training starts.
   */
  policies?: string[];
  /** A real LOBSTER day (paths) to evaluate the trained agents on, without retraining (walk-forward). */
  replay?: { messages: string; orderbook: string };
  /** The learning agents (default: benchmark/agents.ts). */
  agents?: readonly BenchmarkAgent[];
}

export interface BenchmarkResult {
  outDir: string;
  table: string;
  summary: Record<string, unknown>;
}

const ENV_ID = 'Liquidate-v0';
const AC_ENV_ID = 'Liquidate-AC-v0';
const REPLAY_ENV_ID = 'Liquidate-Replay-v0';
/** The latency section's env and order latencies (the issue's levels). */
const LATENCY_ENV_ID = 'Liquidate-Limit-v0';
const LATENCY_LEVELS = '0,100us,1ms,10ms,100ms';
const BASELINES = ['twap', 'passive-twap', 'catch-up', 'vwap', 'pov', 'ac', 'sell-now'] as const;
/** The baselines the learning agents are compared with across training seeds. */
const COMPARED = ['twap', 'passive-twap', 'catch-up', 'vwap', 'ac'] as const;
/** The baselines on held-out markets (the strongest schedules a desk would use). */
const HELD_OUT_BASELINES = ['passive-twap', 'catch-up'] as const;
type PolicySpecLike = PolicySpec;
const POLICY_LOADER = fileURLToPath(new URL('../train/policy-loader.ts', import.meta.url));

interface TrainedAlgo {
  algo: string;
  dir: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  backend: string;
  curve: { step: number; episodicReturn: number; isBps: number }[];
}

function readCurve(dir: string): TrainedAlgo['curve'] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  const out: TrainedAlgo['curve'] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, number | null>;
    const r = row['charts/episodic_return'];
    const is = row['charts/is_bps'];
    if (typeof row.step === 'number' && (typeof r === 'number' || typeof is === 'number')) {
      out.push({ step: row.step, episodicReturn: r ?? Number.NaN, isBps: is ?? Number.NaN });
    }
  }
  return out;
}

/** A moving average over `w` points (learning curves are noisy per iteration). */
function smooth(points: readonly { step: number; value: number }[], w: number): { step: number; value: number }[] {
  const out: { step: number; value: number }[] = [];
  for (let i = 0; i < points.length; i++) {
    let s = 0;
    let n = 0;
    for (let j = Math.max(0, i - w + 1); j <= i; j++) {
      if (Number.isFinite(points[j].value)) {
        s += points[j].value;
        n++;
      }
    }
    if (n > 0) out.push({ step: points[i].step, value: s / n });
  }
  return out;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

function variance(xs: ArrayLike<number>): number {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return s / Math.max(1, xs.length - 1);
}

function toRow(s: PolicySummary): PolicyRow {
  const cmp = (c: PolicySummary['vsTwap']): PolicyRow['vsTwap'] =>
    c === null ? undefined : { meanBps: c.meanDiffBps, ciLowBps: c.ciLowBps, ciHighBps: c.ciHighBps, pT: c.tP, pWilcoxon: c.wilcoxonP };
  return {
    policy: s.policy,
    episodes: s.episodes,
    meanIsBps: s.meanIsBps,
    ciLowBps: s.ciLowBps,
    ciHighBps: s.ciHighBps,
    stdIsBps: s.stdIsBps,
    objective: s.meanVarianceBps,
    completion: s.completion ?? undefined,
    completionBeforeDeadline: s.completionBeforeDeadline ?? undefined,
    passiveShare: s.passiveShare ?? undefined,
    slippageVwapBps: s.meanSlippageVwapBps ?? undefined,
    pBeatTwap: s.pBeatTwap ?? undefined,
    vsTwap: cmp(s.vsTwap),
    vsPassive: cmp(s.vsPassiveTwap),
  };
}

/** The number of decisions of an episode that runs to the deadline (the longest record). */
function decisionCount(records: readonly EpisodeRecord[]): number {
  let K = 0;
  for (const r of records) K = Math.max(K, r.inventory.length - 1);
  return K;
}

/**
 * Mean remaining fraction per decision index over episodes (inventory[k] / inventory[0]), on a
 * time axis of K decisions (an episode that finished early holds 0 afterwards).
 */
function meanInventory(policy: string, records: readonly EpisodeRecord[], K: number): InventoryPoint[] {
  if (K === 0 || records.length === 0) return [];
  const sums = new Float64Array(K + 1);
  for (const r of records) {
    const x0 = r.inventory[0] || 1;
    for (let k = 0; k <= K; k++) sums[k] += (k < r.inventory.length ? r.inventory[k] : 0) / x0;
  }
  const out: InventoryPoint[] = [];
  for (let k = 0; k <= K; k++) out.push({ policy, t: k / K, remaining: sums[k] / records.length });
  return out;
}

export async function runBenchmark(o: BenchmarkOptions): Promise<BenchmarkResult> {
  const budget = resolveBudget(o.budget, o.overrides);
  const phases = o.phases ?? silentPhases;
  const log = o.log ?? (() => undefined);
  const outDir = resolve(o.outDir);
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const envOptions = o.envOptions ?? {};
  const acEnvOptions = o.acEnvOptions ?? {};
  const agents = (o.agents ?? AGENTS).filter((a) => a.steps(budget) > 0);

  const { runTraining } = await import('../train/index.ts');
  const { evaluate, summarize, evaluationSeeds, recordsToCsv, makeEnvForPolicy, EvaluationPool, crossSeedRow } = await import('../evaluate/index.ts');
  const { loadPolicy } = await import('../../agents/index.ts');
  const stats = await import('../stats/index.ts');
  const baselines = await import('../evaluate/baselines.ts');
  await import(POLICY_LOADER);
  const { resolvePolicyName, checkPolicies } = await import('../train/policy-loader.ts');
  const extra = (o.policies ?? []).map((name) => ({ name, spec: resolvePolicyName(name) as PolicySpecLike }));
  const taken = new Set<string>([...agents.map((a) => a.name), ...BASELINES]);
  for (const e of extra) {
    if (taken.has(e.name)) throw new Error(`benchmark --policy ${e.name}: the name is already one of the benchmark's policies (${[...taken].join(', ')})`);
    taken.add(e.name);
  }
  await checkPolicies(extra.map((e) => e.spec), ENV_ID, envOptions);
  const envMod = await import('../../env/index.ts');
  const report = await import('../report/index.ts');
  // Worker threads started once for every evaluation phase.
  const pool = budget.workers > 0 ? new EvaluationPool(budget.workers) : undefined;
  try {
    return await runPhases();
  } finally {
    await pool?.close();
  }

  async function runPhases(): Promise<BenchmarkResult> {
    let acCalibration: Record<string, unknown> | null = null;
    /** The spec of a baseline in an env (experiments/evaluate/baselines.ts, shared with `evaluate`). */
    const baselineSpec = (name: string, envId: string, env: Record<string, unknown>): PolicySpecLike => {
      const setup = baselines.baselineSpec(name, envId, env, { lambdaPerBps: LAMBDA_PER_BPS, log });
      if (setup.acCalibration !== undefined && envId === ENV_ID) acCalibration = setup.acCalibration as unknown as Record<string, unknown>;
      return setup.spec;
    };

    // 1. Training: every learning agent with `seeds` training seeds, and the AC world's agents.
    const train = async (label: string, algo: string, envId: string, env: Record<string, unknown>, steps: number, seed: number, dir: string): Promise<TrainedAlgo> => {
      const phase = await phases(`train ${label}`, steps, 'steps');
      const t0 = performance.now();
      const res = await runTraining(
        { algo, envId, envOptions: env, steps, seed, out: dir, backend: o.backend ?? 'auto', numEnvs: algo === 'sac' ? budget.sacNumEnvs : budget.numEnvs, saveEvery: 0 },
        { onProgress: (p) => phase.update(p.step, `return ${Number.isFinite(p.episodicReturn) ? p.episodicReturn.toFixed(2) : '–'} | IS ${Number.isFinite(p.isBps) ? p.isBps.toFixed(2) : '–'} bps`) },
      );
      const seconds = (performance.now() - t0) / 1000;
      phase.stop(`${res.steps} steps in ${seconds.toFixed(0)} s (${res.backend})`);
      return { algo: label, dir, steps: res.steps, seconds, stepsPerSecond: res.steps / seconds, backend: res.backend, curve: readCurve(dir) };
    };
    const runSeeds = Array.from({ length: budget.seeds }, (_, i) => o.seed + i);
    /** trained[agent][i]: the agent's run with training seed runSeeds[i]. */
    const trained: Record<string, TrainedAlgo[]> = {};
    for (const a of agents) {
      trained[a.name] = [];
      for (const s of runSeeds) {
        const label = budget.seeds > 1 ? `${a.name} (seed ${s})` : a.name;
        trained[a.name].push(await train(label, a.algo, ENV_ID, { ...envOptions, ...a.envOptions }, a.steps(budget), s, join(outDir, 'train', a.name, `seed-${s}`)));
      }
    }
    const trainedAc: TrainedAlgo[] = [];
    for (const [algo, steps] of [['ppo', budget.acPpoSteps], ['sac', budget.acSacSteps]] as const) {
      if (steps > 0) trainedAc.push(await train(`${algo} (AC)`, algo, AC_ENV_ID, acEnvOptions, steps, o.seed, join(outDir, 'train-ac', algo)));
    }

    // 2. Evaluation on the same held-out seeds for every policy (common random numbers).
    const evalAll = async (envId: string, env: Record<string, unknown>, policies: readonly { name: string; spec: PolicySpecLike }[], episodes: number, where = ''): Promise<Record<string, EpisodeRecord[]>> => {
      const seeds = evaluationSeeds(episodes);
      const runs: Record<string, EpisodeRecord[]> = {};
      for (const p of policies) {
        const phase = await phases(`evaluate ${p.name}${where}`, seeds.length, 'episodes');
        const records = await evaluate(p.spec, envId, env, seeds, { workers: budget.workers, pool, modules: [POLICY_LOADER], onProgress: (done) => phase.update(done) });
        for (const r of records) r.policy = p.name;
        runs[p.name] = records;
        phase.stop(`mean IS ${mean(records.map((r) => r.isBps)).toFixed(2)} bps`);
      }
      return runs;
    };
    /** An agent's policy of training seed index i: named as the agent for the first seed. */
    const seedName = (agent: string, i: number): string => (i === 0 ? agent : `${agent}#${runSeeds[i]}`);
    const policies: { name: string; spec: PolicySpecLike }[] = [
      ...agents.map((a) => ({ name: a.name, spec: trained[a.name][0].dir as PolicySpecLike })),
      ...extra,
      ...BASELINES.map((b) => ({ name: b as string, spec: baselineSpec(b, ENV_ID, envOptions) })),
    ];
    const runs = await evalAll(ENV_ID, envOptions, policies, budget.episodes);
    const otherSeeds: Record<string, EpisodeRecord[]> = {};
    if (budget.seeds > 1) {
      const more = agents.flatMap((a) => trained[a.name].slice(1).map((t, j) => ({ name: seedName(a.name, j + 1), spec: t.dir as PolicySpecLike })));
      Object.assign(otherSeeds, await evalAll(ENV_ID, envOptions, more, budget.episodes));
    }
    const summaries = summarize(runs, { bootstrapSeed: o.seed, lambdaPerBps: LAMBDA_PER_BPS });
    const order = policies.map((p) => p.name);
    const rows = order.map((n) => toRow(summaries[n]));
    const agentRuns = (agent: string): EpisodeRecord[][] => runSeeds.map((_, i) => (i === 0 ? runs[agent] : otherSeeds[seedName(agent, i)]));

    // 3. Across training seeds: every agent against every compared baseline.
    const crossSeed: CrossSeedRow[] = [];
    for (const a of agents) {
      for (const b of COMPARED) {
        const base = runs[b].map((r) => r.isBps);
        const perRun = agentRuns(a.name).map((recs) => recs.map((r) => r.isBps));
        crossSeed.push(crossSeedRow(a.name, b, perRun, base, runSeeds, { bootstrapSeed: o.seed }));
      }
    }

    // 4. Held-out markets: the agents (every training seed) and the strongest baselines, no retraining.
    const heldOut: HeldOutSection[] = [];
    const heldOutRecords: EpisodeRecord[] = [];
    const heldOutMarkets: { label: string; envId: string; env: Record<string, unknown> }[] =
      budget.heldOutEpisodes > 0 ? budget.heldOutPresets.map((p) => ({ label: p, envId: ENV_ID, env: { ...envOptions, market: p } })) : [];
    if (o.replay !== undefined && budget.heldOutEpisodes > 0) heldOutMarkets.push({ label: 'replayed LOBSTER day', envId: REPLAY_ENV_ID, env: { messages: o.replay.messages, orderbook: o.replay.orderbook } });
    for (const hm of heldOutMarkets) {
      const hp = [
        ...agents.flatMap((a) => trained[a.name].map((t, i) => ({ name: seedName(a.name, i), spec: t.dir as PolicySpecLike }))),
        ...HELD_OUT_BASELINES.map((b) => ({ name: b as string, spec: baselineSpec(b, hm.envId, hm.env) })),
      ];
      const hr = await evalAll(hm.envId, hm.env, hp, budget.heldOutEpisodes, ` (${hm.label})`);
      for (const [name, recs] of Object.entries(hr)) for (const r of recs) heldOutRecords.push({ ...r, policy: `${hm.label}: ${name}` });
      const shown = [...agents.map((a) => a.name), ...HELD_OUT_BASELINES];
      const hs = summarize(Object.fromEntries(shown.map((n) => [n, hr[n]])), { bootstrapSeed: o.seed, lambdaPerBps: LAMBDA_PER_BPS });
      const best = [...HELD_OUT_BASELINES].sort((x, y) => mean(hr[x].map((r) => r.isBps)) - mean(hr[y].map((r) => r.isBps)))[0];
      const base = hr[best].map((r) => r.isBps);
      heldOut.push({
        market: hm.label,
        episodes: budget.heldOutEpisodes,
        rows: shown.map((n) => toRow(hs[n])),
        verdicts: agents.map((a) => {
          const m = stats.pairedDifferences(runSeeds.map((_, i) => hr[seedName(a.name, i)].map((r) => r.isBps)), base);
          const ci = stats.stratifiedBootstrapCi(m, stats.matrixMean, { seed: o.seed, resamples: 1000 });
          const verdict = ci.high < 0 ? 'better' : ci.low > 0 ? 'worse' : 'no worse (interval includes 0)';
          return { agent: a.name, best, meanBps: ci.estimate, ciLowBps: ci.low, ciHighBps: ci.high, verdict };
        }),
      });
    }

    // 4b. Latency: passive TWAP, catch-up and the agents (first training seed) as the order-entry
    // latency rises, on the limit-capable env of the same market (agents act in their own mode).
    let latency: { sweep: LatencySweep; markdown: string } | undefined;
    if (budget.latencyEpisodes > 0) {
      const { runLatencySweep, parseLatencyLevels, formatLatencyTable } = await import('../latency/sweep.ts');
      const lp: Record<string, PolicySpecLike> = {
        'passive-twap': baselineSpec('passive-twap', LATENCY_ENV_ID, envOptions),
        'catch-up': baselineSpec('catch-up', LATENCY_ENV_ID, envOptions),
        ...Object.fromEntries(agents.map((a) => [a.name, trained[a.name][0].dir as PolicySpecLike])),
      };
      let phase: Awaited<ReturnType<typeof phases>> | undefined;
      const sweep = await runLatencySweep(lp, LATENCY_ENV_ID, envOptions, parseLatencyLevels(LATENCY_LEVELS), evaluationSeeds(budget.latencyEpisodes), {
        workers: budget.workers,
        pool,
        modules: [POLICY_LOADER],
        onRun: async (name, level) => {
          const p = await phases(`latency ${name} @ ${level.label}`, budget.latencyEpisodes, 'episodes');
          phase = p;
          return (done) => p.update(done);
        },
        onRunDone: () => phase?.stop(),
      });
      latency = { sweep, markdown: formatLatencyTable(sweep) };
    }

    // 5. The Almgren–Chriss world: every policy's E + λV against the closed-form optimum.
    const acPolicies: { name: string; spec: PolicySpecLike }[] = [
      ...trainedAc.map((t) => ({ name: t.algo.replace(' (AC)', ''), spec: t.dir as PolicySpecLike })),
      { name: 'ac', spec: baselineSpec('ac', AC_ENV_ID, acEnvOptions) },
      { name: 'twap', spec: 'twap' },
    ];
    const acRuns = await evalAll(AC_ENV_ID, acEnvOptions, acPolicies, budget.acEpisodes, ' (AC)');
    const acEnv = new envMod.AlmgrenChrissEnv(acEnvOptions, AC_ENV_ID);
    const notional = acEnv.params.X * acEnv.params.S0;
    const optimumBps = ((acEnv.optimal.expectedCost + acEnv.params.lambda * acEnv.optimal.variance) / notional) * 1e4;
    const acBySeed = new Map(acRuns.ac.map((r) => [r.seed, -r.rewardSum]));
    const acCheck: AcCheckRow[] = acPolicies.map((p) => {
      const objective = mean(acRuns[p.name].map((r) => -r.rewardSum));
      const diffs = acRuns[p.name].map((r) => -r.rewardSum - (acBySeed.get(r.seed) ?? Number.NaN));
      const scale = 100 / Math.abs(optimumBps);
      return {
        policy: p.name,
        objectiveBps: objective,
        optimumBps,
        gapPct: (objective - optimumBps) * scale,
        pairedGapPct: mean(diffs) * scale,
        pairedGapSePct: Math.sqrt(variance(diffs) / diffs.length) * scale,
      };
    });
    const acSd = Object.fromEntries(acPolicies.map((p) => [p.name, Math.sqrt(variance(acRuns[p.name].map((r) => -r.rewardSum)) / acRuns[p.name].length)]));

    // 6. One example episode of the best learned policy (or TWAP), recorded step by step.
    const learned = rows.filter((r) => agents.some((a) => a.name === r.policy)).sort((x, y) => x.meanIsBps - y.meanIsBps);
    const exampleName = learned.length > 0 ? learned[0].policy : 'twap';
    const exampleSpec = policies.find((p) => p.name === exampleName)!.spec;
    const example = await recordExample(exampleName, exampleSpec, evaluationSeeds(1)[0], envOptions, loadPolicy, makeEnvForPolicy);

    // 7. Files, charts, report.
    const all = order.flatMap((n) => runs[n]);
    writeFileAtomic(join(outDir, 'results.csv'), recordsToCsv(all));
    if (budget.seeds > 1) writeFileAtomic(join(outDir, 'seeds.csv'), recordsToCsv(Object.values(otherSeeds).flat()));
    if (heldOutRecords.length > 0) writeFileAtomic(join(outDir, 'held-out.csv'), recordsToCsv(heldOutRecords));
    if (latency !== undefined) writeFileAtomic(join(outDir, 'latency.csv'), recordsToCsv(latency.sweep.records.map(({ level, ...r }) => ({ ...r, policy: `${r.policy}@${level}` }))));
    writeFileAtomic(join(outDir, 'ac-results.csv'), recordsToCsv(acPolicies.flatMap((p) => acRuns[p.name])));

    const curvePoints: CurvePoint[] = [];
    const diagnostics: DiagnosticPoint[] = [];
    for (const a of agents) {
      const t = trained[a.name][0];
      const w = Math.max(1, Math.round(t.curve.length / 25));
      for (const p of smooth(t.curve.map((c) => ({ step: c.step, value: c.isBps })), w)) curvePoints.push({ algo: a.name, step: p.step, value: p.value });
      diagnostics.push(...readDiagnostics(a.name, t.dir));
    }
    const K = decisionCount(all);
    const inventory = order.flatMap((n) => meanInventory(n, runs[n], K));
    const acSchedule = acScheduleFor(runs.ac, K);
    const diffs: PairedDiff[] = [];
    for (const r of rows) {
      if (r.vsTwap) diffs.push({ policy: r.policy, against: 'twap', meanBps: r.vsTwap.meanBps, ciLowBps: r.vsTwap.ciLowBps, ciHighBps: r.vsTwap.ciHighBps });
      if (r.vsPassive) diffs.push({ policy: r.policy, against: 'passive-twap', meanBps: r.vsPassive.meanBps, ciLowBps: r.vsPassive.ciLowBps, ciHighBps: r.vsPassive.ciHighBps });
    }
    const traders = [...agents.map((a) => a.name), 'twap', 'passive-twap', 'catch-up', 'ac'];
    const participation = traders.flatMap((n) => participationOf(n, runs[n], K));
    const sizes = order.filter((n) => n !== 'sell-now').flatMap((n) => sizeBins(n, runs[n], 6));
    const costRisk: CostRiskPoint[] = rows.map((r) => ({ policy: r.policy, meanBps: r.meanIsBps, sdBps: r.stdIsBps }));
    const frontier = acFrontier(acCalibration, runs.ac, envMod, K);
    // Performance profiles: every training seed of the agents pooled, and the compared baselines.
    const profileNames = [...agents.map((a) => a.name), ...COMPARED];
    const allIs = profileNames.flatMap((n) => (agents.some((a) => a.name === n) ? agentRuns(n).flat() : runs[n]).map((r) => r.isBps)).sort((x, y) => x - y);
    const qAt = (q: number): number => allIs[Math.min(allIs.length - 1, Math.max(0, Math.floor(q * (allIs.length - 1))))];
    const taus = Array.from({ length: 41 }, (_, i) => qAt(0.02) + ((qAt(0.98) - qAt(0.02)) * i) / 40);
    const profiles: ProfilePoint[] = profileNames.flatMap((n) => {
      const m = agents.some((a) => a.name === n) ? stats.scoreMatrix(agentRuns(n).map((recs) => recs.map((r) => r.isBps))) : stats.scoreMatrix([runs[n].map((r) => r.isBps)]);
      return stats.performanceProfile(m, taus, { seed: o.seed, resamples: 200 }).map((p) => ({ policy: n, ...p }));
    });
    const acInventory = acPolicies.flatMap((p) => meanInventory(p.name, acRuns[p.name], acEnv.params.N));
    const acClosed = Array.from(acEnv.optimal.holdings, (x, k) => ({ t: k / acEnv.params.N, remaining: x / acEnv.params.X }));

    const charts: ReportData['charts'] = [];
    if (curvePoints.length > 0) {
      charts.push({ name: 'learning-curves', title: 'Learning curves', caption: 'Mean implementation shortfall (bps) of the training episodes that ended in each iteration, moving average, first training seed; lower is better. The limit-order agent trains on the reward relative to passive TWAP, but its curve shows its own IS.', spec: report.learningCurveChart(curvePoints, 'training-episode IS (bps)') });
    }
    charts.push({ name: 'is-distribution', title: 'IS distribution per policy', caption: `One box per policy over ${budget.episodes} held-out seeds (the same seeds for every policy); black tick = mean.`, spec: report.isDistributionChart(all.map((r) => ({ policy: r.policy, isBps: r.isBps })), order) });
    if (diffs.length > 0) charts.push({ name: 'paired-differences', title: 'Paired differences', caption: 'Mean per-seed difference in IS against TWAP and passive TWAP with a bootstrap 95% interval; left of zero is cheaper.', spec: report.pairedDiffChart(diffs, order) });
    charts.push({ name: 'performance-profiles', title: 'Performance profiles', caption: `Share of episodes with IS at or below τ, pooled over ${runSeeds.length} training seed(s) for the learning agents; bands: 95% stratified bootstrap over training seeds and episodes.`, spec: report.performanceProfileChart(profiles, profileNames) });
    charts.push({ name: 'cost-risk', title: 'Cost against risk', caption: 'Mean and standard deviation of IS per policy; dashed: the Almgren–Chriss efficient frontier of the market as calibrated (σ, η, γ, ε measured in the simulator) for the mean order, over risk aversion λ. Points below the line beat the linear-impact model\'s optimum at their risk.', spec: report.costRiskChart(costRisk, order, frontier) });
    charts.push({ name: 'inventory', title: 'Mean inventory trajectory', caption: 'Mean remaining fraction of the parent order after each decision; wide grey dashes: the Almgren–Chriss schedule the AC baseline follows.', spec: report.inventoryChart(inventory, order, acSchedule) });
    charts.push({ name: 'participation', title: 'Participation and passive share over the horizon', caption: 'Per decision interval: the share of the parent order executed (mean over episodes) and the share of it filled passively.', spec: report.participationChart(participation, traders) });
    charts.push({ name: 'order-size', title: 'Cost against order size', caption: 'Mean IS in six bins of the order size as a share of the expected market volume over the horizon (the sizes drawn per episode).', spec: report.sizeChart(sizes, order) });
    if (diagnostics.length > 0) charts.push({ name: 'diagnostics', title: 'Training diagnostics', caption: 'Entropy, approximate KL and value loss (PPO) or critic and actor losses (SAC) over training, first training seed.', spec: report.diagnosticsChart(diagnostics) });
    charts.push({ name: 'example-episode', title: 'Example episode', caption: `${exampleName} on evaluation seed ${example.seed}: the mid price with the agent's fills (size = shares), and the remaining inventory below.`, spec: report.exampleEpisodeChart(example) });
    charts.push({ name: 'ac-trajectories', title: 'Almgren–Chriss world: trajectories', caption: 'Mean remaining inventory of each policy in Liquidate-AC-v0 against the closed-form optimal schedule (wide grey dashes).', spec: report.inventoryChart(acInventory, acPolicies.map((p) => p.name), acClosed, 'Almgren–Chriss world: mean inventory') });

    const node = process.version;
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    const meta: Record<string, string | number> = {
      command: o.command ?? 'execution-gym benchmark',
      budget: o.budget,
      seed: o.seed,
      'training seeds': runSeeds.join(', '),
      env: `${ENV_ID} ${JSON.stringify(envOptions)}`,
      'evaluation seeds': `${budget.episodes} held-out seeds from ${evaluationSeeds(1)[0]} (disjoint from training seeds)`,
      machine: `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
      node,
      date: new Date().toISOString(),
      'duration (s)': Math.round((Date.now() - started) / 1000),
    };
    const notes = [
      'IS is the implementation shortfall against the arrival mid, in bps of the arrival notional, fees included; what is left at the deadline is sold by a market order and counted. Positive is a cost.',
      'Paired differences use the same seeds for every policy; p-values are the paired t-test and the Wilcoxon signed-rank test. The 95% intervals are percentile bootstraps (stratified over training seeds and episodes for the cross-seed table).',
      `The learning agents: ${agents.map((a) => `**${a.name}**: ${a.description}`).join('; ')}.`,
      budget.seeds === 1
        ? `This run trains each learning agent with one training seed (${runSeeds[0]}): the cross-seed table and the profiles show that one seed only. \`--budget full\` trains ${BUDGETS_FULL_SEEDS} seeds per agent, which is what a claim about an algorithm needs.`
        : `Each learning agent was trained with ${budget.seeds} seeds (${runSeeds.join(', ')}); the main table shows the first, the cross-seed table and the profiles all of them.`,
      `In the Almgren–Chriss world the optimum E + λV is ${optimumBps.toFixed(3)} bps; the standard error of each realised mean is ${Object.entries(acSd).map(([k, v]) => `${k} ±${v.toFixed(3)}`).join(', ')} bps.`,
      'Reproducibility: the same seed gives the same markets and the same baseline numbers bit for bit; learned policies match up to the floating-point noise of the TensorFlow.js backend (WebAssembly SIMD and multi-threading may reorder sums).',
    ];
    const banner =
      o.budget === 'quick'
        ? 'Quick budget: the agents are trained for a few thousand steps only, so they are far from what the algorithms reach; the numbers check the pipeline, not the methods. Run `npm start` (standard) or `--budget full` for results.'
        : undefined;
    const data: ReportData = {
      title: 'execution-gym benchmark',
      banner,
      meta,
      rows,
      crossSeed,
      heldOut,
      latency: latency === undefined ? undefined : { envId: LATENCY_ENV_ID, episodes: latency.sweep.episodes, markdown: latency.markdown },
      acCheck,
      training: [...agents.flatMap((a) => trained[a.name]), ...trainedAc].map((t) => ({ algo: t.algo, steps: t.steps, seconds: t.seconds, stepsPerSecond: t.stepsPerSecond, backend: t.backend })),
      notes,
      charts,
    };
    const written = await report.writeReport(outDir, data);
    const summary = {
      meta,
      budget,
      envId: ENV_ID,
      envOptions,
      agents: agents.map((a) => ({ name: a.name, algo: a.algo, envOptions: a.envOptions, steps: a.steps(budget), description: a.description })),
      trainingSeeds: runSeeds,
      policies: summaries,
      crossSeed,
      heldOut,
      latency: latency === undefined ? undefined : { envId: LATENCY_ENV_ID, levels: latency.sweep.levels.map((l) => l.label), data: latency.sweep.data, episodes: latency.sweep.episodes, cells: latency.sweep.cells },
      acCheck,
      acEnvOptions,
      training: data.training,
      example: { policy: exampleName, seed: example.seed },
      acCalibration,
      lambdaPerBps: LAMBDA_PER_BPS,
      files: [
        'report.md',
        'report.html',
        'results.csv',
        ...(budget.seeds > 1 ? ['seeds.csv'] : []),
        ...(heldOutRecords.length > 0 ? ['held-out.csv'] : []),
        ...(latency !== undefined ? ['latency.csv'] : []),
        'ac-results.csv',
        'summary.json',
        ...written.charts.flatMap((c) => [c.svgPath, c.pngPath].map((p) => p.slice(outDir.length + 1))),
      ],
    };
    writeJsonAtomic(join(outDir, 'summary.json'), summary);
    return { outDir, table: written.table, summary };
  }
}

const BUDGETS_FULL_SEEDS = 5;

/** Training diagnostics from a run's metrics.jsonl, moving averages (whichever of the metrics exist). */
function readDiagnostics(algo: string, dir: string): DiagnosticPoint[] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  const keys: Record<string, string> = {
    'losses/entropy': 'entropy',
    'losses/approx_kl': 'approximate KL',
    'losses/value_loss': 'value loss',
    'losses/qf_loss': 'critic loss',
    'losses/actor_loss': 'actor loss',
    'losses/alpha': 'entropy temperature α',
  };
  const series: Record<string, { step: number; value: number }[]> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as Record<string, number | null>;
    if (typeof row.step !== 'number') continue;
    for (const [k, label] of Object.entries(keys)) {
      const v = row[k];
      if (typeof v === 'number' && Number.isFinite(v)) (series[label] ??= []).push({ step: row.step, value: v });
    }
  }
  return Object.entries(series).flatMap(([metric, pts]) => smooth(pts, Math.max(1, Math.round(pts.length / 30))).map((p) => ({ algo, metric, step: p.step, value: p.value })));
}

/** Per decision interval: the mean share of the parent executed, and the passive share of it. */
function participationOf(policy: string, records: readonly EpisodeRecord[] | undefined, K: number): ParticipationPoint[] {
  if (records === undefined || records.length === 0 || K === 0) return [];
  const out: ParticipationPoint[] = [];
  for (let k = 1; k <= K; k++) {
    let executed = 0;
    let passive = 0;
    let filled = 0;
    for (const r of records) {
      const x0 = r.inventory[0] || 1;
      const before = k - 1 < r.inventory.length ? r.inventory[k - 1] : 0;
      const after = k < r.inventory.length ? r.inventory[k] : 0;
      const ex = Math.max(0, before - after);
      executed += ex / x0;
      const pp = r.passivePath;
      if (pp !== undefined && k < pp.length && Number.isFinite(pp[k]) && Number.isFinite(pp[k - 1])) {
        passive += pp[k] - pp[k - 1];
        filled += ex;
      }
    }
    out.push({ policy, t: k / K, executed: executed / records.length, passive: filled > 0 ? passive / filled : 0 });
  }
  return out;
}

/** Mean IS in `bins` quantile bins of the order size as a share of the expected volume. */
function sizeBins(policy: string, records: readonly EpisodeRecord[] | undefined, bins: number): SizePoint[] {
  const rs = (records ?? []).filter((r) => Number.isFinite(r.sizeShare)).sort((x, y) => x.sizeShare - y.sizeShare);
  if (rs.length < bins) return [];
  const out: SizePoint[] = [];
  for (let b = 0; b < bins; b++) {
    const part = rs.slice(Math.floor((b * rs.length) / bins), Math.floor(((b + 1) * rs.length) / bins));
    if (part.length === 0) continue;
    out.push({ policy, sizeShare: mean(part.map((r) => r.sizeShare)), meanBps: mean(part.map((r) => r.isBps)), episodes: part.length });
  }
  return out;
}

/**
 * The Almgren–Chriss efficient frontier of the calibrated market for the mean order of the AC
 * baseline's episodes: (√V, E) in bps of the mean notional over risk aversions λ (per bps).
 */
function acFrontier(calibration: Record<string, unknown> | null, acRecords: readonly EpisodeRecord[] | undefined, envMod: typeof import('../../env/index.ts'), K: number): { sdBps: number; meanBps: number; lambda: number }[] {
  if (calibration === null || acRecords === undefined || acRecords.length === 0 || K === 0) return [];
  const c = calibration as { sigma: number; eta: number; gamma: number; epsilon: number; intervalSeconds: number; midTicks: number };
  if (![c.sigma, c.eta, c.gamma, c.epsilon, c.intervalSeconds, c.midTicks].every((x) => typeof x === 'number' && Number.isFinite(x)) || !(c.eta > 0)) return [];
  const X = mean(acRecords.map((r) => r.quantity));
  const notional = X * c.midTicks;
  const out: { sdBps: number; meanBps: number; lambda: number }[] = [];
  for (const perBps of [0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]) {
    const lambda = (perBps * 1e4) / notional;
    try {
      const sol = envMod.solveAlmgrenChriss({ X, T: K * c.intervalSeconds, N: K, sigma: c.sigma, eta: c.eta, gamma: c.gamma, epsilon: c.epsilon, lambda });
      out.push({ lambda: perBps, meanBps: (sol.expectedCost / notional) * 1e4, sdBps: (Math.sqrt(sol.variance) / notional) * 1e4 });
    } catch {
      // η̃ <= 0 at this τ: no interior frontier.
      return [];
    }
  }
  return out;
}

/** The AC baseline's mean remaining fraction per decision (its schedule as it traded). */
function acScheduleFor(records: readonly EpisodeRecord[] | undefined, K: number): { t: number; remaining: number }[] {
  if (!records || records.length === 0) return [];
  return meanInventory('ac', records, K).map((p) => ({ t: p.t, remaining: p.remaining }));
}

type LoadPolicyFn = (spec: PolicySpecLike) => Promise<{ reset?(info: Record<string, unknown>, ctx?: unknown): void; act(obs: unknown, info?: Record<string, unknown>): unknown }>;
type MakeEnvFn = (id: string, options: Record<string, unknown>, policy: never) => import('../../env/core.ts').Env<unknown, unknown>;

/** Runs one episode and records the mid after each decision, the agent's fills and its inventory. */
async function recordExample(name: string, spec: PolicySpecLike, seed: number, envOptions: Record<string, unknown>, loadPolicy: LoadPolicyFn, makeEnv: MakeEnvFn): Promise<ExampleEpisode> {
  const policy = await loadPolicy(spec);
  const env = makeEnv(ENV_ID, envOptions, policy as never);
  const { observation, info } = env.reset({ seed });
  policy.reset?.(info, { seed, actionSpace: env.actionSpace });
  const tickDollars = typeof info.tickDollars === 'number' ? info.tickDollars : 0.01;
  const t0 = typeof info.time === 'number' ? info.time : 0;
  const dt = typeof info.decisionSeconds === 'number' ? info.decisionSeconds : 10;
  const toDollars = (ticks: unknown): number => (typeof ticks === 'number' ? ticks * tickDollars : Number.NaN);
  const mid: ExampleEpisode['mid'][number][] = [{ t: 0, price: toDollars(info.mid ?? info.arrivalPrice) }];
  const fills: ExampleEpisode['fills'][number][] = [];
  const inventory: ExampleEpisode['inventory'][number][] = [{ t: 0, remaining: Number(info.remainingQty ?? 0) }];
  let obs = observation;
  let lastInfo = info;
  for (let k = 1; k < 100_000; k++) {
    const step = env.step(policy.act(obs, lastInfo) as never);
    const t = typeof step.info.time === 'number' ? step.info.time - t0 : k * dt;
    mid.push({ t, price: toDollars(step.info.mid) });
    const stepFills = Array.isArray(step.info.fills) ? (step.info.fills as Record<string, unknown>[]) : [];
    for (const f of stepFills) {
      fills.push({ t: typeof f.time === 'number' ? f.time - t0 : t, price: toDollars(f.price), qty: Number(f.qty), passive: Boolean(f.passive) });
    }
    inventory.push({ t, remaining: Number(step.info.remainingQty ?? 0) });
    obs = step.observation;
    lastInfo = step.info;
    if (step.terminated || step.truncated) break;
  }
  env.close();
  return { policy: name, seed, mid, fills, inventory };
}
