// Builds the documentation site into site-dist/ (git-ignored):
//   site-dist/api/         the API reference, TypeDoc from the TSDoc (typedoc.json; any warning fails)
//   site-dist/playground/  the live mpsc playground, bundling the package's ESM build (dist/esm)
//   site-dist/index.html   a landing page linking both
// `npm run build` runs first when dist/esm is missing. A dist/esm older than lib/ is used as it is,
// with a warning: rebuilding here would delete dist/ under whoever else is using it, and a
// half-edited lib/ would leave no build at all.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const OUT = 'site-dist';
// The ESM build the playground bundles; RXJS_CHANNEL_ESM points elsewhere (another checkout's build).
const ESM = process.env.RXJS_CHANNEL_ESM ? resolve(process.env.RXJS_CHANNEL_ESM) : resolve('dist/esm');
// Subpath entry points join the reference as soon as they exist.
const OPTIONAL_ENTRIES = ['lib/testing/index.ts', 'lib/nats/index.ts'];

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureEsmBuild() {
  const marker = join(ESM, 'index.js');
  if (existsSync(marker)) {
    if (statSync(marker).mtimeMs < newestIn('lib')) {
      console.warn('docs: dist/esm is older than lib/; the playground runs that build (`npm run build` refreshes it)');
    }
    return;
  }
  if (process.env.RXJS_CHANNEL_ESM) throw new Error(`docs: ${marker} does not exist`);
  console.log('docs: no dist/esm yet, running the build');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
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

async function playground() {
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
    alias: { 'rxjs-channel': join(ESM, 'index.js') },
    logLevel: 'warning',
  });
}

// `--playground` rebuilds only the playground (a quick loop while working on the page).
const playgroundOnly = process.argv.includes('--playground');
const started = performance.now();
rmSync(playgroundOnly ? join(OUT, 'playground') : OUT, { recursive: true, force: true });
ensureEsmBuild();
const referenceOk = playgroundOnly || reference();
await playground();
console.log(`docs: ${OUT}/ built in ${((performance.now() - started) / 1000).toFixed(1)} s${referenceOk ? '' : ' (reference FAILED)'}`);
if (!referenceOk) process.exitCode = 1;
