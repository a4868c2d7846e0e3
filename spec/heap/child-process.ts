/**
 * Runs a measurement script in a fresh Node process (with `--expose-gc`, and `tsx` so the
 * script can import lib/index.ts directly) and parses the JSON line it prints last.
 *
 * The script receives the library's entry as a file URL in `process.argv[2]`: lib/index.ts by
 * default, or the installed packed tarball's ESM build when RXJS_CHANNEL_PACKED is set (see
 * scripts/test-packed.mjs), so these specs exercise what users install too.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '../..');

export function libraryEntry(): string {
  const packed = process.env.RXJS_CHANNEL_PACKED;
  const file = packed ? join(packed, 'node_modules/rxjs-channel/dist/esm/index.js') : join(root, 'lib/index.ts');
  return pathToFileURL(file).href;
}

export function runChild<R>(script: string, nodeFlags: readonly string[] = [], args: readonly string[] = []): R {
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', script, libraryEntry(), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as R;
}
