#!/usr/bin/env node
// Entry point of the `execution-gym` command: registers tsx's loader, then runs the TypeScript CLI.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';

register();
const here = dirname(realpathSync(fileURLToPath(import.meta.url)));
const cli = await import(pathToFileURL(join(here, '..', 'experiments', 'cli.ts')).href);
await cli.main(process.argv);
