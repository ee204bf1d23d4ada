/**
 * The Market view: the simulated market running live (in workers/market.worker.ts), with the
 * ladder, the price and trades, the Hawkes intensities and stylized facts; preset, seed, speed
 * and a teacher's live parameters; the episode's domain-randomization draw.
 */
import { Chart } from '../chart.ts';
import { button, el, explain, field, numberInput, select } from '../dom.ts';
import type { LabState } from '../core/url.ts';
import type { DrawnParam, Facts } from '../core/market-session.ts';
import { LIVE_LIMITS, SIGN_LAGS, RETURN_SECONDS } from '../core/market-constants.ts';

const TEXT = `
<h3>The limit order book</h3>
<p>Buyers post <b>bids</b> (green, below) and sellers post <b>asks</b> (red, above). The gap between the best bid and the
best ask is the <b>spread</b>; the bars show how many shares wait at each price. A <b>market order</b> trades at once against
the best prices; a <b>limit order</b> waits in the queue at its price.</p>
<h3>Where orders come from</h3>
<p>Background traders: liquidity providers post and cancel limit orders, market makers quote both sides, and
<b>takers</b> send market orders from a <b>Hawkes process</b>: every market order raises the chance of more (the
<i>intensity</i> jumps, then decays). The <b>branching ratio</b> is how many orders each order triggers on average: near 1,
trading comes in bursts.</p>
<h3>Stylized facts</h3>
<p>Real markets share some statistics: returns have <b>fat tails</b> (excess kurtosis &gt; 0), the signs of market orders are
<b>persistent</b> (buys follow buys: positive autocorrelation that decays slowly), and the spread stays a few ticks. Watch them
settle as the session runs.</p>
<h3>Your order</h3>
<p>Post a sell at the ask and watch it wait in the queue (marked ◀): it fills only when the shares ahead of it are gone.</p>`;

const SPEEDS: Record<string, number> = { 'real time': 1, '10×': 10, '100×': 100, max: Infinity };
const WINDOW = 300;
/** Trades kept per side for the chart. */
const MAX_TRADES = 1500;

export function marketView(root: HTMLElement, state: LabState, setUrl: (s: Partial<LabState>) => void): () => void {
  const worker = new Worker(new URL('../workers/market.worker.ts', import.meta.url), { type: 'module' });
  const presetSel = select([state.preset ?? 'default'], state.preset ?? 'default', 'preset');
  const seedIn = numberInput(state.seed ?? 1, { min: '0', step: '1', 'data-testid': 'seed' });
  const speedSel = select(Object.keys(SPEEDS), '10×', 'speed');
  const pauseBtn = button('Pause', () => {
    paused = !paused;
    pauseBtn.textContent = paused ? 'Resume' : 'Pause';
    sendSpeed();
  }, { 'data-testid': 'pause' });
  const stepBtn = button('Step 1 s', () => worker.postMessage({ type: 'step', seconds: 1 }), { 'data-testid': 'step' });
  const resetBtn = button('Restart', () => reset(), { class: 'primary', 'data-testid': 'restart' });
  const branchIn = numberInput(undefined, { min: String(LIVE_LIMITS.branching[0]), max: String(LIVE_LIMITS.branching[1]), step: '0.05', 'data-testid': 'branching' });
  const tickIn = numberInput(undefined, { min: String(LIVE_LIMITS.tickCents[0]), max: String(LIVE_LIMITS.tickCents[1]), step: '1', 'data-testid': 'tick' });
  const depthIn = numberInput(1, { min: String(LIVE_LIMITS.depth[0]), max: String(LIVE_LIMITS.depth[1]), step: '0.25', 'data-testid': 'depth' });
  const postBtn = button('Post a sell of 500 at the ask', () => worker.postMessage({ type: 'post', side: -1, qty: 500 }), { 'data-testid': 'post-mine' });
  const cancelBtn = button('Cancel mine', () => worker.postMessage({ type: 'cancel' }));
  const status = el('div', { class: 'status', 'data-testid': 'status' });
  const fpsEl = el('span', { 'data-testid': 'fps', text: '–' });
  const clockEl = el('span', { 'data-testid': 'clock', text: '–' });
  const ladder = el('canvas', { 'data-testid': 'ladder' });
  ladder.width = 300;
  ladder.height = 420;
  ladder.style.cssText = 'width:300px;height:420px;background:#fff;border:1px solid #dde1e6;border-radius:6px';
  const charts = el('div', { class: 'charts' });
  charts.append(ladder);
  const right = el('div', {});
  charts.append(right);
  const priceChart = new Chart(right, 520, 210, 'chart-price');
  const lamChart = new Chart(right, 520, 200, 'chart-intensity');
  const factsTable = el('table', { class: 'facts', 'data-testid': 'facts' });
  const drawTable = el('table', { 'data-testid': 'draw' });
  root.append(
    el(
      'section',
      {},
      el('div', { class: 'controls' }, field('preset', presetSel), field('seed', seedIn), field('speed', speedSel), pauseBtn, stepBtn, field('branching ratio', branchIn), field('tick (cents)', tickIn), field('LP depth ×', depthIn), resetBtn),
      el('div', { class: 'hand' }, postBtn, cancelBtn, el('span', { class: 'status' }, 'clock ', clockEl, ' · frames/s ', fpsEl)),
      status,
      charts,
      el('div', { style: 'display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start' }, factsTable, drawTable),
    ),
    explain(TEXT),
  );

  let paused = false;
  let dirty = false;
  let depth: Float64Array = new Float64Array(0);
  let levels = 0;
  let mine: { price: number; qty: number; ahead: number }[] = [];
  let now = 0;
  const mids: number[] = [];
  const midT: number[] = [];
  const lamT: number[] = [];
  const lamB: number[] = [];
  const lamS: number[] = [];
  // Trades in the window: buyer-initiated and seller-initiated apart (one fill style each when drawn).
  const bT: number[] = [];
  const bP: number[] = [];
  const sT: number[] = [];
  const sP: number[] = [];

  function sendSpeed(): void {
    worker.postMessage({ type: 'speed', speed: SPEEDS[speedSel.value], paused });
  }
  speedSel.addEventListener('change', sendSpeed);

  function num(i: HTMLInputElement): number | undefined {
    return i.value === '' ? undefined : Number(i.value);
  }

  function reset(): void {
    const seed = Number(seedIn.value);
    if (!Number.isInteger(seed) || seed < 0) {
      status.textContent = `seed must be an integer >= 0, got ${JSON.stringify(seedIn.value)}`;
      return;
    }
    status.textContent = '';
    for (const a of [mids, midT, lamT, lamB, lamS, bT, bP, sT, sP]) a.length = 0;
    setUrl({ preset: presetSel.value, seed });
    worker.postMessage({ type: 'reset', preset: presetSel.value, seed, live: { branching: num(branchIn), tickCents: num(tickIn), depth: num(depthIn) } });
    sendSpeed();
  }
  for (const i of [branchIn, tickIn, depthIn]) i.addEventListener('change', reset);
  presetSel.addEventListener('change', () => {
    branchIn.value = '';
    tickIn.value = '';
    reset();
  });

  function trim(): void {
    const cut = now - WINDOW;
    let k = 0;
    while (k < midT.length && midT[k] < cut) k++;
    if (k > 0) for (const a of [midT, mids]) a.splice(0, k);
    k = 0;
    while (k < lamT.length && (lamT[k] < cut || lamT.length - k > 2000)) k++;
    if (k > 0) for (const a of [lamT, lamB, lamS]) a.splice(0, k);
    for (const [t, p] of [
      [bT, bP],
      [sT, sP],
    ]) {
      k = 0;
      while (k < t.length && (t[k] < cut || t.length - k > MAX_TRADES)) k++;
      if (k > 0) {
        t.splice(0, k);
        p.splice(0, k);
      }
    }
  }

  worker.onmessage = (e: MessageEvent) => {
    const m = e.data as Record<string, unknown> & { type: string };
    switch (m.type) {
      case 'presets': {
        const list = m.list as string[];
        presetSel.replaceChildren(...list.map((p) => el('option', { value: p, text: p })));
        presetSel.value = list.includes(state.preset ?? '') ? (state.preset as string) : 'default';
        reset();
        break;
      }
      case 'session': {
        if (branchIn.value === '') branchIn.value = (m.branching as number).toFixed(2);
        if (tickIn.value === '') tickIn.value = String(Number((m.tickCents as number).toFixed(4)));
        const draw = m.draw as DrawnParam[];
        drawTable.replaceChildren(
          el('tr', {}, el('th', { text: `randomization draw (seed ${m.seed as number})` }), el('th', { text: 'value' }), el('th', { text: 'drawn from' })),
          ...(draw.length === 0 ? [el('tr', {}, el('td', { text: `${m.preset as string} has no randomized field` }), el('td'), el('td'))] : draw.map((d) => el('tr', {}, el('td', { text: d.path }), el('td', { text: Number(d.value.toPrecision(4)).toString() }), el('td', { text: d.distribution })))),
        );
        break;
      }
      case 'snapshot': {
        now = m.now as number;
        depth = m.depth as Float64Array;
        levels = m.levels as number;
        mine = m.mine as typeof mine;
        const st = m.midTimes as Float64Array;
        const sm = m.mids as Float64Array;
        for (let i = 0; i < st.length; i++) {
          midT.push(st[i]);
          mids.push(sm[i]);
        }
        lamT.push(now);
        lamB.push(m.lamBuy as number);
        lamS.push(m.lamSell as number);
        const tr = m.trades as { time: Float64Array; price: Float64Array; qty: Float64Array; sign: Int8Array };
        // At full speed a snapshot may hold thousands of trades: only the last MAX_TRADES can be drawn.
        for (let i = Math.max(0, tr.time.length - 2 * MAX_TRADES); i < tr.time.length; i++) {
          if (tr.sign[i] > 0) {
            bT.push(tr.time[i]);
            bP.push(tr.price[i]);
          } else {
            sT.push(tr.time[i]);
            sP.push(tr.price[i]);
          }
        }
        trim();
        // Session seconds from a 9:30 open, as a wall clock.
        const c = Math.floor(9.5 * 3600 + now);
        const two = (x: number): string => String(x).padStart(2, '0');
        clockEl.textContent = `${two(Math.floor(c / 3600))}:${two(Math.floor(c / 60) % 60)}:${two(c % 60)} (×${(m.simRate as number).toFixed(0)} real time)`;
        if (m.facts !== null) showFacts(m.facts as Facts, m.spread as number);
        if (now >= (m.end as number)) status.textContent = 'the session is over: restart or pick another seed';
        dirty = true;
        break;
      }
      case 'error':
        status.textContent = `error: ${String(m.message)}`;
        status.classList.add('error');
        break;
    }
  };

  function showFacts(f: Facts, spreadNow: number): void {
    const v = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : '–');
    factsTable.replaceChildren(
      el('tr', {}, el('th', { text: 'stylized fact (session so far)' }), el('th', { text: 'value' }), el('th', { text: 'real markets' })),
      el('tr', {}, el('td', { text: `excess kurtosis of ${RETURN_SECONDS}-s returns (n = ${f.returnCount})` }), el('td', { 'data-testid': 'fact-kurtosis', text: v(f.returnExcessKurtosis, 2) }), el('td', { text: '> 0 (fat tails)' })),
      ...SIGN_LAGS.map((lag, i) => el('tr', {}, el('td', { text: `trade-sign autocorrelation, lag ${lag} (n = ${f.signCount})` }), el('td', { 'data-testid': `fact-acf-${lag}`, text: v(f.signAcf[i]) }), el('td', { text: '> 0, slowly decaying' }))),
      el('tr', {}, el('td', { text: 'mean spread, ticks (now)' }), el('td', { 'data-testid': 'fact-spread', text: `${v(f.meanSpreadTicks, 2)} (${spreadNow})` }), el('td', { text: 'one to a few ticks' })),
    );
  }

  function drawLadder(): void {
    const ctx = ladder.getContext('2d') as CanvasRenderingContext2D;
    const W = ladder.width;
    const H = ladder.height;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    if (levels === 0) return;
    const rows = 2 * levels;
    const rh = Math.floor((H - 20) / rows);
    let maxQ = 1;
    for (let i = 0; i < 2 * levels; i++) maxQ = Math.max(maxQ, depth[2 * i + 1]);
    const myPrices = new Map(mine.map((o) => [o.price, o]));
    ctx.font = '11px ui-monospace, monospace';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#333';
    ctx.fillText('price', 6, 9);
    ctx.fillText('shares', 80, 9);
    const row = (y: number, price: number, qty: number, color: string): void => {
      if (price <= 0) return;
      ctx.fillStyle = color;
      ctx.fillRect(70, y + 1, ((W - 130) * qty) / maxQ, rh - 2);
      ctx.fillStyle = '#222';
      ctx.fillText(String(price), 6, y + rh / 2);
      ctx.fillText(String(qty), 74, y + rh / 2);
      const o = myPrices.get(price);
      if (o !== undefined) {
        ctx.fillStyle = '#000';
        ctx.fillText(`◀ you ${o.qty} (${o.ahead} ahead)`, W - 150 + 30, y + rh / 2);
      }
    };
    // Asks: best at the bottom of the upper half.
    for (let i = 0; i < levels; i++) row(20 + (levels - 1 - i) * rh, depth[2 * levels + 2 * i], depth[2 * levels + 2 * i + 1], '#f4a6a6');
    for (let i = 0; i < levels; i++) row(20 + (levels + i) * rh, depth[2 * i], depth[2 * i + 1], '#9fd3a0');
  }

  let frames = 0;
  let fpsT = performance.now();
  let raf = 0;
  const frame = (): void => {
    raf = requestAnimationFrame(frame);
    frames++;
    const t = performance.now();
    if (t - fpsT >= 1000) {
      fpsEl.textContent = ((frames * 1000) / (t - fpsT)).toFixed(0);
      frames = 0;
      fpsT = t;
    }
    if (!dirty) return;
    dirty = false;
    drawLadder();
    priceChart.draw(
      [
        { label: 'mid', color: '#555', x: midT, y: mids },
        { label: 'buys', color: '#2ca02c', x: bT, y: bP, kind: 'points' },
        { label: 'sells', color: '#d62728', x: sT, y: sP, kind: 'points' },
      ],
      { title: `Price (ticks) and trades, last ${WINDOW} s`, xLabel: 'session time (s)', xRange: [now - WINDOW, now] },
    );
    lamChart.draw(
      [
        { label: 'λ buy', color: '#2ca02c', x: lamT, y: lamB },
        { label: 'λ sell', color: '#d62728', x: lamT, y: lamS },
      ],
      { title: 'Hawkes intensities of the takers (orders/s)', xLabel: 'session time (s)', xRange: [now - WINDOW, now] },
    );
  };
  raf = requestAnimationFrame(frame);

  return () => {
    cancelAnimationFrame(raf);
    worker.terminate();
  };
}
