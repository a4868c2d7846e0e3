// The floor channel of bench/floor-channel.mjs, used as rxjs-channel is used.
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

export const floorTrySendSync = {
  name: 'floor-trysend-sync',
  label: 'floor: trySend + sync callback (fast path)',
  group: 'floor',
  bounded: true,
  async run({ n, capacity, producers, consumer }) {
    const ch = new FloorChannel(capacity);
    const done = new Promise((resolve) => ch.subscribe(consumer(), resolve));
    const producing = produce(producers, n, async (p, step, count) => {
      for (let v = p, k = 1; v < count; v += step, k++) {
        if (!ch.trySend(v)) await ch.send(v);
        else if ((k & 1023) === 0) await null;
      }
    }).then(() => ch.close());
    await Promise.all([producing, done]);
  },
};
