/**
 * `npm run lab`: builds the lab (lab/vite.config.ts) into dist/lab/ and serves it on
 * http://127.0.0.1:<port>/ (PORT, default 5173; the next free one if taken), printing the URL.
 * `npm run lab -- --build-only` only builds: that is `npm run lab:build` (through this file, not
 * Vite's CLI, so that the build can compute the AC calibrations with the project's own code).
 */
import { build } from 'vite';
import { labConfig } from './vite.config.ts';
import { serveStatic } from './server.ts';
import { join } from 'node:path';

const outDir = join(import.meta.dirname, '..', 'dist', 'lab');
await build({ ...labConfig(outDir), configFile: false });
if (!process.argv.includes('--build-only')) {
  let port = Number(process.env.PORT ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer port number, got ${process.env.PORT}`);
  for (;;) {
    try {
      const { url } = await serveStatic(outDir, port);
      process.stdout.write(`execution-gym lab: ${url}  (Ctrl-C stops it)\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
      port++;
    }
  }
}
