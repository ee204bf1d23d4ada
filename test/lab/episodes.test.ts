/**
 * The Execute view's episode logic in Node: recording an episode changes nothing (the IS and the
 * inventory path equal evaluate's records), the trace holds what the charts draw, and the
 * hand-traded episode is the same market as the baselines' (same arrival price on the same seed).
 */
import { describe, expect, it } from 'vitest';
import { acSchedule, envOptionsFor, executeBaselines, HandEpisode, labPolicySpec, runTracedEpisode } from '../../lab/src/core/episodes.ts';
import { resolvePolicies } from '../../experiments/evaluate/policies.ts';
import { evaluate } from '../../experiments/evaluate/index.ts';
import { listPolicies } from '../../agents/index.ts';
import { labAcCalibrations } from '../../lab/ac-calibrations.ts';

describe('lab episodes', () => {
  it.each([
    ['Liquidate-v0', 'twap'],
    ['Liquidate-v0', 'passive-twap'],
    ['Liquidate-Limit-v0', 'pov'],
    ['Liquidate-AC-v0', 'ac'],
  ])('%s %s: the traced episode is evaluate\'s episode', async (envId, name) => {
    const seed = 11;
    const opts = envOptionsFor(envId, undefined);
    const [record] = await evaluate((await resolvePolicies([name], envId, opts))[name], envId, opts, [seed], { workers: 0 });
    const trace = await runTracedEpisode(labPolicySpec(name, envId, opts, 20), name, envId, opts, seed);
    expect(trace.finalIsBps).toBe(record.isBps);
    expect(trace.inventory).toEqual(record.inventory);
    expect(trace.times.length).toBe(record.steps + 1);
    expect(trace.isBps[trace.isBps.length - 1]).toBe(record.isBps);
    const filled = trace.fills.reduce((s, f) => s + f.qty, 0);
    // Exact in shares on a market; the AC world's real-valued trades add up to within rounding (one ulp per addition).
    expect(Math.abs(filled - (trace.quantity - trace.inventory[trace.inventory.length - 1]))).toBeLessThanOrEqual(trace.fills.length * Number.EPSILON * trace.quantity);
  });

  // The calibration the lab bundles at build time is evaluate's (500 seeds, cached): same spec, same IS.
  it.each(['Liquidate-v0', 'Liquidate-Limit-v0'])('%s ac: with the bundled calibration, the lab\'s AC is evaluate\'s, bit for bit', async (envId) => {
    const seed = 13;
    const spec = (await resolvePolicies(['ac'], envId, {})).ac;
    const lab = labPolicySpec('ac', envId, {}, 20, labAcCalibrations());
    expect(lab).toEqual(spec);
    const [record] = await evaluate(spec, envId, {}, [seed], { workers: 0 });
    expect((await runTracedEpisode(lab, 'ac', envId, {}, seed)).finalIsBps).toBe(record.isBps);
  }, 60_000);

  it('offers every registered baseline', () => {
    expect(executeBaselines()).toEqual(listPolicies());
  });

  it('a hand-traded episode sees the baselines\' market and sells everything by the end', async () => {
    const twap = await runTracedEpisode('twap', 'twap', 'Liquidate-v0', {}, 5);
    const hand = new HandEpisode('Liquidate-v0', {}, 5);
    expect(hand.recorder.trace.arrivalPrice).toBe(twap.arrivalPrice);
    expect(hand.recorder.trace.quantity).toBe(twap.quantity);
    // Selling one slice at every decision is TWAP: the same IS, bit for bit.
    while (!hand.done) hand.step('sell');
    expect(hand.recorder.trace.finalIsBps).toBe(twap.finalIsBps);
    expect(() => hand.step('wait')).toThrow(/over/);
  });

  it('the AC schedule: the AC world\'s optimal holdings; the straight line without κ', () => {
    const s = acSchedule('Liquidate-AC-v0', { X: 1000 }, 1000, 5);
    expect(s[0]).toBe(1000);
    expect(s[5]).toBe(0);
    expect(s[1]).toBeLessThan(800); // risk averse (λ > 0): sells faster than TWAP early
    expect(acSchedule('Liquidate-v0', {}, 600, 3)).toEqual([600, 400, 200, 0]);
  });

  it('refuses a bad quantity, naming it', () => {
    expect(() => envOptionsFor('Liquidate-v0', 2.5)).toThrow(/quantity must be a positive integer of shares, got 2.5/);
  });
});
