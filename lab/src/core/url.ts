/**
 * The lab's state in the URL, so a link reproduces what a teacher showed:
 * `?view=execute&env=Liquidate-v0&seed=7&quantity=5000&policy=twap,passive-twap&autorun=1`.
 * Parsing never throws: a bad value is dropped and reported in `problems`, and the view falls
 * back to its default.
 */
export const VIEWS = ['execute', 'market', 'train'] as const;
export type View = (typeof VIEWS)[number];

export interface LabState {
  view: View;
  env?: string;
  preset?: string;
  seed?: number;
  quantity?: number;
  policies?: string[];
  autorun: boolean;
  /** Train view: algorithm and backend asked for. */
  algo?: string;
  backend?: string;
  steps?: number;
  /** Train view: PPO's update epochs per iteration (fewer: faster, noisier). */
  epochs?: number;
}

const INT = /^(0|[1-9]\d{0,15})$/;

/** Reads the state from a query string (with or without the leading '?'). */
export function parseLabState(query: string): { state: LabState; problems: string[] } {
  const q = new URLSearchParams(query);
  const problems: string[] = [];
  const view = q.get('view') ?? 'execute';
  const state: LabState = { view: (VIEWS as readonly string[]).includes(view) ? (view as View) : 'execute', autorun: q.get('autorun') === '1' };
  if (!(VIEWS as readonly string[]).includes(view)) problems.push(`view must be one of ${VIEWS.join(', ')}, got ${JSON.stringify(view)}`);
  const int = (key: 'seed' | 'quantity' | 'steps' | 'epochs', min: number): void => {
    const v = q.get(key);
    if (v === null) return;
    if (INT.test(v) && Number(v) >= min && Number(v) <= Number.MAX_SAFE_INTEGER) state[key] = Number(v);
    else problems.push(`${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  int('seed', 0);
  int('quantity', 1);
  int('steps', 1);
  int('epochs', 1);
  for (const key of ['env', 'preset', 'algo', 'backend'] as const) {
    const v = q.get(key);
    if (v !== null && v.length > 0) state[key] = v;
  }
  const p = q.get('policy');
  if (p !== null) state.policies = p.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return { state, problems };
}

/** The query string of a state (keys in a fixed order, defaults left out). */
export function formatLabState(s: LabState): string {
  const q = new URLSearchParams();
  q.set('view', s.view);
  if (s.env !== undefined) q.set('env', s.env);
  if (s.preset !== undefined) q.set('preset', s.preset);
  if (s.seed !== undefined) q.set('seed', String(s.seed));
  if (s.quantity !== undefined) q.set('quantity', String(s.quantity));
  if (s.policies !== undefined && s.policies.length > 0) q.set('policy', s.policies.join(','));
  if (s.algo !== undefined) q.set('algo', s.algo);
  if (s.backend !== undefined) q.set('backend', s.backend);
  if (s.steps !== undefined) q.set('steps', String(s.steps));
  if (s.epochs !== undefined) q.set('epochs', String(s.epochs));
  if (s.autorun) q.set('autorun', '1');
  return `?${q.toString().replace(/%2C/g, ',')}`;
}
