/**
 * The lab's page: a header with the three views, the view chosen by the URL (core/url.ts), and
 * the URL kept in step with what the visitor picks, so a link reproduces the run.
 */
import './style.css';
import { el } from './dom.ts';
import { formatLabState, parseLabState, type LabState, type View } from './core/url.ts';
import { executeView } from './views/execute.ts';

const app = document.getElementById('app') as HTMLElement;
let state = parseLabState(location.search).state;
let dispose: (() => void) | null = null;

function setUrl(patch: Partial<LabState>): void {
  state = { ...state, ...patch, autorun: false };
  history.replaceState(null, '', formatLabState(state));
}

async function show(view: View): Promise<void> {
  dispose?.();
  dispose = null;
  app.replaceChildren();
  const nav = el('nav');
  for (const v of ['execute', 'market', 'train'] as const) {
    const a = el('a', { href: `?view=${v}`, text: v[0].toUpperCase() + v.slice(1), 'data-testid': `nav-${v}` });
    if (v === view) a.classList.add('active');
    a.addEventListener('click', (e) => {
      e.preventDefault();
      state = { view: v, autorun: false };
      history.pushState(null, '', formatLabState(state));
      void show(v);
    });
    nav.append(a);
  }
  const main = el('main', { 'data-testid': `view-${view}` });
  app.append(el('header', {}, el('h1', { text: 'execution-gym lab' }), nav), main);
  if (view === 'execute') dispose = executeView(main, state, setUrl);
  else if (view === 'market') dispose = (await import('./views/market.ts')).marketView(main, state, setUrl);
  else dispose = (await import('./views/train.ts')).trainView(main, state, setUrl);
}

/**
 * Hooks for `execution-gym bench lab` (headless Chromium): each runs in a fresh worker of the view
 * that owns the work and resolves with the worker's answer.
 */
function ask(w: Worker, msg: unknown, answer: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    w.onmessage = (e: MessageEvent) => {
      const m = e.data as { type: string; message?: string };
      if (m.type === answer) {
        w.terminate();
        resolve(m);
      } else if (m.type === 'error') {
        w.terminate();
        reject(new Error(m.message));
      }
    };
    w.postMessage(msg);
  });
}
(globalThis as unknown as { labBench: unknown }).labBench = {
  // `new Worker(new URL(...))` written out in full: the form Vite bundles as a worker.
  env: (envId: string, steps: number) => ask(new Worker(new URL('./workers/execute.worker.ts', import.meta.url), { type: 'module' }), { type: 'bench-env', envId, steps }, 'bench-env'),
  train: (backend: string, envId: string, steps: number, epochs: number) =>
    ask(new Worker(new URL('./workers/train.worker.ts', import.meta.url), { type: 'module' }), { type: 'bench-train', backend, envId, steps, epochs }, 'bench-train'),
};

window.addEventListener('popstate', () => {
  state = parseLabState(location.search).state;
  void show(state.view);
});
void show(state.view);
