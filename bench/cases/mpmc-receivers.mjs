// mpmc as a work queue: P producers `await send`, R receivers drain one channel, each with
// `for await` or with a `recv()` loop. With R = 8 most receivers are waiting most of the time:
// the shape of a worker pool, and the target (8 waiting receivers >= 0.8x one).
import { sendAll } from './rxjs-channel.mjs';

const WIDTHS = [1, 4, 8];

function drainers(style, receivers) {
  return {
    name: `rxc-mpmc-${style}-x${receivers}`,
    label: `rxjs-channel mpmc: await send, ${receivers} receiver${receivers === 1 ? '' : 's'} ${style === 'iter' ? 'with for await' : 'looping await recv()'}`,
    group: 'rxjs-channel',
    bounded: true,
    shape: 'mpmc',
    capacities: [16, 1024],
    producerCounts: [4],
    width: receivers,
    available: (lib) => (lib.mpmc === undefined ? 'lib has no `mpmc` export yet' : null),
    async run({ n, capacity, producers, consumer, lib }) {
      const [tx, rx] = lib.mpmc.channel(capacity);
      // One tally for all receivers: together they must see every value exactly once. Which
      // receiver takes which value is the channel's choice, so per-producer order across them
      // is not checked (it is with one receiver).
      const consume = consumer({ shared: true, ordered: receivers === 1 });
      const handles = [rx];
      while (handles.length < receivers) handles.push(rx.clone());
      const producing = sendAll(tx, producers, n);
      await Promise.all(
        handles.map(async (handle) => {
          if (style === 'iter') {
            for await (const v of handle) consume(v);
          } else {
            for (;;) {
              const v = await handle.recv();
              if (v === undefined) break;
              consume(v);
            }
          }
          handle.drop();
        }),
      );
      await producing;
    },
  };
}

export const mpmcIter = WIDTHS.map((r) => drainers('iter', r));
export const mpmcRecv = WIDTHS.map((r) => drainers('recv', r));
