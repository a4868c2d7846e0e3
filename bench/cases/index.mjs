// The case registry: every case, in table order, and the module that defines it. A case is
// { name, label, group, bounded, package?, slow?, shape?, width?, capacities?, producerCounts?,
//   available?, run(ctx) }:
// - `run` sends the values 0..n-1 from `ctx.producers` producers (see harness.mjs) and feeds
//   every value received to a function from `ctx.consumer()`;
// - `bounded: false` cases ignore the capacity and run once per producer count;
// - `slow` (or `slow(capacity)`) marks peers run with a reduced N (see run.mjs);
// - `capacities` / `producerCounts` pin the C and P a case runs at (`--capacity` and
//   `--producers`, when given, still filter them);
// - `shape` puts the case in one of the side-by-side sections of SHAPES below (N / 5 values),
//   `width` is its number of receivers, channels, workers or threads;
// - `package` names the npm package a peer measures: the report prints its installed version;
// - `available(lib)` says why a case cannot run with this build (or returns null).
// A child process imports only the module of its case, so peers do not load each other.
//
// Adding a shape (the threads shapes, for instance): a module under cases/ exporting its cases
// (objects or arrays of them), their names here, and an entry in SHAPES.
const MODULES = {
  'rxc-send-iter': './rxjs-channel.mjs',
  'rxc-send-subscribe': './rxjs-channel.mjs',
  'rxc-trysend-subscribe': './rxjs-channel.mjs',
  'rxc-recvmany': './rxjs-channel.mjs',
  'floor-send-iter': './floor.mjs',
  'floor-trysend-sync': './floor.mjs',
  'floor-trysend-rxjs': './floor.mjs',
  'rxjs-subject': './rxjs-subject.mjs',
  'node-readable': './node-readable.mjs',
  'web-readablestream': './web-readable-stream.mjs',
  'effect-take': './effect-queue.mjs',
  'effect-takeall': './effect-queue.mjs',
  repeater: './repeater.mjs',
  'it-pushable': './it-pushable.mjs',
  queueable: './queueable.mjs',
  // Other channel kinds, under the same load; skipped, with the reason, until dist has them.
  'rxc-mpmc-send-iter': './other-kinds.mjs',
  'rxc-broadcast-fanout8': './other-kinds.mjs',
  'rxjs-subject-fanout8': './other-kinds.mjs',
  // Shapes (see SHAPES).
  'rxc-mpmc-iter-x1': './mpmc-receivers.mjs',
  'rxc-mpmc-iter-x4': './mpmc-receivers.mjs',
  'rxc-mpmc-iter-x8': './mpmc-receivers.mjs',
  'rxc-mpmc-recv-x1': './mpmc-receivers.mjs',
  'rxc-mpmc-recv-x4': './mpmc-receivers.mjs',
  'rxc-mpmc-recv-x8': './mpmc-receivers.mjs',
  'effect-take-x1': './effect-queue.mjs',
  'effect-take-x4': './effect-queue.mjs',
  'effect-take-x8': './effect-queue.mjs',
  'rxc-select-x2': './select.mjs',
  'rxc-select-x8': './select.mjs',
  'rxc-fanin-iter-x2': './select.mjs',
  'rxc-fanin-iter-x8': './select.mjs',
  'rxjs-merge-x2': './select.mjs',
  'rxjs-merge-x8': './select.mjs',
  'rxc-mergemapbounded-x8': './merge-map.mjs',
  'rxjs-mergemap-x8': './merge-map.mjs',
  'pool-recv-x8': './merge-map.mjs',
  'rxc-backpressure-iter': './backpressure.mjs',
  'eachvaluefrom-iter': './backpressure.mjs',
  // Threads (see SHAPES): worker threads sending to the main thread (w2m), the main thread
  // sending to workers (m2w), and a pool of 4 workers.
  ...Object.fromEntries(
    ['w2m', 'm2w'].flatMap((dir) => ['rxc', 'rxc-fast', 'floor', 'post', 'stream', 'comlink'].flatMap((kind) => [1, 4].map((x) => [`${kind}-threads-${dir}-x${x}`, './threads.mjs']))),
  ),
  'rxc-pool-x4': './threads.mjs',
  'piscina-pool-x4': './threads.mjs',
};

/**
 * The side-by-side sections: each lists its cases in order and, for a row, the case it is
 * compared with (same C and P); the ratio column is msgs/s of the row over that one's.
 */
export const SHAPES = [
  {
    id: 'mpmc',
    title: 'mpmc work queue: 4 producers, 1, 4 or 8 receivers',
    text: 'P = 4 producers `await send`; R receivers drain one channel. Ratio: against the same style with one receiver.',
    reference: (name) => name.replace(/-x\d+$/, '-x1'),
  },
  {
    id: 'select',
    title: 'select over 2 and 8 mpsc channels',
    text: 'One producer per channel (`await send`), N values in total. Ratio: against the same producers into one channel drained by `for await` (`rxc-fanin-iter-xK`), i.e. what select costs over no select.',
    reference: (name) => `rxc-fanin-iter-x${name.match(/-x(\d+)$/)[1]}`,
  },
  {
    id: 'mergeMap',
    title: 'bounded concurrency over a receiver: mergeMapBounded, mergeMap, a pool of recv() workers',
    text: 'P = 4 producers `await send` into an mpsc channel (C = 16); project `async (v) => v` at concurrency 8. Ratio: against the hand-written pool (`pool-recv-x8`).',
    reference: (name) => `pool-recv-x${name.match(/-x(\d+)$/)[1]}`,
  },
  {
    id: 'threads',
    title: 'threads: 1 or 4 producer workers to the main thread',
    text: 'Each worker sends its share of N values (`await send` into a sender moved into it, or the fast path: `trySend`, awaiting `send` only when the channel is full); the main thread consumes (`for await`, or `subscribe()` for the fast path). Workers are started once per process (the warm-up pays start-up and module loading). Ratio: against the hand-written floor (batched postMessage with a credit window of C) with the same workers.',
    reference: (name) => name.replace(/^.*-threads-/, 'floor-threads-'),
  },
  {
    id: 'threads-m2w',
    title: 'threads: the main thread to 1 or 4 consumer workers',
    text: 'P producers here, one per worker, each sends its share of N values (`await send`, or the fast path: `trySend`, awaiting `send` only when full, into a channel whose receiver moved into its worker); each worker consumes (`for await`, or `subscribe()` for the fast path) and reports its tally and its own heap growth (the heap columns are the receiving workers\'). Ratio: against the hand-written floor (batched postMessage with a credit window of C) with the same workers.',
    reference: (name) => name.replace(/^.*-threads-/, 'floor-threads-'),
  },
  {
    id: 'pool',
    title: 'a work pool of 4 worker threads: small jobs, rxjs-channel vs piscina',
    text: 'N jobs (a job returns its value): rxjs-channel feeds an mpmc channel (C) whose receiver is cloned into 4 workers, results come back through an mpsc channel (C); piscina runs `pool.run(job)` for every job, all submitted at once. Ratio: against piscina.',
    reference: () => 'piscina-pool-x4',
  },
  {
    id: 'backpressure',
    title: '`for await` over an Observable: backpressure(C) vs rxjs-for-await',
    text: 'The same bursty source (bursts of C values, a macrotask between bursts). Ratio: against `eachValueFrom`.',
    reference: () => 'eachvaluefrom-iter',
  },
];

export const CASE_NAMES = Object.keys(MODULES);

export async function loadCase(name) {
  const module = MODULES[name];
  if (module === undefined) throw new Error(`Unknown case \`${name}\`; known: ${CASE_NAMES.join(', ')}`);
  const found = Object.values(await import(module))
    .flat()
    .find((c) => c !== null && typeof c === 'object' && c.name === name);
  if (found === undefined) throw new Error(`${module} exports no case named \`${name}\``);
  return found;
}

export function loadCases() {
  return Promise.all(CASE_NAMES.map(loadCase));
}
