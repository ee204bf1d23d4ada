/** Built by lab/vite.config.ts: the command line's AC calibrations (lab/ac-calibrations.ts). */
declare module 'virtual:ac-calibrations' {
  import type { BundledAcCalibration } from './core/episodes.ts';
  const calibrations: Record<string, BundledAcCalibration>;
  export default calibrations;
}
