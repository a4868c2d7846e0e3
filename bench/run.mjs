// `npm run bench`: every configuration in its own child process, then one table (stdout and
// docs/benchmarks.md), an SVG chart of msgs/s (docs/benchmarks.svg) and the targets of issue 3.
//
//   node bench/run.mjs                      full matrix: N = 1,000,000, 5 rounds
//   node bench/run.mjs --quick              N = 100,000, 3 rounds (development)
//   node bench/run.mjs --only rxc-send-iter,floor-send-iter --capacity 16 --producers 4
//   options: --n <N>  --reps <R> (rounds: one timed repetition per configuration each)  --peers-full (slow peers too at every C, P and the full N)
//            --no-alloc (skip the allocation pass: bytes allocated per value, see alloc.mjs)
//            --commit <rev> (measure lib/ as committed at <rev>, built apart, instead of dist/esm)
//            --write / --no-write  --from <results.json> (re-render a saved run, no measuring)
//            --note <text> (a line about the conditions of the run, shown in the docs)
//   node bench/run.mjs --only nats          rxjs-channel/nats vs the raw @nats-io/jetstream client
//            (bench/nats.mjs: starts its own nats-server, skipped with the reason without one;
//            not a registry case: it needs a server and measures both sides in one process)
//
// The docs are rewritten only by a full run of the whole matrix (or with --write); raw results
// always go to bench/results/latest.json. Measures dist/esm: run `npm run build` first.
import { execFile, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CASE_NAMES, loadCases, SHAPES } from './cases/index.mjs';
import { IDLE_KINDS } from './idle-memory.mjs';
import { natsText } from './nats.mjs';
import { markdownReport, svgChart, tableText, targets } from './report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const CAPACITIES = [1, 16, 1024];
const PRODUCERS = [1, 4];
const IDLE_COUNT = 100_000;
const IDLE_NAME = 'idle-pairs';
const NATS_NAME = 'nats';
// The young generation of the allocation pass (MB per semi-space): a run allocating less than
// this sees no GC. See alloc.mjs.
const ALLOC_SEMI_SPACE_MB = 128;
// Packages measured, whose installed versions the report names.
const PEER_PACKAGES = ['rxjs', 'effect', '@repeaterjs/repeater', 'it-pushable', 'queueable', 'rxjs-for-await'];

function parseArgs(argv) {
  const opts = { quick: false, only: null, capacities: CAPACITIES, producers: PRODUCERS, capacitiesGiven: false, producersGiven: false, n: null, reps: null, write: null, peersFull: false, from: null, note: null, alloc: true, commit: null };
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--only') opts.only = list(value());
    else if (arg === '--capacity') {
      opts.capacities = list(value()).map(Number);
      opts.capacitiesGiven = true;
    } else if (arg === '--producers') {
      opts.producers = list(value()).map(Number);
      opts.producersGiven = true;
    }
    else if (arg === '--no-alloc') opts.alloc = false;
    else if (arg === '--commit') opts.commit = value();
    else if (arg === '--n') opts.n = Number(value());
    else if (arg === '--reps') opts.reps = Number(value());
    else if (arg === '--write') opts.write = true;
    else if (arg === '--no-write') opts.write = false;
    else if (arg === '--peers-full') opts.peersFull = true;
    else if (arg === '--from') opts.from = value();
    else if (arg === '--note') opts.note = value();
    else throw new Error(`Unknown option ${arg}; see the header of bench/run.mjs`);
  }
  const known = new Set([...CASE_NAMES, IDLE_NAME, NATS_NAME]);
  for (const name of opts.only ?? []) {
    if (!known.has(name)) throw new Error(`Unknown case \`${name}\`; known: ${[...known].join(', ')}`);
  }
  opts.n ??= opts.quick ? 100_000 : 1_000_000;
  opts.reps ??= opts.quick ? 3 : 5;
  // The docs hold the full run only, unless asked.
  opts.full = !opts.quick && opts.only === null && opts.n === 1_000_000 && opts.reps === 5 && !opts.capacitiesGiven && !opts.producersGiven && opts.alloc;
  opts.write ??= opts.from === null && opts.full;
  return opts;
}

/**
 * The configurations to run. rxjs-channel and the floor run the full matrix at the full N. Peers
 * marked `slow` (several µs per value, so a full-N configuration takes minutes) run with N / 5
 * values there, and at C = 1 with P = 1 only; unbounded peers run once per P. `--peers-full`
 * lifts both reductions. Shape cases run at their own C and P (filtered by `--capacity` and
 * `--producers` when given) with N / 5 values, slow or not, so the rows of a shape compare at
 * the same N.
 */
function matrix(opts, lib, cases) {
  const configs = [];
  const pick = (own, given, all) => (own === undefined ? all : given ? own.filter((x) => all.includes(x)) : own);
  for (const bench of cases) {
    if (opts.only !== null && !opts.only.includes(bench.name)) continue;
    const reason = bench.available?.(lib) ?? null;
    const producerCounts = pick(bench.producerCounts, opts.producersGiven, opts.producers);
    const capacities = bench.bounded ? pick(bench.capacities, opts.capacitiesGiven, opts.capacities) : [null];
    for (const capacity of capacities) {
      const slow = !opts.peersFull && (typeof bench.slow === 'function' ? bench.slow(capacity) : bench.slow === true);
      for (const producers of producerCounts) {
        if (slow && !bench.shape && capacity === 1 && producers !== 1 && opts.only === null) continue;
        const n = bench.shape || slow ? Math.round(opts.n / 5 / 8) * 8 : opts.n;
        configs.push({ bench, capacity, producers, n, skipped: reason });
      }
    }
  }
  return configs;
}

/** Installed versions of the peers, read from their package.json at run time. */
function peerVersions() {
  const require = createRequire(import.meta.url);
  const out = {};
  for (const name of PEER_PACKAGES) {
    try {
      out[name] = JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [root] }), 'utf8')).version;
    } catch {
      // Some packages do not export ./package.json: read it from node_modules directly.
      try {
        out[name] = JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')).version;
      } catch {
        out[name] = 'not installed';
      }
    }
  }
  return out;
}

function runChild(args, timeoutMs, flags = []) {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--expose-gc', ...flags, ...args], { cwd: root, timeout: timeoutMs, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop();
      if (error === null && line) {
        try {
          resolve(JSON.parse(line));
          return;
        } catch {
          // fall through to the error report
        }
      }
      const why = error?.killed ? `timed out after ${timeoutMs / 1000}s` : (stderr.trim().split('\n').slice(-3).join(' | ') || String(error));
      resolve({ errors: [why] });
    });
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.from !== null) {
    const saved = JSON.parse(readFileSync(opts.from, 'utf8'));
    return report({ ...saved, note: opts.note ?? saved.note ?? null }, opts.write ?? false);
  }
  let source = here('../dist/esm/');
  let commit;
  if (opts.commit !== null) {
    ({ dir: source, commit } = buildCommit(opts.commit));
  } else {
    if (!existsSync(`${source}index.js`)) throw new Error('dist/esm is missing: run `npm run build` first (npm run bench does).');
    commit = libCommit();
  }
  // Measure a private copy of the build: other work in this checkout may rebuild dist/ meanwhile.
  const snapshot = here('./results/lib-snapshot/');
  rmSync(snapshot, { recursive: true, force: true });
  cpSync(source, snapshot, { recursive: true });
  process.env.RXC_LIB = pathToFileURL(`${snapshot}index.js`).href;
  const lib = await import(process.env.RXC_LIB);
  const configs = matrix(opts, lib, await loadCases());
  const started = Date.now();
  // The 1-minute load average before each timed child: other work on the machine, recorded so
  // the report can say how busy it was (and judge the targets by CPU time when it was busy).
  const loads = [];
  // One timed repetition per round, every configuration in each round, each in a fresh process
  // with its own warm-up: a slow spell on a shared machine then hits every row alike instead of
  // the few that happened to run during it. The first round also measures live heap.
  const rows = configs.map(({ bench, capacity, producers, n, skipped }) => ({
    name: bench.name,
    label: bench.label,
    group: bench.group,
    shape: bench.shape ?? null,
    width: bench.width ?? null,
    package: bench.package ?? null,
    capacity,
    producers,
    n,
    ...(skipped === null ? { ms: [], cpuMs: [], heapGrowth: [], liveHeapGrowth: null, peakRss: 0, alloc: null, errors: [] } : { skipped }),
  }));
  const active = rows.filter((r) => !r.skipped);
  process.stderr.write(`bench: ${active.length} configurations (${rows.length - active.length} skipped), N = ${opts.n}, ${opts.reps} rounds\n`);
  for (let round = 0; round < opts.reps; round++) {
    for (const [i, row] of active.entries()) {
      const warmup = Math.min(row.n, Math.max(10_000, Math.floor(row.n / 10)));
      const arg = JSON.stringify({ name: row.name, n: row.n, capacity: row.capacity, producers: row.producers, reps: 1, warmup, live: round === 0 });
      loads.push(os.loadavg()[0]);
      const result = await runChild([here('./child.mjs'), arg], 600_000);
      if (result.ms) {
        row.ms.push(...result.ms);
        row.cpuMs.push(...result.cpuMs);
        row.heapGrowth.push(...result.heapGrowth);
        row.peakRss = Math.max(row.peakRss, result.peakRss);
        if (result.liveHeapGrowth !== null) row.liveHeapGrowth = result.liveHeapGrowth;
      }
      for (const e of result.errors) if (!row.errors.includes(e)) row.errors.push(e);
      const rate = result.ms ? `${Math.round((row.n / result.ms[0]) * 1000)} msgs/s` : 'no result';
      const tag = `[round ${round + 1}/${opts.reps}, ${i + 1}/${active.length}] ${row.name} C=${row.capacity ?? '-'} P=${row.producers}`;
      process.stderr.write(`${tag}: ${result.errors.length ? `FAILED ${result.errors.join('; ')}` : rate}\n`);
    }
  }
  if (opts.alloc) {
    // Bytes allocated per value: one more child per configuration, with a young generation
    // large enough that no GC runs during the counted window (see alloc.mjs).
    const flags = [`--max-semi-space-size=${ALLOC_SEMI_SPACE_MB}`, `--min-semi-space-size=${ALLOC_SEMI_SPACE_MB}`];
    for (const [i, row] of active.entries()) {
      // Slow peers allocate 1-2 kB per value: fewer values keep them inside the young generation.
      const n = Math.min(row.n, opts.quick || row.n < opts.n ? 50_000 : 100_000);
      const warmup = Math.min(n, 20_000);
      const arg = JSON.stringify({ name: row.name, n, capacity: row.capacity, producers: row.producers, warmup });
      const result = await runChild([here('./alloc.mjs'), arg], 300_000, flags);
      row.alloc = result.bytesPerValue === undefined ? null : { n: result.n, bytesPerValue: result.bytesPerValue, harnessBytesPerValue: result.harnessBytesPerValue };
      for (const e of result.errors ?? []) if (!row.errors.includes(`alloc: ${e}`)) row.errors.push(`alloc: ${e}`);
      const tag = `[alloc ${i + 1}/${active.length}] ${row.name} C=${row.capacity ?? '-'} P=${row.producers}`;
      process.stderr.write(`${tag}: ${row.alloc ? `${row.alloc.bytesPerValue.toFixed(1)} B/value (n = ${row.alloc.n})` : `FAILED ${result.errors?.join('; ')}`}\n`);
    }
  }
  for (const row of active) if (row.ms.length === 0) delete row.ms;
  const idle = [];
  if (opts.only === null || opts.only.includes(IDLE_NAME)) {
    for (const kind of Object.keys(IDLE_KINDS)) {
      const result = await runChild([here('./idle-memory.mjs'), kind, String(IDLE_COUNT)], 120_000);
      idle.push({ kind, ...result });
    }
  }
  let nats = null;
  if (opts.only === null || opts.only.includes(NATS_NAME)) {
    // N JSON values per measurement, median of the rounds; the server is the bench's own.
    const arg = JSON.stringify({ n: opts.quick ? 2000 : 3000, rounds: opts.quick ? 3 : 7 });
    nats = await runChild([here('./nats.mjs'), arg], 600_000);
    process.stderr.write(`[nats] ${nats.skipped ? `skipped: ${nats.skipped}` : nats.errors?.length ? `FAILED ${nats.errors.join('; ')}` : `pipelined ${nats.pipelined?.ratio}x, sequential ${nats.sequential?.ratio}x the raw client`}\n`);
  }
  const run = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} x ${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    os: `${os.type()} ${os.release()}`,
    peers: peerVersions(),
    libCommit: commit,
    n: opts.n,
    reps: opts.reps,
    quick: opts.quick,
    note: opts.note,
    wallSeconds: Math.round((Date.now() - started) / 1000),
    cores: os.cpus().length,
    load: loads.length === 0 ? null : { mean: loads.reduce((a, b) => a + b, 0) / loads.length, max: Math.max(...loads) },
    rows,
    idle,
    nats,
  };
  mkdirSync(here('./results/'), { recursive: true });
  // latest.json holds the last full run (the one the docs show); partial runs go beside it.
  const file = opts.full ? 'latest.json' : opts.quick ? 'quick.json' : 'partial.json';
  writeFileSync(here(`./results/${file}`), JSON.stringify(run, null, 2) + '\n');
  report(run, opts.write);
}

/**
 * `--commit <rev>`: builds lib/ as committed at `rev` (not the working tree, which others may
 * be editing) into bench/results/build/ with the project's tsc and build config; returns its
 * dist/esm and the short commit id.
 */
function buildCommit(rev) {
  const git = (args, options = {}) => execFileSync('git', args, { cwd: root, ...options });
  const commit = git(['rev-parse', '--short', rev], { encoding: 'utf8' }).trim();
  const dir = here(`./results/build/${commit}/`);
  let typeErrors = existsSync(`${dir}type-errors`);
  if (!existsSync(`${dir}dist/esm/index.js`)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = git(['archive', '--format=tar', commit, 'lib', 'tsconfig.json', 'tsconfig.build.json']);
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    symlinkSync(`${root}node_modules`, `${dir}node_modules`);
    process.stderr.write(`bench: building lib/ of ${commit}\n`);
    try {
      execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${dir}tsconfig.build.json`], { stdio: 'inherit' });
    } catch (error) {
      // tsc emits despite type errors; a commit whose types fail elsewhere still runs.
      if (!existsSync(`${dir}dist/esm/index.js`)) throw error;
      typeErrors = true;
      writeFileSync(`${dir}type-errors`, '');
      process.stderr.write(`bench: ${commit} has type errors (above); measuring what tsc emitted\n`);
    }
  }
  return { dir: `${dir}dist/esm/`, commit: typeErrors ? `${commit} (with type errors)` : commit };
}

/** The commit of the working tree measured (with `+dirty` when lib/ has uncommitted edits). */
function libCommit() {
  try {
    const git = (args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const head = git(['log', '-1', '--format=%h']);
    return git(['status', '--porcelain', '--', 'lib']) === '' ? head : `${head}+dirty`;
  } catch {
    return 'unknown';
  }
}

/** Prints the table and targets; with `write`, rewrites docs/benchmarks.md and the SVG. */
function report(run, write) {
  const goals = targets(run, SHAPES);
  process.stdout.write(tableText(run, goals, SHAPES) + '\n');
  if (run.nats) process.stdout.write(natsText(run.nats) + '\n');
  if (write) {
    writeFileSync(new URL('../docs/benchmarks.md', import.meta.url), markdownReport(run, goals, SHAPES));
    writeFileSync(new URL('../docs/benchmarks.svg', import.meta.url), svgChart(run, SHAPES));
    process.stderr.write('bench: wrote docs/benchmarks.md and docs/benchmarks.svg\n');
  }
  if (run.rows.some((r) => !r.skipped && r.errors.length !== 0) || run.nats?.errors?.length) process.exitCode = 1;
}

await main();
