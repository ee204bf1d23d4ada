/**
 * Every relative link in the repository's Markdown files resolves to a file or folder in the
 * repository, and no document points outside it (a user's clone has nothing beside it).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SKIP = new Set(['node_modules', '.git', 'runs', 'dist', '.tmp', 'coverage']);

function markdownFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) markdownFiles(p, out);
    else if (e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

/** Link targets of `[text](target)` and `![alt](target)`, outside code spans and fenced blocks. */
export function linkTargets(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]);
  return out;
}

describe('Markdown links', () => {
  const files = markdownFiles(ROOT);

  it('finds the documents (README, ARCHITECTURE, BENCHMARKS, REALISM, docs/)', () => {
    const names = files.map((f) => relative(ROOT, f));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'ARCHITECTURE.md', 'BENCHMARKS.md', 'REALISM.md', join('docs', 'reference.md')]));
  });

  it('the link extractor sees links and skips code', () => {
    expect(linkTargets('a [x](b.md) `[y](c.md)` ![i](d.png "t")\n```\n[z](e.md)\n```')).toEqual(['b.md', 'd.png']);
  });

  for (const file of files) {
    const name = relative(ROOT, file);
    it(`${name}: every relative link resolves inside the repository`, () => {
      const bad: string[] = [];
      for (const target of linkTargets(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]));
        const inside = !relative(ROOT, path).startsWith('..');
        if (!inside || !existsSync(path) || !(statSync(path).isFile() || statSync(path).isDirectory())) bad.push(target);
      }
      expect(bad).toEqual([]);
    });
  }
});
