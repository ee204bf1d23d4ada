/**
 * The e2e tests' browser: Debian's chromium driven by playwright-core (no browser download), and
 * the lab built once per test file with Vite's JS API into a temporary folder and served by
 * lab/server.ts.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu'];
/** Where the e2e tests leave their screenshots (gitignored). */
export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'lab');

export interface BuiltLab {
  url: string;
  dir: string;
  close(): Promise<void>;
}

/** Builds the lab into a temporary folder and serves it on a free port. */
export async function buildAndServeLab(): Promise<BuiltLab> {
  const { build } = await import('vite');
  const { labConfig } = await import('../../lab/vite.config.ts');
  const { serveStatic } = await import('../../lab/server.ts');
  const dir = mkdtempSync(join(tmpdir(), 'lab-e2e-'));
  await build({ ...labConfig(dir), configFile: false, logLevel: 'silent' });
  const { server, url } = await serveStatic(dir);
  return {
    url,
    dir,
    close: () =>
      new Promise<void>((ok) => {
        (server as Server).close(() => {
          rmSync(dir, { recursive: true, force: true });
          ok();
        });
      }),
  };
}
