/**
 * The `execution-gym` command line.
 *
 * Commands live one module each in `experiments/commands/`. Every module exports
 * `register(program, groups)`: it adds its commands to `program` (or its subcommands to the
 * shared groups, such as `bench`). Modules must import heavy dependencies (TensorFlow.js,
 * charting) lazily inside their actions so that `execution-gym bench book` starts fast.
 */
import { Command } from 'commander';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface CommandGroups {
  /** `execution-gym bench <what>`: throughput benchmarks. */
  bench: Command;
}

export interface CommandModule {
  register(program: Command, groups: CommandGroups): void;
}

export async function buildProgram(): Promise<Command> {
  const pkg = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string };
  const program = new Command('execution-gym')
    .description('A reinforcement-learning gym for optimal trade execution on an agent-based limit order book.')
    .version(pkg.version, '-V, --version', 'print the version')
    .showHelpAfterError()
    .enablePositionalOptions();
  const bench = program.command('bench').description('throughput benchmarks (figures go into BENCHMARKS.md)');
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'commands');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as Partial<CommandModule>;
    if (typeof mod.register !== 'function') throw new Error(`experiments/commands/${f} must export register(program, groups)`);
    mod.register(program, { bench });
  }
  return program;
}

/** Parses `argv` (process.argv layout) and runs the command; errors print one line and set exit code 1. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`execution-gym: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

// Run when executed directly (`tsx experiments/cli.ts ...`); bin/execution-gym.js calls main() itself.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
