/**
 * Seeded random streams.
 *
 * Every draw in the project comes from an `Rng`, a thin wrapper over seedrandom's `xor4096`
 * generator (53-bit doubles, ~10 ns a draw; seedrandom's default ARC4 is ~3x slower).
 * One integer seed derives any number of *named* streams (`market`, `randomize`, `agent`, ...):
 * each stream's seed is a hash of (seed, name), so extra draws in one stream never shift another.
 *
 * Distribution methods allocate nothing per draw. The only state besides the generator is the
 * spare normal deviate of the polar method, which is part of the stream's deterministic state.
 */
import seedrandom from 'seedrandom';
import { RandomError } from './errors.ts';

type Prng = seedrandom.PRNG;

/** Largest seed accepted: seeds are exact integers in [0, 2^53). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

export function assertSeed(seed: unknown, what = 'seed'): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RandomError(`${what} must be an integer in [0, 2^53-1], got ${String(seed)}`);
  }
}

/** A stream key: the text seedrandom hashes into its state. Distinct (seed, path) give distinct keys. */
function key(seed: number, path: string): string {
  return `execution-gym/v1/${seed}/${path}`;
}

export class Rng {
  /** The key this stream was built from (seed and stream path), for logs and forking. */
  readonly id: string;
  private readonly prng: Prng;
  private hasSpare = false;
  private spare = 0;

  private constructor(id: string) {
    this.id = id;
    this.prng = seedrandom.xor4096(id);
  }

  /** The root stream of a seed. Prefer `streams(seed).get(name)` or `fork(name)` for named streams. */
  static fromSeed(seed: number, name = 'root'): Rng {
    assertSeed(seed);
    return new Rng(key(seed, name));
  }

  /** An independent child stream named `name`; its draws do not depend on this stream's position. */
  fork(name: string): Rng {
    if (typeof name !== 'string' || name.length === 0) throw new RandomError(`stream name must be a non-empty string, got ${String(name)}`);
    return new Rng(`${this.id}/${name}`);
  }

  /** Uniform on [0, 1) with 53 bits of resolution. */
  next(): number {
    return this.prng.double();
  }

  /** Uniform on [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.prng.double();
  }

  /** Uniform on (0, 1]: safe to take the logarithm of. */
  private positive(): number {
    return 1 - this.prng.double();
  }

  /** Integer uniform on [lo, hi] (both inclusive). Requires integers lo <= hi with hi - lo < 2^53. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * this.prng.double());
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.prng.double() < p;
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate = 1): number {
    return -Math.log(this.positive()) / rate;
  }

  /** Normal N(mean, sd^2) by Marsaglia's polar method (keeps one spare deviate). */
  normal(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.prng.double() - 1;
      v = 2 * this.prng.double() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return mean + sd * u * f;
  }

  /** Lognormal: exp(N(mu, sigma^2)). */
  lognormal(mu = 0, sigma = 1): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Geometric on {1, 2, ...}: the number of Bernoulli(p) trials up to and including the first success. */
  geometric(p: number): number {
    if (p >= 1) return 1;
    return 1 + Math.floor(Math.log(this.positive()) / Math.log1p(-p));
  }

  /**
   * Poisson(lambda). Knuth's product method for lambda < 30; for larger lambda the PTRS
   * transformed-rejection method of Hörmann (1993), exact and O(1) expected draws.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const l = Math.exp(-lambda);
      let k = 0;
      let p = this.prng.double();
      while (p > l) {
        k++;
        p *= this.prng.double();
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.prng.double() - 0.5;
      const v = this.prng.double();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }

  /** Fisher–Yates shuffle of an array or typed array, in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor((i + 1) * this.prng.double());
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

const LOG_FACT_TABLE = new Float64Array(256);
for (let i = 2; i < 256; i++) LOG_FACT_TABLE[i] = LOG_FACT_TABLE[i - 1] + Math.log(i);

/** log(k!) exactly from a table for k < 256, by Stirling's series beyond (error < 1e-12). */
export function logFactorial(k: number): number {
  if (k < 256) return LOG_FACT_TABLE[k];
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
}

/**
 * Named streams of one seed. `get(name)` always returns the same stream object for a name, so
 * components that share a stream share its position; different names are independent.
 */
export class Streams {
  readonly seed: number;
  private readonly cache = new Map<string, Rng>();

  constructor(seed: number) {
    assertSeed(seed);
    this.seed = seed;
  }

  get(name: string): Rng {
    let r = this.cache.get(name);
    if (r === undefined) {
      r = Rng.fromSeed(this.seed, name);
      this.cache.set(name, r);
    }
    return r;
  }
}

export function streams(seed: number): Streams {
  return new Streams(seed);
}

/** A child integer seed in [0, 2^53) derived from (seed, name): for vector envs and seed lists. */
export function deriveSeed(seed: number, name: string | number): number {
  assertSeed(seed);
  const r = seedrandom.xor4096(key(seed, `derive/${String(name)}`));
  // 53 bits from two draws: 21 high bits and 32 low bits.
  const hi = Math.floor(r.double() * 2 ** 21);
  const lo = Math.floor(r.double() * 2 ** 32);
  return hi * 2 ** 32 + lo;
}
