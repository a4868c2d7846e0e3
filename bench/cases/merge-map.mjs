// Bounded concurrency over an mpsc receiver fed by P producers that `await send`: the same
// async project `async (v) => v` at the same concurrency K, three ways. mergeMapBounded takes a
// value only when one of its K slots is free; rxjs `mergeMap(f, K)` subscribes to the receiver
// (which then pushes every value at once) and queues what waits in its own array; the pool is
// K async workers each looping `await rx.recv()`, the hand-written version.
import { mergeMap } from 'rxjs';
import { sendAll } from './rxjs-channel.mjs';

const WIDTHS = [8];
const project = async (v) => v;
const common = { bounded: true, shape: 'mergeMap', capacities: [16], producerCounts: [4] };

function piped(name, label, group, operator, k) {
  return {
    ...common,
    name,
    label,
    group,
    width: k,
    async run({ n, capacity, producers, consumer, lib }) {
      const [tx, rx] = lib.mpsc.channel(capacity);
      const consume = consumer({ ordered: false });
      const producing = sendAll(tx, producers, n);
      await new Promise((resolve, reject) => rx.pipe(operator(lib, k)).subscribe({ next: consume, error: reject, complete: resolve }));
      await producing;
    },
  };
}

const bounded = (k) =>
  piped(`rxc-mergemapbounded-x${k}`, `rxjs-channel mergeMapBounded(async v => v, { concurrency: ${k} }) over rx`, 'rxjs-channel', (lib, c) => lib.mergeMapBounded(project, { concurrency: c }), k);

const rxjs = (k) => ({
  ...piped(`rxjs-mergemap-x${k}`, `rxjs mergeMap(async v => v, ${k}) over rx`, 'peer', (_, c) => mergeMap(project, c), k),
  package: 'rxjs',
});

function pool(k) {
  return {
    ...common,
    name: `pool-recv-x${k}`,
    label: `hand-written pool: ${k} async workers looping await rx.recv(), await project(v)`,
    group: 'floor',
    width: k,
    async run({ n, capacity, producers, consumer, lib }) {
      const [tx, rx] = lib.mpsc.channel(capacity);
      const consume = consumer({ ordered: false });
      const producing = sendAll(tx, producers, n);
      const workers = [];
      for (let w = 0; w < k; w++) {
        workers.push(
          (async () => {
            for (;;) {
              const v = await rx.recv();
              if (v === undefined) return;
              consume(await project(v));
            }
          })(),
        );
      }
      await Promise.all(workers);
      await producing;
    },
  };
}

export const mergeMapBoundedCases = WIDTHS.map(bounded);
export const rxjsMergeMapCases = WIDTHS.map(rxjs);
export const poolCases = WIDTHS.map(pool);
