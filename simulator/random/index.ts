export { Rng, Streams, streams, deriveSeed, assertSeed, logFactorial, MAX_SEED } from './rng.ts';
export { AliasTable } from './alias.ts';
export { RandomError } from './errors.ts';
