// Child of flat-heap.spec.ts (run with --expose-gc): four producers `await tx.send` 250,000
// values each through a channel of capacity 16 (so the channel runs full and sends wait), and
// the heap is sampled after a full GC every 100,000 received values. Prints one JSON line.
//   argv[2]: the library entry (file URL); argv[3]: 'iterator' | 'subscribe' | 'recv'
const { mpsc } = await import(process.argv[2]);
const style = process.argv[3];
const N = 1_000_000;
const PRODUCERS = 4;
const CAPACITY = 16;
const EVERY = 100_000;

const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const [tx, rx] = mpsc.channel(CAPACITY);
const samples = [];
let count = 0;
const last = new Array(PRODUCERS).fill(-1);
let ordered = true;
let maxLength = 0;
const take = (v) => {
  const p = v % PRODUCERS;
  if (v !== last[p] + PRODUCERS && !(last[p] === -1 && v === p)) ordered = false;
  last[p] = v;
  count++;
  if (rx.length > maxLength) maxLength = rx.length;
  if (count % EVERY === 0) samples.push(heap());
};

const baseline = heap();
const producers = Array.from({ length: PRODUCERS }, async (_, p) => {
  const sender = tx.clone();
  for (let v = p; v < N; v += PRODUCERS) await sender.send(v);
  sender.drop();
});
tx.drop();

if (style === 'iterator') {
  for await (const v of rx) take(v);
} else if (style === 'subscribe') {
  await new Promise((resolve, reject) => rx.subscribe({ next: take, error: reject, complete: resolve }));
} else {
  for (let v = await rx.recv(); v !== undefined; v = await rx.recv()) take(v);
}
await Promise.all(producers);
console.log(JSON.stringify({ count, ordered, maxLength, baseline, samples }));
