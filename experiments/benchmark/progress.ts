/**
 * Progress for long phases: a cli-progress bar with an ETA on a terminal; on a pipe or in CI,
 * one line at the start, at every 10% and at the end (no carriage-return noise in logs).
 */
import type { SingleBar } from 'cli-progress';

export interface Phase {
  update(value: number, info?: string): void;
  stop(summary?: string): void;
}

export type PhaseFactory = (name: string, total: number, unit: string) => Promise<Phase>;

function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

/** Phases drawn on `stream` (stderr by default). */
export function terminalPhases(stream: NodeJS.WriteStream = process.stderr): PhaseFactory {
  return async (name, total, unit) => {
    const started = performance.now();
    if (stream.isTTY) {
      const { SingleBar, Presets } = await import('cli-progress');
      const bar: SingleBar = new SingleBar(
        {
          stream,
          format: `${name.padEnd(22)} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted} elapsed, ETA {eta_formatted} | {info}`,
          hideCursor: true,
          etaBuffer: 50,
          fps: 5,
        },
        Presets.shades_classic,
      );
      bar.start(total, 0, { info: '' });
      return {
        update: (v, info) => bar.update(Math.min(v, total), { info: info ?? '' }),
        stop: (summary) => {
          bar.update(total, { info: summary ?? '' });
          bar.stop();
        },
      };
    }
    stream.write(`${name}: 0/${total} ${unit}\n`);
    let nextDecile = 1;
    return {
      update: (v, info) => {
        if (total > 0 && v >= (nextDecile * total) / 10) {
          const el = (performance.now() - started) / 1000;
          const eta = v > 0 ? (el * (total - v)) / v : Number.NaN;
          stream.write(`${name}: ${Math.min(v, total)}/${total} ${unit} (${nextDecile * 10}%), ${fmtSeconds(el)} elapsed, ETA ${fmtSeconds(eta)}${info ? ` | ${info}` : ''}\n`);
          while (total > 0 && v >= (nextDecile * total) / 10) nextDecile++;
        }
      },
      stop: (summary) => {
        stream.write(`${name}: done in ${fmtSeconds((performance.now() - started) / 1000)}${summary ? ` | ${summary}` : ''}\n`);
      },
    };
  };
}

/** Phases that draw nothing (tests, --quiet). */
export const silentPhases: PhaseFactory = async () => ({ update: () => undefined, stop: () => undefined });
