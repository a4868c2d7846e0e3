/**
 * Relative links in the guides and the README point at files that exist (external links and
 * in-page anchors are not checked). One test per link, named `file:line -> target`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { filesUnder } from './extract.js';

const root = join(__dirname, '..', '..');

interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

function linksOf(file: string): Link[] {
  const links: Link[] = [];
  let inFence = false;
  readFileSync(join(root, file), 'utf8')
    .split(/\r?\n/)
    .forEach((text, index) => {
      if (/^\s*```/.test(text)) inFence = !inFence;
      if (inFence) return;
      // [text](target) and ![alt](target); the target ends at whitespace or `)`.
      for (const match of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
        links.push({ file, line: index + 1, target });
      }
    });
  return links;
}

const links = [...filesUnder(root, 'docs', ['.md']), 'README.md'].flatMap(linksOf);

describe('links in the documentation', () => {
  it('finds the links of the README', () => {
    expect(links.some((l) => l.file === 'README.md' && l.target === 'docs/01-quick-start.md')).toBe(true);
  });

  it.each(links.map((l) => [`${l.file}:${l.line} -> ${l.target}`, l] as const))('%s exists', (_name, link) => {
    const path = normalize(join(root, dirname(link.file), link.target.split('#')[0]));
    expect({ link: link.target, exists: existsSync(path) }).toEqual({ link: link.target, exists: true });
  });
});
