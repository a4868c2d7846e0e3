// `npm run test:angular`: builds the Angular example with Angular 22 and tests it in headless
// Chromium. Runs on the repository's Node (20); Angular 22 needs Node >= 22.22, so the install
// and the build run on the Node 22 binary the root devDependency `node22` ships
// (node_modules/node22/bin/node), for those two steps only.
//
//   1. pack the library (the root's current dist/, built if missing) into .pack/rxjs-channel.tgz,
//      the file examples/angular/package.json depends on;
//   2. install the example (`npm ci` on Node 22) unless node_modules already matches the lock,
//      then check node_modules/rxjs-channel is that fresh tarball;
//   3. `ng build` on Node 22 (the Angular CLI's application builder) into dist/browser;
//   4. install Debian's chromium if /usr/bin/chromium is missing;
//   5. jest runs e2e/: app.e2e.spec.ts serves dist/browser on 127.0.0.1 and drives it in Chromium
//      with playwright-core; docs.spec.ts compiles the guide's Angular snippets with ngc. jest
//      writes its JSON report to reports/angular.json.
// A failure before step 5 writes a report that counts one failed test, and exits non-zero.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');
const report = join(root, 'reports/angular.json');
const node22 = join(root, 'node_modules/node22/bin/node');
const started = Date.now();
const step = (title) => console.log(`\n[test:angular +${((Date.now() - started) / 1000).toFixed(1)}s] ${title}`);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });
/** Node 22 first on PATH, so whatever npm or the Angular CLI spawns runs on it too. */
const node22Env = { ...process.env, PATH: `${dirname(node22)}${delimiter}${process.env.PATH}`, NG_CLI_ANALYTICS: 'false' };

function fail(message) {
  console.error(`\n[test:angular] ${message}`);
  mkdirSync(dirname(report), { recursive: true });
  writeFileSync(report, JSON.stringify({ success: false, numTotalTests: 1, numPassedTests: 0, numFailedTests: 1, numRuntimeErrorTestSuites: 0, failureMessage: message }, null, 2) + '\n');
  process.exit(1);
}

/** npm's own CLI script, to run on Node 22 (npm is JavaScript; no second npm is needed). */
function npmCli() {
  const fromRun = process.env.npm_execpath;
  if (fromRun && /npm-cli\.c?js$/.test(fromRun)) return fromRun;
  return realpathSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim());
}

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
  .sort();

try {
  rmSync(report, { force: true });
  if (!existsSync(node22)) fail(`${node22} is missing: run \`npm ci\` at the repository root first`);
  const version = execFileSync(node22, ['--version'], { encoding: 'utf8' }).trim();

  step('1. pack the library');
  if (!existsSync(join(root, 'dist/esm/index.js'))) run('npm', ['run', 'build'], { cwd: root });
  const packDir = join(here, '.pack');
  rmSync(packDir, { recursive: true, force: true });
  mkdirSync(packDir);
  const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }));
  const tarball = join(packDir, 'rxjs-channel.tgz');
  renameSync(join(packDir, filename), tarball);

  step(`2. install the example (Node ${version})`);
  const modules = join(here, 'node_modules');
  const stampFile = join(modules, '.installed-from');
  const stamp = createHash('sha256').update(version).update(readFileSync(join(here, 'package.json'))).update(readFileSync(join(here, 'package-lock.json'))).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    // The lock is what was installed: only the library changed. Put the fresh tarball in place,
    // as npm would (rxjs-channel has no dependencies of its own to install, only a peer, rxjs).
    console.log('node_modules matches package-lock.json; refreshing node_modules/rxjs-channel only');
    const target = join(modules, 'rxjs-channel');
    rmSync(target, { recursive: true, force: true });
    mkdirSync(target);
    run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  } else {
    run(node22, [npmCli(), 'ci', '--no-audit', '--no-fund'], { cwd: here, env: node22Env });
    writeFileSync(stampFile, stamp);
  }
  // The lock records no integrity for the tarball (it changes with every build of the library),
  // so npm takes the file as it is now; check that is what got installed.
  const installed = join(modules, 'rxjs-channel/dist');
  const built = join(root, 'dist');
  const builtFiles = filesUnder(built).filter((file) => !file.endsWith('.tsbuildinfo'));
  const installedFiles = filesUnder(installed);
  if (JSON.stringify(installedFiles) !== JSON.stringify(builtFiles)
      || builtFiles.some((file) => !readFileSync(join(built, file)).equals(readFileSync(join(installed, file))))) {
    fail('node_modules/rxjs-channel is not the library just packed from dist/ (does package-lock.json record an integrity for rxjs-channel? see README.md)');
  }

  step(`3. ng build (Node ${version})`);
  rmSync(join(here, 'dist'), { recursive: true, force: true });
  run(node22, [join(modules, '@angular/cli/bin/ng.js'), 'build'], { cwd: here, env: node22Env });
  if (!existsSync(join(here, 'dist/browser/index.html'))) fail('ng build wrote no dist/browser/index.html');

  step('4. chromium');
  if (!existsSync('/usr/bin/chromium')) {
    run('flock', ['/tmp/apt.lock', 'sh', '-c', 'apt-get update && apt-get install -y chromium'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
} catch (error) {
  fail(`setup failed: ${error.message}`);
}

step('5. browser test (jest + playwright-core, headless Chromium)');
try {
  run(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), '-c', join(here, 'e2e/jest.config.cjs'), '--json', `--outputFile=${report}`], { cwd: root });
} catch (error) {
  if (!existsSync(report)) fail(`jest wrote no report: ${error.message}`);
  console.error(`\n[test:angular] failed after ${((Date.now() - started) / 1000).toFixed(1)}s`);
  process.exit(error.status || 1);
}
console.log(`\n[test:angular] passed in ${((Date.now() - started) / 1000).toFixed(1)}s; screenshot in reports/angular.png`);
