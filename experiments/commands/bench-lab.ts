/**
 * `execution-gym bench lab [--steps N] [--port P] [--json]`: the web lab in headless Chromium
 * (Debian's /usr/bin/chromium through playwright-core), beside the Node figures:
 *   - env steps per second of Liquidate-v0 under TWAP in a Web Worker and in Node (the same code,
 *     lab/src/core/bench.ts), and their ratio;
 *   - frames per second of the Market view while the market runs at full speed;
 *   - the Adam step time of PPO's networks per TensorFlow.js backend (WebGPU when present, WebGL on
 *     SwiftShader when there is no GPU, WebAssembly): PPO on Liquidate-AC-v0 for one iteration
 *     (1024 env steps, 4 minibatches) with 10 and with 1 update epochs; the difference over the
 *     36 extra minibatch steps is one Adam step (forward, gradients, update);
 *   - time to interactive: from navigation to the Execute view's baselines listed (its worker up),
 *     served from 127.0.0.1;
 *   - the bundle: every JS, CSS and HTML file gzipped (what a first visit to all three views
 *     loads), the first page alone, and TensorFlow.js's WebAssembly binaries apart.
 * Builds the lab into a temporary folder first. Prints the machine too: record figures in
 * BENCHMARKS.md with it.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';
import { intOption } from '../options.ts';

interface Opts {
  steps: number;
  json?: boolean;
}

export function register(_program: Command, groups: CommandGroups): void {
  groups.bench
    .command('lab')
    .description('the web lab in headless Chromium: env steps/s (vs Node), market view fps, Adam step per backend, time to interactive, bundle size')
    .option('--steps <n>', 'env steps timed in the browser and in Node', intOption('--steps', 1000), 20000)
    .option('--json', 'print one JSON object on stdout')
    .action(async (opts: Opts) => {
      const os = await import('node:os');
      const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { gzipSync } = await import('node:zlib');
      const { build } = await import('vite');
      const { labConfig } = await import('../../lab/vite.config.ts');
      const { serveStatic } = await import('../../lab/server.ts');
      const { envStepsPerSecond } = await import('../../lab/src/core/bench.ts');
      const { chromium } = await import('playwright-core');
      const CHROMIUM = '/usr/bin/chromium';
      if (!existsSync(CHROMIUM)) throw new Error(`bench lab needs ${CHROMIUM} (apt-get install chromium)`);
      const loadBefore = os.loadavg()[0];
      const dir = mkdtempSync(join(os.tmpdir(), 'bench-lab-'));
      // Progress goes to stderr with --json (stdout holds the one JSON object).
      const log = (line: string): void => {
        (opts.json === true ? process.stderr : process.stdout).write(`${line}\n`);
      };
      /** `page.evaluate(expr)` that gives up after `ms` (a worker that never answers). */
      const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
        Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms))]);
      try {
        const b0 = performance.now();
        await build({ ...labConfig(dir), configFile: false, logLevel: 'silent' });
        log(`built in ${((performance.now() - b0) / 1000).toFixed(1)} s`);
        // Bundle sizes.
        const files: { name: string; bytes: number; gz: number }[] = [];
        const walk = (d: string): void => {
          for (const e of readdirSync(d, { withFileTypes: true })) {
            const p = join(d, e.name);
            if (e.isDirectory()) walk(p);
            else {
              const b = readFileSync(p);
              files.push({ name: p.slice(dir.length + 1), bytes: b.length, gz: gzipSync(b, { level: 9 }).length });
            }
          }
        };
        walk(dir);
        const sum = (f: (x: (typeof files)[number]) => boolean, k: 'bytes' | 'gz'): number => files.filter(f).reduce((s, x) => s + x[k], 0);
        const code = (x: { name: string }): boolean => /\.(js|css|html)$/.test(x.name);
        const html = readFileSync(join(dir, 'index.html'), 'utf8');
        const firstPage = new Set(['index.html', ...[...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1])]);
        const bundle = {
          allCodeGzipBytes: sum(code, 'gz'),
          allCodeBytes: sum(code, 'bytes'),
          firstPageGzipBytes: sum((x) => firstPage.has(x.name), 'gz'),
          wasmGzipBytes: sum((x) => x.name.endsWith('.wasm'), 'gz'),
          wasmBytes: sum((x) => x.name.endsWith('.wasm'), 'bytes'),
          largest: [...files].filter(code).sort((a, b) => b.gz - a.gz).slice(0, 5).map((x) => ({ file: x.name, gzipBytes: x.gz })),
        };
        log(`bundle: all JS/CSS/HTML ${(bundle.allCodeGzipBytes / 1e6).toFixed(3)} MB gzipped (${(bundle.allCodeBytes / 1e6).toFixed(2)} MB raw); first page ${(bundle.firstPageGzipBytes / 1e3).toFixed(1)} kB gzipped; WebAssembly ${(bundle.wasmGzipBytes / 1e6).toFixed(3)} MB gzipped`);

        const { server, url } = await serveStatic(dir);
        // Two browsers: the plain one (no GPU here: canvases are drawn by the CPU, as on a machine
        // without a GPU) for the page figures, and one with SwiftShader's software GL and WebGPU
        // for the backends (and the market view's frame rate once more, canvases on SwiftShader).
        const base = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: base });
        const glBrowser = await chromium.launch({ executablePath: CHROMIUM, args: [...base, '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu'] });
        const marketFps = async (p: import('playwright-core').Page): Promise<{ fps: number; clock: string | null }> => {
          await p.goto(`${url}?view=market&preset=default&seed=1`);
          await p.waitForSelector('[data-testid=fact-spread]', { timeout: 60_000 });
          await p.selectOption('[data-testid=speed]', 'max');
          // The frame counter covers the last whole second; at full speed a whole session lasts a few
          // seconds, so it is read after the first second (the clock shows the market still running).
          await p.waitForTimeout(1100);
          return { fps: Number(await p.textContent('[data-testid=fps]')), clock: await p.textContent('[data-testid=clock]') };
        };
        try {
          const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
          // Time to interactive (first load: nothing cached).
          await page.goto(`${url}?view=execute`);
          await page.waitForSelector('[data-testid=policy-twap]', { timeout: 60_000 });
          const ttiMs = (await page.evaluate('performance.now()')) as number;
          log(`time to interactive: ${ttiMs.toFixed(0)} ms`);
          // Env steps per second: browser worker and Node, the same function.
          const browserEnv = (await within(page.evaluate(`labBench.env('Liquidate-v0', ${opts.steps})`), 180_000, 'env')) as { stepsPerSecond: number };
          const nodeEnv = envStepsPerSecond('Liquidate-v0', opts.steps);
          log(`env steps/s (Liquidate-v0, TWAP, ${opts.steps} steps): browser ${browserEnv.stepsPerSecond.toFixed(0)}, Node ${nodeEnv.stepsPerSecond.toFixed(0)} (${((100 * browserEnv.stepsPerSecond) / nodeEnv.stepsPerSecond).toFixed(0)}%)`);
          // Adam step per backend.
          const adamPage = await glBrowser.newPage();
          await adamPage.goto(`${url}?view=execute`);
          await adamPage.waitForSelector('[data-testid=policy-twap]', { timeout: 60_000 });
          const adam: Record<string, { adamStepMs: number; iterationSeconds10: number; iterationSeconds1: number } | { error: string }> = {};
          for (const backend of ['webgpu', 'webgl', 'wasm']) {
            try {
              const t10 = (await within(adamPage.evaluate(`labBench.train('${backend}', 'Liquidate-AC-v0', 1024, 10)`), 180_000, backend)) as { seconds: number };
              const t1 = (await within(adamPage.evaluate(`labBench.train('${backend}', 'Liquidate-AC-v0', 1024, 1)`), 180_000, backend)) as { seconds: number };
              adam[backend] = { adamStepMs: ((t10.seconds - t1.seconds) * 1000) / 36, iterationSeconds10: t10.seconds, iterationSeconds1: t1.seconds };
              log(`Adam step (PPO, Liquidate-AC-v0 networks) on ${backend}: ${(((t10.seconds - t1.seconds) * 1000) / 36).toFixed(1)} ms (iteration ${t10.seconds.toFixed(2)} s with 10 epochs, ${t1.seconds.toFixed(2)} s with 1)`);
            } catch (err) {
              adam[backend] = { error: (err as Error).message.split('\n')[0] };
              log(`Adam step on ${backend}: not available (${(err as Error).message.split('\n')[0]})`);
            }
          }
          // Market view at full speed.
          const { fps, clock } = await marketFps(page);
          log(`market view at full speed: ${fps} frames/s (clock ${clock})`);
          const glPage = await glBrowser.newPage({ viewport: { width: 1280, height: 1000 } });
          const gl = await marketFps(glPage);
          log(`market view at full speed, canvases on SwiftShader GL: ${gl.fps} frames/s (clock ${gl.clock})`);
          const result = {
            machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, chromium: browser.version(), loadBefore, loadAfter: os.loadavg()[0] },
            env: { envId: 'Liquidate-v0', policy: 'twap', steps: opts.steps, browserStepsPerSecond: browserEnv.stepsPerSecond, nodeStepsPerSecond: nodeEnv.stepsPerSecond, ratio: browserEnv.stepsPerSecond / nodeEnv.stepsPerSecond },
            marketViewFps: fps,
            marketViewFpsSwiftShader: gl.fps,
            adam,
            timeToInteractiveMs: ttiMs,
            bundle,
          };
          if (opts.json === true) process.stdout.write(`${JSON.stringify(result)}\n`);
          else log(`machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}, Chromium ${result.machine.chromium}, load ${loadBefore.toFixed(2)} → ${result.machine.loadAfter.toFixed(2)}`);
        } finally {
          await glBrowser.close();
          await browser.close();
          server.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
