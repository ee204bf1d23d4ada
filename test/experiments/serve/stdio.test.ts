import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KIND } from '../../../experiments/serve/index.ts';
import { body, f64, frame, hello, parse, type Reply } from './client.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../../../bin/execution-gym.js', import.meta.url));
const noisy = fileURLToPath(new URL('./noisy-module.ts', import.meta.url));

/** Reads whole frames from the child's stdout, in order. */
class Frames {
  private buf = Buffer.alloc(0);
  private waiting: (() => void) | undefined;
  constructor(child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
  }
  async next(): Promise<Reply> {
    for (;;) {
      if (this.buf.length >= 4) {
        const n = this.buf.readUInt32LE(0);
        if (this.buf.length >= 4 + n) {
          const f = this.buf.subarray(0, 4 + n);
          this.buf = this.buf.subarray(4 + n);
          return parse(Buffer.from(f));
        }
      }
      await new Promise<void>((r) => (this.waiting = r));
    }
  }
  get leftover(): number {
    return this.buf.length;
  }
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('execution-gym serve --stdio', () => {
  it('speaks frames only on stdout (stray output goes to stderr) and exits when stdin closes', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--stdio', '--modules', noisy], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const frames = new Frames(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = exited(child);
    child.stdin.write(frame(hello()));
    expect((await frames.next()).kind).toBe(KIND.R_HELLO);
    child.stdin.write(frame(body(KIND.MAKE, 0, { id: 'Liquidate-AC-v0' })));
    const ready = await frames.next();
    expect(ready.kind).toBe(KIND.R_READY);
    child.stdin.write(frame(body(KIND.RESET, ready.handle, { seed: 1 })));
    const obs = await frames.next();
    expect(obs.kind).toBe(KIND.R_OBS);
    expect(f64(obs.payload, 0, 3)).toEqual(new Float64Array([1, 1, 0]));
    child.stdin.write(frame(body(KIND.STEP, ready.handle, new Float64Array([1]))));
    expect((await frames.next()).kind).toBe(KIND.R_STEPPED);
    child.stdin.end();
    expect(await exit).toBe(0);
    expect(frames.leftover).toBe(0);
    expect(stderr).toContain('noise from process.stdout.write');
    expect(stderr).toContain('noise from console.log');
  });

  it('exits after refusing another protocol version', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    const frames = new Frames(child);
    const exit = exited(child);
    child.stdin.write(frame(hello(999)));
    const r = await frames.next();
    expect(r.kind).toBe(KIND.R_ERROR);
    expect(JSON.parse(r.payload.toString())).toMatchObject({ message: expect.stringMatching(/version 999/) });
    expect(await exit).toBe(0);
  });

  it('needs --stdio', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await exited(child)).toBe(1);
    expect(stderr).toMatch(/serve needs --stdio/);
  });
});
