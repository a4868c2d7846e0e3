// it-pushable: unbounded, push() never waits, so the producers run ahead and the backlog is
// held in memory (the row shows that cost).
import { pushable } from 'it-pushable';
import { produce } from '../harness.mjs';

export const itPushable = {
  name: 'it-pushable',
  label: 'it-pushable (unbounded)',
  group: 'peer',
  package: 'it-pushable',
  bounded: false,
  async run({ n, producers, consumer }) {
    const source = pushable({ objectMode: true });
    const consume = consumer();
    const producing = produce(producers, n, async (p, step, count) => {
      for (let v = p, k = 1; v < count; v += step, k++) {
        source.push(v);
        if ((k & 1023) === 0) await null;
      }
    }).then(() => source.end());
    for await (const v of source) consume(v);
    await producing;
  },
};
