/**
 * The Train view: PPO or SAC in the browser (workers/train.worker.ts) on the best TensorFlow.js backend,
 * a live learning curve, steps per second, pause and resume; evaluation against TWAP and passive
 * TWAP on held-out seeds with the command line's paired statistics; the checkpoint as a download
 * that `evaluate --policy` loads, and a checkpoint from the command line loaded back.
 */
import { Chart } from '../chart.ts';
import { button, el, explain, field, numberInput, select } from '../dom.ts';
import type { LabState } from '../core/url.ts';
import { LAB_ALGOS, LAB_BACKENDS } from '../core/choices.ts';
import type { PolicySummary } from '../../../experiments/evaluate/summary.ts';

const ENVS = ['Liquidate-AC-v0', 'Liquidate-v0'];
const BACKENDS: readonly string[] = LAB_BACKENDS;
const ALGOS: readonly string[] = LAB_ALGOS;

const TEXT = `
<h3>Reinforcement learning</h3>
<p>The agent starts knowing nothing. It tries actions (how much of a TWAP slice to sell at each decision), sees the reward
(minus the IS it caused), and nudges its neural network towards actions that did better than expected. <b>PPO</b>
(Proximal Policy Optimization) learns from what the current policy just did and makes those nudges small and safe.
<b>SAC</b> (Soft Actor-Critic) keeps every past step in a replay buffer, learns how good each action is (a critic) and
moves the policy towards the best ones while staying curious (an entropy bonus): it needs fewer env steps, but each
step costs more computation.</p>
<h3>The learning curve</h3>
<p>Each point is the average IS of the episodes that ended in one training iteration. It is noisy because every episode
is a different market; look at the trend.</p>
<h3>Is it better than TWAP?</h3>
<p>The evaluation runs the trained policy, TWAP and passive TWAP on the same <i>held-out</i> markets (seeds never seen in
training) and compares them pair by pair: the mean difference with a 95% bootstrap interval, and p-values of the
paired t and Wilcoxon tests. A small p-value means the difference is unlikely to be luck.</p>
<h3>Take it with you</h3>
<p><b>Download</b> gives a <code>.tar</code>: unpack it and run
<code>execution-gym evaluate --policy ./&lt;name&gt; --modules experiments/train/policy-loader.ts</code>.
<b>Load</b> (pick or drop) takes such a tar, or the files of a checkpoint directory written by <code>execution-gym train</code>.</p>`;

export function trainView(root: HTMLElement, state: LabState, setUrl: (s: Partial<LabState>) => void): () => void {
  const worker = new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module' });
  const algoSel = select(ALGOS, state.algo !== undefined && ALGOS.includes(state.algo) ? state.algo : 'ppo', 'algo');
  const envSel = select(ENVS, state.env !== undefined && ENVS.includes(state.env) ? state.env : 'Liquidate-AC-v0', 'env');
  const backendSel = select(BACKENDS, state.backend !== undefined && BACKENDS.includes(state.backend) ? state.backend : 'auto', 'backend-select');
  const seedIn = numberInput(state.seed ?? 1, { min: '0', step: '1', 'data-testid': 'seed' });
  const stepsIn = numberInput(state.steps ?? 20480, { min: '1', step: '1024', 'data-testid': 'steps' });
  const epochsIn = numberInput(state.epochs, { min: '1', max: '50', step: '1', placeholder: 'preset', 'data-testid': 'epochs' });
  const evalIn = numberInput(30, { min: '2', max: '1000', step: '1', 'data-testid': 'eval-n' });
  const trainBtn = button('Train', () => train(), { class: 'primary', 'data-testid': 'train' });
  const syncAlgo = (): void => {
    // Update epochs are PPO's; SAC runs its preset's updates per env step.
    epochsIn.disabled = algoSel.value !== 'ppo';
    trainBtn.textContent = `Train ${algoSel.value.toUpperCase()}`;
  };
  algoSel.addEventListener('change', syncAlgo);
  syncAlgo();
  const pauseBtn = button('Pause', () => {
    paused = !paused;
    worker.postMessage({ type: paused ? 'pause' : 'resume' });
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
  }, { 'data-testid': 'pause' });
  const stopBtn = button('Stop', () => worker.postMessage({ type: 'stop' }));
  const evalBtn = button('Evaluate vs TWAP', () => {
    status.textContent = 'evaluating…';
    worker.postMessage({ type: 'evaluate', n: Number(evalIn.value) });
  }, { 'data-testid': 'evaluate' });
  const dlBtn = button('Download checkpoint', () => worker.postMessage({ type: 'download' }), { 'data-testid': 'download' });
  const fileIn = el('input', { type: 'file', multiple: '', accept: '.tar,.json,.bin,.yaml,SHA256SUMS', 'data-testid': 'load' });
  const dropZone = el('div', { class: 'drop', 'data-testid': 'drop', text: 'or drop a checkpoint here (.tar, or the files of checkpoints/step-N/)' });
  const seedEp = numberInput(1_000_000_000, { min: '0', step: '1', 'data-testid': 'episode-seed' });
  const epBtn = button('IS on seed', () => worker.postMessage({ type: 'episode', seed: Number(seedEp.value) }), { 'data-testid': 'run-episode' });
  const backendEl = el('span', { 'data-testid': 'backend', text: '…' });
  const stepEl = el('span', { 'data-testid': 'train-step', text: '0' });
  const spsEl = el('span', { 'data-testid': 'sps', text: '–' });
  const policyEl = el('span', { 'data-testid': 'policy', text: 'none' });
  const episodeEl = el('span', { 'data-testid': 'episode-is', text: '–' });
  const status = el('div', { class: 'status', 'data-testid': 'status' });
  const charts = el('div', { class: 'charts' });
  const curve = new Chart(charts, 560, 260, 'chart-curve');
  const lossChart = new Chart(charts, 560, 260, 'chart-loss');
  const table = el('table', { 'data-testid': 'eval' });
  root.append(
    el(
      'section',
      {},
      el('div', { class: 'controls' }, field('algorithm', algoSel), field('env', envSel), field('backend', backendSel), field('seed', seedIn), field('env steps', stepsIn), field('update epochs (PPO)', epochsIn), trainBtn, pauseBtn, stopBtn),
      el('div', { class: 'hand' }, el('span', {}, 'backend: ', backendEl), el('span', {}, ' · step ', stepEl), el('span', {}, ' · steps/s ', spsEl), el('span', {}, ' · policy ', policyEl)),
      el('div', { class: 'controls' }, field('held-out seeds', evalIn), evalBtn, dlBtn, field('load a checkpoint (.tar or its files)', fileIn), dropZone, field('seed', seedEp), epBtn, el('span', {}, 'IS ', episodeEl, ' bps')),
      status,
      charts,
      table,
    ),
    explain(TEXT),
  );

  let paused = false;
  const curveX: number[] = [];
  const curveY: number[] = [];
  const lossX: number[] = [];
  const lossV: number[] = [];
  const lossP: number[] = [];
  worker.postMessage({ type: 'backend', backend: backendSel.value });
  backendSel.addEventListener('change', () => worker.postMessage({ type: 'backend', backend: backendSel.value }));

  /** The algorithm of the run the charts show (not whatever the selector shows now). */
  let chartAlgo = algoSel.value;

  function train(): void {
    const seed = Number(seedIn.value);
    const steps = Number(stepsIn.value);
    if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(steps) || steps < 1) {
      status.textContent = `seed must be an integer >= 0 and env steps a positive integer; got ${seedIn.value}, ${stepsIn.value}`;
      return;
    }
    const algo = algoSel.value;
    const epochs = epochsIn.value === '' || algo !== 'ppo' ? undefined : Number(epochsIn.value);
    if (epochs !== undefined && (!Number.isInteger(epochs) || epochs < 1)) {
      status.textContent = `update epochs must be a positive integer or empty (the preset's), got ${epochsIn.value}`;
      return;
    }
    setUrl({ algo, env: envSel.value, seed, steps, backend: backendSel.value, epochs });
    for (const a of [curveX, curveY, lossX, lossV, lossP]) a.length = 0;
    chartAlgo = algo;
    trainBtn.disabled = true;
    status.classList.remove('error');
    paused = false;
    pauseBtn.textContent = 'Pause';
    status.textContent = 'training…';
    delete status.dataset.state;
    worker.postMessage({ type: 'train', algo, envId: envSel.value, seed, totalSteps: steps, config: epochs === undefined ? undefined : { updateEpochs: epochs } });
  }

  async function loadFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    const payload: [string, ArrayBuffer][] = [];
    for (const f of files) payload.push([f.name, await f.arrayBuffer()]);
    status.textContent = `loading ${files.map((f) => f.name).join(', ')}…`;
    status.classList.remove('error');
    worker.postMessage({ type: 'load', files: payload }, payload.map((p) => p[1]));
  }
  fileIn.addEventListener('change', () => void loadFiles([...(fileIn.files ?? [])]));
  // Drag and drop: a tar, or the files of a checkpoint directory, dropped anywhere on the zone.
  dropZone.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    dropZone.classList.remove('over');
    void loadFiles([...(e.dataTransfer?.files ?? [])]);
  });

  worker.onmessage = (e: MessageEvent) => {
    const m = e.data as Record<string, unknown> & { type: string };
    switch (m.type) {
      case 'backend':
        backendEl.textContent = m.name as string;
        backendEl.title = m.reason as string;
        break;
      case 'metrics': {
        const k = m.metrics as Record<string, number>;
        stepEl.textContent = String(m.step);
        if (Number.isFinite(k['charts/is_bps'])) {
          curveX.push(m.step as number);
          curveY.push(k['charts/is_bps']);
        }
        lossX.push(m.step as number);
        // PPO: value loss and the policy's action std; SAC: the critics' loss and the entropy temperature α.
        lossV.push(k['losses/value_loss'] ?? k['losses/qf1_loss'] ?? NaN);
        lossP.push(k['charts/action_std'] ?? k['losses/alpha'] ?? NaN);
        redraw();
        break;
      }
      case 'progress':
        spsEl.textContent = (m.sps as number).toFixed(0);
        break;
      case 'trained':
        trainBtn.disabled = false;
        policyEl.textContent = m.label as string;
        status.textContent = `${m.stopped === true ? 'stopped' : 'trained'}: ${m.steps as number} env steps in ${(m.seconds as number).toFixed(1)} s; largest weight change ${(m.weightChange as number).toExponential(2)}`;
        status.dataset.state = 'trained';
        status.dataset.weightChange = String(m.weightChange);
        status.dataset.points = String(curveX.length);
        break;
      case 'eval-progress':
        status.textContent = `evaluating: ${m.done as number} / ${m.total as number} episodes`;
        break;
      case 'eval':
        showEval(m.summaries as Record<string, PolicySummary>);
        status.textContent = 'evaluation done';
        break;
      case 'episode':
        episodeEl.textContent = (m.isBps as number).toFixed(4);
        episodeEl.dataset.value = String(m.isBps);
        break;
      case 'download': {
        const url = URL.createObjectURL(new Blob([m.bytes as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
        const a = el('a', { href: url, download: m.name as string });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        break;
      }
      case 'loaded':
        policyEl.textContent = m.label as string;
        status.textContent = `loaded a ${m.kind as string} checkpoint at step ${m.step as number}, trained on ${m.envId as string}`;
        status.dataset.state = 'loaded';
        break;
      case 'error':
        // A failed load or episode while a run trains leaves the run (and the disabled button) alone.
        if (m.of === 'train') trainBtn.disabled = false;
        status.textContent = `error: ${String(m.message)}`;
        status.classList.add('error');
        break;
    }
  };

  function redraw(): void {
    curve.draw([{ label: 'mean IS of the episodes ended', color: '#1f77b4', x: curveX, y: curveY }], { title: 'Learning curve: IS (bps) per iteration', xLabel: 'env steps' });
    lossChart.draw(
      [
        { label: chartAlgo === 'sac' ? 'critic loss' : 'value loss', color: '#d62728', x: lossX, y: lossV },
        { label: chartAlgo === 'sac' ? 'entropy temperature α' : 'action std', color: '#2ca02c', x: lossX, y: lossP },
      ],
      { title: 'Diagnostics', xLabel: 'env steps' },
    );
  }
  redraw();

  function showEval(s: Record<string, PolicySummary>): void {
    const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
    const p = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
    table.replaceChildren(el('tr', {}, ...['policy', 'n', 'mean IS (bps)', '95% CI', 'vs TWAP (bps)', 'CI', 't p', 'Wilcoxon p', 'vs passive TWAP', 't p', 'Wilcoxon p'].map((h) => el('th', { text: h }))));
    for (const r of Object.values(s)) {
      table.append(
        el(
          'tr',
          {},
          el('td', { text: r.policy }),
          el('td', { text: String(r.episodes) }),
          el('td', { 'data-testid': `eval-mean-${r.policy}`, text: f(r.meanIsBps) }),
          el('td', { text: `[${f(r.ciLowBps)}, ${f(r.ciHighBps)}]` }),
          el('td', { text: f(r.vsTwap?.meanDiffBps) }),
          el('td', { text: r.vsTwap === null ? '–' : `[${f(r.vsTwap.ciLowBps)}, ${f(r.vsTwap.ciHighBps)}]` }),
          el('td', { text: p(r.vsTwap?.tP) }),
          el('td', { text: p(r.vsTwap?.wilcoxonP) }),
          el('td', { text: f(r.vsPassiveTwap?.meanDiffBps) }),
          el('td', { text: p(r.vsPassiveTwap?.tP) }),
          el('td', { text: p(r.vsPassiveTwap?.wilcoxonP) }),
        ),
      );
    }
  }

  // A file dropped beside the zone must not make the browser open it (and lose the session).
  const keepPage = (e: DragEvent): void => {
    if (e.target !== dropZone) e.preventDefault();
  };
  window.addEventListener('dragover', keepPage);
  window.addEventListener('drop', keepPage);
  return () => {
    window.removeEventListener('dragover', keepPage);
    window.removeEventListener('drop', keepPage);
    worker.terminate();
  };
}
