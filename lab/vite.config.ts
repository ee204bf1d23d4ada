/**
 * The lab's build (Vite). It bundles simulator/, env/ and agents/ as they are, with two edges
 * handled here, in one place:
 * - `configs/market-presets.ts` (lists and reads the preset YAML files on disk when imported) is
 *   replaced by `lab/src/edges/market-presets.ts`, which has the same exports over bundled copies
 *   of the same files;
 * - Node built-ins (`node:fs`, `node:path`, `node:worker_threads`, ...) are imported by Node-only
 *   functions of the core (checkpoint files, calibration cache, worker vector envs, LOBSTER
 *   files) that the lab never calls. Each becomes a module with the same export names whose
 *   functions throw `Error('node:fs.readFileSync is not available in the browser')`, so a call
 *   that should never happen fails loudly instead of doing something else.
 * The AC baseline's calibrations are the command line's, computed in Node at build time and
 * bundled as `virtual:ac-calibrations` (lab/ac-calibrations.ts).
 * Everything is emitted locally (TensorFlow.js's WebAssembly binaries are copied next to the
 * bundle), so the site works offline from any static host.
 */
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const LAB = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(LAB, '..');
const STUB = '\0node-stub:';

const AC_MODULE = 'virtual:ac-calibrations';

/** `virtual:ac-calibrations`: the command line's AC calibrations, computed (or read from its cache) at build time (lab/ac-calibrations.ts). */
function acCalibrations(): Plugin {
  return {
    name: 'execution-gym-ac-calibrations',
    resolveId(source) {
      return source === AC_MODULE ? '\0' + AC_MODULE : null;
    },
    async load(id) {
      if (id !== '\0' + AC_MODULE) return null;
      const { labAcCalibrations } = await import('./ac-calibrations.ts');
      return `export default ${JSON.stringify(labAcCalibrations())};`;
    },
  };
}

function nodeEdges(): Plugin {
  const presets = resolve(ROOT, 'configs/market-presets.ts');
  return {
    name: 'execution-gym-node-edges',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (importer !== undefined && source.endsWith('market-presets.ts') && resolve(dirname(importer), source) === presets) {
        return resolve(LAB, 'src/edges/market-presets.ts');
      }
      const bare = source.startsWith('node:') ? source.slice(5) : source;
      if (builtinModules.includes(bare)) return STUB + bare;
      return null;
    },
    load(id) {
      if (!id.startsWith(STUB)) return null;
      const name = id.slice(STUB.length);
      const real = createRequire(import.meta.url)(name) as Record<string, unknown>;
      const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
      const lines = [
        `function unavailable(what) { return function () { throw new Error('node:' + what + ' is not available in the browser'); }; }`,
        ...names.map((k) => `export const ${k} = unavailable(${JSON.stringify(`${name}.${k}`)});`),
        `export default {};`,
      ];
      return lines.join('\n');
    },
  };
}

/** The config; `outDir` defaults to dist/lab/ at the repository root. */
export function labConfig(outDir = join(ROOT, 'dist', 'lab')): UserConfig {
  return {
    root: LAB,
    base: './',
    logLevel: 'warn',
    plugins: [nodeEdges(), acCalibrations()],
    worker: { format: 'es', plugins: () => [nodeEdges(), acCalibrations()] },
    server: { fs: { allow: [ROOT] } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 4096,
      reportCompressedSize: false,
      rollupOptions: {
        // zod's sources carry /*@__PURE__*/ comments where Rollup cannot use them: harmless.
        onwarn(warning, warn) {
          if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
        },
      },
    },
  };
}

export default defineConfig(labConfig());
