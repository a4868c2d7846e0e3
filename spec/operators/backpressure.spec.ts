import { expectTypeOf } from 'expect-type';
import { firstValueFrom, lastValueFrom, map, Observable, of, range, Subject, take, tap, toArray } from 'rxjs';
import { backpressure, ChannelOverflowError, mergeMapBounded, mpsc, type Backpressured } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';
import { deferred, endless, filled, marbles, unhandledRejectionsDuring } from './support.js';

const overflowOf = <T>(value: T): ChannelOverflowError<T> =>
  new ChannelOverflowError(value, 'a value from the source did not fit in the channel');

describe('backpressure: the result', () => {
  it('is both an Observable and an AsyncIterable', () => {
    const result = backpressure(4)(of(1));
    expect(result).toBeInstanceOf(Observable);
    expect(typeof result[Symbol.asyncIterator]).toBe('function');
  });

  it('is typed as both standalone, and as a plain Observable through pipe', () => {
    const standalone = backpressure(4)(of(1, 2));
    expectTypeOf(standalone).toEqualTypeOf<Backpressured<number>>();
    expectTypeOf(standalone).toMatchTypeOf<AsyncIterable<number>>();
    expectTypeOf(standalone).toMatchTypeOf<Observable<number>>();
    expectTypeOf(of('a').pipe(backpressure(4))).toEqualTypeOf<Observable<string>>();
    const typedDrop = backpressure(4, { overflow: 'dropOldest', onDrop: (v: number) => void v })(of(1));
    expectTypeOf(typedDrop).toEqualTypeOf<Backpressured<number>>();
  });
});

describe('backpressure: as an Observable', () => {
  it('marbles: passes values through in the same frame to a subscriber that keeps up, and unsubscribes upstream with it', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-c-d|');
      expectObservable(source.pipe(backpressure(1)), '^----!').toBe('a-b-c');
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('marbles: each subscription gets its own channel over its own upstream subscription', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('ab|');
      const shared = backpressure(2)(source);
      expectObservable(shared).toBe('ab|');
      expectObservable(shared, '--^').toBe('--ab|');
      expectSubscriptions(source.subscriptions).toBe(['^-!', '--^-!']);
    });
  });

  // A slow consumer (one project slot, 3 frames each) behind a bounded buffer of 2.
  it.each([
    ["'error' (default)", undefined, '---a--b--(c#)', [], '^--!'],
    ["'dropOldest'", 'dropOldest', '---a--c--e--(f|)', ['b', 'd'], '^-----!'],
    ["'dropNewest'", 'dropNewest', '---a--b--c--(e|)', ['d', 'f'], '^-----!'],
  ] as const)('marbles: %s in front of a slow consumer', (_name, overflow, expected, droppedExpected, subs) => {
    const dropped: string[] = [];
    marbles().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('abcdef|');
      const slow = (v: string) => cold('---(v|)', { v });
      const result = source.pipe(
        backpressure(2, { overflow, onDrop: (v: string) => dropped.push(v) }),
        mergeMapBounded(slow, { concurrency: 1 }),
      );
      expectObservable(result).toBe(expected, undefined, overflowOf('d'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(dropped).toEqual(droppedExpected);
  });

  it("throws a RangeError that says why when 'wait' is asked of an Observable", () => {
    expect(() => of(1).pipe(backpressure(2, { overflow: 'wait' }))).toThrow(RangeError);
    expect(() => of(1).pipe(backpressure(2, { overflow: 'wait' }))).toThrow(/cannot be made to wait/);
  });

  it('throws RangeError showing a bad capacity when called', () => {
    expect(() => backpressure(0)).toThrow(RangeError);
    expect(() => backpressure(0)).toThrow('got `0` (number)');
  });
});

describe('backpressure: as an AsyncIterable', () => {
  it("for await with 'dropOldest' keeps at most `capacity` values, whatever the source pushes", async () => {
    const source = new Subject<number>();
    const dropped: number[] = [];
    const seen: number[] = [];
    const busy = deferred<void>();
    const loop = (async () => {
      for await (const v of backpressure(3, { overflow: 'dropOldest', onDrop: (d: number) => dropped.push(d) })(source)) {
        seen.push(v);
        if (v === 0) await busy.promise; // a slow consumer
      }
    })();
    await flush();
    for (let i = 0; i < 1000; i++) source.next(i);
    expect(dropped).toHaveLength(1000 - 1 - 3); // 0 went to the loop, 3 are kept
    busy.resolve();
    source.complete();
    await loop;
    expect(seen).toEqual([0, 997, 998, 999]);
  });

  it('subscribes on the first next(), not before, and each iteration has its own subscription', async () => {
    const source = new Subject<number>();
    const iterable = backpressure(2)(source);
    const first = iterable[Symbol.asyncIterator]();
    expect(source.observed).toBe(false);
    const pending = first.next();
    expect(source.observed).toBe(true);
    const second = iterable[Symbol.asyncIterator]();
    const other = second.next();
    source.next(7);
    expect(await pending).toEqual({ value: 7, done: false });
    expect(await other).toEqual({ value: 7, done: false });
    await first.return!();
    await second.return!();
    expect(source.observed).toBe(false);
  });

  it('break unsubscribes from the source', async () => {
    const source = new Subject<number>();
    const loop = (async () => {
      for await (const v of backpressure(2)(source)) if (v === 2) break;
    })();
    await flush();
    source.next(1);
    source.next(2);
    await loop;
    expect(source.observed).toBe(false);
  });

  it('throws the overflow error after the buffered values', async () => {
    const source = new Subject<number>();
    const it = backpressure(1)(source)[Symbol.asyncIterator]();
    const first = it.next();
    for (const n of [1, 2, 3]) source.next(n); // 1 to the waiting next(), 2 buffered, 3 overflows
    expect(await first).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await stateOf(it.next())).toEqual({ state: 'rejected', reason: overflowOf(3) });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('throws the source error after the buffered values', async () => {
    const source = new Subject<number>();
    const boom = new Error('boom');
    const it = backpressure(2)(source)[Symbol.asyncIterator]();
    const first = it.next();
    source.next(1);
    source.next(2);
    source.error(boom);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    await expect(it.next()).rejects.toBe(boom);
  });

  it('reads a Receiver source directly, one value per next(), so its producer waits behind the receiver alone', async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    const sent: number[] = [];
    const producing = (async () => {
      for (let i = 0; i < 6; i++) {
        await tx.send(i);
        sent.push(i);
      }
      tx.drop();
    })();
    const it = backpressure(2)(rx)[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 0, done: false });
    await flush();
    // Nothing is read ahead: 1 sits in rx, 2 waits in send, the producer is held.
    expect(sent).toEqual([0, 1]);
    expect(rx.length).toBe(1);
    const rest: number[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    await producing;
    expect(rest).toEqual([1, 2, 3, 4, 5]);
  });

  it('lets a synchronous source through to a subscriber that keeps up: the consumer is attached first', () => {
    const seen: number[] = [];
    let failure: unknown;
    of(1, 2, 3, 4, 5)
      .pipe(backpressure(1))
      .subscribe({ next: (v) => seen.push(v), error: (e: unknown) => (failure = e) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(failure).toBeUndefined();
    const through: number[] = [];
    of(1, 2, 3, 4, 5)
      .pipe(backpressure(1), mergeMapBounded((v: number) => of(v * 2), { concurrency: 1 }))
      .subscribe((v) => through.push(v));
    expect(through).toEqual([2, 4, 6, 8, 10]);
  });

  it('for await over a synchronous source: the first next() takes one value, `capacity` wait, the next overflows', async () => {
    const seen: number[] = [];
    let failure: unknown;
    try {
      for await (const v of backpressure(2)(of(1, 2, 3, 4))) seen.push(v);
    } catch (e) {
      failure = e;
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(failure).toEqual(overflowOf(4));
  });

  it('composes in pipe with the values, completion and order of the source', async () => {
    expect(await lastValueFrom(of(1, 2, 3).pipe(backpressure(8), toArray()))).toEqual([1, 2, 3]);
  });
});

describe('backpressure: a synchronous unsubscribe during the first delivery', () => {
  it('take(1) behind backpressure makes range(0, 1e5) produce one value, not 100,000', () => {
    let produced = 0;
    const seen: number[] = [];
    range(0, 100_000)
      .pipe(
        tap(() => produced++),
        backpressure(10),
        take(1),
      )
      .subscribe((v) => seen.push(v));
    expect(seen).toEqual([0]);
    expect(produced).toBe(1);
  });

  it('marbles: take(1) over a synchronous cold source unsubscribes it in the first frame', () => {
    marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('(abc|)');
      expectObservable(source.pipe(backpressure(2), take(1))).toBe('(a|)');
      expectSubscriptions(source.subscriptions).toBe('(^!)');
    });
  });

  it.each(['dropOldest', 'dropNewest', 'error'] as const)(
    "an endless synchronous source under '%s' stops as soon as the destination is closed",
    (overflow) => {
      const source = endless();
      const seen: number[] = [];
      source.pipe(backpressure(2, { overflow }), take(3)).subscribe((v) => seen.push(v));
      expect(seen).toEqual([0, 1, 2]);
      expect(source.emitted).toBe(3);
    },
  );

  it('firstValueFrom over backpressure of a synchronous source takes the first value and stops it', async () => {
    let produced = 0;
    expect(await firstValueFrom(range(0, 1000).pipe(tap(() => produced++), backpressure(4)))).toBe(0);
    expect(produced).toBe(1);
  });

  it('a throwing subscriber-side operator (map) during the first value stops the source and errors', () => {
    let produced = 0;
    const boom = new Error('boom');
    let failure: unknown;
    range(0, 1000)
      .pipe(
        tap(() => produced++),
        backpressure(4),
        map(() => {
          throw boom;
        }),
      )
      .subscribe({ error: (e: unknown) => (failure = e) });
    expect(failure).toBe(boom);
    expect(produced).toBe(1);
  });

  it('over a Receiver: take(1) takes one value and the other four stay in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    expect(await firstValueFrom(rx.pipe(backpressure(3), take(1)))).toBe(1);
    await flush();
    expect(rx.length).toBe(4);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('over a Receiver: an operator that throws on the first value errors, and the other four stay in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const boom = new Error('boom');
    const failing = rx.pipe(
      backpressure(3),
      map(() => {
        throw boom;
      }),
    );
    await expect(lastValueFrom(failing)).rejects.toBe(boom);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('over a Receiver: firstValueFrom leaves the rest receivable', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    expect(await firstValueFrom(backpressure(3)(rx))).toBe(1);
    expect(await rx.recv()).toBe(2);
  });
});

describe('backpressure over a Receiver reads the receiver directly', () => {
  it('for await with break after 2 values leaves the other 3 values in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    for await (const v of backpressure(3)(rx)) {
      seen.push(v);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(rx.length).toBe(3);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([3, 4, 5]);
  });

  it('rx.pipe(backpressure(3), mergeMapBounded(...)) takes a value only when a slot is free; the rest stay in rx', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const taken: number[] = [];
    const work = deferred<number>();
    const subscription = rx
      .pipe(
        backpressure(3),
        mergeMapBounded(
          (v: number) => {
            taken.push(v);
            return work.promise;
          },
          { concurrency: 1 },
        ),
      )
      .subscribe();
    await flush();
    expect(taken).toEqual([1]);
    expect(rx.length).toBe(4);
    subscription.unsubscribe();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3, 4, 5]);
  });

  it('a subscriber that unsubscribes keeps every value it did not get in the receiver', async () => {
    const [tx, rx] = filled<number>([], { keepOpen: true });
    const seen: number[] = [];
    const subscription = backpressure(2)(rx).subscribe((v) => seen.push(v));
    tx.trySend(1);
    subscription.unsubscribe();
    tx.trySend(2);
    tx.trySend(3);
    tx.drop();
    expect(seen).toEqual([1]);
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([2, 3]);
  });

  it('checks capacity and options even though they do not apply to a receiver', () => {
    const [, rx] = filled([1]);
    expect(() => backpressure(0)).toThrow(RangeError);
    expect(() => backpressure(2, { overflow: 'sometimes' as never })(rx)).toThrow(RangeError);
  });
});

describe('backpressure: a throwing onDrop', () => {
  it('ends the iteration with its error after the buffered values, with no unhandled rejection, and unsubscribes', async () => {
    const source = new Subject<number>();
    const boom = new Error('onDrop failed');
    const seen: number[] = [];
    let failure: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => {
      const it = backpressure(2, {
        overflow: 'dropNewest',
        onDrop: () => {
          throw boom;
        },
      })(source)[Symbol.asyncIterator]();
      const first = it.next();
      for (const n of [1, 2, 3, 4]) source.next(n); // 1 to next(), 2 and 3 buffered, 4 dropped
      expect(source.observed).toBe(false);
      seen.push((await first).value as number);
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) seen.push(r.value);
      } catch (e) {
        failure = e;
      }
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(failure).toBe(boom);
    expect(unhandled).toEqual([]);
  });

  it('marbles: behind backpressure in front of mergeMapBounded, the error comes after the buffered values', () => {
    const boom = new Error('onDrop failed');
    marbles().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot('abcd|');
      const result = source.pipe(
        backpressure(2, {
          overflow: 'dropOldest',
          onDrop: () => {
            throw boom;
          },
        }),
        mergeMapBounded((v: string) => cold('---(v|)', { v }), { concurrency: 1 }),
      );
      // d evicts b (reported, and onDrop throws): c and d are still delivered, then the error.
      expectObservable(result).toBe('---a--c--(d#)', undefined, boom);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });
});

describe('backpressure: signal', () => {
  it('aborting completes a subscriber and unsubscribes from the source', () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const seen: number[] = [];
    let completed = false;
    backpressure(2, { signal: stop.signal })(source).subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    source.next(1);
    stop.abort();
    source.next(2);
    expect(seen).toEqual([1]);
    expect(completed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it('an already aborted signal completes at once without subscribing', () => {
    const source = new Subject<number>();
    let completed = false;
    backpressure(2, { signal: AbortSignal.abort() })(source).subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it('over a Receiver: aborting settles a pending next() as done and leaves the receiver its values', async () => {
    const [tx, rx] = filled<number>([], { keepOpen: true });
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(rx)[Symbol.asyncIterator]();
    const pending = it.next();
    stop.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    tx.trySend(7);
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(await rx.recv()).toBe(7);
  });

  it('over an Observable: aborting ends the iteration and unsubscribes', async () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(source)[Symbol.asyncIterator]();
    const first = it.next();
    source.next(1);
    expect(await first).toEqual({ value: 1, done: false });
    const pending = it.next();
    stop.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(source.observed).toBe(false);
  });

  it('throws a TypeError showing a signal that is not an AbortSignal, when called', () => {
    expect(() => backpressure(2, { signal: 'stop' as never })).toThrow(TypeError);
    expect(() => backpressure(2, { signal: 'stop' as never })).toThrow('Expected `signal` to be an AbortSignal, got `"stop"` (string)');
  });
});
