/**
 * `execution-gym serve --stdio [--modules a.ts,b.ts]`: serves envs, vector envs and evaluations to
 * the process at the other end of this one's standard streams, in the binary protocol of
 * python/PROTOCOL.md (the Python package `execution_gym` starts it this way). Frames only on
 * stdout; logs on stderr; exits when stdin closes.
 */
import type { Command } from 'commander';
import type { CommandGroups } from '../cli.ts';

interface Opts {
  stdio?: boolean;
  modules?: string;
}

export function register(program: Command, _groups: CommandGroups): void {
  program
    .command('serve')
    .description('serve envs to another process (the Python package) over stdin/stdout in a binary protocol; exits when stdin closes')
    .option('--stdio', 'speak the protocol on stdin/stdout (the only transport)')
    .option('--modules <files>', 'comma-separated modules to import first (they may register envs or policies)')
    .action(async (opts: Opts) => {
      if (opts.stdio !== true) throw new Error('serve needs --stdio (the only transport): execution-gym serve --stdio');
      const { guardStdout, serveFds } = await import('../serve/index.ts');
      guardStdout();
      const { readFileSync } = await import('node:fs');
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
      const { resolve } = await import('node:path');
      const modules = (opts.modules?.split(',').filter((m) => m.length > 0) ?? []).map((m) => (/^[a-z]+:/i.test(m) ? m : resolve(m)));
      await serveFds(0, 1, { modules, serverVersion: pkg.version });
      // Worker threads (vector envs, evaluations) must not keep a server without a client alive.
      process.exit(0);
    });
}
