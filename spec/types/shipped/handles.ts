/**
 * Shipped-types test: senders are RxJS Observers, receivers are Observables and
 * AsyncIterables, and every handle works with `using`.
 */
import { expectTypeOf } from 'expect-type';
import { from, lastValueFrom, Observable, toArray, type Observer } from 'rxjs';
import { backpressure, broadcast, mergeMapBounded, mpmc, mpsc, oneshot, toChannel, watch } from 'rxjs-channel';

declare const mpscPair: [mpsc.Sender<number>, mpsc.Receiver<number>];
declare const mpmcPair: [mpmc.Sender<number>, mpmc.Receiver<number>];
declare const oneshotPair: [oneshot.Sender<number>, oneshot.Receiver<number>];
declare const broadcastPair: [broadcast.Sender<number>, broadcast.Receiver<number>];
declare const watchPair: [watch.Sender<number>, watch.Receiver<number>];

// Every multi-value sender is an Observer: `source.subscribe(tx)` pipes a stream into it.
for (const tx of [mpscPair[0], mpmcPair[0], broadcastPair[0], watchPair[0]]) {
  expectTypeOf(tx).toExtend<Observer<number>>();
}
for (const rx of [mpscPair[1], mpmcPair[1], oneshotPair[1], broadcastPair[1], watchPair[1]]) {
  expectTypeOf(rx).toExtend<Observable<number>>();
  expectTypeOf(rx).toExtend<AsyncIterable<number>>();
  expectTypeOf(rx).toExtend<Disposable>();
}
for (const tx of [mpscPair[0], mpmcPair[0], oneshotPair[0], broadcastPair[0], watchPair[0]]) {
  expectTypeOf(tx).toExtend<Disposable>();
}
expectTypeOf(oneshotPair[1]).toExtend<PromiseLike<number>>();
expectTypeOf(mpscPair[0].tryReserve()!).toExtend<Disposable>();
expectTypeOf(mpscPair[0].downgrade()).toExtend<Disposable>();
// @ts-expect-error a oneshot sender is not an Observer: it sends once, it has no next()
oneshotPair[0] satisfies Observer<number>;
// @ts-expect-error a sender is not an Observable
mpscPair[0] satisfies Observable<number>;

export async function pipes(): Promise<number[]> {
  const [tx, rx] = mpsc.channel<number>(4);
  from([1, 2]).subscribe(tx); // a Sender is the Observer of a subscription
  for await (const v of rx) expectTypeOf(v).toEqualTypeOf<number>();
  const [, strings] = mpsc.channel<string>(1);
  const lengths = strings.pipe(mergeMapBounded(async (s) => s.length, { concurrency: 2 }));
  expectTypeOf(lengths).toEqualTypeOf<Observable<number>>();
  expectTypeOf(toChannel([1, 2, 3], 2)).toEqualTypeOf<mpsc.Receiver<number>>();
  const bounded = backpressure<number>(2)(rx);
  expectTypeOf(bounded).toExtend<Observable<number>>();
  expectTypeOf(bounded).toExtend<AsyncIterable<number>>();
  return lastValueFrom(rx.pipe(toArray()));
}

export async function disposal(): Promise<void> {
  using tx = mpscPair[0].clone();
  await tx.send(1);
  {
    using permit = await tx.reserve();
    permit.send(2);
  }
  using weak = tx.downgrade();
  expectTypeOf(weak).toEqualTypeOf<mpsc.WeakSender<number>>();
  using rx = mpmcPair[1].clone();
  using sub = broadcastPair[0].subscribe();
  using w = watchPair[1].clone();
  using once = oneshotPair[1];
  using onceTx = oneshotPair[0];
  expectTypeOf(rx).toEqualTypeOf<mpmc.Receiver<number>>();
  expectTypeOf(sub).toEqualTypeOf<broadcast.Receiver<number>>();
  expectTypeOf(w.borrow()).toEqualTypeOf<number>();
  expectTypeOf(await once).toEqualTypeOf<number>();
  expectTypeOf(onceTx.send(1)).toEqualTypeOf<boolean>();
}
