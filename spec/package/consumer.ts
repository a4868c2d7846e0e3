/**
 * Where the package specs find the package they check, as a user's project would see it.
 *
 * - Under `npm run test:packed`, `RXJS_CHANNEL_CONSUMER` names the scratch project that
 *   scripts/test-packed.mjs installed the packed tarball into: the specs check exactly what
 *   `npm install rxjs-channel` gives.
 * - Otherwise (`npm test`, or a spec run alone) they check dist/ through a linked consumer: a
 *   scratch folder whose node_modules/rxjs-channel links to this repository, so `import` and
 *   `require` go through the real exports map to dist/esm and dist/cjs. The files that would
 *   ship are then the ones `npm pack --dry-run` lists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');

export interface Consumer {
  /** The project folder: node_modules/{rxjs-channel,rxjs,expect-type} resolve from here. */
  readonly dir: string;
  /** The folder of the installed rxjs-channel (its realpath for a linked consumer). */
  readonly packageDir: string;
  /** Whether this is the installed tarball rather than dist/ linked in. */
  readonly packed: boolean;
  /** Paths (relative to packageDir, `/`-separated) of every file the package ships. */
  files(): string[];
  /** Removes a scratch folder this module made (never the test:packed consumer). */
  dispose(): void;
}

/** Builds dist/ if it is missing (a spec run alone); `npm test` builds before jest. */
export function ensureBuilt(): void {
  if (existsSync(join(root, 'dist/esm/index.js')) && existsSync(join(root, 'dist/cjs/index.js'))) return;
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    throw new Error(`dist/ is missing and \`npm run build\` failed: ${String(error)}`);
  }
}

function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

/** The consumer to check: the test:packed scratch project, or a fresh one linked to dist/. */
export function consumer(): Consumer {
  const installed = process.env.RXJS_CHANNEL_CONSUMER;
  if (installed) {
    const packageDir = join(installed, 'node_modules/rxjs-channel');
    if (!existsSync(join(packageDir, 'package.json'))) throw new Error(`no rxjs-channel installed in ${installed}`);
    return { dir: installed, packageDir, packed: true, files: () => walk(packageDir), dispose: () => {} };
  }
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'rxjs-channel-linked-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules/rxjs-channel'), 'dir');
  for (const dep of ['rxjs', 'expect-type']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  let files: string[] | undefined;
  return {
    dir,
    packageDir: root,
    packed: false,
    files: () => {
      files ??= (
        JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as [
          { files: { path: string }[] },
        ]
      )[0].files.map((f) => f.path);
      return files;
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
