// The floor channel of bench/floor-channel.mjs, used as rxjs-channel is used.
import { Observable } from 'rxjs';
import { FloorChannel } from '../floor-channel.mjs';
import { produce } from '../harness.mjs';

export const floorSendIter = {
  name: 'floor-send-iter',
  label: 'floor: await send + for await',
  group: 'floor',
  bounded: true,
  async run({ n, capacity, producers, consumer }) {
    const ch = new FloorChannel(capacity);
    const consume = consumer();
    const producing = produce(producers, n, async (p, step, count) => {
      for (let v = p; v < count; v += step) await ch.send(v);
    }).then(() => ch.close());
    for await (const v of ch) consume(v);
    await producing;
  },
};

/** trySend on the fast path, `await send` only when full; `attach` connects the consumer. */
async function trySendVia(attach, { n, capacity, producers, consumer }) {
  const ch = new FloorChannel(capacity);
  const done = attach(ch, consumer());
  const producing = produce(producers, n, async (p, step, count) => {
    for (let v = p, k = 1; v < count; v += step, k++) {
      if (!ch.trySend(v)) await ch.send(v);
      else if ((k & 1023) === 0) await null;
    }
  }).then(() => ch.close());
  await Promise.all([producing, done]);
}

export const floorTrySendSync = {
  name: 'floor-trysend-sync',
  label: 'floor: trySend + sync callback (fast path)',
  group: 'floor',
  bounded: true,
  run: (ctx) => trySendVia((ch, consume) => new Promise((resolve) => ch.subscribe(consume, resolve)), ctx),
};

// The floor's fast path delivered through an rxjs Subscriber, as every `subscribe()` consumer
// is: what rxjs-channel's trySend + subscribe could reach at best.
export const floorTrySendRxjs = {
  name: 'floor-trysend-rxjs',
  label: 'floor: trySend + rxjs subscribe (the floor behind an rxjs Subscriber)',
  group: 'floor',
  bounded: true,
  run: (ctx) =>
    trySendVia(
      (ch, consume) =>
        new Promise((resolve, reject) =>
          new Observable((subscriber) => ch.subscribe((v) => subscriber.next(v), () => subscriber.complete())).subscribe({
            next: consume,
            error: reject,
            complete: resolve,
          }),
        ),
      ctx,
    ),
};
