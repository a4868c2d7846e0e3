// Builds the documentation site into site-dist/ (git-ignored):
//   site-dist/api/         the API reference, TypeDoc from the TSDoc (typedoc.json; any warning fails)
//   site-dist/playground/  the live mpsc playground, bundling the package's ESM build (dist/esm)
//   site-dist/index.html   a landing page linking both
// The playground bundles dist/esm when it is current, else a private compile of lib/ (see esmBuild).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const OUT = 'site-dist';
// Subpath entry points join the reference as soon as they exist.
const OPTIONAL_ENTRIES = ['lib/testing/index.ts', 'lib/nats/index.ts'];

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Whether dist/esm holds a JS file at least as new as each source file of lib/. */
function distIsCurrent() {
  return tsFiles('lib').every((source) => {
    const built = join('dist/esm', relative('lib', source)).replace(/\.ts$/, '.js');
    return existsSync(built) && statSync(built).mtimeMs >= statSync(source).mtimeMs;
  });
}

/**
 * The ESM build to bundle: dist/esm when it is current; otherwise lib/ compiled with the same
 * tsconfig.build.json into site-dist/.esm (removed once bundled). It never rebuilds dist/ itself: in a working
 * tree shared with others that would delete dist/ under whoever is using it.
 */
function esmBuild() {
  if (process.env.RXJS_CHANNEL_ESM) return { dir: resolve(process.env.RXJS_CHANNEL_ESM), temporary: false };
  if (distIsCurrent()) return { dir: resolve('dist/esm'), temporary: false };
  const dir = resolve(OUT, '.esm'); // inside the project, so that 'rxjs' resolves from it
  console.log(`docs: dist/esm is missing or older than lib/; compiling lib/ with tsconfig.build.json into ${dir}`);
  const tsc = ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', dir, '--declaration', 'false', '--declarationMap', 'false'];
  execFileSync(process.execPath, tsc, { stdio: 'inherit' });
  return { dir, temporary: true };
}

function reference() {
  const entries = ['lib/index.ts', ...OPTIONAL_ENTRIES.filter((path) => existsSync(path))];
  const args = ['node_modules/typedoc/bin/typedoc', '--options', 'typedoc.json', '--logLevel', 'Warn'];
  for (const entry of entries) args.push('--entryPoints', entry);
  try {
    execFileSync(process.execPath, args, { stdio: 'inherit' });
    return true;
  } catch {
    console.error('docs: TypeDoc reported problems (warnings are errors here), see above');
    return false;
  }
}

async function playground(esm) {
  mkdirSync(join(OUT, 'playground'), { recursive: true });
  cpSync('site/index.html', join(OUT, 'index.html'));
  cpSync('site/favicon.svg', join(OUT, 'favicon.svg'));
  for (const file of ['index.html', 'playground.css']) cpSync(join('site/playground', file), join(OUT, 'playground', file));
  await build({
    entryPoints: ['site/playground/main.ts'],
    outfile: join(OUT, 'playground/playground.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    // rxjs's ES2015 module build, and this package's own ESM build.
    conditions: ['es2015'],
    alias: { 'rxjs-channel': join(esm, 'index.js') },
    logLevel: 'warning',
  });
}

// `--playground` rebuilds only the playground (a quick loop while working on the page).
const playgroundOnly = process.argv.includes('--playground');
const started = performance.now();
rmSync(playgroundOnly ? join(OUT, 'playground') : OUT, { recursive: true, force: true });
const referenceOk = playgroundOnly || reference();
const esm = esmBuild();
try {
  await playground(esm.dir);
} finally {
  if (esm.temporary) rmSync(esm.dir, { recursive: true, force: true });
}
console.log(`docs: ${OUT}/ built in ${((performance.now() - started) / 1000).toFixed(1)} s${referenceOk ? '' : ' (reference FAILED)'}`);
if (!referenceOk) process.exitCode = 1;
