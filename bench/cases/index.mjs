// Every case, in table order, and the module that defines it. A case is
// { name, label, group, bounded, slow?, producerCounts?, available?, run(ctx) }:
// - `run` sends the values 0..n-1 from `ctx.producers` producers (see harness.mjs) and feeds
//   every value received to a function from `ctx.consumer()`;
// - `bounded: false` cases ignore the capacity and run once per producer count;
// - `slow` (or `slow(capacity)`) marks peers run with a reduced N (see run.mjs);
// - `producerCounts` pins the producer counts a case runs at;
// - `available(lib)` says why a case cannot run with this build (or returns null).
// A child process imports only the module of its case, so peers do not load each other.
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
};

export const CASE_NAMES = Object.keys(MODULES);

export async function loadCase(name) {
  const module = MODULES[name];
  if (module === undefined) throw new Error(`Unknown case \`${name}\`; known: ${CASE_NAMES.join(', ')}`);
  const found = Object.values(await import(module)).find((c) => c !== null && typeof c === 'object' && c.name === name);
  if (found === undefined) throw new Error(`${module} exports no case named \`${name}\``);
  return found;
}

export function loadCases() {
  return Promise.all(CASE_NAMES.map(loadCase));
}
