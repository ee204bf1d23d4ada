/**
 * The WebGPU backend in Node: TensorFlow.js's `@tensorflow/tfjs-backend-webgpu` on Dawn's Node
 * bindings (the `webgpu` package, which ships Dawn's native binaries inside the npm package).
 * Both are optional dependencies, loaded only by dynamic import, so a missing package never
 * breaks an install, an import of this module or `npm test`.
 *
 * Order matters: the backend module registers itself only if `navigator.gpu` exists when it is
 * first imported, so `useWebgpu` installs Dawn's globals and `navigator.gpu` before importing it.
 *
 * `probeWebgpu` asks Dawn for an adapter and decides (pure rule: `decideWebgpu`):
 * - package missing → not usable; the reason says what to install (`WEBGPU_INSTALL`);
 * - no adapter (no GPU driver Dawn can use: Vulkan on Linux, Metal on macOS, D3D12 on Windows)
 *   → not usable; the reason says why and how to get a software adapter for tests;
 * - a fallback adapter (software: SwiftShader, lavapipe) → usable only when asked for by name
 *   (`allowFallback`, i.e. `--backend webgpu`), never from `auto`: it emulates a GPU on the CPU
 *   and is slower than WebAssembly;
 * - a real adapter → usable.
 *
 * On Linux, `auto` first looks for a Vulkan driver manifest (ICD file): with none, Dawn cannot
 * find an adapter and would print a warning on stderr, so `auto` skips the probe and says so.
 */
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export class BackendError extends Error {
  override name = 'BackendError';
}

/** What `--backend webgpu` needs and the command that installs it (pinned like package.json). */
export const WEBGPU_INSTALL = {
  packages: "the packages 'webgpu' (Dawn's Node bindings) and '@tensorflow/tfjs-backend-webgpu'",
  command: 'npm install webgpu@^0.6.2 @tensorflow/tfjs-backend-webgpu@^4.22.0',
} as const;

/** The software Vulkan driver Debian's chromium package ships (for tests without a GPU). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  /** A fallback adapter: a software implementation (CPU emulation), not a GPU. */
  fallback: boolean;
}

export interface WebgpuProbe {
  /** True when the packages are not installed. */
  missing: boolean;
  /** True when the backend may be started on this adapter (see the file header). */
  usable: boolean;
  adapter?: AdapterSummary;
  /** One clause for the backend choice's reason. */
  reason: string;
}

function describe(a: AdapterSummary): string {
  const name = [a.vendor, a.architecture, a.description].filter((x) => x.length > 0).join(' ');
  return name.length > 0 ? name : 'unnamed adapter';
}

/**
 * The rule of the file header, from what was found: whether the packages load, the adapter Dawn
 * returned (undefined: none), whether a fallback adapter is acceptable, and (Linux, auto) whether
 * any Vulkan driver manifest exists.
 */
export function decideWebgpu(found: { packages: boolean; adapter: AdapterSummary | undefined | 'not-probed'; allowFallback: boolean; vulkanIcds?: readonly string[] }): WebgpuProbe {
  if (!found.packages) {
    return { missing: true, usable: false, reason: `WebGPU: ${WEBGPU_INSTALL.packages} are not installed (${WEBGPU_INSTALL.command})` };
  }
  if (found.adapter === 'not-probed') {
    return { missing: false, usable: false, reason: 'WebGPU: no Vulkan driver installed (no ICD file in the Vulkan loader\'s search paths), so no GPU adapter' };
  }
  if (found.adapter === undefined) {
    return {
      missing: false,
      usable: false,
      reason:
        'WebGPU: Dawn found no adapter (no GPU with a Vulkan, Metal or D3D12 driver is visible); for a software adapter in tests, ' +
        `set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} (Debian: apt-get install chromium libvulkan1)`,
    };
  }
  const a = found.adapter;
  if (a.fallback) {
    if (!found.allowFallback) {
      return { missing: false, usable: false, adapter: a, reason: `WebGPU: only a fallback (software) adapter, ${describe(a)}, which emulates a GPU on the CPU; auto never picks it (ask for --backend webgpu to use it)` };
    }
    return { missing: false, usable: true, adapter: a, reason: `WebGPU adapter ${describe(a)} is a fallback (software) adapter: a CPU emulation of a GPU, slower than wasm, useful for tests only` };
  }
  return { missing: false, usable: true, adapter: a, reason: `WebGPU adapter ${describe(a)} (a GPU)` };
}

/** Vulkan driver manifests the Vulkan loader would read on Linux (env overrides, then the XDG paths). */
export function vulkanIcdFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = [env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, env.VK_ADD_DRIVER_FILES]
    .filter((x): x is string => x !== undefined && x.length > 0)
    .flatMap((x) => x.split(':'))
    .filter((f) => existsSync(f));
  if (explicit.length > 0) return explicit;
  const home = homedir();
  const configDirs = [env.XDG_CONFIG_HOME ?? join(home, '.config'), ...(env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':'), '/etc'];
  const dataDirs = [env.XDG_DATA_HOME ?? join(home, '.local/share'), ...(env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':')];
  const out: string[] = [];
  for (const d of [...configDirs, ...dataDirs]) {
    const dir = join(d, 'vulkan', 'icd.d');
    if (!existsSync(dir)) continue;
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) out.push(join(dir, f));
    } catch {
      // An unreadable directory holds no usable driver.
    }
  }
  return out;
}

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}
interface AdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

/** Imports a package by a runtime string (TypeScript and bundlers do not require it); undefined when it is not installed. */
export async function importOptional(spec: string): Promise<unknown | undefined> {
  try {
    return await import(spec);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}

let dawn: { gpu: GpuLike } | undefined;

/** Loads Dawn once and installs its globals (GPUBufferUsage, …) and `navigator.gpu`. */
async function loadDawn(): Promise<{ gpu: GpuLike } | undefined> {
  if (dawn !== undefined) return dawn;
  const mod = (await importOptional('webgpu')) as DawnModule | undefined;
  if (mod === undefined) return undefined;
  // Only resolved here: importing the backend before navigator.gpu exists would register nothing.
  if (!packageResolves(TFJS_WEBGPU)) return undefined;
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const gpu = mod.create([]);
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (g.navigator.gpu === undefined) {
    // Node 21+ has a navigator of its own (without gpu).
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  dawn = { gpu };
  return dawn;
}

const TFJS_WEBGPU = '@tensorflow/tfjs-backend-webgpu';

function packageResolves(spec: string): boolean {
  try {
    createRequire(import.meta.url).resolve(spec);
    return true;
  } catch {
    return false;
  }
}

/**
 * Looks for the packages and an adapter and applies `decideWebgpu`. `allowFallback` is true for
 * `--backend webgpu`, false for `auto` (which also skips the probe on Linux without a Vulkan driver).
 */
export async function probeWebgpu(options: { allowFallback: boolean }): Promise<WebgpuProbe> {
  const d = await loadDawn();
  if (d === undefined) return decideWebgpu({ packages: false, adapter: undefined, allowFallback: options.allowFallback });
  if (!options.allowFallback && process.platform === 'linux' && vulkanIcdFiles().length === 0) {
    return decideWebgpu({ packages: true, adapter: 'not-probed', allowFallback: false });
  }
  const raw = await d.gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  const adapter: AdapterSummary | undefined =
    raw === null
      ? undefined
      : {
          vendor: raw.info?.vendor ?? '',
          architecture: raw.info?.architecture ?? '',
          description: raw.info?.description ?? '',
          fallback: raw.info?.isFallbackAdapter ?? raw.isFallbackAdapter ?? false,
        };
  return decideWebgpu({ packages: true, adapter, allowFallback: options.allowFallback });
}

/** Imports TensorFlow.js's WebGPU backend (after `probeWebgpu` installed navigator.gpu) and makes it active. */
export async function useWebgpu(probe: WebgpuProbe): Promise<boolean> {
  if (!probe.usable) return false;
  await import(TFJS_WEBGPU);
  if (tf.findBackendFactory('webgpu') === undefined) return false;
  return tf.setBackend('webgpu');
}
