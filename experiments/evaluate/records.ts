/**
 * Per-episode records on disk: `episodes.csv` (one row per episode; the inventory trajectory as
 * space-separated numbers in one column) and `episodes.jsonl` (one JSON object per line), both
 * written atomically. NaN is written as an empty CSV cell and as null in JSON.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../configs/fs.ts';
import type { EpisodeRecord } from './episode.ts';

export const RECORD_COLUMNS = [
  'policy',
  'seed',
  'isBps',
  'slippageVwapBps',
  'completion',
  'completionBeforeDeadline',
  'fills',
  'passiveFills',
  'aggressiveFills',
  'passiveShare',
  'steps',
  'rewardSum',
  'quantity',
  'startSeconds',
  'sizeShare',
  'inventory',
  'passivePath',
  'limitQtySent',
  'cancelsSent',
  'cancelsLate',
] as const satisfies readonly (keyof EpisodeRecord)[];

function csvCell(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (Array.isArray(v)) return v.map((x) => (Number.isFinite(x) ? String(x) : 'NaN')).join(' ');
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function recordsToCsv(records: readonly EpisodeRecord[]): string {
  const lines = [RECORD_COLUMNS.join(',')];
  for (const r of records) lines.push(RECORD_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return lines.join('\n') + '\n';
}

export function recordsToJsonl(records: readonly EpisodeRecord[]): string {
  // JSON.stringify writes NaN as null.
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length > 0 ? '\n' : '');
}

/** Writes `<dir>/<stem>.csv` and `<dir>/<stem>.jsonl` atomically; returns their paths. */
export function writeRecords(dir: string, records: readonly EpisodeRecord[], stem = 'episodes'): { csv: string; jsonl: string } {
  const csv = join(dir, `${stem}.csv`);
  const jsonl = join(dir, `${stem}.jsonl`);
  writeFileAtomic(csv, recordsToCsv(records));
  writeFileAtomic(jsonl, recordsToJsonl(records));
  return { csv, jsonl };
}
