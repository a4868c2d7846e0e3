/**
 * Pipelined sends (lib/nats/pipeline.ts) against a real nats-server: several publishes of one
 * sender on the wire at once, each sender's order kept across refusals of a full channel.
 *
 * A core subscription on the channel's subject sees every publish as it goes to the server,
 * headers included: that is how these specs know the pipeline really had several publishes in
 * flight (a publish carrying `Nats-Expected-Last-Msg-Id` is only sent while its predecessor is
 * on the wire) and that refusals were retried (one `Nats-Msg-Id` published more than once).
 */
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { jetstream, type NatsReceiver } from '../../lib/nats/index.js';
import { uniqueName, useServer } from './helpers.js';

const nats = useServer();
jest.setTimeout(60_000);

type V = [who: string, i: number];

/** Records the headers of every publish on the channel's value subject. */
function tap(nc: NatsConnection, name: string): { chained: () => number; retried: () => number; stop: () => void } {
  const ids = new Map<string, number>();
  let chained = 0;
  const sub: Subscription = nc.subscribe(`rxc.${name}.v`, {
    callback: (_, msg) => {
      const id = msg.headers?.get('Nats-Msg-Id') ?? '';
      ids.set(id, (ids.get(id) ?? 0) + 1);
      if ((msg.headers?.get('Nats-Expected-Last-Msg-Id') ?? '') !== '') chained++;
    },
  });
  return {
    chained: () => chained,
    retried: () => [...ids.values()].filter((n) => n > 1).length,
    stop: () => sub.unsubscribe(),
  };
}

/** A receiver that takes its time: one value, then a macrotask turn and a few ms, so senders find the channel full. */
async function slowDrain<T>(rx: NatsReceiver<T>): Promise<T[]> {
  const got: T[] = [];
  for (;;) {
    const v = await rx.recv();
    if (v === undefined) return got;
    got.push(v);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function expectOrdered(got: V[], senders: Record<string, number>): void {
  expect(new Set(got.map(([w, i]) => `${w}:${i}`)).size).toBe(got.length); // no value twice
  for (const [who, count] of Object.entries(senders)) {
    expect(got.filter(([w]) => w === who).map(([, i]) => i)).toEqual([...Array(count).keys()]);
  }
  expect(got).toHaveLength(Object.values(senders).reduce((a, b) => a + b, 0));
}

it('stores one sender\'s sends issued at once in call order, several on the wire together', async () => {
  const nc = await nats.connect();
  const name = uniqueName('pipe');
  const ch = await jetstream.channel<V>(nc, name, { capacity: 500, heartbeat: 200 });
  const wire = tap(nc, name);
  const tx = await ch.sender();
  await Promise.all(Array.from({ length: 300 }, (_, i) => tx.send(['a', i])));
  await tx.drop();
  const got = await lastValueFrom((await ch.receiver()).pipe(toArray()));
  expectOrdered(got, { a: 300 });
  // Publishes chained to a predecessor still on the wire: the sends were pipelined.
  expect(wire.chained()).toBeGreaterThan(0);
  wire.stop();
});

it('keeps each sender\'s order, loses nothing and stores nothing twice with many sends in flight, a small capacity and a slow receiver', async () => {
  const nc = await nats.connect();
  const name = uniqueName('pipefull');
  const ch = await jetstream.channel<V>(nc, name, { capacity: 4, window: 1, heartbeat: 200 });
  const wire = tap(nc, name);
  const senders = { a: 60, b: 60, c: 60 };
  const txs = await Promise.all(Object.keys(senders).map(() => ch.sender()));
  const sends = Object.entries(senders).flatMap(([who, count], k) => Array.from({ length: count }, (_, i) => txs[k].send([who, i])));
  const rx = await ch.receiver();
  const all = slowDrain(rx);
  await Promise.all(sends); // the sends that waited while the channel was full all resumed
  await Promise.all(txs.map((tx) => tx.drop()));
  expectOrdered(await all, senders);
  // The refusal path really ran: chained publishes, and publishes sent again after a refusal.
  expect(wire.chained()).toBeGreaterThan(0);
  expect(wire.retried()).toBeGreaterThan(0);
  wire.stop();
});

it('resolves each send once stored, in call order, while later ones wait for room', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('pipeorder'), { capacity: 3, heartbeat: 200 });
  const tx = await ch.sender();
  const settled: number[] = [];
  const sends = Array.from({ length: 8 }, (_, i) => tx.send(i).then(() => settled.push(i)));
  await sends[2];
  expect(settled).toEqual([0, 1, 2]); // the channel is full: nothing after 2 can be stored yet
  const rx = await ch.receiver();
  const got = slowDrain(rx);
  await Promise.all(sends);
  expect(settled).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  await tx.drop();
  expect(await got).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
});

it('takes an aborted send out of the pipeline without storing it; the others keep their order', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('pipeabort'), { capacity: 2, heartbeat: 200 });
  const tx = await ch.sender();
  const controller = new AbortController();
  const sends = Array.from({ length: 10 }, (_, i) => tx.send(i, i === 5 ? { signal: controller.signal } : undefined));
  await Promise.all([sends[0], sends[1]]); // the channel is full now: 5 cannot be stored
  controller.abort(new Error('not this one'));
  await expect(sends[5]).rejects.toThrow('not this one');
  const got = slowDrain(await ch.receiver());
  await Promise.all(sends.filter((_, i) => i !== 5));
  await tx.drop();
  expect(await got).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
});

it('trySend in a pipeline resolves false once the channel is full, and the sends after it still arrive in order', async () => {
  const nc = await nats.connect();
  const ch = await jetstream.channel<number>(nc, uniqueName('pipetry'), { capacity: 2, heartbeat: 200 });
  const tx = await ch.sender();
  const first = [tx.send(0), tx.send(1)];
  const tried = tx.trySend(2); // issued behind two sends that fill the channel
  const later = tx.send(3);
  await Promise.all(first);
  expect(await tried).toBe(false);
  const got = slowDrain(await ch.receiver());
  await later;
  await tx.drop();
  expect(await got).toEqual([0, 1, 3]);
});

it('property: for random senders, capacities, trySends, aborts and receiver pauses, what resolved arrives once, in call order per sender, and nothing refused arrives', async () => {
  const nc = await nats.connect();
  const op = fc.record({ kind: fc.constantFrom('send', 'send', 'send', 'trySend', 'abort'), pause: fc.boolean() });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(op, { maxLength: 25 }), { minLength: 1, maxLength: 3 }), async (capacity, plans) => {
      const ch = await jetstream.channel<V>(nc, uniqueName('pipeprop'), { capacity, window: 2, heartbeat: 200 });
      const txs = await Promise.all(plans.map(() => ch.sender()));
      const outcome = new Map<string, 'stored' | 'refused'>();
      const issued: Promise<void>[] = [];
      const aborts: AbortController[] = [];
      plans.forEach((plan, k) => {
        plan.forEach(({ kind }, i) => {
          const key = `${k}:${i}`;
          const v: V = [String(k), i];
          if (kind === 'trySend') {
            issued.push(txs[k].trySend(v).then((ok) => void outcome.set(key, ok ? 'stored' : 'refused')));
          } else {
            const controller = new AbortController();
            if (kind === 'abort') aborts.push(controller);
            issued.push(
              txs[k].send(v, { signal: controller.signal }).then(
                () => void outcome.set(key, 'stored'),
                () => void outcome.set(key, 'refused'),
              ),
            );
          }
        });
      });
      const rx = await ch.receiver();
      const got: V[] = [];
      const pauses = plans.flat().map((o) => o.pause);
      const reading = (async () => {
        for (let n = 0; ; n++) {
          const v = await rx.recv();
          if (v === undefined) return;
          got.push(v);
          if (pauses[n % pauses.length]) await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      await Promise.resolve();
      for (const controller of aborts) controller.abort(new Error('abort'));
      await Promise.all(issued);
      await Promise.all(txs.map((tx) => tx.drop()));
      await reading;
      const received = got.map(([k, i]) => `${k}:${i}`);
      expect(new Set(received).size).toBe(received.length);
      const stored = [...outcome].filter(([, o]) => o === 'stored').map(([key]) => key);
      expect([...received].sort()).toEqual([...stored].sort());
      plans.forEach((_, k) => {
        const mine = got.filter(([w]) => w === String(k)).map(([, i]) => i);
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      });
    }),
    { numRuns: 8 },
  );
});
