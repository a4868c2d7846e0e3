// `for await` over an Observable, two ways, over the same source: rxjs-channel's
// `backpressure(C)` (a bounded channel between the source and the loop; overflow would be an
// error, so the check column also proves nothing was dropped) and rxjs-for-await's
// `eachValueFrom` (an unbounded buffer). The source emits bursts of C values synchronously and
// yields a macrotask (setImmediate) between bursts, so a consumer that keeps up drains each
// burst before the next and never holds more than C values: the rate a `for await` over a
// bursty Observable reaches, per value, on either path.
import { clearImmediate, setImmediate } from 'node:timers';
import { Observable } from 'rxjs';
import { eachValueFrom } from 'rxjs-for-await';

const common = { bounded: true, shape: 'backpressure', capacities: [16, 1024], producerCounts: [1] };

function bursts(n, size) {
  return new Observable((subscriber) => {
    let v = 0;
    let timer = null;
    const burst = () => {
      const end = Math.min(n, v + size);
      while (v < end && !subscriber.closed) subscriber.next(v++);
      if (v < n) timer = setImmediate(burst);
      else subscriber.complete();
    };
    burst();
    return () => clearImmediate(timer);
  });
}

export const backpressureIter = {
  ...common,
  name: 'rxc-backpressure-iter',
  label: 'rxjs-channel: for await over backpressure(C)(source)',
  group: 'rxjs-channel',
  available: (lib) => (lib.backpressure === undefined ? 'lib has no `backpressure` export yet' : null),
  async run({ n, capacity, consumer, lib }) {
    const consume = consumer();
    for await (const v of lib.backpressure(capacity)(bursts(n, capacity))) consume(v);
  },
};

export const eachValueFromIter = {
  ...common,
  name: 'eachvaluefrom-iter',
  label: "rxjs-for-await: for await over eachValueFrom(source) (unbounded buffer)",
  group: 'peer',
  package: 'rxjs-for-await',
  async run({ n, capacity, consumer }) {
    const consume = consumer();
    for await (const v of eachValueFrom(bursts(n, capacity))) consume(v);
  },
};
