/**
 * `execution-gym benchmark`: the main job. Trains PPO and SAC on Liquidate-v0, evaluates every
 * policy on the same held-out seeds, runs the Liquidate-AC-v0 check against the closed form, and
 * writes a report with plots into one run directory:
 *
 *   report.md, report.html     the report (html is self-contained: charts inlined as SVG)
 *   results.csv                one row per (policy, episode) on Liquidate-v0
 *   ac-results.csv             the same for the Almgren–Chriss world check
 *   summary.json               every figure of the report, machine-readable
 *   *.svg, *.png               learning curves, IS distribution, inventory, example, paired diffs
 *   train/<algo>/, train-ac/<algo>/   the training runs (config.yaml, metrics.jsonl, checkpoints)
 *
 * Training and evaluation seeds come from disjoint ranges (env/seeds.ts).
 */
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic, writeJsonAtomic } from '../../configs/fs.ts';
import { resolveBudget, type Budget } from './budgets.ts';
import { silentPhases, type PhaseFactory } from '../progress.ts';
import type { EpisodeRecord, PolicySummary } from '../evaluate/index.ts';
import type { PolicySpec } from '../../agents/index.ts';
import { DEFAULT_LAMBDA_PER_BPS as LAMBDA_PER_BPS } from '../evaluate/defaults.ts';
import type { ReportData, PolicyRow, AcCheckRow, CurvePoint, InventoryPoint, ExampleEpisode, PairedDiff } from '../report/index.ts';

export interface BenchmarkOptions {
  /** quick | standard | full. */
  budget: string;
  /** Per-field overrides of the budget (tests use tiny ones). */
  overrides?: Partial<Budget>;
  /** Run seed: training seeds derive from it; evaluation seeds are the first held-out ones. */
  seed: number;
  outDir: string;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
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
}

export interface BenchmarkResult {
  outDir: string;
  table: string;
  summary: Record<string, unknown>;
}

const ENV_ID = 'Liquidate-v0';
const AC_ENV_ID = 'Liquidate-AC-v0';
const BASELINES = ['twap', 'passive-twap', 'vwap', 'pov', 'ac', 'sell-now'] as const;
type PolicySpecLike = PolicySpec;
/** Hyperparameters per (algorithm, env): the tuned presets of agents/ppo/config.ts and agents/sac/config.ts, applied by `train` itself. */
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

  const { runTraining } = await import('../train/index.ts');
  const { evaluate, summarize, evaluationSeeds, recordsToCsv, makeEnvForPolicy } = await import('../evaluate/index.ts');
  const { loadPolicy } = await import('../../agents/index.ts');
  const baselines = await import('../evaluate/baselines.ts');
  await import(POLICY_LOADER);
  const { resolvePolicyName, checkPolicies } = await import('../train/policy-loader.ts');
  const extra = (o.policies ?? []).map((name) => ({ name, spec: resolvePolicyName(name) as PolicySpecLike }));
  const taken = new Set<string>(['ppo', 'sac', ...BASELINES]);
  for (const e of extra) {
    if (taken.has(e.name)) throw new Error(`benchmark --policy ${e.name}: the name is already one of the benchmark's policies (${[...taken].join(', ')})`);
    taken.add(e.name);
  }
  await checkPolicies(extra.map((e) => e.spec), ENV_ID, envOptions);
  const envMod = await import('../../env/index.ts');
  const report = await import('../report/index.ts');

  /** The spec of a baseline in an env (experiments/evaluate/baselines.ts, shared with `evaluate`). */
  function baselineSpec(name: string, envId: string, env: Record<string, unknown>): PolicySpecLike {
    const setup = baselines.baselineSpec(name, envId, env, { lambdaPerBps: LAMBDA_PER_BPS, log });
    if (setup.acCalibration !== undefined) acCalibration = setup.acCalibration as unknown as Record<string, unknown>;
    return setup.spec;
  }
  let acCalibration: Record<string, unknown> | null = null;

  // 1. Training (Liquidate-v0 and the AC world), one phase per run.
  async function train(algo: string, envId: string, env: Record<string, unknown>, steps: number, sub: string): Promise<TrainedAlgo | null> {
    if (steps <= 0) return null;
    const dir = join(outDir, sub, algo);
    const phase = await phases(`train ${algo} ${envId === AC_ENV_ID ? '(AC)' : ''}`.trim(), steps, 'steps');
    const t0 = performance.now();
    const res = await runTraining(
      { algo, envId, envOptions: env, steps, seed: o.seed, out: dir, backend: o.backend ?? 'auto', numEnvs: algo === 'sac' ? budget.sacNumEnvs : budget.numEnvs, saveEvery: 0 },
      {
        onProgress: (p) => phase.update(p.step, `${p.sps.toFixed(0)} steps/s | return ${Number.isFinite(p.episodicReturn) ? p.episodicReturn.toFixed(2) : '–'} | IS ${Number.isFinite(p.isBps) ? p.isBps.toFixed(2) : '–'} bps`),
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    phase.stop(`${res.steps} steps in ${seconds.toFixed(0)} s (${res.backend})`);
    return { algo, dir, steps: res.steps, seconds, stepsPerSecond: res.steps / seconds, backend: res.backend, curve: readCurve(dir) };
  }
  const trained: TrainedAlgo[] = [];
  for (const [algo, steps] of [['ppo', budget.ppoSteps], ['sac', budget.sacSteps]] as const) {
    const t = await train(algo, ENV_ID, envOptions, steps, 'train');
    if (t) trained.push(t);
  }
  const trainedAc: TrainedAlgo[] = [];
  for (const [algo, steps] of [['ppo', budget.acPpoSteps], ['sac', budget.acSacSteps]] as const) {
    const t = await train(algo, AC_ENV_ID, acEnvOptions, steps, 'train-ac');
    if (t) trainedAc.push(t);
  }

  // 2. Evaluation on the same held-out seeds for every policy (common random numbers).
  async function evalAll(envId: string, env: Record<string, unknown>, policies: { name: string; spec: PolicySpecLike }[], episodes: number): Promise<Record<string, EpisodeRecord[]>> {
    const seeds = evaluationSeeds(episodes);
    const runs: Record<string, EpisodeRecord[]> = {};
    for (const p of policies) {
      const phase = await phases(`evaluate ${p.name}${envId === AC_ENV_ID ? ' (AC)' : ''}`, seeds.length, 'episodes');
      const records = await evaluate(p.spec, envId, env, seeds, {
        workers: budget.workers,
        modules: [POLICY_LOADER],
        onProgress: (done) => phase.update(done),
      });
      for (const r of records) r.policy = p.name;
      runs[p.name] = records;
      phase.stop(`mean IS ${mean(records.map((r) => r.isBps)).toFixed(2)} bps`);
    }
    return runs;
  }
  const policies: { name: string; spec: PolicySpecLike }[] = [
    ...trained.map((t) => ({ name: t.algo, spec: t.dir as PolicySpecLike })),
    ...extra,
    ...BASELINES.map((b) => ({ name: b as string, spec: baselineSpec(b, ENV_ID, envOptions) })),
  ];
  const runs = await evalAll(ENV_ID, envOptions, policies, budget.episodes);
  const summaries = summarize(runs, { bootstrapSeed: o.seed, lambdaPerBps: LAMBDA_PER_BPS });
  const order = policies.map((p) => p.name);
  const rows = order.map((n) => toRow(summaries[n]));

  // 3. The Almgren–Chriss world: every policy's E + λV against the closed-form optimum.
  const acPolicies: { name: string; spec: PolicySpecLike }[] = [
    ...trainedAc.map((t) => ({ name: t.algo, spec: t.dir as PolicySpecLike })),
    { name: 'ac', spec: baselineSpec('ac', AC_ENV_ID, acEnvOptions) },
    { name: 'twap', spec: 'twap' },
  ];
  const acRuns = await evalAll(AC_ENV_ID, acEnvOptions, acPolicies, budget.acEpisodes);
  const acEnv = envMod.make(AC_ENV_ID, acEnvOptions) as unknown as {
    optimal: { expectedCost: number; variance: number };
    twap: { expectedCost: number; variance: number };
    params: { X: number; S0: number; lambda: number };
  };
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

  // 4. One example episode of the best learned policy (or TWAP), recorded step by step.
  const learned = rows.filter((r) => trained.some((t) => t.algo === r.policy)).sort((a, b) => a.meanIsBps - b.meanIsBps);
  const exampleName = learned.length > 0 ? learned[0].policy : 'twap';
  const exampleSpec = policies.find((p) => p.name === exampleName)!.spec;
  const example = await recordExample(exampleName, exampleSpec, evaluationSeeds(1)[0], envOptions, loadPolicy, makeEnvForPolicy);

  // 5. Files: results, summary, charts, report.
  const all = order.flatMap((n) => runs[n]);
  writeFileAtomic(join(outDir, 'results.csv'), recordsToCsv(all));
  writeFileAtomic(join(outDir, 'ac-results.csv'), recordsToCsv(acPolicies.flatMap((p) => acRuns[p.name])));

  const curvePoints: CurvePoint[] = [];
  for (const t of trained) {
    const w = Math.max(1, Math.round(t.curve.length / 25));
    for (const p of smooth(t.curve.map((c) => ({ step: c.step, value: c.isBps })), w)) curvePoints.push({ algo: t.algo, step: p.step, value: p.value });
  }
  const K = decisionCount(all);
  const inventory = order.flatMap((n) => meanInventory(n, runs[n], K));
  const acSchedule = acScheduleFor(runs.ac, K);
  const diffs: PairedDiff[] = [];
  for (const r of rows) {
    if (r.vsTwap) diffs.push({ policy: r.policy, against: 'twap', meanBps: r.vsTwap.meanBps, ciLowBps: r.vsTwap.ciLowBps, ciHighBps: r.vsTwap.ciHighBps });
    if (r.vsPassive) diffs.push({ policy: r.policy, against: 'passive-twap', meanBps: r.vsPassive.meanBps, ciLowBps: r.vsPassive.ciLowBps, ciHighBps: r.vsPassive.ciHighBps });
  }
  const charts: ReportData['charts'] = [];
  if (curvePoints.length > 0) {
    charts.push({ name: 'learning-curves', title: 'Learning curves', caption: 'Mean implementation shortfall (bps) of the training episodes that ended in each iteration, moving average; lower is better.', spec: report.learningCurveChart(curvePoints, 'training-episode IS (bps)') });
  }
  charts.push({ name: 'is-distribution', title: 'IS distribution per policy', caption: `One box per policy over ${budget.episodes} held-out seeds (the same seeds for every policy); black tick = mean.`, spec: report.isDistributionChart(all.map((r) => ({ policy: r.policy, isBps: r.isBps })), order) });
  charts.push({ name: 'inventory', title: 'Mean inventory trajectory', caption: 'Mean remaining fraction of the parent order after each decision; dashed: the Almgren–Chriss schedule the AC baseline follows.', spec: report.inventoryChart(inventory, order, acSchedule) });
  charts.push({ name: 'example-episode', title: 'Example episode', caption: `${exampleName} on evaluation seed ${example.seed}: the mid price with the agent's fills (red aggressive, green passive; size = shares), and the remaining inventory below.`, spec: report.exampleEpisodeChart(example) });
  if (diffs.length > 0) charts.push({ name: 'paired-differences', title: 'Paired differences', caption: 'Mean per-seed difference in IS against TWAP and passive TWAP with a bootstrap 95% interval; left of zero is cheaper.', spec: report.pairedDiffChart(diffs, order) });

  const node = process.version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const meta: Record<string, string | number> = {
    command: o.command ?? 'execution-gym benchmark',
    budget: o.budget,
    seed: o.seed,
    env: `${ENV_ID} ${JSON.stringify(envOptions)}`,
    'evaluation seeds': `${budget.episodes} held-out seeds from ${evaluationSeeds(1)[0]} (disjoint from training seeds)`,
    machine: `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    node,
    date: new Date().toISOString(),
    'duration (s)': Math.round((Date.now() - started) / 1000),
  };
  const notes = [
    'IS is the implementation shortfall against the arrival mid, in bps of the arrival notional, fees included; what is left at the deadline is sold by a market order and counted. Positive is a cost.',
    'Paired differences use the same seeds for every policy; p-values are the paired t-test and the Wilcoxon signed-rank test. The 95% intervals are percentile bootstraps.',
    `In the Almgren–Chriss world the optimum E + λV is ${optimumBps.toFixed(3)} bps; the standard error of each realised mean is ${Object.entries(acSd).map(([k, v]) => `${k} ±${v.toFixed(3)}`).join(', ')} bps.`,
    'Reproducibility: the same seed gives the same markets and the same baseline numbers bit for bit; learned policies match up to the floating-point noise of the TensorFlow.js backend (WebAssembly SIMD and multi-threading may reorder sums).',
  ];
  const data: ReportData = {
    title: 'execution-gym benchmark',
    meta,
    rows,
    acCheck,
    training: [...trained, ...trainedAc.map((t) => ({ ...t, algo: `${t.algo} (AC world)` }))].map((t) => ({ algo: t.algo, steps: t.steps, seconds: t.seconds, stepsPerSecond: t.stepsPerSecond, backend: t.backend })),
    notes,
    charts,
  };
  const written = await report.writeReport(outDir, data);
  const summary = {
    meta,
    budget,
    envId: ENV_ID,
    envOptions,
    policies: summaries,
    acCheck,
    acEnvOptions,
    training: data.training,
    example: { policy: exampleName, seed: example.seed },
    acCalibration,
    lambdaPerBps: LAMBDA_PER_BPS,
    files: ['report.md', 'report.html', 'results.csv', 'ac-results.csv', 'summary.json', ...written.charts.flatMap((c) => [c.svgPath, c.pngPath].map((p) => p.slice(outDir.length + 1)))],
  };
  writeJsonAtomic(join(outDir, 'summary.json'), summary);
  return { outDir, table: written.table, summary };
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
