// What every case shares: the producers' values, the consumer's tally (the correctness check
// and the memory sampling), and how one timed repetition is run.
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

const gc = globalThis.gc;

/**
 * Producer `p` of `producers` sends `p, p + P, p + 2P, ...` below `n`: every value 0..n-1 once,
 * so the sum is known, and `value % P` names the producer, so per-producer order is checkable.
 */
export function produce(producers, n, body) {
  const running = [];
  for (let p = 0; p < producers; p++) running.push(body(p, producers, n));
  return Promise.all(running);
}

/** Samples heap and RSS; with `gcEvery`, forces a GC at checkpoints to see live memory only. */
class Sampler {
  peakHeap = 0;
  peakRss = 0;
  samples = 0;
  constructor(gcEvery) {
    this.gcEvery = gcEvery;
  }
  sample(count) {
    if (this.gcEvery !== 0) {
      // Live mode: only what survives a full GC counts, so sample at the checkpoints only.
      if (count % this.gcEvery !== 0) return;
      gc();
    }
    // The heap from V8 directly (a few µs); RSS reads /proc (tens of µs), so only every 16th
    // sample: sampling must not be what a fast row spends its time on.
    const heapUsed = getHeapStatistics().used_heap_size;
    if (heapUsed > this.peakHeap) this.peakHeap = heapUsed;
    if ((this.samples++ & 15) === 0 || count === 0) {
      const rss = process.memoryUsage.rss();
      if (rss > this.peakRss) this.peakRss = rss;
    }
  }
}

const SAMPLE_MASK = 4095;
const SUM_SPLIT = 2 ** 28;

/**
 * A consumer's tally: count, sum and (when `ordered`) per-producer order of what it received.
 * The sum is kept in two small-integer halves so that counting never allocates a heap number
 * (a sum above 2^30 would, on every value): the allocation figures then show the channel only.
 */
function makeTally(producers, sampler, gcEvery, ordered, sampling) {
  const last = new Array(producers).fill(-1);
  const tally = { consume: null, read: null };
  let count = 0;
  let low = 0;
  let high = 0;
  let disorder = 0;
  tally.consume = (value) => {
    if (ordered) {
      const p = value % producers;
      if (value <= last[p]) disorder++;
      last[p] = value;
    }
    low += value;
    if (low >= SUM_SPLIT) {
      low -= SUM_SPLIT;
      high++;
    }
    count++;
    if (sampling && ((count & SAMPLE_MASK) === 0 || (gcEvery !== 0 && count % gcEvery === 0))) sampler.sample(count);
  };
  tally.read = () => ({ count, sum: high * SUM_SPLIT + low, disorder });
  // A consumer in another thread (bench/cases/threads.mjs) reports its tally here, with the heap
  // growth of its thread: the receiving thread's heap is then that one.
  tally.consume.merge = (summary) => {
    count += summary.count;
    disorder += summary.disorder;
    low += summary.sum % SUM_SPLIT;
    high += Math.floor(summary.sum / SUM_SPLIT) + Math.floor(low / SUM_SPLIT);
    low %= SUM_SPLIT;
    sampler.remoteHeap = Math.max(sampler.remoteHeap ?? 0, summary.heapGrowth);
  };
  return tally;
}

/**
 * Runs `bench.run` once and checks what every consumer received. `live` forces GCs at eight
 * checkpoints (untimed use only) so the heap figure is live memory, not young-generation garbage.
 * `alloc` samples nothing during the run (a sample allocates), for the allocation count of
 * alloc.mjs. A case calls `ctx.consumer()` once per consumer; all of them together must see
 * every value once (`consumer({ shared: true })` hands out one tally to several receivers, and
 * `ordered: false` skips the per-producer order check where receivers race by design).
 */
export async function runOnce(bench, { n, capacity, producers, lib, live = false, alloc = false, width }) {
  const gcEvery = live ? Math.max(1, Math.floor(n / 8)) : 0;
  const sampler = new Sampler(gcEvery);
  const tallies = [];
  let shared = null;
  const consumer = ({ ordered = true, shared: share = false } = {}) => {
    if (share && shared !== null) return shared.consume;
    const tally = makeTally(producers, sampler, gcEvery, ordered, !alloc);
    tallies.push(tally);
    if (share) shared = tally;
    return tally.consume;
  };
  gc();
  gc();
  const base = process.memoryUsage();
  sampler.peakHeap = base.heapUsed;
  sampler.peakRss = base.rss;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await bench.run({ n, capacity, producers, consumer, lib, width: width ?? bench.width, gcEvery });
  const elapsed = performance.now() - start;
  const heapAfter = alloc ? process.memoryUsage().heapUsed : 0;
  const cpu = process.cpuUsage(cpuStart);
  sampler.sample(0);
  const expectedSum = (n * (n - 1)) / 2;
  const errors = [];
  if (tallies.length === 0) errors.push('no consumer');
  for (const [i, tally] of tallies.entries()) {
    const { count, sum, disorder } = tally.read();
    if (count !== n) errors.push(`consumer ${i}: ${count} values, expected ${n}`);
    if (sum !== expectedSum) errors.push(`consumer ${i}: sum ${sum}, expected ${expectedSum}`);
    if (disorder !== 0) errors.push(`consumer ${i}: ${disorder} values out of per-producer order`);
  }
  return {
    ms: elapsed,
    start,
    // CPU time of the whole process (GC helper threads included): steadier than wall time when
    // other work shares the machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapGrowth: sampler.remoteHeap ?? sampler.peakHeap - base.heapUsed,
    allocated: heapAfter - base.heapUsed,
    peakRss: sampler.peakRss,
    errors,
  };
}
