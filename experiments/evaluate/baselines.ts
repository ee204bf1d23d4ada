/**
 * The options the baselines need from the env they are evaluated on, in one place for `evaluate`
 * and `benchmark`: POV gets its participation rate; AC gets the env's own parameters in the pure
 * Almgren–Chriss world (Liquidate-AC-v0), and otherwise a calibration of σ, η, γ, ε measured on
 * the env's own market (the simulated preset, or the replayed day; agents/baselines/calibrate.ts),
 * cached under runs/cache/, with risk aversion λ per bps. Every other name is passed as is.
 */
import { calibrateAcCached, parsePolicySpec, type AcCalibration, type PolicySpec } from '../../agents/index.ts';
import { ExecutionTaskEnv, make } from '../../env/index.ts';

import { DEFAULT_AC_CALIBRATION_SEEDS, DEFAULT_LAMBDA_PER_BPS, DEFAULT_POV_RHO } from './defaults.ts';

export interface BaselineSettings {
  lambdaPerBps?: number;
  povRho?: number;
  calibrationSeeds?: number;
  /** Where AC calibrations are cached (default runs/cache/ac-calibration). */
  cacheDir?: string;
  /** Called with a line about the AC calibration (where it came from, the figures). */
  log?: (line: string) => void;
}

export interface BaselineSetup {
  spec: PolicySpec;
  /** The AC calibration used (AC on a market only). */
  acCalibration?: AcCalibration;
}

/** The spec of policy `name` for env `envId` with `envOptions` (see the file header). */
export function baselineSpec(name: string, envId: string, envOptions: Record<string, unknown>, settings: BaselineSettings = {}): BaselineSetup {
  const spec = parsePolicySpec(name);
  if (spec.name === 'pov') return { spec: { name: 'pov', options: { rho: settings.povRho ?? DEFAULT_POV_RHO, ...spec.options } } };
  if (spec.name !== 'ac') return { spec: name };
  const lambdaPerBps = settings.lambdaPerBps ?? DEFAULT_LAMBDA_PER_BPS;
  const probe = make(envId, envOptions);
  try {
    const p = (probe.metadata.params ?? {}) as Record<string, unknown>;
    if (typeof p.sigma === 'number' && typeof p.eta === 'number' && typeof p.gamma === 'number' && typeof p.tau === 'number') {
      // The pure AC world: its own parameters, in its own units.
      return { spec: { name: 'ac', options: { sigma: p.sigma, eta: p.eta, gamma: p.gamma, epsilon: p.epsilon, lambda: p.lambda, tau: p.tau } } };
    }
    if (!(probe instanceof ExecutionTaskEnv)) throw new Error(`the ac baseline needs Almgren–Chriss parameters: ${envId} is neither the AC world nor an execution env on a market`);
    const decisionSeconds = probe.options.decisionSeconds;
    const market = typeof envOptions.market === 'string' ? envOptions.market : typeof envOptions.messages === 'string' ? envOptions.messages : envId === 'Liquidate-Replay-v0' ? 'replay' : 'default';
    const { calibration, cached } = calibrateAcCached({ source: probe.source, name: market }, { seeds: settings.calibrationSeeds ?? DEFAULT_AC_CALIBRATION_SEEDS, intervalSeconds: decisionSeconds }, settings.cacheDir);
    settings.log?.(
      `ac: ${cached ? 'cached ' : ''}calibration of '${market}': sigma ${calibration.sigma.toPrecision(4)} ticks/√s, eta ${calibration.eta.toPrecision(4)} ticks·s/share, gamma ${calibration.gamma.toPrecision(4)} ticks/share, epsilon ${calibration.epsilon.toPrecision(4)} ticks; lambda ${lambdaPerBps}/bps`,
    );
    return { spec: { name: 'ac', options: { sigma: calibration.sigma, eta: calibration.eta, gamma: calibration.gamma, epsilon: calibration.epsilon, lambdaPerBps } }, acCalibration: calibration };
  } finally {
    probe.close();
  }
}
