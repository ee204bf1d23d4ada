/**
 * End-to-end: the built lab in headless Chromium. Every view opens without a console error; the
 * IS the Execute view shows for the baselines and the shipped agents on a seed equals, bit for bit, what
 * `execution-gym evaluate` computes in Node for the same env, seed and policy (its own
 * resolvePolicies and evaluate); a screenshot of each view is saved under test-artifacts/lab/.
 * Skipped, saying why, only when /usr/bin/chromium is missing (.ci/run installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, buildAndServeLab, CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, type BuiltLab } from './browser.ts';
import { resolvePolicies } from '../../experiments/evaluate/policies.ts';
import { evaluate } from '../../experiments/evaluate/index.ts';
import '../../experiments/train/policy-loader.ts';
import * as ppo from '../../agents/ppo/index.ts';
import * as sac from '../../agents/sac/index.ts';
import { SyncVectorEnv } from '../../env/index.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const reason = `headless Chromium is needed and ${CHROMIUM} is missing (apt-get install chromium; .ci/run does it)`;

describe.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? 'lab in headless Chromium' : `lab in headless Chromium: SKIPPED, ${reason}`, () => {
  let lab: BuiltLab;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const { chromium } = await import('playwright-core');
    [lab, browser] = await Promise.all([buildAndServeLab(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  async function open(query: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${query}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${query}: ${e.message}`));
    await page.goto(lab.url + query);
    return page;
  }

  /** Runs `names` in the Execute view on `seed` (autorun) and checks each IS shown equals evaluate's in Node; all differ. */
  async function executeMatchesNode(envId: string, seed: number, names: string[], screenshot: string): Promise<void> {
    const page = await open(`?view=execute&env=${envId}&seed=${seed}&policy=${names.join(',')}&autorun=1`);
    const specs = await resolvePolicies(names, envId, {});
    const node: Record<string, number> = {};
    for (const n of names) node[n] = (await evaluate(specs[n], envId, {}, [seed], { workers: 0 }))[0].isBps;
    await page.waitForSelector('[data-testid=status][data-state=done]', { timeout: 60_000 });
    for (const n of names) {
      const shown = await page.getAttribute(`[data-testid=is-${n}]`, 'data-value');
      expect(Number(shown), n).toBe(node[n]);
      expect(Number.isFinite(node[n])).toBe(true);
    }
    expect(new Set(Object.values(node)).size).toBe(names.length);
    await page.screenshot({ path: join(ARTIFACTS, screenshot) });
    expect(errors).toEqual([]);
    await page.close();
  }

  it('Execute: TWAP, passive TWAP and AC show the IS evaluate computes in Node, bit for bit', async () => {
    await executeMatchesNode('Liquidate-v0', 7, ['twap', 'passive-twap', 'ac'], 'execute.png');
  });

  it('Execute: the shipped trained agents show the IS evaluate computes in Node, bit for bit', async () => {
    await executeMatchesNode('Liquidate-v0', 7, ['ppo-liquidate', 'sac-liquidate', 'twap'], 'execute-agents.png');
  });

  it('Execute: a hand-traded episode runs to the end on the same seed', async () => {
    const page = await open('?view=execute&env=Liquidate-AC-v0&seed=3');
    await page.click('[data-testid=hand-start]');
    // The AC world has 5 decisions by default: five slices sell everything.
    for (let i = 0; i < 5; i++) {
      await page.click('[data-testid=hand-sell]:not([disabled])');
    }
    await page.waitForSelector('[data-testid=is-you][data-value]');
    const v = Number(await page.getAttribute('[data-testid=is-you]', 'data-value'));
    expect(Number.isFinite(v)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Market: the session runs live (clock moves, stylized facts appear) and the visitor can post an order', async () => {
    const page = await open('?view=market&preset=default&seed=3');
    await page.waitForSelector('[data-testid=fact-spread]');
    const clock0 = await page.textContent('[data-testid=clock]');
    await page.click('[data-testid=post-mine]');
    await page.selectOption('[data-testid=speed]', '100×');
    await page.waitForFunction(`document.querySelector('[data-testid=clock]')?.textContent !== ${JSON.stringify(clock0)}`);
    await page.waitForTimeout(1500);
    const acf = Number(await page.textContent('[data-testid=fact-acf-1]'));
    expect(Number.isFinite(acf)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'market.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  // A few thousand env steps on WebAssembly; one iteration (1024 steps) on WebGL and WebGPU, which
  // run on SwiftShader (software) here and are slow; 2 update epochs per iteration instead of the preset's 10.
  // WebGPU skips, saying so, where this Chromium has no adapter (SwiftShader's Vulkan gives one here).
  it.for([
    ['wasm', 2048],
    ['webgl', 1024],
    ['webgpu', 1024],
  ] as const)('Train: PPO on %s for %i steps draws a learning curve and changes the weights', async ([backend, steps], ctx) => {
    const page = await open(`?view=train&env=Liquidate-AC-v0&seed=1&steps=${steps}&backend=${backend}&epochs=2`);
    if (backend === 'webgpu' && !(await page.evaluate('navigator.gpu ? navigator.gpu.requestAdapter().then((a) => a !== null) : false'))) {
      await page.close();
      ctx.skip('no WebGPU adapter in this Chromium');
    }
    await page.waitForSelector(`[data-testid=backend]:text-is("${backend}")`, { timeout: 20_000 });
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 40_000 });
    expect(await page.textContent('[data-testid=train-step]')).toBe(String(steps));
    expect(Number(await page.getAttribute('[data-testid=status]', 'data-points'))).toBeGreaterThanOrEqual(steps / 1024);
    expect(Number(await page.getAttribute('[data-testid=status]', 'data-weight-change'))).toBeGreaterThan(0);
    if (backend === 'wasm') await page.screenshot({ path: join(ARTIFACTS, 'train.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  /** Once a checkpoint is loaded in the Train view: its IS on `seed` is `nodeIsBps` exactly, with no console error. */
  async function loadedEpisodeMatches(page: Page, seed: number, nodeIsBps: number): Promise<void> {
    await page.waitForSelector('[data-testid=status][data-state=loaded]', { timeout: 20_000 });
    await page.fill('[data-testid=episode-seed]', String(seed));
    await page.click('[data-testid=run-episode]');
    await page.waitForSelector('[data-testid=episode-is][data-value]');
    expect(Number(await page.getAttribute('[data-testid=episode-is]', 'data-value'))).toBe(nodeIsBps);
    expect(errors).toEqual([]);
    await page.close();
  }

  // The preset's learningStarts is 1,000 steps: 1,500 steps leave 500 gradient updates.
  it('Train: SAC on wasm for 1500 steps draws a learning curve and changes the weights', async () => {
    const steps = 1500;
    const page = await open(`?view=train&algo=sac&env=Liquidate-AC-v0&seed=1&steps=${steps}&backend=wasm`);
    await page.waitForSelector('[data-testid=backend]:text-is("wasm")', { timeout: 20_000 });
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=train-step]')).toBe(String(steps));
    expect(Number(await page.getAttribute('[data-testid=status]', 'data-points'))).toBeGreaterThanOrEqual(1);
    expect(Number(await page.getAttribute('[data-testid=status]', 'data-weight-change'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'train-sac.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Train: a SAC checkpoint written by train, dropped on the page, gives the IS evaluate gives in Node', async () => {
    const env = 'Liquidate-AC-v0';
    const dir = mkdtempSync(join(tmpdir(), 'lab-sac-'));
    try {
      await sac.train({ envId: env, makeVecEnv: async (n) => SyncVectorEnv.fromId(env, n, {}), totalSteps: 300, seed: 3, outDir: dir, backend: 'cpu', config: { learningStarts: 200, batchSize: 32 } });
      const seed = 1_000_000_013;
      const [node] = await evaluate(dir, env, {}, [seed], { workers: 0 });
      const stepDir = join(dir, 'checkpoints', readdirSync(join(dir, 'checkpoints'))[0]);
      const files = readdirSync(stepDir).map((f) => ({ name: f, b64: readFileSync(join(stepDir, f)).toString('base64') }));
      const page = await open('?view=train');
      // A DataTransfer holding the checkpoint's files, built in the page (as a drag from the file manager would carry).
      const transfer = await page.evaluateHandle(
        `(() => { const dt = new DataTransfer(); for (const f of ${JSON.stringify(files)}) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name)); return dt; })()`,
      );
      await page.dispatchEvent('[data-testid=drop]', 'drop', { dataTransfer: transfer });
      await loadedEpisodeMatches(page, seed, node.isBps);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Train: a checkpoint written by train, loaded from its files, gives the IS evaluate gives in Node', async () => {
    const env = 'Liquidate-AC-v0';
    const dir = mkdtempSync(join(tmpdir(), 'lab-ckpt-'));
    try {
      await ppo.train({ envId: env, makeVecEnv: async (n) => SyncVectorEnv.fromId(env, n, {}), totalSteps: 256, seed: 2, outDir: dir, backend: 'cpu', config: { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 2 } });
      const seed = 1_000_000_011;
      const [node] = await evaluate(dir, env, {}, [seed], { workers: 0 });
      const stepDir = join(dir, 'checkpoints', readdirSync(join(dir, 'checkpoints'))[0]);
      const page = await open('?view=train');
      await page.setInputFiles('[data-testid=load]', readdirSync(stepDir).map((f) => join(stepDir, f)));
      await loadedEpisodeMatches(page, seed, node.isBps);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
