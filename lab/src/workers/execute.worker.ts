/**
 * The Execute view's worker: runs baseline and trained-policy episodes and the visitor's
 * hand-traded episode off the page's thread. Messages in: `run` (env, seed, quantity, policies),
 * `hand-reset`, `hand-step`; out: `policies` (the baselines and the shipped trained policies),
 * `episode` (one policy's trace), `hand` (the hand-traded trace so far), `done`, `error`.
 * A shipped policy's checkpoint is fetched and verified when it first runs, and TensorFlow.js
 * (its cpu backend: the policy acts through the float64 forward pass, the backend only holds the
 * weights) is loaded then, so a visitor who runs only baselines never downloads either.
 */
import { envStepsPerSecond } from '../core/bench.ts';
import type { AnyPolicy } from '../../../agents/index.ts';
import acCalibrations from 'virtual:ac-calibrations';
import { acSchedule, envOptionsFor, executeBaselines, HandEpisode, labPolicySpec, runTracedEpisode, type HandAction } from '../core/episodes.ts';
import { shippedPolicies } from '../edges/shipped-policies.ts';

export type ExecuteRequest =
  | { type: 'run'; envId: string; seed: number; quantity?: number; policies: string[]; acSeeds: number }
  | { type: 'hand-reset'; envId: string; seed: number; quantity?: number }
  | { type: 'hand-step'; action: HandAction }
  | { type: 'bench-env'; envId: string; steps: number };

let hand: HandEpisode | null = null;
const trained = new Map<string, Promise<AnyPolicy>>();

/** The shipped policy `name`, loaded once per worker (the pending load is shared: overlapping runs build it once; a failed load is forgotten). */
function shippedPolicy(name: string): Promise<AnyPolicy> {
  let p = trained.get(name);
  if (p === undefined) {
    p = (async () => {
      const [{ startBackend }, { shippedCheckpoint }, { policyFromCheckpoint }] = await Promise.all([import('./tf-backend.ts'), import('../edges/shipped-policies.ts'), import('../core/policies.ts')]);
      await startBackend('cpu');
      return policyFromCheckpoint(await shippedCheckpoint(name), `policies/${name}`);
    })();
    trained.set(name, p);
    p.catch(() => trained.delete(name));
  }
  return p;
}

function post(msg: unknown): void {
  (self as unknown as Worker).postMessage(msg);
}

async function handle(req: ExecuteRequest): Promise<void> {
  switch (req.type) {
    case 'run': {
      const opts = envOptionsFor(req.envId, req.quantity);
      let kappa: number | undefined;
      let tau: number | undefined;
      let quantity = NaN;
      let decisionCount = 0;
      const shipped = shippedPolicies();
      for (const name of req.policies) {
        if (shipped[name] !== undefined && req.envId === 'Liquidate-AC-v0') {
          throw new Error(`${name} was trained on ${shipped[name].env}'s order-book market and acts on the order-book envs, not on ${req.envId}`);
        }
      }
      for (const name of req.policies) {
        const t0 = performance.now();
        const isShipped = shipped[name] !== undefined;
        const policy = isShipped ? await shippedPolicy(name) : undefined;
        const spec = isShipped ? { name } : labPolicySpec(name, req.envId, opts, req.acSeeds, acCalibrations);
        const trace = await runTracedEpisode(spec, name, req.envId, opts, req.seed, policy);
        if (trace.acKappa !== undefined) {
          kappa = trace.acKappa;
          tau = trace.times.length > 1 ? trace.times[1] - trace.times[0] : undefined;
        }
        quantity = trace.quantity;
        decisionCount = trace.decisionCount;
        post({ type: 'episode', trace, ms: performance.now() - t0 });
      }
      const schedule = req.policies.length > 0 ? acSchedule(req.envId, opts, quantity, decisionCount, kappa, tau) : [];
      post({ type: 'done', schedule, kappa: kappa ?? null });
      break;
    }
    case 'bench-env':
      post({ type: 'bench-env', ...envStepsPerSecond(req.envId, req.steps) });
      break;
    case 'hand-reset':
      hand = new HandEpisode(req.envId, envOptionsFor(req.envId, req.quantity), req.seed);
      post({ type: 'hand', trace: hand.recorder.trace, done: hand.done });
      break;
    case 'hand-step':
      if (hand === null) throw new Error('no hand-traded episode: press Start first');
      hand.step(req.action);
      post({ type: 'hand', trace: hand.recorder.trace, done: hand.done });
      break;
  }
}

post({ type: 'policies', list: executeBaselines(), shipped: Object.entries(shippedPolicies()).map(([name, e]) => ({ name, description: e.description })) });

self.onmessage = (ev: MessageEvent<ExecuteRequest>) => {
  handle(ev.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
