/**
 * Where the shipped market presets live, for Node: the YAML files in configs/markets/, read from
 * disk. This is the one edge of `configs/market.ts` that touches the file system (it lists the
 * folder when imported), kept apart so that a browser build swaps in a module with the same
 * exports that reads bundled copies of the same files (lab/src/edges/market-presets.ts).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYamlFile } from './fs.ts';

/** The folder of the preset YAML files. */
export const MARKETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'markets');

/** Names of the shipped presets (the YAML files in configs/markets/). */
export const MARKET_PRESETS: readonly string[] = readdirSync(MARKETS_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

/** The file of preset `name` (it may not exist: see `marketFileExists`). */
export function marketPresetPath(name: string): string {
  return join(MARKETS_DIR, `${name}.yaml`);
}

/** True when `path` names an existing file. */
export function marketFileExists(path: string): boolean {
  return existsSync(path);
}

/** Reads a YAML (or JSON) market file. @throws Error naming the file when unreadable or not YAML. */
export function readMarketFile(path: string): unknown {
  return readYamlFile(path);
}
