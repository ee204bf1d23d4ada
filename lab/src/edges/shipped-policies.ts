/**
 * The trained policies the project ships (policies/, the ones `evaluate --policy ppo-liquidate`
 * runs by name), in the browser: policies/index.json is bundled, and the files of each policy's
 * checkpoint are bundled as local assets (Vite's ?url imports), fetched only when the policy is
 * first run, and verified by `decodeCheckpoint` (every SHA-256 digest) as Node's loader does.
 */
import { decodeCheckpoint, type Checkpoint } from '../../../agents/common/index.ts';

interface ShippedEntry {
  dir: string;
  algo: string;
  env: string;
  description: string;
}

const INDEX = Object.values(import.meta.glob('../../../policies/index.json', { eager: true, import: 'default' }))[0] as Record<string, ShippedEntry> | undefined;
const FILES = import.meta.glob('../../../policies/*/checkpoints/step-*/*', { query: '?url', import: 'default' }) as Record<string, () => Promise<string>>;

/** Name → index entry, for every shipped policy whose checkpoint files are bundled. */
export function shippedPolicies(): Record<string, ShippedEntry> {
  const out: Record<string, ShippedEntry> = {};
  for (const [name, e] of Object.entries(INDEX ?? {})) if (filesOf(e.dir).size > 0) out[name] = e;
  return out;
}

/** The bundled files of the latest checkpoint of policies/<dir>/ (file name → loader of its URL). */
function filesOf(dir: string): Map<string, () => Promise<string>> {
  const prefix = `../../../policies/${dir}/checkpoints/`;
  const steps = [...new Set(Object.keys(FILES).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length, k.lastIndexOf('/'))))].sort();
  const out = new Map<string, () => Promise<string>>();
  if (steps.length === 0) return out;
  const dirPrefix = `${prefix}${steps[steps.length - 1]}/`;
  for (const [k, load] of Object.entries(FILES)) if (k.startsWith(dirPrefix)) out.set(k.slice(dirPrefix.length), load);
  return out;
}

/** The verified checkpoint of shipped policy `name`. @throws Error naming the known ones; CheckpointError for a damaged file. */
export async function shippedCheckpoint(name: string): Promise<Checkpoint> {
  const entry = shippedPolicies()[name];
  if (entry === undefined) throw new Error(`no shipped policy ${JSON.stringify(name)}; shipped: ${Object.keys(shippedPolicies()).join(', ') || 'none'}`);
  const files = new Map<string, Uint8Array>();
  for (const [file, url] of filesOf(entry.dir)) {
    const res = await fetch(await url());
    if (!res.ok) throw new Error(`policies/${entry.dir}: fetching ${file} failed (${res.status} ${res.statusText})`);
    files.set(file, new Uint8Array(await res.arrayBuffer()));
  }
  return decodeCheckpoint(files, { where: `policies/${entry.dir}` });
}
