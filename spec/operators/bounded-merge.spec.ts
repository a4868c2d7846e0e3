/**
 * The merge behind mergeMapBounded (lib/operators/merge-internals.ts), seen through the public
 * operators: how it reads a pull source (a oneshot receiver, a backpressure stage over an
 * iterable), what it does for a subscriber that has already gone, and a backpressure stage's
 * signal and drop policy in front of it.
 */
import { lastValueFrom, Observable, of, Subject, take, toArray } from 'rxjs';
import { backpressure, broadcast, mergeMapBounded, mpsc, oneshot } from 'rxjs-channel';
import { inspect } from 'rxjs-channel/testing';
import { flush } from '../helpers.js';
import { bareSubscriber, countingSource, deferred, type Deferred, type Event } from './support.js';


/** A project whose work is settled by hand, recording what it was given and how much ran at once. */
function slowProject() {
  const calls: number[] = [];
  const pending: Deferred<number>[] = [];
  let running = 0;
  let maxRunning = 0;
  const project = (value: number): Promise<number> => {
    calls.push(value);
    running++;
    maxRunning = Math.max(maxRunning, running);
    const work = deferred<number>();
    pending.push(work);
    return work.promise.finally(() => running--);
  };
  return { calls, pending, project, maxRunning: () => maxRunning };
}

describe('mergeMapBounded over a pull source (a backpressure stage over an iterable, a oneshot receiver)', () => {
  it('runs at most `concurrency` projects at once, however many finish together, and takes each value once, in order', async () => {
    const { calls, pending, project, maxRunning } = slowProject();
    const source = backpressure(8)([0, 1, 2, 3, 4, 5, 6, 7]);
    const out = lastValueFrom(source.pipe(mergeMapBounded(project, { concurrency: 2 }), toArray()));
    await flush();
    expect(calls).toStrictEqual([0, 1]);
    for (let done = 0; done < 8; done += 2) {
      pending[done]!.resolve(done * 10);
      pending[done + 1]!.resolve((done + 1) * 10);
      await flush();
      expect(maxRunning()).toBe(2);
      expect(calls).toStrictEqual([0, 1, 2, 3, 4, 5, 6, 7].slice(0, Math.min(done + 4, 8)));
    }
    expect(await out).toStrictEqual([0, 10, 20, 30, 40, 50, 60, 70]);
  });

  it('completes only once the running projects have finished, after the source ended', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    const { pending, project } = slowProject();
    const events: Event[] = [];
    rx.pipe(mergeMapBounded(project, { concurrency: 2 })).subscribe(bareSubscriber(events));
    await flush();
    expect(events).toStrictEqual([]);
    pending[0]!.resolve(40);
    await flush();
    expect(events).toStrictEqual([['next', 40], ['complete']]);
  });

  it('fails with the error of the source after the values before it', async () => {
    const boom = new Error('boom');
    const source = backpressure(4)(
      (async function* () {
        yield 1;
        yield 2;
        throw boom;
      })(),
    );
    const events: Event[] = [];
    source.pipe(mergeMapBounded((v: number) => of(v * 10), { concurrency: 1 })).subscribe(bareSubscriber(events));
    await flush();
    expect(events).toStrictEqual([['next', 10], ['next', 20], ['error', boom]]);
  });

  it('fails with the error thrown when the iterable source will not give an iterator', async () => {
    const boom = new Error('no iterator');
    const broken = {
      [Symbol.asyncIterator](): AsyncIterator<number> {
        throw boom;
      },
    };
    await expect(lastValueFrom(backpressure(2)(broken).pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })))).rejects.toBe(boom);
  });

  it('releases the iterable source when the output stops early', async () => {
    const source = countingSource();
    const out = await lastValueFrom(backpressure(2)(source).pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 }), take(2), toArray()));
    expect(out).toStrictEqual([0, 1]);
    await flush();
    expect(source.returned).toBe(true);
  });
});

describe('mergeMapBounded over a broadcast receiver: waiting for values', () => {
  it('keeps one readiness registration while it waits, however often a slot frees, and leaves none after unsubscribe', async () => {
    const [tx, rx] = broadcast.channel<number>(4);
    tx.send(1);
    tx.send(2);
    const { pending, project } = slowProject();
    const subscription = rx.pipe(mergeMapBounded(project, { concurrency: 3 })).subscribe();
    expect(inspect(rx).waitingReceives).toBe(1);
    pending[0]!.resolve(10);
    pending[1]!.resolve(20);
    await flush();
    expect(inspect(rx).waitingReceives).toBe(1);
    subscription.unsubscribe();
    expect(inspect(rx).waitingReceives).toBe(0);
  });
});

/**
 * An Observable that carries only part of the synchronous-take protocol of this library's
 * receivers (its keys are registered symbols, shared by both module builds): a take that says
 * the source has ended, without the release or the readiness registration.
 */
function partialProtocol(missing: 'rxjs-channel.pullRelease' | 'rxjs-channel.selectWatch'): Observable<number> {
  const source = of(1, 2) as Observable<number> & Record<symbol, unknown>;
  const keys = ['rxjs-channel.pullNow', 'rxjs-channel.pullRelease', 'rxjs-channel.selectWatch'].filter((k) => k !== missing);
  for (const key of keys) source[Symbol.for(key)] = () => ({ value: undefined, done: true });
  return source;
}

describe('mergeMapBounded over an Observable that carries part of the receiver protocol', () => {
  it.each(['rxjs-channel.pullRelease', 'rxjs-channel.selectWatch'] as const)('without %s, it is subscribed as an Observable', async (missing) => {
    const out = await lastValueFrom(partialProtocol(missing).pipe(mergeMapBounded((v: number) => of(v * 10), { concurrency: 1 }), toArray()));
    expect(out).toStrictEqual([10, 20]);
  });
});

describe('mergeMapBounded and a subscriber that has gone or throws', () => {
  it('subscribed with a closed subscriber, it reads nothing from a receiver and reports nothing', async () => {
    const [, rx] = mpsc.channel<number>(4);
    const events: Event[] = [];
    const closed = bareSubscriber(events);
    closed.unsubscribe();
    rx.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })).subscribe(closed);
    await flush();
    expect(events).toStrictEqual([]);
  });

  it('subscribed with a closed subscriber, it does not start reading an iterable source and reports nothing', async () => {
    const source = countingSource();
    const events: Event[] = [];
    const closed = bareSubscriber(events);
    closed.unsubscribe();
    backpressure(2)(source).pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })).subscribe(closed);
    await flush();
    expect(events).toStrictEqual([]);
    expect(source.pulled).toBe(0);
  });

  it('subscribed with a closed subscriber, it does not subscribe to an Observable source', async () => {
    let subscriptions = 0;
    const source = new Observable<number>((subscriber) => {
      subscriptions++;
      subscriber.next(1);
    });
    const events: Event[] = [];
    const closed = bareSubscriber(events);
    closed.unsubscribe();
    source.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })).subscribe(closed);
    await flush();
    expect(events).toStrictEqual([]);
    expect(subscriptions).toBe(0);
  });

  it('does not project a value that was already on its way when the subscriber unsubscribed', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    const calls: number[] = [];
    const events: Event[] = [];
    const subscriber = bareSubscriber(events);
    rx.pipe(
      mergeMapBounded(
        (v: number) => {
          calls.push(v);
          return of(v);
        },
        { concurrency: 1 },
      ),
    ).subscribe(subscriber);
    subscriber.unsubscribe();
    await flush();
    expect(calls).toStrictEqual([]);
    expect(events).toStrictEqual([]);
  });

  it('does not report a source failure that was already on its way when the subscriber unsubscribed', async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.drop();
    const events: Event[] = [];
    const subscriber = bareSubscriber(events);
    rx.pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 })).subscribe(subscriber);
    subscriber.unsubscribe();
    await flush();
    expect(events).toStrictEqual([]);
  });

  it.each([
    ['fulfils', (work: Deferred<number>) => work.resolve(10)],
    ['rejects', (work: Deferred<number>) => work.reject(new Error('late'))],
  ] as const)('sends nothing when an async project %s after the subscriber unsubscribed', async (_name, settle) => {
    const work = deferred<number>();
    const events: Event[] = [];
    const subscriber = bareSubscriber(events);
    of(1)
      .pipe(mergeMapBounded(() => work.promise, { concurrency: 1 }))
      .subscribe(subscriber);
    subscriber.unsubscribe();
    settle(work);
    await flush();
    expect(events).toStrictEqual([]);
  });

  it("fails the output with the error a subscriber's next throws on the value of an async project", async () => {
    const boom = new Error('boom');
    const events: Event[] = [];
    of(1)
      .pipe(mergeMapBounded(async (v: number) => v * 10, { concurrency: 1 }))
      .subscribe(
        bareSubscriber(events, () => {
          throw boom;
        }),
      );
    await flush();
    expect(events).toStrictEqual([['error', boom]]);
  });
  it("hands an error thrown by the subscriber's complete to its error, as RxJS operators do (a pull source)", async () => {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(4);
    const boom = new Error('boom');
    const events: Event[] = [];
    const subscriber = bareSubscriber(events);
    subscriber.complete = () => {
      events.push(['complete']);
      throw boom;
    };
    rx.pipe(mergeMapBounded((v: number) => of(v * 10), { concurrency: 1 })).subscribe(subscriber);
    await flush();
    expect(events).toStrictEqual([['next', 40], ['complete'], ['error', boom]]);
  });
});

describe('mergeMapBounded behind a backpressure stage over an Observable', () => {
  it("aborting the stage's signal unsubscribes the source, drops the waiting values and completes once the running project finishes", async () => {
    const stop = new AbortController();
    const subject = new Subject<number>();
    const { calls, pending, project } = slowProject();
    const events: Event[] = [];
    backpressure<number>(4, { signal: stop.signal })(subject)
      .pipe(mergeMapBounded(project, { concurrency: 1 }))
      .subscribe(bareSubscriber(events));
    subject.next(1);
    subject.next(2);
    subject.next(3);
    stop.abort();
    expect(subject.observed).toBe(false);
    await flush();
    expect(events).toStrictEqual([]);
    pending[0]!.resolve(10);
    await flush();
    expect(events).toStrictEqual([['next', 10], ['complete']]);
    expect(calls).toStrictEqual([1]);
  });

  it("an already aborted stage's signal completes at once without subscribing to the source", () => {
    let subscriptions = 0;
    const source = new Observable<number>((subscriber) => {
      subscriptions++;
      subscriber.next(1);
    });
    const events: Event[] = [];
    backpressure<number>(4, { signal: AbortSignal.abort() })(source)
      .pipe(mergeMapBounded((v: number) => of(v), { concurrency: 1 }))
      .subscribe(bareSubscriber(events));
    expect(events).toStrictEqual([['complete']]);
    expect(subscriptions).toBe(0);
  });
});

describe('mergeMapBounded over an Observable: a drop policy without onDrop', () => {
  it.each([
    ['dropOldest', [1, 3]],
    ['dropNewest', [1, 2]],
  ] as const)('%s discards the value that does not fit and goes on', async (overflow, expected) => {
    const subject = new Subject<number>();
    const { calls, pending, project } = slowProject();
    const events: Event[] = [];
    subject.pipe(mergeMapBounded(project, { concurrency: 1, capacity: 1, overflow })).subscribe(bareSubscriber(events));
    subject.next(1);
    subject.next(2);
    subject.next(3);
    subject.complete();
    pending[0]!.resolve(1);
    await flush();
    pending[1]!.resolve(calls[1]!);
    await flush();
    expect(calls).toStrictEqual(expected);
    expect(events).toStrictEqual([['next', expected[0]], ['next', expected[1]], ['complete']]);
  });
});

describe('mergeMapBounded and an inner Observable that misbehaves', () => {
  // The inner subscriber is a Subscription with next/error/complete, which RxJS hands to the
  // inner Observable as is: it must ignore what arrives after the inner ended itself.
  it('forwards nothing an inner Observable pushes after it completed', async () => {
    const out = await lastValueFrom(
      of(1).pipe(
        mergeMapBounded(
          () =>
            new Observable<number>((subscriber) => {
              subscriber.next(10);
              subscriber.complete();
              subscriber.next(11);
            }),
          { concurrency: 1 },
        ),
        toArray(),
      ),
    );
    expect(out).toStrictEqual([10]);
  });

  it('counts an inner Observable that completes twice as one finished project: concurrency still holds', () => {
    const subscribed: number[] = [];
    const sub = of(1, 2, 3)
      .pipe(
        mergeMapBounded(
          (v) =>
            new Observable<number>((subscriber) => {
              subscribed.push(v);
              if (v === 1) {
                subscriber.complete();
                subscriber.complete();
              }
            }),
          { concurrency: 1 },
        ),
      )
      .subscribe();
    expect(subscribed).toStrictEqual([1, 2]);
    sub.unsubscribe();
  });
});
