/**
 * File helpers shared by every layer: atomic writes (temp file + rename, so a crash never leaves
 * a half-written file that looks complete) and YAML/JSON reading with clear errors.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

let tmpCounter = 0;

/** Writes `data` to `path` atomically: a temporary sibling is written, flushed and renamed over `path`. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${tmpCounter++}`);
  try {
    writeFileSync(tmp, data);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

export function writeYamlAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, stringifyYaml(value));
}

/** Reads a YAML (or JSON, which is YAML) file; errors name the file. */
export function readYamlFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (err) {
    throw new Error(`${path} is not valid YAML: ${(err as Error).message}`);
  }
}
