import { describe, expect, it } from 'vitest';
import {
  FlowError,
  HawkesParamsSchema,
  UShapeProfile,
  meanIntensity,
  parseHawkesParams,
  rateCovariance,
  spectralRadius,
} from '../../../simulator/flow/index.ts';

describe('HawkesParamsSchema', () => {
  it('accepts a stationary 2-D two-component model and fills profile defaults', () => {
    const p = parseHawkesParams({
      mu: [0.1, 0.2],
      components: [
        { decay: 100, branching: [[0.3, 0.02], [0.02, 0.3]] },
        { decay: 2, branching: [[0.1, 0], [0, 0.1]] },
      ],
      profile: { sessionSeconds: 23400, open: 2 },
    });
    expect(p.profile?.openTau).toBe(0.02);
    expect(p.profile?.close).toBe(0);
  });

  it('rejects a non-stationary model with the spectral radius in the message', () => {
    const r = HawkesParamsSchema.safeParse({ mu: [1, 1], components: [{ decay: 1, branching: [[0.5, 0.6], [0.6, 0.5]] }] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/spectral radius .* is 1\.10000, it must be < 1/);
    expect(() => parseHawkesParams({ mu: [1], components: [{ decay: 1, branching: [[0.6]] }, { decay: 9, branching: [[0.4]] }] })).toThrow(
      /spectral radius.*1\.00000/,
    );
  });

  it('rejects bad shapes and values naming the field', () => {
    expect(() => parseHawkesParams({ mu: [1, 1], components: [{ decay: 1, branching: [[0.1]] }] })).toThrow(/2 rows[\s\S]*components\[0\]\.branching/);
    expect(() => parseHawkesParams({ mu: [1], components: [{ decay: -1, branching: [[0.1]] }] })).toThrow(FlowError);
    expect(() => parseHawkesParams({ mu: [-1], components: [{ decay: 1, branching: [[0.1]] }] })).toThrow(/mu/);
    expect(() => parseHawkesParams({ mu: [1], components: [] })).toThrow(/components/);
    expect(() => parseHawkesParams({ mu: [1], components: [{ decay: 1, branching: [[0.1]] }], extra: 1 })).toThrow(/extra/);
  });
});

describe('spectralRadius', () => {
  it('handles periodic, reducible, zero and general matrices', () => {
    expect(spectralRadius([[0, 0.9], [0.9, 0]])).toBeCloseTo(0.9, 10);
    expect(spectralRadius([[0.2, 0.5], [0, 0.7]])).toBeCloseTo(0.7, 10);
    expect(spectralRadius([[0, 0], [0, 0]])).toBe(0);
    // [[a, b], [c, d]]: ρ = (a + d)/2 + √(((a − d)/2)² + bc)
    const rho = 0.35 + Math.sqrt(0.05 * 0.05 + 0.2 * 0.1);
    expect(spectralRadius([[0.4, 0.2], [0.1, 0.3]])).toBeCloseTo(rho, 10);
    // 3-cycle: eigenvalues are the cube roots of 0.8·0.5·0.2.
    expect(spectralRadius([[0, 0.8, 0], [0, 0, 0.5], [0.2, 0, 0]])).toBeCloseTo(Math.cbrt(0.08), 9);
  });
  it('is exact and fast on reducible matrices (dimensions that nothing excites)', () => {
    // Block triangular: ρ is the largest of the diagonal blocks' (0.5 and the 2-cycle's 0.6).
    const A = [
      [0.5, 0, 0, 0],
      [0.3, 0, 0.6, 0],
      [0.2, 0.6, 0, 0],
      [0.1, 0.1, 0.1, 0],
    ];
    expect(spectralRadius(A)).toBeCloseTo(0.6, 10);
    // A dimension that excites others but is never excited, and a periodic 2-cycle beside it.
    expect(spectralRadius([[0, 0, 0], [0.7, 0, 0.4], [0.2, 0.9, 0]])).toBeCloseTo(0.6, 10);
    // One excited dimension, one inert: this took 100,000 iterations before.
    expect(spectralRadius([[0.3, 0], [0.2, 0]])).toBe(0.3);
    // Periodic 4-cycle inside a reducible 5×5 matrix: ρ = (0.9·0.8·0.7·0.6)^(1/4).
    const B = [
      [0, 0.9, 0, 0, 0],
      [0, 0, 0.8, 0, 0],
      [0, 0, 0, 0.7, 0],
      [0.6, 0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5, 0.1],
    ];
    expect(spectralRadius(B)).toBeCloseTo(Math.pow(0.9 * 0.8 * 0.7 * 0.6, 0.25), 9);
    // Many calls stay cheap (the old loop spent milliseconds per call on such matrices).
    let s = 0;
    for (let k = 0; k < 2000; k++) s += spectralRadius([[0.3, 0], [0.2, 0]]);
    expect(s).toBeCloseTo(600, 9);
  });
  it('rejects negative entries and non-square input', () => {
    expect(() => spectralRadius([[-1]])).toThrow(FlowError);
    expect(() => spectralRadius([[1, 2]])).toThrow(/square/);
  });
});

describe('moments', () => {
  it('gives (I − A)⁻¹μ and μ/(1 − n)³ in 1-D', () => {
    const p = parseHawkesParams({ mu: [1], components: [{ decay: 2, branching: [[0.3]] }, { decay: 20, branching: [[0.2]] }] });
    expect(meanIntensity(p)[0]).toBeCloseTo(2, 12);
    expect(rateCovariance(p)[0][0]).toBeCloseTo(8, 10);
  });
});

describe('UShapeProfile', () => {
  const prof = new UShapeProfile({ sessionSeconds: 1000, open: 2.14, openTau: 0.0136, close: 9.49, closeTau: 0.0259 });
  it('averages 1 over a session, integrates consistently and is bounded by max', () => {
    expect(prof.integral(0, 1000)).toBeCloseTo(1000, 9);
    expect(prof.integral(0, 3500)).toBeCloseTo(3000 + prof.integral(0, 500), 9);
    expect(prof.integral(250, 3500)).toBeCloseTo(prof.integral(0, 3500) - prof.integral(0, 250), 9);
    // Midpoint rule on a fine grid.
    let s = 0;
    const h = 0.01;
    let mx = 0;
    for (let t = 100 + h / 2; t < 990; t += h) {
      const v = prof.value(t);
      s += v * h;
      mx = Math.max(mx, v);
    }
    expect(s).toBeCloseTo(prof.integral(100, 990), 4);
    expect(mx).toBeLessThanOrEqual(prof.max);
    expect(prof.value(1000 - 1e-9)).toBeCloseTo(prof.max, 6);
    expect(prof.value(1234)).toBeCloseTo(prof.value(234), 12);
  });
  it('rejects bad specs', () => {
    expect(() => new UShapeProfile({ sessionSeconds: 0, open: 0, openTau: 1, close: 0, closeTau: 1 })).toThrow(/sessionSeconds/);
  });
});
