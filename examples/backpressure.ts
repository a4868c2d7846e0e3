// Backpressure through an RxJS pipeline: a fast producer, a bounded channel, and a slow async
// stage with two workers. The producer's `await tx.send()` waits whenever both workers are busy
// and the channel is full, so it is never more than capacity + concurrency values ahead of
// what the workers finished. Then the same slow stage behind an Observable that cannot wait:
// the overflow is explicit (dropOldest keeps the latest values and reports the others).
//
// Run: npx tsx examples/backpressure.ts
import { interval, lastValueFrom, take, tap, toArray } from 'rxjs';
import { backpressure, mergeMapBounded, mpsc } from 'rxjs-channel';

const CAPACITY = 4;
const CONCURRENCY = 2;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// 1. A pull pipeline: the producer is slowed down to the pace of the slowest stage.
const [tx, rx] = mpsc.channel<number>(CAPACITY);
let sent = 0;
let finished = 0;
let maxAhead = 0;

async function slowSave(n: number): Promise<number> {
  await sleep(5);
  finished++;
  return n;
}

const saved = lastValueFrom(rx.pipe(mergeMapBounded(slowSave, { concurrency: CONCURRENCY }), toArray()));
for (let i = 0; i < 30; i++) {
  await tx.send(i); // waits while the channel is full
  sent++;
  maxAhead = Math.max(maxAhead, sent - finished);
}
tx.drop();
console.log(`saved ${(await saved).length} values; the producer was at most ${maxAhead} ahead`);
console.log(`(bound: capacity ${CAPACITY} + concurrency ${CONCURRENCY} = ${CAPACITY + CONCURRENCY})`);

// 2. A push source that cannot wait: a tick every millisecond into the same slow stage.
const dropped: number[] = [];
const processed = await lastValueFrom(
  interval(1).pipe(
    take(40),
    backpressure(CAPACITY, { overflow: 'dropOldest', onDrop: (n: number) => dropped.push(n) }),
    mergeMapBounded((n: number) => sleep(10).then(() => n), { concurrency: CONCURRENCY }),
    tap({ complete: () => console.log('ticks done') }),
    toArray(),
  ),
);
console.log(`processed ${processed.length} ticks, dropped ${dropped.length}; none lost without a trace:`);
console.log(`processed + dropped = ${processed.length + dropped.length} of 40`);
