/**
 * Golden hashes: the bits of many episodes of every simulated env id and action mode
 * (observations, rewards, info) under seeded random actions. A change of behaviour anywhere in
 * the market, the task or the envs changes a hash; a change that should not alter behaviour (a
 * refactor, a feature that is off by default, such as latency) must leave every hash as it is.
 * When behaviour changes on purpose (a market model change), update the hashes in the same
 * commit and say why. (Liquidate-AC-v0's hash changed once on purpose: its info gained `quantity`.)
 */
import { describe, expect, it } from 'vitest';
import { episodesHash } from './golden-hash.ts';

const CASES: [string, Record<string, unknown>, string][] = [
  ['Liquidate-v0', {}, '541595b2f4627d6a'],
  ['Acquire-v0', {}, '0e308779ba96b5c4'],
  ['Liquidate-Limit-v0', {}, 'c07ed3c105d7003c'],
  ['Liquidate-v0', { actionMode: 'discrete' }, '72743c7ebafb6a9e'],
  ['Liquidate-v0', { actionMode: 'limit', side: 'buy', makerFeeBps: -0.2, takerFeeBps: 0.3, riskAversion: 0.01 }, '50ab34cdc7a28803'],
  ['Liquidate-v0', { market: 'thin-volatile', aMax: 3 }, 'c43063c497741012'],
  ['Liquidate-v0', { market: 'large-tick', randomize: false, horizonSeconds: 300, decisionSeconds: 5 }, 'fe60ee8beb90127d'],
  ['Liquidate-AC-v0', {}, '271016bc951a8345'],
];

describe('golden episodes (bit-identical behaviour)', () => {
  for (const [id, options, hash] of CASES) {
    it(`${id} ${JSON.stringify(options)}`, () => {
      expect(episodesHash(id, options, 12)).toBe(hash);
    });
  }
});
