// One configuration in its own process: `node --expose-gc bench/child.mjs '<json>'`.
// Warm-up (one run, or the case's `warmups`), then the timed repetitions, then (unless `live: false`) one untimed run that
// measures live heap; prints one JSON line on stdout.
import { runOnce } from './harness.mjs';
import { loadCase } from './cases/index.mjs';

// The library as built, from run.mjs's snapshot of dist/esm (a rebuild during the run cannot
// pull it away), or the package itself when run by hand.
const lib = await import(process.env.RXC_LIB ?? 'rxjs-channel');
const { name, n, capacity, producers, reps, warmup, live = true } = JSON.parse(process.argv[2]);
const bench = await loadCase(name);
const config = { capacity: capacity === null ? Infinity : capacity, producers, lib };

// A case may ask for more warm-up runs (`warmups`): the thread cases do, so the code in the
// workers is optimised before the timed run, as in a program that has been running a while.
let warm = await runOnce(bench, { ...config, n: warmup });
for (let i = 1; i < (bench.warmups ?? 1) && warm.errors.length === 0; i++) warm = await runOnce(bench, { ...config, n: warmup });
const runs = [];
for (let i = 0; i < reps; i++) runs.push(await runOnce(bench, { ...config, n }));
const liveRun = live ? await runOnce(bench, { ...config, n, live: true }) : null;

const errors = [...new Set([warm, ...runs, ...(liveRun ? [liveRun] : [])].flatMap((r) => r.errors))];
process.stdout.write(
  JSON.stringify({
    name,
    capacity,
    producers,
    n,
    ms: runs.map((r) => r.ms),
    cpuMs: runs.map((r) => r.cpuMs),
    heapGrowth: runs.map((r) => r.heapGrowth),
    liveHeapGrowth: liveRun ? liveRun.heapGrowth : null,
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    maxRss: process.resourceUsage().maxRSS * 1024,
    errors,
  }) + '\n',
);
