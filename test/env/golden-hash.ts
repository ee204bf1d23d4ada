/** The hash of many seeded episodes of an env (observations, rewards, info): see golden.test.ts. */
import { createHash } from 'node:crypto';
import { make } from '../../env/index.ts';
import { Rng } from '../../simulator/random/index.ts';

/** Sorted-key JSON of info (typed arrays as plain arrays). */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (x instanceof Float64Array) return Array.from(x);
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) o[k] = (x as Record<string, unknown>)[k];
      return o;
    }
    return x;
  });
}

export function episodesHash(id: string, options: Record<string, unknown>, episodes: number, omitInfo: readonly string[] = []): string {
  const env = make(id, options);
  const h = createHash('sha256');
  const rng = Rng.fromSeed(5, 'golden');
  for (let ep = 0; ep < episodes; ep++) {
    // Every third reset is unseeded: the seed sequence is part of the behaviour.
    const r = ep % 3 === 2 ? env.reset() : env.reset({ seed: 1000 + ep });
    h.update(new Uint8Array((r.observation as Float64Array).buffer));
    h.update(canonical(omit(r.info, omitInfo)));
    for (;;) {
      const s = env.step(env.actionSpace.sample(rng) as never);
      h.update(new Uint8Array((s.observation as Float64Array).buffer));
      h.update(Float64Array.of(s.reward));
      h.update(canonical(omit(s.info, omitInfo)));
      if (s.terminated || s.truncated) break;
    }
  }
  return h.digest('hex').slice(0, 16);
}


/** `info` without the named keys. */
function omit(info: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  if (keys.length === 0) return info;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(info)) if (!keys.includes(k)) out[k] = info[k];
  return out;
}
