/**
 * A minimal POSIX ustar archive writer and reader (regular files only), so the lab can hand a
 * checkpoint directory to the visitor as one download and read one back. `tar xf` unpacks what
 * `writeTar` writes.
 */
const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder();

export class TarError extends Error {
  override name = 'TarError';
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function put(h: Uint8Array, text: string, at: number, width: number): void {
  const b = enc.encode(text);
  if (b.length > width) throw new TarError(`tar header field too long: ${text}`);
  h.set(b, at);
}

/** An archive of `files` (path → bytes; paths up to 100 bytes, or 255 split at a '/'); `mtime` in seconds. */
export function writeTar(files: ReadonlyMap<string, Uint8Array>, mtime = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [path, data] of files) {
    const h = new Uint8Array(BLOCK);
    let name = path;
    let prefix = '';
    if (enc.encode(path).length > 100) {
      const cut = path.lastIndexOf('/', 155);
      if (cut <= 0 || enc.encode(path.slice(cut + 1)).length > 100) throw new TarError(`path too long for a tar header: ${path}`);
      prefix = path.slice(0, cut);
      name = path.slice(cut + 1);
    }
    put(h, name, 0, 100);
    put(h, octal(0o644, 8), 100, 8);
    put(h, octal(0, 8), 108, 8);
    put(h, octal(0, 8), 116, 8);
    put(h, octal(data.length, 12), 124, 12);
    put(h, octal(mtime, 12), 136, 12);
    h.fill(0x20, 148, 156); // checksum counted as spaces
    h[156] = 0x30; // '0': a regular file
    put(h, 'ustar\0', 257, 6);
    put(h, '00', 263, 2);
    put(h, prefix, 345, 155);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += h[i];
    put(h, octal(sum, 7) + ' ', 148, 8);
    parts.push(h, data, new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function field(h: Uint8Array, at: number, width: number): string {
  const s = h.subarray(at, at + width);
  const end = s.indexOf(0);
  return dec.decode(end < 0 ? s : s.subarray(0, end));
}

/** The regular files of a tar archive (path → bytes). @throws TarError for a damaged archive. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let o = 0;
  while (o + BLOCK <= bytes.length) {
    const h = bytes.subarray(o, o + BLOCK);
    if (h.every((b) => b === 0)) return files;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    const stored = parseInt(field(h, 148, 8).trim(), 8);
    if (stored !== sum) throw new TarError(`not a tar archive, or damaged: header checksum at byte ${o} is ${stored}, computed ${sum}`);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = h[156];
    const prefix = field(h, 345, 155);
    const name = (prefix === '' ? '' : `${prefix}/`) + field(h, 0, 100);
    o += BLOCK;
    if (o + size > bytes.length) throw new TarError(`tar archive truncated in ${name}`);
    if (type === 0x30 || type === 0) files.set(name.replace(/^\.\//, ''), bytes.slice(o, o + size));
    o += Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new TarError('tar archive truncated: no end-of-archive blocks');
}
