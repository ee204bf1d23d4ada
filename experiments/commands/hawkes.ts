/**
 * `execution-gym hawkes simulate|fit`: simulate a Hawkes event file from a YAML parameter file,
 * and fit one- or two-exponential Hawkes models to an event file (CSV with header `time,dim`).
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';

function parseNumber(name: string, v: string, integer: boolean, min: number): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x)) || x < min) {
    throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${v}`);
  }
  return x;
}

/** Reads a `time,dim` CSV (header required; times in seconds, non-decreasing; dims integers >= 0). */
async function readEventsCsv(path: string): Promise<{ times: Float64Array; dims: Int32Array }> {
  const { readFileSync } = await import('node:fs');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== 'time,dim') throw new Error(`${path}: the first line must be the header "time,dim", got "${lines[0].slice(0, 80)}"`);
  const times: number[] = [];
  const dims: number[] = [];
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l].trim();
    if (line === '') continue;
    const parts = line.split(',');
    const t = Number(parts[0]);
    const d = Number(parts[1]);
    if (parts.length !== 2 || !Number.isFinite(t) || !Number.isInteger(d) || d < 0) {
      throw new Error(`${path}:${l + 1}: expected "time,dim" with a finite time (seconds) and an integer dim >= 0, got "${line.slice(0, 80)}"`);
    }
    if (times.length > 0 && t < times[times.length - 1]) throw new Error(`${path}:${l + 1}: times must be non-decreasing, ${t} < ${times[times.length - 1]}`);
    times.push(t);
    dims.push(d);
  }
  return { times: Float64Array.from(times), dims: Int32Array.from(dims) };
}

function fmtMatrix(m: number[][], indent: string): string {
  return m.map((r) => indent + r.map((v) => v.toFixed(4).padStart(9)).join(' ')).join('\n');
}

export function register(program: Command, _groups: CommandGroups): void {
  const hawkes = program.command('hawkes').description('Hawkes order flow: simulate event files and fit models to them');

  hawkes
    .command('simulate')
    .description('simulate a Hawkes process from a YAML parameter file; writes a CSV "time,dim" (seconds, dimension)')
    .requiredOption('--params <yaml>', 'parameter file: mu, components [{decay, branching}], optional profile (example: examples/hawkes-2d.yaml)')
    .requiredOption('--seconds <n>', 'horizon in seconds')
    .option('--seed <s>', 'integer seed', '0')
    .requiredOption('--out <csv>', 'output CSV path')
    .option('--sampler <name>', "'exact' or 'thinning'", 'exact')
    .option('--json', 'print a JSON summary')
    .action(async (opts: { params: string; seconds: string; seed: string; out: string; sampler: string; json?: boolean }) => {
      const { readYamlFile, writeFileAtomic } = await import('../../configs/fs.ts');
      const { simulateHawkes, parseHawkesParams, meanIntensity } = await import('../../simulator/flow/index.ts');
      const { Rng } = await import('../../simulator/random/index.ts');
      const seconds = parseNumber('seconds', opts.seconds, false, 0);
      const seed = parseNumber('seed', opts.seed, true, 0);
      if (opts.sampler !== 'exact' && opts.sampler !== 'thinning') throw new Error(`--sampler must be 'exact' or 'thinning', got ${opts.sampler}`);
      let params: ReturnType<typeof parseHawkesParams>;
      try {
        params = parseHawkesParams(readYamlFile(opts.params));
      } catch (err) {
        throw new Error(
          `${opts.params}: ${(err as Error).message}\nexpected shape (see examples/hawkes-2d.yaml):\n  mu: [0.08, 0.09]            # baseline rate per dimension, events/s\n  components:\n    - decay: 120               # 1/s\n      branching: [[0.3, 0.02], [0.02, 0.3]]   # D×D, target row, source column`,
        );
      }
      const ev = simulateHawkes(params, Rng.fromSeed(seed, 'hawkes'), seconds, { sampler: opts.sampler });
      const parts: string[] = ['time,dim\n'];
      for (let n = 0; n < ev.times.length; n++) parts.push(`${ev.times[n]},${ev.dims[n]}\n`);
      writeFileAtomic(opts.out, parts.join(''));
      const D = params.mu.length;
      const counts = new Array<number>(D).fill(0);
      for (const d of ev.dims) counts[d]++;
      const summary = {
        out: opts.out,
        events: ev.times.length,
        seconds,
        seed,
        sampler: opts.sampler,
        ratePerDim: counts.map((c) => c / seconds),
        stationaryRatePerDim: meanIntensity(params),
      };
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        process.stdout.write(`wrote ${summary.events} events over ${seconds} s to ${opts.out}\n`);
        summary.ratePerDim.forEach((r, i) => process.stdout.write(`  dim ${i}: ${r.toFixed(4)} /s (stationary mean ${summary.stationaryRatePerDim[i].toFixed(4)} /s)\n`));
      }
    });

  hawkes
    .command('fit')
    .description('maximum-likelihood fit (EM, decays searched) of a K-exponential Hawkes model to a "time,dim" CSV; KS of rescaled residuals')
    .requiredOption('--events <csv>', 'event file with header time,dim')
    .option('--components <k>', 'number of exponential components (1 or 2)', '1')
    .option('--t0 <s>', 'observation window start, seconds', '0')
    .option('--horizon <s>', 'observation window end, seconds (default: the last event time)')
    .option('--qq <json>', 'also write Q-Q data (Exp(1) quantiles vs rescaled residuals) per dimension to this JSON file')
    .option('--json', 'print one JSON object')
    .action(async (opts: { events: string; components: string; t0: string; horizon?: string; qq?: string; json?: boolean }) => {
      const { fitHawkes, rescaledInterArrivals } = await import('../../simulator/flow/index.ts');
      const { ksExp1, qqExp1 } = await import('../../simulator/stats/index.ts');
      const K = parseNumber('components', opts.components, true, 1);
      if (K > 2) throw new Error(`--components must be 1 or 2, got ${K}`);
      const t0 = parseNumber('t0', opts.t0, false, -Infinity);
      const ev = await readEventsCsv(opts.events);
      const t1 = opts.horizon === undefined ? ev.times[ev.times.length - 1] : parseNumber('horizon', opts.horizon, false, t0);
      const f = fitHawkes(ev, { components: K, t0, t1 });
      const res = rescaledInterArrivals(f.model, ev, t0);
      const ks = res.map((r, dim) => (r.length === 0 ? { dim, n: 0, statistic: Number.NaN, pValue: Number.NaN } : { dim, ...ksExp1(r) }));
      if (opts.qq !== undefined) {
        const { writeJsonAtomic } = await import('../../configs/fs.ts');
        writeJsonAtomic(opts.qq, res.map((r, dim) => ({ dim, ...(r.length > 0 ? qqExp1(r) : { theoretical: [], empirical: [] }) })));
      }
      const out = {
        events: f.numEvents,
        dims: f.mu.length,
        components: K,
        t0,
        horizon: t1,
        mu: f.mu,
        branching: f.branching,
        decays: f.decays,
        spectralRadius: f.spectralRadius,
        logLikelihood: f.logLikelihood,
        aic: f.aic,
        numParams: f.numParams,
        iterations: f.iterations,
        converged: f.converged,
        ks,
      };
      if (opts.json) {
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      const w = (s: string): boolean => process.stdout.write(s + '\n');
      w(`${f.numEvents} events, ${f.mu.length} dims, window [${t0}, ${t1}] s, K = ${K} (EM: ${f.iterations} iterations${f.converged ? '' : ', NOT converged'})`);
      w(`mu (events/s): ${f.mu.map((v) => v.toFixed(5)).join(' ')}`);
      f.branching.forEach((b, k) => {
        w(`component ${k}: decay ${f.decays[k].toFixed(4)} /s (mean delay ${(1000 / f.decays[k]).toFixed(2)} ms), branching [target i][source j]:`);
        w(fmtMatrix(b, '  '));
      });
      w(`spectral radius ${f.spectralRadius.toFixed(4)}`);
      w(`log-likelihood ${f.logLikelihood.toFixed(3)}   AIC ${f.aic.toFixed(3)} (${f.numParams} parameters)`);
      for (const k of ks) w(`KS dim ${k.dim}: n ${k.n}  D ${k.statistic.toFixed(4)}  p ${k.pValue.toPrecision(3)}`);
    });
}
