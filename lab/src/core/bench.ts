/**
 * What `execution-gym bench lab` times in the browser and in Node alike: env steps per second of
 * an execution env under TWAP (action 1 at every step; resets on seeds 0, 1, … included).
 */
import { make } from '../../../env/index.ts';

/** Env steps per second of `envId` under TWAP over `steps` steps, with the time of resets included. */
export function envStepsPerSecond(envId: string, steps: number, now: () => number = () => performance.now()): { steps: number; seconds: number; stepsPerSecond: number } {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${String(steps)}`);
  const env = make(envId);
  const action = Float64Array.of(1);
  let seed = 0;
  try {
    env.reset({ seed: seed++ });
    const t0 = now();
    for (let i = 0; i < steps; i++) {
      const r = env.step(action);
      if (r.terminated || r.truncated) env.reset({ seed: seed++ });
    }
    const seconds = (now() - t0) / 1000;
    return { steps, seconds, stepsPerSecond: steps / seconds };
  } finally {
    env.close();
  }
}
