/**
 * How the operators subscribe to an Observable source and follow an abort signal
 * (lib/operators/upstream.ts), seen through the operators that use it.
 */
import { getEventListeners } from 'node:events';
import { firstValueFrom, Observable, of, Subject, toArray, UnsubscriptionError } from 'rxjs';
import { backpressure, closeOnError, mergeMapBounded, mpsc, toChannel } from 'rxjs-channel';
import { catchRethrown, flush } from '../helpers.js';
import { bareSubscriber, type Event } from './support.js';


const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

describe('the subscriber of an Observable source', () => {
  it('forwards nothing a misbehaving source pushes after it completed, and does not close the receiver for a late error', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const late = new Error('late');
    const source = new Observable<number>((subscriber) => {
      subscriber.next(1);
      subscriber.complete();
      subscriber.next(2);
      subscriber.complete();
      subscriber.error(late);
    });
    const events: Event[] = [];
    source.pipe(closeOnError(rx)).subscribe(bareSubscriber(events));
    expect(events).toEqual([['next', 1], ['complete']]);
    expect(tx.isClosed).toBe(false);
  });

  it('forwards nothing a misbehaving source pushes after it failed', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const boom = new Error('boom');
    const source = new Observable<number>((subscriber) => {
      subscriber.error(boom);
      subscriber.next(2);
      subscriber.complete();
      subscriber.error(new Error('again'));
    });
    const events: Event[] = [];
    source.pipe(closeOnError(rx)).subscribe(bareSubscriber(events));
    expect(events).toEqual([['error', boom]]);
    expect(tx.isClosed).toBe(true);
  });

  it('a subscriber whose next throws fails the stream with that error, closing the receiver and stopping the source', () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const boom = new Error('boom');
    const seen: number[] = [];
    const events: Event[] = [];
    const source = new Observable<number>((subscriber) => {
      for (let i = 0; i < 5 && !subscriber.closed; i++) subscriber.next(i);
      subscriber.complete();
    });
    source.pipe(closeOnError(rx)).subscribe(
      bareSubscriber(events, (value) => {
        seen.push(value as number);
        throw boom;
      }),
    );
    expect(seen).toEqual([0]);
    expect(events).toEqual([['error', boom]]);
    expect(tx.isClosed).toBe(true);
  });
});

describe('the abort signal of an operator', () => {
  it('already aborted: backpressure over an Observable completes at once without subscribing to the source', () => {
    let subscriptions = 0;
    const source = new Observable<number>((subscriber) => {
      subscriptions++;
      subscriber.next(1);
    });
    const events: string[] = [];
    backpressure<number>(2, { signal: AbortSignal.abort() })(source).subscribe({
      next: (v) => events.push(`next ${v}`),
      complete: () => events.push('complete'),
    });
    expect(events).toEqual(['complete']);
    expect(subscriptions).toBe(0);
  });

  it('leaves no abort listener behind when the subscription ends first (backpressure over an Observable)', () => {
    const stop = new AbortController();
    const subscription = backpressure<number>(2, { signal: stop.signal })(new Subject<number>()).subscribe();
    expect(listeners(stop.signal)).toBe(1);
    subscription.unsubscribe();
    expect(listeners(stop.signal)).toBe(0);
  });

  it('leaves no abort listener behind when the subscription ends first (mergeMapBounded and the stage in front of it)', () => {
    const own = new AbortController();
    const stage = new AbortController();
    const source = backpressure<number>(2, { signal: stage.signal })(new Subject<number>());
    const subscription = source.pipe(mergeMapBounded((n: number) => of(n), { concurrency: 1, signal: own.signal })).subscribe();
    expect([listeners(own.signal), listeners(stage.signal)]).toEqual([1, 1]);
    subscription.unsubscribe();
    expect([listeners(own.signal), listeners(stage.signal)]).toEqual([0, 0]);
  });

  it('an abort ends the stream once and leaves no listener behind', () => {
    const stop = new AbortController();
    const source = new Subject<number>();
    const events: string[] = [];
    backpressure<number>(2, { signal: stop.signal })(source).subscribe({
      next: (v) => events.push(`next ${v}`),
      complete: () => events.push('complete'),
    });
    source.next(1);
    stop.abort();
    source.next(2);
    expect(events).toEqual(['next 1', 'complete']);
    expect(listeners(stop.signal)).toBe(0);
    expect(source.observed).toBe(false);
  });
});

describe('an Observable source whose teardown throws', () => {
  /** A source that forwards `subject` and whose teardown throws after letting go of it. */
  function throwingTeardown(subject: Subject<number>, error: Error): Observable<number> {
    return new Observable<number>((subscriber) => {
      const inner = subject.subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        throw error;
      };
    });
  }

  it('still ends the receiver when the source completes; the teardown error goes to the source, as in RxJS', async () => {
    const subject = new Subject<number>();
    const rx = toChannel(throwingTeardown(subject, new Error('teardown failed')), 4);
    subject.next(1);
    expect(() => subject.complete()).toThrow(UnsubscriptionError);
    await expect(firstValueFrom(rx.pipe(toArray()))).resolves.toStrictEqual([1]);
  });

  it('still fails the receiver with the source error after the buffered values', async () => {
    const subject = new Subject<number>();
    const boom = new Error('boom');
    const rx = toChannel(throwingTeardown(subject, new Error('teardown failed')), 4);
    subject.next(1);
    expect(() => subject.error(boom)).toThrow(UnsubscriptionError);
    await expect(rx.recv()).resolves.toBe(1);
    await expect(rx.recv()).rejects.toBe(boom);
  });

  it('drops the sender when the consumer closes, and rethrows the teardown error from a promise job', async () => {
    const { caught, restore } = catchRethrown();
    try {
      const subject = new Subject<number>();
      const teardown = new Error('teardown failed');
      const rx = toChannel(throwingTeardown(subject, teardown), 4);
      expect(subject.observed).toBe(true);
      rx.close();
      await flush();
      expect(subject.observed).toBe(false);
      expect(rx.senderCount).toBe(0);
      expect(caught).toHaveLength(1);
      expect((caught[0] as UnsubscriptionError).errors).toStrictEqual([teardown]);
    } finally {
      restore();
    }
  });
});
