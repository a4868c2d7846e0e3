/**
 * Source maps that resolve in the shipped package. The build embeds the TypeScript sources in
 * every JavaScript map (`inlineSources`), so stack traces and debuggers show lib/*.ts even
 * where the files cannot be read (a bundler that re-maps dependencies, a browser served only
 * the bundle); the package also ships lib/, so the declaration maps send "go to definition"
 * to the real source instead of a dead path.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { consumer } from './consumer.js';

interface SourceMap {
  sources: string[];
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
}

const target = consumer();
afterAll(() => target.dispose());
const shipped = new Set(target.files());
const maps = [...shipped].filter((file) => file.endsWith('.map'));

/** Where a map's `sources[i]` points, relative to the package (`..` prefix if outside it). */
function sourcePath(mapFile: string, map: SourceMap, source: string): string {
  return relative(target.packageDir, resolve(target.packageDir, dirname(mapFile), map.sourceRoot ?? '', source)).split('\\').join('/');
}

function readMap(mapFile: string): SourceMap {
  return JSON.parse(readFileSync(join(target.packageDir, mapFile), 'utf8')) as SourceMap;
}

/** The stack of the RangeError `mpsc.channel(0)` throws, run under --enable-source-maps. */
function stackOf(kind: 'require' | 'import'): string {
  const code =
    kind === 'require'
      ? "try { require('rxjs-channel').mpsc.channel(0); } catch (e) { console.log(e.stack); }"
      : "try { (await import('rxjs-channel')).mpsc.channel(0); } catch (e) { console.log(e.stack); }";
  const args = ['--enable-source-maps', ...(kind === 'import' ? ['--input-type=module'] : []), '-e', code];
  return execFileSync(process.execPath, args, { cwd: target.dir, encoding: 'utf8' });
}

describe(`source maps (${target.packed ? 'installed tarball' : 'dist/ as packed'})`, () => {
  it('ships JavaScript maps and declaration maps for both builds', () => {
    for (const build of ['esm', 'cjs']) {
      expect(maps).toContain(`dist/${build}/index.js.map`);
      expect(maps).toContain(`dist/${build}/index.d.ts.map`);
    }
  });

  it('every source of every map resolves to a shipped file or has its content embedded', () => {
    const dangling = maps.flatMap((mapFile) => {
      const map = readMap(mapFile);
      return map.sources
        .map((source, i) => ({ source, path: sourcePath(mapFile, map, source), content: map.sourcesContent?.[i] }))
        .filter(({ path, content }) => !shipped.has(path) && typeof content !== 'string')
        .map(({ source }) => `${mapFile}: ${source}`);
    });
    expect(dangling).toEqual([]);
  });

  it('every JavaScript map embeds its sources, identical to the shipped lib/ files', () => {
    const problems = maps
      .filter((mapFile) => mapFile.endsWith('.js.map'))
      .flatMap((mapFile) => {
        const map = readMap(mapFile);
        return map.sources.flatMap((source, i) => {
          const content = map.sourcesContent?.[i];
          if (typeof content !== 'string') return [`${mapFile}: no sourcesContent for ${source}`];
          const path = sourcePath(mapFile, map, source);
          if (shipped.has(path) && readFileSync(join(target.packageDir, path), 'utf8') !== content) {
            return [`${mapFile}: embedded ${source} differs from the shipped ${path}`];
          }
          return [];
        });
      });
    expect(problems).toEqual([]);
  });

  it('every declaration map points at a shipped lib/ source, so go to definition lands on it', () => {
    const problems = maps
      .filter((mapFile) => mapFile.endsWith('.d.ts.map'))
      .flatMap((mapFile) => {
        const map = readMap(mapFile);
        return map.sources
          .map((source) => sourcePath(mapFile, map, source))
          .filter((path) => !(path.startsWith('lib/') && shipped.has(path)))
          .map((path) => `${mapFile}: ${path}`);
      });
    expect(problems).toEqual([]);
  });

  it.each(['require', 'import'] as const)(
    'a RangeError thrown inside the library (%s) has a stack frame in a lib/*.ts file that the package resolves',
    (kind) => {
      const stack = stackOf(kind);
      expect(stack).toMatch(/^RangeError: Expected `capacity`/);
      const frames = [...stack.matchAll(/\(?((?:file:\/\/)?\/[^():\s]+\.ts):(\d+):(\d+)\)?/g)].map((m) => ({
        path: m[1].replace(/^file:\/\//, ''),
        line: Number(m[2]),
      }));
      const ours = frames
        .map((f) => ({ ...f, inPackage: relative(target.packageDir, f.path).split('\\').join('/') }))
        .filter((f) => f.inPackage.startsWith('lib/'));
      expect(ours.length).toBeGreaterThan(0);
      for (const frame of ours) {
        expect(shipped.has(frame.inPackage)).toBe(true);
        // The mapped line exists in that file (the map is not off into nowhere).
        const lines = readFileSync(join(target.packageDir, frame.inPackage), 'utf8').split('\n');
        expect(frame.line).toBeLessThanOrEqual(lines.length);
      }
      // The frame that throws is the capacity check: its source line names `capacity`.
      const top = ours[0];
      const text = readFileSync(join(target.packageDir, top.inPackage), 'utf8').split('\n')[top.line - 1];
      expect(text).toMatch(/throw|capacity|check/i);
    },
  );
});
