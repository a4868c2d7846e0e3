// Receiving from K mpsc channels at once, one producer per channel (`await send`), N values in
// total. `rxc-select-xK` loops `await select({ c0: rx0, ..., cK: rxK })`, disabling a branch once
// its channel has ended (Go's nil channel); beside it the same K producers into one channel
// drained by `for await` (what select costs over no select at all), and rxjs `merge` of the K
// receivers with one subscriber (the RxJS way to take from several sources).
import { merge } from 'rxjs';
import { produce } from '../harness.mjs';

const WIDTHS = [2, 8];
const common = { bounded: true, shape: 'select', capacities: [16, 1024] };

/** K channels; producer p sends its values p, p + K, ... on channel p. */
function channels(lib, k, capacity, n) {
  const pairs = Array.from({ length: k }, () => lib.mpsc.channel(capacity));
  const producing = produce(k, n, async (p, step, count) => {
    const tx = pairs[p][0];
    for (let v = p; v < count; v += step) await tx.send(v);
    tx.drop();
  });
  return { receivers: pairs.map(([, rx]) => rx), producing };
}

function selectLoop(k) {
  return {
    ...common,
    name: `rxc-select-x${k}`,
    label: `rxjs-channel: loop of await select over ${k} mpsc channels`,
    group: 'rxjs-channel',
    producerCounts: [k],
    width: k,
    available: (lib) => (lib.select === undefined ? 'lib has no `select` export yet' : null),
    async run({ n, capacity, consumer, lib }) {
      const { select } = lib;
      const consume = consumer();
      const { receivers, producing } = channels(lib, k, capacity, n);
      const branches = {};
      receivers.forEach((rx, i) => (branches[`c${i}`] = rx));
      for (let open = k; open > 0; ) {
        const { key, value } = await select(branches);
        if (value === undefined) {
          branches[key] = undefined;
          open--;
        } else {
          consume(value);
        }
      }
      await producing;
    },
  };
}

function fanIn(k) {
  return {
    ...common,
    name: `rxc-fanin-iter-x${k}`,
    label: `rxjs-channel: ${k} producers into one mpsc channel, for await (no select)`,
    group: 'rxjs-channel',
    producerCounts: [k],
    width: k,
    async run({ n, capacity, producers, consumer, lib }) {
      const [tx, rx] = lib.mpsc.channel(capacity);
      const consume = consumer();
      const producing = produce(producers, n, async (p, step, count) => {
        const own = tx.clone();
        for (let v = p; v < count; v += step) await own.send(v);
        own.drop();
      });
      tx.drop();
      for await (const v of rx) consume(v);
      await producing;
    },
  };
}

function rxjsMerge(k) {
  return {
    ...common,
    name: `rxjs-merge-x${k}`,
    label: `rxjs merge of ${k} rxjs-channel receivers, one subscriber`,
    group: 'peer',
    package: 'rxjs',
    producerCounts: [k],
    width: k,
    async run({ n, capacity, consumer, lib }) {
      const consume = consumer();
      const { receivers, producing } = channels(lib, k, capacity, n);
      await new Promise((resolve, reject) => merge(...receivers).subscribe({ next: consume, error: reject, complete: resolve }));
      await producing;
    },
  };
}

export const selectLoops = WIDTHS.map(selectLoop);
export const fanIns = WIDTHS.map(fanIn);
export const rxjsMerges = WIDTHS.map(rxjsMerge);
