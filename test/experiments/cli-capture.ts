/**
 * Runs the execution-gym CLI in this process (as `execution-gym <args>`), capturing what it
 * writes to stdout and stderr into `sink` (filled also when the command throws).
 */
import { vi } from 'vitest';
import { buildProgram } from '../../experiments/cli.ts';

export async function runCli(args: string[], sink = { stdout: '', stderr: '' }): Promise<{ stdout: string; stderr: string }> {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    sink.stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    sink.stderr += String(chunk);
    return true;
  });
  const program = await buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(['node', 'execution-gym', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return sink;
}
