/* global window, MessagePort */
// The thread scenarios (spec/threads/ runs them in Node worker_threads) in real Chromium Web
// Workers, against the packed package as a user installs it:
//   1. npm pack, and the tarball installed into a scratch project (scripts/install-packed.mjs);
//   2. Debian's Chromium, installed with apt when /usr/bin/chromium is missing (CI runs as
//      root on a clean Debian), driven headless by playwright-core;
//   3. spec/browser-threads/*.browser.ts (the page side, jest-style, with the runtime shim of
//      spec/runtimes/) and spec/browser-threads/workers/*.mjs (module worker scripts) bundled by
//      esbuild with the installed package: module workers cannot use import maps, so 'rxjs'
//      and 'rxjs-channel' are resolved from the scratch install's node_modules and bundled in
//      (the first check below asserts every rxjs-channel file in the bundles is the tarball's
//      dist/esm);
//   4. a static server on 127.0.0.1 (random port) serves the page and the worker scripts; each
//      spec file runs in a fresh page, twice: in Chromium as shipped, and with Blink's
//      MessagePortCloseEvent feature turned on (the port `close` event the library uses to
//      notice a dead thread, off by default in Chromium 156), so both kinds of runtime are
//      covered.
// Writes reports/browser-threads.json in jest's JSON shape (.ci/run sums it) and exits non-zero
// if any test failed. Needs a built dist/ (npm run build). Stops everything it started.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { builtinFilter, harnessStubs } from '../spec/runtimes/bundle.mjs';
import { CHROMIUM, launchOptions } from '../spec/runtimes/run-chromium.mjs';
import { packAndInstall } from './install-packed.mjs';

const root = resolve(import.meta.dirname, '..');
const specDir = join(root, 'spec/browser-threads');
const step = (title) => console.log(`\n[test:browser-threads] ${title}`);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const FILE_TIMEOUT = 120_000;

/** The two Chromium configurations every spec file runs in. */
const modes = [
  { name: 'chromium', args: [] },
  { name: 'chromium (MessagePortCloseEvent)', args: ['--enable-blink-features=MessagePortCloseEvent'] },
];

if (!existsSync(join(root, 'dist/esm/index.js'))) {
  console.error('[test:browser-threads] dist/ is missing: run `npm run build` first');
  process.exit(1);
}

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  step('installing Debian chromium (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = `test -x ${CHROMIUM} || apt-get install -y chromium || (apt-get update && apt-get install -y chromium)`;
  const [command, args] = existsSync('/usr/bin/flock') ? ['/usr/bin/flock', ['/tmp/apt.lock', 'sh', '-c', install]] : ['sh', ['-c', install]];
  execFileSync(command, args, { stdio: 'inherit', env, timeout: 15 * 60_000 });
}

/**
 * Bundles the page specs (with the jest shim) and the worker scripts into `outDir`, resolving
 * 'rxjs' and 'rxjs-channel' from `consumer`. Returns the page bundles' paths and the
 * rxjs-channel files the bundles contain.
 */
async function bundle(outDir, consumer, pages) {
  rmSync(outDir, { recursive: true, force: true });
  const fromConsumer = {
    name: 'from-the-scratch-install',
    setup(b) {
      b.onResolve({ filter: /^(rxjs|rxjs-channel)(\/.*)?$/ }, async (args) => {
        if (args.pluginData === 'consumer') return undefined;
        const found = await b.resolve(args.path, { kind: args.kind, resolveDir: consumer, pluginData: 'consumer' });
        return found.errors.length ? { errors: found.errors } : found;
      });
      // The test runner's own dependencies (expect, jest-mock) touch Node only on paths the
      // specs never take: the same inert stand-ins as the runtime matrix (spec/runtimes/).
      b.onResolve({ filter: /^(supports-color|graceful-fs)$/ }, (args) => ({ path: args.path, namespace: 'harness-stub' }));
      b.onResolve({ filter: builtinFilter }, (args) => ({ path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace: 'harness-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'harness-stub' }, (args) => ({ contents: `module.exports = ${harnessStubs[args.path] ?? '{}'};`, loader: 'js' }));
    },
  };
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    metafile: true,
    define: { 'process.env.NODE_ENV': '"test"', global: 'globalThis', __dirname: '"/"', __filename: '"/index.js"' },
    tsconfigRaw: { compilerOptions: { target: 'es2022', useDefineForClassFields: true } },
    plugins: [fromConsumer],
  };
  const workers = readdirSync(join(specDir, 'workers')).filter((f) => f.endsWith('.mjs') && f !== 'common.mjs');
  const [page, worker] = await Promise.all([
    build({
      ...common,
      entryPoints: pages.map((f) => ({ in: join(specDir, f), out: f.replace(/\.ts$/, '') })),
      outdir: outDir,
      inject: [join(root, 'spec/runtimes/process-shim.mjs'), join(root, 'spec/runtimes/jest-shim.mjs')],
    }),
    build({
      ...common,
      entryPoints: workers.map((f) => ({ in: join(specDir, 'workers', f), out: f.replace(/\.mjs$/, '') })),
      outdir: join(outDir, 'workers'),
    }),
  ]);
  const inputs = [...Object.keys(page.metafile.inputs), ...Object.keys(worker.metafile.inputs)].map((p) => resolve(root, p));
  return { pages: pages.map((f) => f.replace(/\.ts$/, '.js')), library: [...new Set(inputs.filter((p) => p.includes(`${sep}node_modules${sep}rxjs-channel${sep}`) || p.startsWith(join(root, 'lib') + sep)))] };
}

const html = `<!doctype html>
<meta charset="utf-8">
<title>rxjs-channel thread scenarios</title>
<script type="module">
  const spec = new URLSearchParams(location.search).get('spec');
  try {
    await import('/specs/' + spec);
    window.__result = await globalThis.__runtimeSpecs.run();
  } catch (error) {
    window.__result = { suiteError: String(error && error.stack || error) };
  }
</script>
`;

/** Serves `/` (the page) and `/specs/*` (the bundles) on 127.0.0.1, on a free port. */
function serve(bundleDir) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(html);
    if (!url.pathname.startsWith('/specs/')) return void res.writeHead(404).end();
    const file = normalize(join(bundleDir, decodeURIComponent(url.pathname.slice(7))));
    if (!file.startsWith(bundleDir + sep)) return void res.writeHead(403).end();
    if (!existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': extname(file) === '.html' ? 'text/html' : 'text/javascript', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Runs each page bundle in a fresh page of a Chromium launched with `args`. */
async function runMode(port, pages, args) {
  const browser = await chromium.launch({ ...launchOptions, args: [...launchOptions.args, ...args] });
  const results = [];
  try {
    const context = await browser.newContext();
    const probe = await context.newPage();
    const closeEvent = await probe.evaluate(() => 'onclose' in MessagePort.prototype);
    await probe.close();
    for (const file of pages) {
      const tab = await context.newPage();
      const pageErrors = [];
      tab.on('pageerror', (error) => pageErrors.push(String(error.stack || error)));
      tab.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()}`);
      });
      const started = Date.now();
      let result;
      try {
        await tab.goto(`http://127.0.0.1:${port}/?spec=${encodeURIComponent(file)}`);
        await tab.waitForFunction(() => window.__result !== undefined, undefined, { timeout: FILE_TIMEOUT, polling: 100 });
        result = await tab.evaluate(() => window.__result);
      } catch (error) {
        result = { suiteError: `${String(error.message || error)}\n${pageErrors.join('\n')}` };
      } finally {
        await tab.close();
      }
      results.push({ file, assertionResults: result.assertionResults ?? [], suiteError: result.suiteError, duration: Date.now() - started });
    }
    return { version: browser.version(), closeEvent, results };
  } finally {
    await browser.close();
  }
}

function fileResult(name, assertionResults, suiteError, duration) {
  const failed = assertionResults.some((a) => a.status === 'failed');
  return {
    name,
    status: suiteError || failed ? 'failed' : 'passed',
    message: suiteError ?? '',
    ...(suiteError ? { testExecError: { message: suiteError } } : {}),
    assertionResults,
    startTime: 0,
    endTime: duration,
  };
}

const started = Date.now();
mkdirSync(join(root, 'reports'), { recursive: true });
const testResults = [];
const findings = [];
ensureChromium();
step('pack and install the tarball into a scratch project');
const consumer = packAndInstall(root, step);
let server;
try {
  step('bundle the page specs and the worker scripts with the installed package');
  const pages = readdirSync(specDir).filter((f) => f.endsWith('.browser.ts') && (!only || only.some((o) => f.startsWith(o)))).sort();
  const bundleDir = join(consumer, 'browser-threads');
  const { pages: bundles, library } = await bundle(bundleDir, consumer, pages);
  // A check of the set-up itself: the bits under test are the tarball's, never lib/.
  const packedEsm = join(consumer, 'node_modules/rxjs-channel/dist/esm') + sep;
  const stray = library.filter((p) => !p.startsWith(packedEsm));
  const packedCheck = stray.length === 0 && library.length > 0;
  testResults.push(fileResult('scripts/test-browser-threads.mjs', [{
    ancestorTitles: ['set-up'],
    title: "the bundles take every rxjs-channel file from the packed tarball's dist/esm",
    fullName: "set-up the bundles take every rxjs-channel file from the packed tarball's dist/esm",
    status: packedCheck ? 'passed' : 'failed',
    failureMessages: packedCheck ? [] : [`rxjs-channel files from elsewhere: ${stray.join(', ') || '(none bundled at all)'}`],
    duration: 0,
  }], undefined, 0));
  console.log(`${library.length} rxjs-channel files bundled, ${stray.length} from outside the tarball`);

  server = await serve(bundleDir);
  const { port } = server.address();
  for (const mode of modes) {
    step(`${mode.name}: ${pages.length} spec files in module workers, http://127.0.0.1:${port}/`);
    const { version, closeEvent, results } = await runMode(port, bundles, mode.args);
    findings.push({ mode: mode.name, version, closeEvent });
    console.log(`Chromium ${version}${mode.args.length ? ` ${mode.args.join(' ')}` : ''}: MessagePort close event ${closeEvent ? 'present' : 'absent'}`);
    for (const r of results) {
      const name = `spec/browser-threads/${r.file.replace(/\.js$/, '.ts')} [${mode.name}]`;
      testResults.push(fileResult(name, r.assertionResults, r.suiteError, r.duration));
      const count = (s) => r.assertionResults.filter((a) => a.status === s).length;
      console.log(`  ${r.suiteError ? 'SUITE FAILED' : 'ok'} ${r.file}: ${count('passed')} passed, ${count('failed')} failed, ${count('pending')} skipped (${(r.duration / 1000).toFixed(1)} s)`);
      if (r.suiteError) console.log(`    ${r.suiteError.split('\n').slice(0, 6).join('\n    ')}`);
      for (const a of r.assertionResults) {
        if (a.status === 'failed') console.log(`    FAIL ${a.fullName}\n      ${String(a.failureMessages[0] ?? '').split('\n').slice(0, 14).join('\n      ')}`);
        if (a.status === 'pending' && a.skipReason) console.log(`    skipped ${a.fullName}: ${a.skipReason}`);
      }
    }
  }
} catch (error) {
  testResults.push(fileResult('scripts/test-browser-threads.mjs (set-up)', [], String(error.stack || error), 0));
  console.error(error);
} finally {
  server?.close();
  rmSync(consumer, { recursive: true, force: true });
}

const all = testResults.flatMap((t) => t.assertionResults);
const count = (s) => all.filter((a) => a.status === s).length;
const report = {
  numTotalTestSuites: testResults.length,
  numPassedTestSuites: testResults.filter((t) => t.status === 'passed').length,
  numFailedTestSuites: testResults.filter((t) => t.status === 'failed').length,
  numRuntimeErrorTestSuites: testResults.filter((t) => t.testExecError).length,
  numTotalTests: all.length,
  numPassedTests: count('passed'),
  numFailedTests: count('failed'),
  numPendingTests: count('pending'),
  numTodoTests: count('todo'),
  success: testResults.every((t) => t.status === 'passed'),
  chromium: findings,
  testResults,
};
writeFileSync(join(root, 'reports/browser-threads.json'), JSON.stringify(report, null, 2));
const failed = !report.success || report.numFailedTests > 0 || report.numRuntimeErrorTestSuites > 0;
console.log(`\n[test:browser-threads] ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped` +
  `${report.numRuntimeErrorTestSuites ? `, ${report.numRuntimeErrorTestSuites} suites failed to run` : ''} in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failed ? 'FAILED' : 'all passed'}`);
process.exit(failed ? 1 : 0);
