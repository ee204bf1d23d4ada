/**
 * The AC baseline's calibrations that the lab bundles (Node, at build time): for each lab env on
 * a simulated market, the calibration `evaluate` uses (`baselineSpec`: 500 seeds, cached under
 * runs/cache/ac-calibration/, about 10 s the first time). With them the lab's AC is evaluate's AC,
 * bit for bit, instead of a 50-seed calibration measured in the page. Served to the browser as the
 * virtual module `virtual:ac-calibrations` (lab/vite.config.ts).
 */
import { baselineSpec } from '../experiments/evaluate/baselines.ts';
import { acCalibrationKey, type BundledAcCalibration } from './src/core/episodes.ts';

/** The envs of the Execute view that run on a simulated market (default options). */
export const LAB_MARKET_ENVS = ['Liquidate-v0', 'Liquidate-Limit-v0'] as const;

export function labAcCalibrations(): Record<string, BundledAcCalibration> {
  const out: Record<string, BundledAcCalibration> = {};
  for (const envId of LAB_MARKET_ENVS) {
    const { acCalibration: c } = baselineSpec('ac', envId, {});
    if (c === undefined) throw new Error(`baselineSpec gave no AC calibration for ${envId}`);
    out[acCalibrationKey(c.market, c.intervalSeconds)] = { market: c.market, intervalSeconds: c.intervalSeconds, seeds: c.seeds, sigma: c.sigma, eta: c.eta, gamma: c.gamma, epsilon: c.epsilon };
  }
  return out;
}
