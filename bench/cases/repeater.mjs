// @repeaterjs/repeater with a FixedBuffer: producers await push(), which waits while full.
import { FixedBuffer, Repeater } from '@repeaterjs/repeater';
import { produce } from '../harness.mjs';

export const repeater = {
  name: 'repeater',
  label: '@repeaterjs/repeater (FixedBuffer C)',
  group: 'peer',
  package: '@repeaterjs/repeater',
  bounded: true,
  slow: true, // several µs per value: N / 5, see run.mjs
  async run({ n, capacity, producers, consumer }) {
    const consume = consumer();
    const source = new Repeater(async (push, stop) => {
      await produce(producers, n, async (p, step, count) => {
        for (let v = p; v < count; v += step) await push(v);
      });
      stop();
    }, new FixedBuffer(capacity));
    for await (const v of source) consume(v);
  },
};
