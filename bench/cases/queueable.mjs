// queueable's Channel: push() returns a promise that resolves when the value is pulled. Its own
// limit drops the oldest value, so it is bounded here the lossless way: each producer keeps at
// most ceil(C / P) pushes unpulled, awaiting the oldest before pushing past that window.
import { Channel } from 'queueable';
import { produce } from '../harness.mjs';

export const queueable = {
  name: 'queueable',
  label: 'queueable Channel (window of C unpulled pushes)',
  group: 'peer',
  package: 'queueable',
  bounded: true,
  async run({ n, capacity, producers, consumer }) {
    const channel = new Channel();
    const consume = consumer();
    const window = Math.max(1, Math.ceil(capacity / producers));
    const producing = produce(producers, n, async (p, step, count) => {
      const pending = new Array(window);
      for (let v = p, k = 0; v < count; v += step, k++) {
        const slot = k % window;
        if (k >= window) await pending[slot];
        pending[slot] = channel.push(v);
      }
    }).then(() => channel.push(undefined, true));
    for await (const v of channel) consume(v);
    await producing;
  },
};
