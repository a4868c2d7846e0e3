// Packs the package and installs the tarball into a fresh scratch project, as a user would
// (`npm install rxjs-channel rxjs`). Shared by scripts/test-packed.mjs, test-runtimes.mjs and
// test-browser-threads.mjs, so every runtime checks the same install users get.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `npm pack` in `root` and installs the tarball plus the repo's own rxjs version into a
 * new directory under the OS temp dir, which also holds the tarball. Returns that directory;
 * the caller removes it. Nothing is shared between calls (no fixed pack or install path), so
 * the steps that install the package (test:packed, test:runtimes, test:browser-threads) can
 * run one after the other, or at once, without touching each other's copy.
 */
export function packAndInstall(root, step = () => {}) {
  const consumer = mkdtempSync(join(tmpdir(), 'rxjs-channel-consumer-'));
  step('npm pack');
  const packOut = execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: root, encoding: 'utf8' });
  const tarball = join(consumer, JSON.parse(packOut)[0].filename);

  step('install into a scratch project');
  const rxjsVersion = JSON.parse(readFileSync(join(root, 'node_modules/rxjs/package.json'), 'utf8')).version;
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `rxjs@${rxjsVersion}`], { cwd: consumer, stdio: 'inherit' });
  return consumer;
}
