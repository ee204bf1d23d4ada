/**
 * The TypeScript side of the bit-identity tests: runs the envs directly (no server) on the cases
 * given as JSON on stdin and prints what they returned, floats as little-endian float64 hex.
 *
 * Case: { kind: 'env', id, options, seed, actions: (number[] | number)[] } — reset({ seed }), then
 * one step per action; after an episode ends the next call is reset() (unseeded: the sequence
 * continues) before the next action. { kind: 'vec', id, options, numEnvs, seed, actions: number[][] }
 * — SyncVectorEnv: reset({ seed }) then one lockstep step per row (flat actions).
 */
import { readFileSync } from 'node:fs';
import { make, SyncVectorEnv } from '../../../env/index.ts';

const hex = (xs: ArrayLike<number>): string => Buffer.from(Float64Array.from(xs).buffer).toString('hex');

interface Case {
  kind: 'env' | 'vec';
  id: string;
  options: Record<string, unknown>;
  seed: number;
  numEnvs?: number;
  actions: (number[] | number)[];
}

const input = JSON.parse(readFileSync(0, 'utf8')) as Case[];

const out = input.map((c) => {
  if (c.kind === 'vec') {
    const v = SyncVectorEnv.fromId(c.id, c.numEnvs ?? 1, c.options);
    const r0 = v.resetSync({ seed: c.seed });
    const obs = [hex(r0.observations)];
    const rewards: string[] = [];
    const terminated: number[][] = [];
    const truncated: number[][] = [];
    for (const a of c.actions) {
      const r = v.stepSync(Float64Array.from(a as number[]));
      obs.push(hex(r.observations));
      rewards.push(hex(r.rewards));
      terminated.push([...r.terminated]);
      truncated.push([...r.truncated]);
    }
    return { obs, rewards, terminated, truncated };
  }
  const env = make(c.id, c.options);
  const r0 = env.reset({ seed: c.seed });
  const obs = [hex(r0.observation)];
  const infos: unknown[] = [r0.info];
  const rewards: string[] = [];
  const flags: [boolean, boolean][] = [];
  let ended = false;
  for (const a of c.actions) {
    if (ended) {
      const r = env.reset();
      obs.push(hex(r.observation));
      infos.push(r.info);
      ended = false;
    }
    const r = env.step(typeof a === 'number' ? a : Float64Array.from(a));
    obs.push(hex(r.observation));
    infos.push(r.info);
    rewards.push(hex([r.reward]));
    flags.push([r.terminated, r.truncated]);
    ended = r.terminated || r.truncated;
  }
  return { obs, rewards, flags, infos };
});
process.stdout.write(JSON.stringify(out));
