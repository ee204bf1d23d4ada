/**
 * The stdio transport of `execution-gym serve --stdio`: length-prefixed frames (protocol.ts) read
 * from fd 0 and written to fd 1 with blocking system calls (`readSync` / `writeSync`), so a step
 * costs two system calls and no event-loop turn. Requests that must wait on something (the worker
 * vector env, the evaluation's baselines) are awaited, so the event loop runs while they do.
 *
 * The server exits when its standard input closes (end of file): that is what guarantees no orphan
 * processes, whatever happens to the client (even SIGKILL). Nothing but frames goes to stdout:
 * console output and any `process.stdout.write` are sent to stderr.
 */
import { readSync, writeSync } from 'node:fs';
import { format } from 'node:util';
import { MAX_REQUEST_BYTES } from './protocol.ts';
import { ServeSession, type SessionOptions } from './session.ts';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (used only when a descriptor is non-blocking and not ready). */
function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

function isAgain(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}

/** Reads frames from a file descriptor with blocking reads. */
export class FdFrameReader {
  private buf = Buffer.allocUnsafe(1 << 16);
  private start = 0;
  private end = 0;

  constructor(private readonly fd: number) {}

  /** The next frame's body (a view valid until the next call), or null at end of file. @throws on a truncated frame. */
  next(): Buffer | null {
    if (!this.fill(4)) {
      if (this.end > this.start) throw new Error(`stdin closed inside a frame header (${this.end - this.start} of 4 bytes)`);
      return null;
    }
    const len = this.buf.readUInt32LE(this.start);
    if (len > MAX_REQUEST_BYTES) throw new Error(`request frame of ${len} bytes exceeds ${MAX_REQUEST_BYTES}: the stream is not speaking this protocol`);
    if (!this.fill(4 + len)) throw new Error(`stdin closed inside a frame (${this.end - this.start - 4} of ${len} bytes)`);
    const body = this.buf.subarray(this.start + 4, this.start + 4 + len);
    this.start += 4 + len;
    return body;
  }

  /** Makes `n` bytes available from `start`; false at end of file. */
  private fill(n: number): boolean {
    if (this.end - this.start >= n) return true;
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (n > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.end);
      this.buf = next;
    }
    while (this.end < n) {
      let got: number;
      try {
        got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, null);
      } catch (err) {
        if (isAgain(err)) {
          sleep(1);
          continue;
        }
        if ((err as { code?: string }).code === 'EOF') return false;
        throw err;
      }
      if (got === 0) return false;
      this.end += got;
    }
    return true;
  }
}

/** Writes all of `data` to `fd` with blocking writes. */
export function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (err) {
      if (isAgain(err)) {
        sleep(1);
        continue;
      }
      throw err;
    }
  }
}

/** Sends console output and stray stdout writes to stderr, so stdout carries only frames. */
export function guardStdout(): void {
  const toStderr = (...args: unknown[]): void => void process.stderr.write(format(...args) + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]): boolean => (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
}

/**
 * Serves one client on fds `input` / `output` until end of file on `input` (or a failed HELLO).
 * Returns when the client is gone; the caller exits the process (which stops worker threads).
 */
export async function serveFds(input: number, output: number, options: SessionOptions = {}): Promise<void> {
  const reader = new FdFrameReader(input);
  const session = new ServeSession(options);
  try {
    for (;;) {
      const body = reader.next();
      if (body === null) break;
      let reply = session.handle(body);
      if (reply instanceof Promise) reply = await reply;
      writeAll(output, reply);
      if (session.exitRequested) break;
    }
  } finally {
    await session.closeAll();
  }
}
