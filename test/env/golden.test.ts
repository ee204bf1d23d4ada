/**
 * Golden hashes: the bits of many episodes of every simulated env id and action mode
 * (observations, rewards, info) under seeded random actions. A change of behaviour anywhere in
 * the market, the task or the envs changes a hash; a change that should not alter behaviour (a
 * refactor, a feature that is off by default, such as latency) must leave every hash as it is.
 * When behaviour changes on purpose (a market model change), update the hashes in the same
 * commit and say why. (Liquidate-AC-v0's hash changed once on purpose: its info gained `quantity`;
 * the default preset's five changed on 2026-12-06: its takers gained metaorder splitting, for
 * long memory of trade signs; the thin-volatile and large-tick cases changed on 2026-12-08: the
 * hand-made presets gained order-flow learning and a latent book, for concave impact.)
 */
import { describe, expect, it } from 'vitest';
import { episodesHash } from './golden-hash.ts';

const CASES: [string, Record<string, unknown>, string][] = [
  ['Liquidate-v0', {}, '00ab012af76c159e'],
  ['Acquire-v0', {}, '5944a3da7a124c30'],
  ['Liquidate-Limit-v0', {}, '37a274fdbd55547c'],
  ['Liquidate-v0', { actionMode: 'discrete' }, '4d45972ca03fc632'],
  ['Liquidate-v0', { actionMode: 'limit', side: 'buy', makerFeeBps: -0.2, takerFeeBps: 0.3, riskAversion: 0.01 }, 'a8aafdc578d04d76'],
  ['Liquidate-v0', { market: 'thin-volatile', aMax: 3 }, '4a883b97e567c419'],
  ['Liquidate-v0', { market: 'large-tick', randomize: false, horizonSeconds: 300, decisionSeconds: 5 }, '2e1a872ab0382fec'],
  ['Liquidate-AC-v0', {}, '271016bc951a8345'],
];

describe('golden episodes (bit-identical behaviour)', () => {
  for (const [id, options, hash] of CASES) {
    it(`${id} ${JSON.stringify(options)}`, () => {
      expect(episodesHash(id, options, 12)).toBe(hash);
    });
  }
});
