// Cross-build identity: handles made by one build of rxjs-channel, used by the functions of the
// other. A project gets both builds when an ESM app `import`s the package and a CommonJS
// dependency `require`s it. Copied into a consumer project (installed tarball, or dist/ linked)
// and run there by spec/package/cross-build.spec.ts, so both builds load through the exports
// map. Prints one JSON line: { results: [{ name, ok, error? }] }.
//
// Each case runs for the two mixed directions (cjs -> esm: handles from require(), functions
// from import; esm -> cjs) and, as controls that tell a cross-build failure from a plain one,
// for the two same-build pairs.
import { createRequire } from 'node:module';
import { lastValueFrom, take, toArray } from 'rxjs';
import * as esm from 'rxjs-channel';

const cjs = createRequire(import.meta.url)('rxjs-channel');

/** One turn of the event loop: every pending promise job runs first. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** `promise`'s outcome, or a "stalled" failure if it has none after `turns` event-loop turns. */
async function settled(promise, what, turns = 100) {
  let outcome;
  promise.then(
    (value) => (outcome = { value }),
    (error) => (outcome = { error }),
  );
  for (let i = 0; i < turns && outcome === undefined; i++) await turn();
  if (outcome === undefined) throw new Error(`${what}: stalled (no result after ${turns} event-loop turns)`);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/** A channel of `kind` made by `lib`, with `values` already sent; `[tx, rx]`. */
function filled(lib, kind, values, capacity = 8) {
  const [tx, rx] = kind === 'broadcast' ? lib.broadcast.channel(capacity) : lib[kind].channel(capacity);
  for (const v of values) check(kind === 'broadcast' ? tx.send(v) >= 1 : tx.trySend(v) === true, `${kind}: could not buffer ${v}`);
  return [tx, rx];
}

const cases = {
  // select over a receiver of each kind
  'select receives from an mpsc receiver': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1]);
    same(await settled(to.select({ v: rx }), 'select'), { key: 'v', value: 1 }, 'select result');
    tx.drop();
  },
  'select receives from an mpmc receiver': async (from, to) => {
    const [, rx] = filled(from, 'mpmc', [1]);
    same(await settled(to.select({ v: rx }), 'select'), { key: 'v', value: 1 }, 'select result');
  },
  'select receives from a broadcast receiver': async (from, to) => {
    const [, rx] = filled(from, 'broadcast', [1]);
    same(await settled(to.select({ v: rx }), 'select'), { key: 'v', value: 1 }, 'select result');
  },
  'select receives from a oneshot receiver': async (from, to) => {
    const [tx, rx] = from.oneshot.channel();
    tx.send(1);
    same(await settled(to.select({ v: rx }), 'select'), { key: 'v', value: 1 }, 'select result');
  },
  'select receives a change from a watch receiver': async (from, to) => {
    const [tx, rx] = from.watch.channel(0);
    tx.send(1);
    same(await settled(to.select({ v: rx, idle: to.select.default() }), 'select'), { key: 'v', value: 1 }, 'select result');
  },
  'select.recv accepts a receiver and waits for a value sent later': async (from, to) => {
    const [tx, rx] = from.mpsc.channel(1);
    const pending = to.select({ v: to.select.recv(rx) });
    await turn();
    tx.trySend(7);
    same(await settled(pending, 'select'), { key: 'v', value: 7 }, 'select result');
  },
  'select.send sends on an mpsc sender': async (from, to) => {
    const [tx, rx] = from.mpsc.channel(1);
    same(await settled(to.select({ s: to.select.send(tx, 1) }), 'select'), { key: 's', value: undefined }, 'select result');
    same(rx.tryRecv(), 1, 'received');
  },
  'select.send sends on an mpmc sender': async (from, to) => {
    const [tx, rx] = from.mpmc.channel(1);
    same(await settled(to.select({ s: to.select.send(tx, 1) }), 'select'), { key: 's', value: undefined }, 'select result');
    same(rx.tryRecv(), 1, 'received');
  },
  'select.send waits for room on a full sender': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1], 1);
    const pending = to.select({ s: to.select.send(tx, 2) });
    await turn();
    same(rx.tryRecv(), 1, 'first');
    await settled(pending, 'select');
    same(rx.tryRecv(), 2, 'second');
  },
  // toChannel reads another build's receiver as a pull source
  'toChannel reads an mpsc receiver in order': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1, 2, 3, 4, 5]);
    tx.drop();
    const out = to.toChannel(rx, 4);
    same(await settled(lastValueFrom(out.pipe(toArray())), 'reading'), [1, 2, 3, 4, 5], 'values');
  },
  'toChannel reads an mpsc receiver on demand': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1, 2, 3, 4, 5]);
    tx.drop();
    const out = to.toChannel(rx, 2);
    same(await settled(out.recv(), 'recv'), 1, 'first value');
    for (let i = 0; i < 10; i++) await turn();
    check(rx.length >= 2, `at most 3 values may have left the source after one recv with capacity 2; ${5 - rx.length} did`);
    same(await settled(lastValueFrom(out.pipe(toArray())), 'the rest'), [2, 3, 4, 5], 'the rest, in order');
  },
  'toChannel reads an mpmc receiver as a pull source': async (from, to) => {
    const [tx, rx] = filled(from, 'mpmc', [1, 2, 3, 4, 5]);
    tx.drop();
    same(await settled(lastValueFrom(to.toChannel(rx, 2).pipe(toArray())), 'reading'), [1, 2, 3, 4, 5], 'values');
  },
  'toChannel reads a broadcast receiver as a pull source': async (from, to) => {
    const [tx, rx] = filled(from, 'broadcast', [1, 2, 3, 4, 5]);
    tx.drop();
    same(await settled(lastValueFrom(to.toChannel(rx, 2).pipe(toArray())), 'reading'), [1, 2, 3, 4, 5], 'values');
  },
  'toChannel reads a oneshot receiver': async (from, to) => {
    const [tx, rx] = from.oneshot.channel();
    tx.send(1);
    same(await settled(lastValueFrom(to.toChannel(rx, 4).pipe(toArray())), 'reading'), [1], 'values');
  },
  // backpressure and mergeMapBounded treat another build's receiver as a pull source
  'backpressure reads an mpsc receiver as a pull source': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1, 2, 3, 4, 5]);
    tx.drop();
    const seen = [];
    for await (const v of to.backpressure(2)(rx)) seen.push(v);
    same(seen, [1, 2, 3, 4, 5], 'values');
  },
  'mergeMapBounded with take(1) takes only one value from an mpsc receiver': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1, 2, 3, 4, 5]);
    tx.drop();
    const first = await settled(lastValueFrom(rx.pipe(to.mergeMapBounded(async (v) => v * 10, { concurrency: 1 }), take(1))), 'first');
    same(first, 10, 'first result');
    for (let i = 0; i < 10; i++) await turn();
    same(await settled(rx.recvMany(8), 'rest'), [2, 3, 4, 5], 'values left in the receiver');
  },
  'mergeMapBounded reads every value of an mpsc receiver': async (from, to) => {
    const [tx, rx] = filled(from, 'mpsc', [1, 2, 3]);
    tx.drop();
    const all = await settled(lastValueFrom(rx.pipe(to.mergeMapBounded(async (v) => v * 10, { concurrency: 2 }), toArray())), 'all');
    same([...all].sort((a, b) => a - b), [10, 20, 30], 'results');
  },
};

// An error a case leaves unhandled (RxJS reports those from a timer) fails that case, not the run.
let stray = [];
process.on('uncaughtException', (error) => stray.push(error));
process.on('unhandledRejection', (error) => stray.push(error));
/** Runs the timers queue up to here: RxJS's reportUnhandledError uses setTimeout(0). */
const timers = () => new Promise((resolve) => setTimeout(resolve, 1));

const builds = { cjs, esm };
const results = [];
for (const [name, run] of Object.entries(cases)) {
  for (const [fromName, toName] of [['cjs', 'esm'], ['esm', 'cjs'], ['esm', 'esm'], ['cjs', 'cjs']]) {
    const label = `${fromName} -> ${toName}: ${name}`;
    stray = [];
    let error;
    try {
      await run(builds[fromName], builds[toName]);
    } catch (e) {
      error = e;
    }
    await turn();
    await timers();
    error ??= stray[0] && Object.assign(new Error(`unhandled: ${stray[0]?.stack ?? stray[0]}`));
    results.push(error === undefined ? { name: label, ok: true } : { name: label, ok: false, error: String(error?.stack ?? error) });
  }
}
check(cjs.mpsc.channel !== esm.mpsc.channel, 'the two builds loaded as one: the fixture tests nothing');
console.log(JSON.stringify({ results }));
