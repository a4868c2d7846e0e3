// Child of schedule.spec.ts: subscribers whose `next` throws, on every channel kind, in a plain
// Node process (jest handles unhandled rejections itself, so a listener inside a spec sees
// nothing). Prints what each consumer got, which producer calls threw, and every unhandled
// rejection; a control rejection shows the listener works.
import { Subscriber } from 'rxjs';

const { broadcast, mpmc, mpsc, oneshot, watch } = await import(process.argv[2]);

const text = (e) => (e instanceof Error ? e.message : String(e));
const unhandled = [];
const uncaught = [];
process.on('unhandledRejection', (reason) => unhandled.push(text(reason)));
process.on('uncaughtException', (error) => uncaught.push(text(error)));

const flush = () => new Promise((resolve) => setImmediate(resolve));
/** A raw Subscriber (no SafeSubscriber wrapper): its throw reaches the channel. */
const throwing = (kind, seen, when) =>
  new Subscriber({
    next(v) {
      seen.push(v);
      if (when(v)) throw new Error(`${kind} subscriber failed`);
    },
    error() {},
    complete() {},
  });
/** Runs a producer call; records a synchronous throw or a rejection against `value`. */
async function produce(threw, value, fn) {
  let result;
  try {
    result = fn();
  } catch {
    threw.push(value);
    return;
  }
  if (result instanceof Promise) await result.catch(() => threw.push(`rejected ${value}`));
}
const drain = (rx) => {
  const out = [];
  for (let v = rx.tryRecv(); v !== undefined; v = rx.tryRecv()) out.push(v);
  return out;
};
const results = {};

{
  const [tx, rx] = mpsc.channel(4);
  const seen = [];
  const threw = [];
  const sub = throwing('mpsc', seen, (v) => v === 1);
  rx.subscribe(sub);
  await produce(threw, 1, () => tx.trySend(1));
  await produce(threw, 2, () => tx.trySend(2));
  await produce(threw, 3, () => tx.send(3));
  await flush();
  sub.unsubscribe();
  results.mpsc = { seen, rest: drain(rx), threw };
}

{
  const [tx, rx] = mpmc.channel(4);
  const seen = [];
  const others = [];
  const threw = [];
  const sub = throwing('mpmc', seen, () => true);
  rx.subscribe(sub);
  rx.clone().subscribe((v) => others.push(v));
  for (const v of [1, 2, 3]) await produce(threw, v, () => tx.trySend(v));
  await produce(threw, 4, () => tx.send(4));
  await flush();
  sub.unsubscribe();
  results.mpmc = { seen, others, rest: drain(rx), threw };
}

{
  const [tx, rx] = broadcast.channel(4);
  const other = tx.subscribe();
  const seen = [];
  const others = [];
  const threw = [];
  const sub = throwing('broadcast', seen, (v) => v === 1);
  rx.subscribe(sub);
  other.subscribe((v) => others.push(v));
  for (const v of [1, 2, 3]) await produce(threw, v, () => tx.send(v));
  await flush();
  sub.unsubscribe();
  results.broadcast = { seen, others, rest: drain(rx), threw };
}

{
  const [tx, rx] = watch.channel(0);
  const seen = [];
  const others = [];
  const threw = [];
  rx.subscribe(throwing('watch', seen, (v) => v !== 0));
  rx.subscribe((v) => others.push(v));
  await produce(threw, 1, () => tx.send(1));
  await flush();
  await produce(threw, 2, () => tx.send(2));
  await flush();
  results.watch = { seen, others, threw, borrowed: rx.borrow() };
}

{
  const [tx, rx] = oneshot.channel();
  const seen = [];
  const others = [];
  let completed = false;
  const threw = [];
  rx.subscribe(throwing('oneshot', seen, () => true));
  rx.subscribe({ next: (v) => others.push(v), complete: () => (completed = true) });
  let sent;
  await produce(threw, 5, () => (sent = tx.send(5)));
  await flush();
  results.oneshot = { seen, others, completed, sent, threw, awaited: await rx };
}

// The listener does see a rejection nobody handles, so its silence above means something.
void Promise.reject(new Error('control'));
await flush();
await flush();
console.log(JSON.stringify({ results, unhandled, uncaught }));
