/**
 * The browser's `configs/market-presets.ts` (swapped in by lab/vite.config.ts): the same exports,
 * over copies of configs/markets/*.yaml bundled as text. Files other than the presets cannot be
 * read in the browser.
 */
import { parse } from 'yaml';

const files = import.meta.glob('../../../configs/markets/*.yaml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const byPath = new Map<string, string>();
for (const [key, text] of Object.entries(files)) byPath.set(`configs/markets/${key.slice(key.lastIndexOf('/') + 1)}`, text);

export const MARKETS_DIR = 'configs/markets';

export const MARKET_PRESETS: readonly string[] = [...byPath.keys()].map((p) => p.slice(MARKETS_DIR.length + 1, -'.yaml'.length)).sort();

export function marketPresetPath(name: string): string {
  return `${MARKETS_DIR}/${name}.yaml`;
}

export function marketFileExists(path: string): boolean {
  return byPath.has(path);
}

export function readMarketFile(path: string): unknown {
  const text = byPath.get(path);
  if (text === undefined) throw new Error(`cannot read ${path} in the browser: only the shipped presets (${MARKET_PRESETS.join(', ')}) are bundled`);
  return parse(text);
}
