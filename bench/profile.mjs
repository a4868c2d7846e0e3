// Where the time of one configuration goes: runs the case in this process after its warm-up,
// with V8's CPU profiler (node:inspector) on for the timed runs only (no start-up, no module
// loading, no warm-up in the figures), and prints the functions with the most self time (share
// of all samples, idle excluded).
//
//   node --expose-gc bench/profile.mjs rxc-send-iter --capacity 16 --producers 4 [--n 1000000] [--top 25]
//
// Measures dist/esm as the benchmarks do (run `npm run build` first); the .cpuprofile is kept in
// bench/results/profiles/ for Chrome DevTools or speedscope.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadCase } from './cases/index.mjs';
import { runOnce } from './harness.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const root = here('..');

function parseArgs(argv) {
  const opts = { name: null, capacity: 16, producers: 1, n: 1_000_000, top: 25 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--capacity') opts.capacity = argv[++i] === '-' ? null : Number(argv[i]);
    else if (arg === '--producers') opts.producers = Number(argv[++i]);
    else if (arg === '--n') opts.n = Number(argv[++i]);
    else if (arg === '--top') opts.top = Number(argv[++i]);
    else if (opts.name === null && !arg.startsWith('--')) opts.name = arg;
    else throw new Error(`Unknown option ${arg}; see the header of bench/profile.mjs`);
  }
  if (opts.name === null) throw new Error('Which case? See the header of bench/profile.mjs');
  return opts;
}

/** Self time per function (name, file, line), in ms, from a .cpuprofile. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const file = url.replace(/^file:\/\//, '').replace(root, '').replace(/^.*node_modules\//, '');
    const key = `${functionName || '(anonymous)'}  ${file || '(native)'}${file ? `:${lineNumber + 1}` : ''}`;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  }
  return { all, rows: [...totals.entries()].sort((a, b) => b[1] - a[1]) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof globalThis.gc !== 'function') throw new Error('Run with node --expose-gc');
  const lib = await import(process.env.RXC_LIB ?? pathToFileURL(here('../dist/esm/index.js')).href);
  const bench = await loadCase(opts.name);
  const config = { capacity: opts.capacity === null ? Infinity : opts.capacity, producers: opts.producers, lib };
  await runOnce(bench, { ...config, n: Math.min(opts.n, Math.max(10_000, Math.floor(opts.n / 10))) });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await runOnce(bench, { ...config, n: opts.n }));
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const dir = here('./results/profiles/');
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${opts.name}-C${opts.capacity ?? '-'}-P${opts.producers}.cpuprofile`;
  writeFileSync(file, JSON.stringify(profile));
  const { all, rows } = selfTimes(profile);
  const rate = runs.map((r) => `${((opts.n / r.ms) * 1000 / 1e6).toFixed(2)}M`).join(', ');
  const errors = [...new Set(runs.flatMap((r) => r.errors))];
  process.stdout.write(`${opts.name} C=${opts.capacity ?? '-'} P=${opts.producers} N=${opts.n}: msgs/s ${rate} (3 runs, profiled)${errors.length ? ` FAILED ${errors.join('; ')}` : ''}; ${all.toFixed(0)} ms sampled\n`);
  for (const [key, ms] of rows.slice(0, opts.top)) process.stdout.write(`${((ms / all) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${key}\n`);
  process.stdout.write(`profile: ${file}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
