/**
 * Progress of long phases (training, evaluation, simulation), the same for every command.
 *
 * - On a terminal: a cli-progress bar with elapsed time, a rate and an ETA. The ETA and the rate
 *   appear only once they mean something (at least 3 items and 2% of the total done, and 2 s
 *   elapsed); both are recomputed every second from the items done so far, so a phase that stalls
 *   shows a growing ETA, never a frozen one.
 * - In a log (stderr not a terminal): one line at the start, one every `intervalSeconds` (10 by
 *   default) with the true share done, and one at the end.
 */
import type { SingleBar } from 'cli-progress';

export interface Phase {
  update(value: number, info?: string): void;
  stop(summary?: string): void;
}

/** A phase of `total` items, `start` of them already done (a resumed run: rates count from there). */
export type PhaseFactory = (name: string, total: number, unit: string, start?: number) => Promise<Phase>;

/** Seconds as `42s`, `3m05s` or `1h02m` (rounded to whole seconds first: never `1m60s`). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const t = Math.round(seconds);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/** A rate with 3 significant digits and thousands grouped (`2,390 steps/s`). */
export function formatRate(perSecond: number, unit: string): string {
  if (!Number.isFinite(perSecond)) return '';
  const v = perSecond >= 100 ? Math.round(perSecond) : Number(perSecond.toPrecision(3));
  return `${v.toLocaleString('en-US')} ${unit}/s`;
}

/** ETA and rate once enough is done to estimate them (see the file header); undefined before. */
export function estimate(done: number, total: number, elapsedSeconds: number): { eta: number; rate: number } | undefined {
  if (done < 3 || done < 0.02 * total || elapsedSeconds < 2 || done <= 0) return undefined;
  const rate = done / elapsedSeconds;
  return { eta: Math.max(0, (total - done) / rate), rate };
}

export interface PhaseOptions {
  /** Seconds between progress lines in a log (default 10). */
  intervalSeconds?: number;
  /** Clock in seconds (tests). */
  now?: () => number;
}

/** Phases drawn on `stream` (stderr by default). */
export function terminalPhases(stream: NodeJS.WriteStream = process.stderr, options: PhaseOptions = {}): PhaseFactory {
  const now = options.now ?? (() => performance.now() / 1000);
  const interval = options.intervalSeconds ?? 10;
  return async (name, total, unit, start = 0) => {
    const started = now();
    let done = start;
    let info = '';
    const status = (): { etaText: string; rateText: string } => {
      const e = estimate(done - start, total - start, now() - started);
      return e === undefined ? { etaText: 'ETA …', rateText: '' } : { etaText: `ETA ${formatDuration(e.eta)}`, rateText: formatRate(e.rate, unit) };
    };
    if (stream.isTTY) {
      const { SingleBar, Presets } = await import('cli-progress');
      const bar: SingleBar = new SingleBar(
        {
          stream,
          format: `${name.padEnd(22)} [{bar}] {percentage}% | {value}/{total} ${unit} | {elapsed} elapsed, {etaText} {rateText} | {info}`,
          hideCursor: true,
          fps: 5,
        },
        Presets.shades_classic,
      );
      const payload = () => ({ ...status(), elapsed: formatDuration(now() - started), info });
      bar.start(total, start, payload());
      const timer = setInterval(() => bar.update(done, payload()), 1000);
      timer.unref?.();
      return {
        update: (v, i) => {
          done = Math.min(v, total);
          if (i !== undefined) info = i;
          bar.update(done, payload());
        },
        stop: (summary) => {
          clearInterval(timer);
          done = total;
          info = summary ?? info;
          bar.update(total, payload());
          bar.stop();
        },
      };
    }
    stream.write(`${name}: ${start}/${total} ${unit}\n`);
    let lastLine = started;
    return {
      update: (v, i) => {
        done = Math.min(v, total);
        if (i !== undefined) info = i;
        const t = now();
        if (t - lastLine >= interval && done < total) {
          lastLine = t;
          const s = status();
          const pct = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
          stream.write(`${name}: ${done}/${total} ${unit} (${pct}%), ${formatDuration(t - started)} elapsed, ${s.etaText}${s.rateText ? `, ${s.rateText}` : ''}${info ? ` | ${info}` : ''}\n`);
        }
      },
      stop: (summary) => {
        stream.write(`${name}: done, ${total} ${unit} in ${formatDuration(now() - started)}${summary ? ` | ${summary}` : ''}\n`);
      },
    };
  };
}

/** Phases that draw nothing (tests, --json). */
export const silentPhases: PhaseFactory = async () => ({ update: () => undefined, stop: () => undefined });
