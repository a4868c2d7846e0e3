// Packs the package and installs the tarball into a fresh scratch project, as a user would
// (`npm install rxjs-channel rxjs`). Shared by scripts/test-packed.mjs and
// scripts/test-runtimes.mjs, so every runtime checks the same install users get.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `npm pack` in `root` (into `root/.pack`) and installs the tarball plus the repo's own
 * rxjs version into a new directory under the OS temp dir. Returns that directory; the caller
 * removes it.
 */
export function packAndInstall(root, step = () => {}) {
  step('npm pack');
  const packDir = join(root, '.pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir);
  const packOut = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' });
  const tarball = join(packDir, JSON.parse(packOut)[0].filename);

  step('install into a scratch project');
  const consumer = mkdtempSync(join(tmpdir(), 'rxjs-channel-consumer-'));
  const rxjsVersion = JSON.parse(readFileSync(join(root, 'node_modules/rxjs/package.json'), 'utf8')).version;
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `rxjs@${rxjsVersion}`], { cwd: consumer, stdio: 'inherit' });
  return consumer;
}
