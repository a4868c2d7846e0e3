// What every case shares: the producers' values, the consumer's tally (the correctness check
// and the memory sampling), and how one timed repetition is run.
import { performance } from 'node:perf_hooks';

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
  constructor(gcEvery) {
    this.gcEvery = gcEvery;
  }
  sample(count) {
    if (this.gcEvery !== 0) {
      // Live mode: only what survives a full GC counts, so sample at the checkpoints only.
      if (count % this.gcEvery !== 0) return;
      gc();
    }
    const { heapUsed, rss } = process.memoryUsage();
    if (heapUsed > this.peakHeap) this.peakHeap = heapUsed;
    if (rss > this.peakRss) this.peakRss = rss;
  }
}

const SAMPLE_MASK = 4095;

/** A consumer's tally: count, sum and per-producer order of what it received. */
function makeTally(producers, sampler, gcEvery) {
  const last = new Array(producers).fill(-1);
  const tally = { count: 0, sum: 0, disorder: 0, consume: null };
  let count = 0;
  let sum = 0;
  let disorder = 0;
  tally.consume = (value) => {
    const p = value % producers;
    if (value <= last[p]) disorder++;
    last[p] = value;
    sum += value;
    count++;
    if ((count & SAMPLE_MASK) === 0 || (gcEvery !== 0 && count % gcEvery === 0)) sampler.sample(count);
  };
  tally.read = () => ({ count, sum, disorder });
  return tally;
}

/**
 * Runs `bench.run` once and checks what every consumer received. `live` forces GCs at eight
 * checkpoints (untimed use only) so the heap figure is live memory, not young-generation garbage.
 */
export async function runOnce(bench, { n, capacity, producers, lib, live = false }) {
  const gcEvery = live ? Math.max(1, Math.floor(n / 8)) : 0;
  const sampler = new Sampler(gcEvery);
  const tallies = [];
  const consumer = () => {
    const tally = makeTally(producers, sampler, gcEvery);
    tallies.push(tally);
    return tally.consume;
  };
  gc();
  gc();
  const base = process.memoryUsage();
  sampler.peakHeap = base.heapUsed;
  sampler.peakRss = base.rss;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  await bench.run({ n, capacity, producers, consumer, lib });
  const elapsed = performance.now() - start;
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
    // CPU time of the whole process (GC helper threads included): steadier than wall time when
    // other work shares the machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapGrowth: sampler.peakHeap - base.heapUsed,
    peakRss: sampler.peakRss,
    errors,
  };
}
