// Node's stream.Readable in object mode: the producers honour push()'s false and wait for the
// next _read() call; the consumer uses for await.
import { Readable } from 'node:stream';
import { produce } from '../harness.mjs';

export const nodeReadable = {
  name: 'node-readable',
  label: 'node stream.Readable (objectMode, highWaterMark C)',
  group: 'peer',
  bounded: true,
  async run({ n, capacity, producers, consumer }) {
    let waiting = [];
    const readable = new Readable({
      objectMode: true,
      highWaterMark: capacity,
      read() {
        const wake = waiting;
        waiting = [];
        for (const resolve of wake) resolve();
      },
    });
    const consume = consumer();
    const producing = produce(producers, n, async (p, step, count) => {
      for (let v = p; v < count; v += step) {
        if (!readable.push(v)) await new Promise((resolve) => waiting.push(resolve));
      }
    }).then(() => readable.push(null));
    for await (const v of readable) consume(v);
    await producing;
  },
};
