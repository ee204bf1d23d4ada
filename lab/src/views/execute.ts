/**
 * The Execute view: pick an env, a seed and a quantity; run baselines and the shipped trained
 * policies side by side on the same seed (the same market for each: common random numbers) and
 * trade the same episode by hand.
 * Episodes run in a worker (workers/execute.worker.ts) with evaluate's own harness.
 */
import { Chart, PALETTE, type Series } from '../chart.ts';
import { button, el, explain, field, numberInput, select } from '../dom.ts';
import type { EpisodeTrace, HandAction } from '../core/episodes.ts';
import type { LabState } from '../core/url.ts';

const ENVS = ['Liquidate-v0', 'Liquidate-Limit-v0', 'Liquidate-AC-v0'];
const DEFAULT_POLICIES = ['twap', 'passive-twap'];

const TEXT = `
<h3>Implementation shortfall (IS)</h3>
<p>You must sell a block of shares before a deadline. The price when you start (the <i>arrival price</i>, the mid
between the best bid and the best ask) is your benchmark. IS is how much less you got than
<i>quantity × arrival price</i>, in basis points (1 bp = 0.01%). Lower is better; it can be negative if the price rose.</p>
<h3>Market vs passive orders</h3>
<p>A <b>market order</b> sells now but crosses the spread and eats into the book: you pay half the spread and push
the price down. A <b>limit order at the touch</b> waits in the queue at the best bid: if a buyer comes, you sell
without paying the spread. But it may not fill, and what is left is sold at the deadline at whatever price.</p>
<h3>Trained agents</h3>
<p>The agents under <i>trained agents</i> learned by reinforcement learning (PPO or SAC) on thousands of simulated
markets and ship with the project; hover over a name to see how it was trained. They see what you see (time left,
shares left, spread, imbalance, recent price moves) and run here exactly as on the command line. They learned on the
order-book market, so they run on <code>Liquidate-v0</code> and <code>Liquidate-Limit-v0</code>, not in the Almgren–Chriss world.</p>
<h3>The Almgren–Chriss schedule</h3>
<p>Selling fast costs impact; selling slowly leaves you exposed to price moves. Almgren–Chriss finds the schedule that
minimizes expected cost plus λ × variance: with λ = 0 it is a straight line (TWAP); a risk-averse trader sells faster early.</p>
<h3>Your turn</h3>
<p>Press <b>Start</b> and trade the same episode the baselines saw: <kbd>S</kbd> sell one slice now (market order),
<kbd>P</kbd> post one slice at the touch, <kbd>W</kbd> wait. A slice is what is left divided by the decisions left.
Anything unsold at the end is swept with a market order. Can you beat TWAP?</p>`;

export function executeView(root: HTMLElement, state: LabState, setUrl: (s: Partial<LabState>) => void): () => void {
  const worker = new Worker(new URL('../workers/execute.worker.ts', import.meta.url), { type: 'module' });
  const envSel = select(ENVS, state.env !== undefined && ENVS.includes(state.env) ? state.env : 'Liquidate-v0', 'env');
  const seedIn = numberInput(state.seed ?? 7, { min: '0', step: '1', 'data-testid': 'seed' });
  const qtyIn = numberInput(state.quantity, { min: '1', step: '1', placeholder: 'env default', 'data-testid': 'quantity' });
  const policyBox = el('div', { class: 'policies' });
  const trainedBox = el('div', { class: 'policies' });
  const runBtn = button('Run policies', () => run(), { class: 'primary', 'data-testid': 'run' });
  const status = el('div', { class: 'status', 'data-testid': 'status' });
  const startBtn = button('Start', () => handReset(), { 'data-testid': 'hand-start' });
  const sellBtn = button('Sell slice now (S)', () => handStep('sell'), { 'data-testid': 'hand-sell' });
  const postBtn = button('Post at touch (P)', () => handStep('post'), { 'data-testid': 'hand-post' });
  const waitBtn = button('Wait (W)', () => handStep('wait'), { 'data-testid': 'hand-wait' });
  const handInfo = el('span', { class: 'status', 'data-testid': 'hand-info' });
  const charts = el('div', { class: 'charts' });
  const priceChart = new Chart(charts, 560, 250, 'chart-price');
  const invChart = new Chart(charts, 560, 250, 'chart-inventory');
  const isChart = new Chart(charts, 560, 250, 'chart-is');
  const table = el('table', { 'data-testid': 'results' });
  const left = el(
    'section',
    {},
    el('div', { class: 'controls' }, field('env', envSel), field('seed', seedIn), field('quantity (shares)', qtyIn), el('div', {}, el('div', { class: 'field', text: 'baselines' }), policyBox), el('div', {}, el('div', { class: 'field', text: 'trained agents (order-book envs)' }), trainedBox), runBtn),
    el('div', { class: 'hand' }, el('b', { text: 'Trade by hand:' }), startBtn, sellBtn, postBtn, waitBtn, handInfo),
    status,
    charts,
    table,
  );
  root.append(left, explain(TEXT));

  let traces: EpisodeTrace[] = [];
  let hand: EpisodeTrace | null = null;
  let schedule: number[] = [];
  let selected = new Set(state.policies ?? DEFAULT_POLICIES);
  let running = false;
  let autorun = state.autorun;
  setHandButtons(false);

  function setHandButtons(on: boolean): void {
    sellBtn.disabled = waitBtn.disabled = !on;
    postBtn.disabled = !on || envSel.value === 'Liquidate-AC-v0';
  }

  function readInputs(): { envId: string; seed: number; quantity?: number } | null {
    const seed = Number(seedIn.value);
    if (!Number.isInteger(seed) || seed < 0) {
      status.textContent = `seed must be an integer >= 0, got ${JSON.stringify(seedIn.value)}`;
      status.classList.add('error');
      return null;
    }
    let quantity: number | undefined;
    if (qtyIn.value !== '') {
      quantity = Number(qtyIn.value);
      if (!Number.isInteger(quantity) || quantity < 1) {
        status.textContent = `quantity must be a positive integer (shares), or empty for the env's default; got ${JSON.stringify(qtyIn.value)}`;
        status.classList.add('error');
        return null;
      }
    }
    status.classList.remove('error');
    return { envId: envSel.value, seed, quantity };
  }

  function run(): void {
    const inp = readInputs();
    if (inp === null || running) return;
    const policies = [...selected];
    setUrl({ env: inp.envId, seed: inp.seed, quantity: inp.quantity, policies });
    traces = [];
    schedule = [];
    running = true;
    runBtn.disabled = true;
    status.textContent = `running ${policies.join(', ')} on seed ${inp.seed}…`;
    worker.postMessage({ type: 'run', ...inp, policies, acSeeds: 50 });
    redraw();
  }

  function handReset(): void {
    const inp = readInputs();
    if (inp === null) return;
    worker.postMessage({ type: 'hand-reset', ...inp });
  }

  function handStep(a: HandAction): void {
    if (hand === null || sellBtn.disabled) return;
    worker.postMessage({ type: 'hand-step', action: a });
  }

  const onKey = (e: KeyboardEvent): void => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
    const k = e.key.toLowerCase();
    if (k === 's') handStep('sell');
    else if (k === 'p' && !postBtn.disabled) handStep('post');
    else if (k === 'w') handStep('wait');
  };
  window.addEventListener('keydown', onKey);
  envSel.addEventListener('change', () => setHandButtons(false));

  worker.onmessage = (e: MessageEvent) => {
    const m = e.data as { type: string; [k: string]: unknown };
    switch (m.type) {
      case 'policies': {
        const box = (name: string, into: HTMLElement, title?: string): void => {
          const cb = el('input', { type: 'checkbox', 'data-testid': `policy-${name}` });
          cb.checked = selected.has(name);
          cb.addEventListener('change', () => {
            if (cb.checked) selected.add(name);
            else selected.delete(name);
          });
          into.append(el('label', title === undefined ? {} : { title }, cb, ` ${name}`));
        };
        const shipped = m.shipped as { name: string; description: string }[];
        for (const name of m.list as string[]) box(name, policyBox);
        for (const s of shipped) box(s.name, trainedBox, s.description);
        const known = [...(m.list as string[]), ...shipped.map((s) => s.name)];
        selected = new Set([...selected].filter((p) => known.includes(p)));
        if (autorun) {
          autorun = false;
          run();
        }
        break;
      }
      case 'episode':
        traces.push(m.trace as EpisodeTrace);
        status.textContent = `${(m.trace as EpisodeTrace).policy}: ${(m.ms as number).toFixed(0)} ms`;
        redraw();
        break;
      case 'done':
        schedule = m.schedule as number[];
        running = false;
        runBtn.disabled = false;
        status.textContent = `done: ${traces.length} episode(s) on seed ${traces[0]?.seed ?? ''}`;
        status.dataset.state = 'done';
        redraw();
        break;
      case 'hand': {
        hand = m.trace as EpisodeTrace;
        const done = m.done as boolean;
        setHandButtons(!done);
        const k = hand.times.length - 1;
        handInfo.textContent = done
          ? `finished: IS ${hand.finalIsBps.toFixed(2)} bps`
          : `decision ${k + 1} of ${hand.decisionCount}: ${hand.inventory[k]} shares left, IS so far ${hand.isBps[k].toFixed(2)} bps`;
        if (schedule.length === 0) schedule = Array.from({ length: hand.decisionCount + 1 }, (_, i) => (hand!.quantity * (hand!.decisionCount - i)) / hand!.decisionCount);
        redraw();
        break;
      }
      case 'error':
        running = false;
        runBtn.disabled = false;
        status.textContent = `error: ${String(m.message)}`;
        status.classList.add('error');
        break;
    }
  };

  function redraw(): void {
    const all = hand === null ? traces : [...traces, hand];
    const color = (i: number): string => (all[i] === hand ? '#000' : PALETTE[i % PALETTE.length]);
    const ref = all[0];
    const price: Series[] = [];
    if (ref !== undefined) price.push({ label: 'mid', color: '#888', x: ref.times, y: ref.mids });
    all.forEach((t, i) => {
      price.push({ label: t.policy, color: color(i), x: t.fills.map((f) => f.time), y: t.fills.map((f) => f.price), kind: 'points', r: t.fills.map((f) => Math.min(7, 2 + Math.sqrt(f.qty / Math.max(1, t.quantity / t.decisionCount)) * 2)), colors: t.fills.map((f) => (f.passive ? color(i) : color(i) + '99')) });
    });
    const unit = ref?.envId === 'Liquidate-AC-v0' ? '$' : 'ticks';
    const xLabel = ref?.envId === 'Liquidate-AC-v0' ? 'decision' : 'session time (s)';
    priceChart.draw(price, { title: `Price and fills (${unit}); dots: fills, sized by quantity`, xLabel });
    const inv: Series[] = all.map((t, i) => ({ label: t.policy, color: color(i), x: t.times, y: t.inventory, kind: 'step' as const }));
    if (ref !== undefined && schedule.length === ref.times.length) inv.push({ label: 'AC schedule', color: '#777', x: ref.times, y: schedule, kind: 'dash' });
    invChart.draw(inv, { title: 'Inventory left (shares)', xLabel });
    isChart.draw(all.map((t, i) => ({ label: t.policy, color: color(i), x: t.times, y: t.isBps })), { title: 'Running IS (bps; lower is better)', xLabel });
    table.replaceChildren(el('tr', {}, ...['policy', 'IS (bps)', 'fills', 'passive share', 'vs VWAP (bps)', 'completion before sweep'].map((h) => el('th', { text: h }))));
    for (const t of all) {
      const r = t.record;
      // Ended: the harness's record, or (hand trading) the final IS of a finished episode; an episode may end before its last decision (everything sold).
      const done = t.record !== undefined || Number.isFinite(t.finalIsBps);
      const isCell = el('td', { 'data-testid': `is-${t.policy}`, text: done ? t.finalIsBps.toFixed(2) : '…' });
      if (done) isCell.dataset.value = String(t.finalIsBps);
      const f = (v: number | undefined, d = 2): string => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
      table.append(
        el('tr', {}, el('td', { text: t.policy }), isCell, el('td', { text: String(t.fills.length) }), el('td', { text: f(r?.passiveShare) }), el('td', { text: f(r?.slippageVwapBps) }), el('td', { text: f(r?.completionBeforeDeadline) })),
      );
    }
  }
  redraw();

  return () => {
    window.removeEventListener('keydown', onKey);
    worker.terminate();
  };
}
