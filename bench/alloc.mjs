// Bytes allocated per value, in its own process:
//   node --expose-gc --max-semi-space-size=M --min-semi-space-size=M bench/alloc.mjs '<json>'
// With a young generation of M MB (fixed, so V8 does not start small and grow it), a run of n
// values allocates less than M MB and no garbage collection happens during it: everything the
// run allocated is still counted in `heapUsed`, so `heapUsed(after) - heapUsed(before)`, where
// `before` is taken right after a forced full GC, is the bytes allocated by the run (young and
// old space, large objects, code) with nothing freed. A PerformanceObserver checks that no GC
// entry started inside the window; if one did, the figure would undercount, so the run is
// repeated with half the values. The same is done for the tally alone (a loop feeding the
// harness's consumer), and the report subtracts nothing: the tally allocates 0 B per value
// (`harness` line), which this run checks.
import { PerformanceObserver } from 'node:perf_hooks';
import { runOnce } from './harness.mjs';
import { loadCase } from './cases/index.mjs';

const lib = await import(process.env.RXC_LIB ?? 'rxjs-channel');
const { name, n, capacity, producers, warmup } = JSON.parse(process.argv[2]);

const gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.startTime))).observe({ entryTypes: ['gc'] });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The tally on its own: the same consumer, values handed over by a plain loop. */
const harnessOnly = {
  name: 'harness',
  async run({ n: count, producers: p, consumer }) {
    const consume = consumer();
    for (let s = 0; s < p; s++) for (let v = s; v < count; v += p) consume(v);
  },
};

async function measure(bench, config, count) {
  for (let attempt = 0; attempt < 6 && count >= 1000; attempt++, count = Math.floor(count / 2)) {
    const result = await runOnce(bench, { ...config, n: count, alloc: true });
    const end = result.start + result.ms;
    await settle(); // GC entries are delivered asynchronously
    const during = gcs.filter((t) => t >= result.start && t <= end).length;
    if (result.errors.length !== 0) return { errors: result.errors };
    if (during === 0) return { n: count, bytesPerValue: result.allocated / count, errors: [] };
  }
  return { errors: ['a GC ran inside every window tried'] };
}

const bench = await loadCase(name);
const config = { capacity: capacity === null ? Infinity : capacity, producers, lib };
await runOnce(bench, { ...config, n: warmup }); // optimise before counting
await runOnce(harnessOnly, { ...config, n: warmup });
const own = await measure(bench, config, n);
const tally = await measure(harnessOnly, config, n);
process.stdout.write(JSON.stringify({ name, capacity, producers, ...own, harnessBytesPerValue: tally.bytesPerValue ?? null }) + '\n');
