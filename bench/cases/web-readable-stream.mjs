// WHATWG ReadableStream with CountQueuingStrategy: the producers wait while desiredSize <= 0,
// pull() wakes them; the consumer uses for await.
import { CountQueuingStrategy, ReadableStream } from 'node:stream/web';
import { produce } from '../harness.mjs';

export const webReadableStream = {
  name: 'web-readablestream',
  label: 'WHATWG ReadableStream (CountQueuingStrategy C)',
  group: 'peer',
  bounded: true,
  slow: true, // several µs per value: N / 5, see run.mjs
  async run({ n, capacity, producers, consumer }) {
    let controller;
    let waiting = [];
    const stream = new ReadableStream(
      {
        start(c) {
          controller = c;
        },
        pull() {
          const wake = waiting;
          waiting = [];
          for (const resolve of wake) resolve();
        },
      },
      new CountQueuingStrategy({ highWaterMark: capacity }),
    );
    const consume = consumer();
    const producing = produce(producers, n, async (p, step, count) => {
      for (let v = p; v < count; v += step) {
        while (controller.desiredSize <= 0) await new Promise((resolve) => waiting.push(resolve));
        controller.enqueue(v);
      }
    }).then(() => controller.close());
    for await (const v of stream) consume(v);
    await producing;
  },
};
