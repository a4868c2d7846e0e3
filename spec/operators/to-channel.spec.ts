import fc from 'fast-check';
import { firstValueFrom, lastValueFrom, map, Observable, observable, of, range, Subject, take, tap, toArray } from 'rxjs';
import { backpressure, ChannelOverflowError, mpsc, toChannel } from 'rxjs-channel';
import { flush, stateOf, propertyRuns } from '../helpers.js';
import { countingSource, deferred, marbles, unhandledRejectionsDuring } from './support.js';

const overflowOf = <T>(value: T): ChannelOverflowError<T> =>
  new ChannelOverflowError(value, 'a value from the source did not fit in the channel');

async function drain<T>(rx: mpsc.Receiver<T>): Promise<T[]> {
  const seen: T[] = [];
  for await (const v of rx) seen.push(v);
  return seen;
}

describe('toChannel: pull sources are read only while there is room', () => {
  it('reads an AsyncIterable no further than `capacity` values ahead of the consumer', async () => {
    const source = countingSource();
    const rx = toChannel(source, 3);
    await flush();
    expect(source.pulled).toBe(3);
    expect(rx.length).toBe(3);
    expect(await rx.recv()).toBe(0);
    await flush();
    expect(source.pulled).toBe(4);
    expect(rx.length).toBe(3);
    rx.close();
  });

  it('starts at once, before anyone consumes', async () => {
    const source = countingSource();
    toChannel(source, 1);
    await flush();
    expect(source.pulled).toBe(1);
  });

  it('reads an array and a sync generator on demand and delivers every value in order', async () => {
    let pulled = 0;
    function* gen(): Generator<number> {
      for (let i = 0; i < 6; i++) {
        pulled++;
        yield i;
      }
    }
    const fromGen = toChannel(gen(), 2);
    await flush();
    expect(pulled).toBe(2);
    expect(await drain(fromGen)).toEqual([0, 1, 2, 3, 4, 5]);
    const fromArray = toChannel(['a', 'b', 'c'], 1);
    await flush();
    expect(fromArray.length).toBe(1);
    expect(await lastValueFrom(fromArray.pipe(toArray()))).toEqual(['a', 'b', 'c']);
  });

  it('reads a ReadableStream only as its chunks are wanted, and cancels it when the receiver closes', async () => {
    let pulls = 0;
    let cancelled: unknown = 'not cancelled';
    const stream = new ReadableStream<number>(
      {
        pull(controller) {
          controller.enqueue(pulls++);
        },
        cancel(reason) {
          cancelled = reason;
        },
      },
      { highWaterMark: 0 },
    );
    const rx = toChannel(stream, 2);
    await flush();
    expect(pulls).toBe(2);
    expect(await rx.recv()).toBe(0);
    await flush();
    expect(pulls).toBe(3);
    rx.close();
    await flush();
    expect(cancelled).toBeUndefined();
    expect(await drain(rx)).toEqual([1, 2]);
  });

  it('delivers the value of a Promise, then ends; a rejected Promise fails the receiver', async () => {
    expect(await drain(toChannel(Promise.resolve('only'), 1))).toEqual(['only']);
    const boom = new Error('boom');
    const failed = toChannel(Promise.reject(boom), 1);
    await expect(failed.recv()).rejects.toBe(boom);
  });

  it('reads another Receiver on demand and gives it back, with what was not taken, when closed', async () => {
    const [tx, upstream] = mpsc.channel<number>(8);
    for (let i = 1; i <= 5; i++) tx.trySend(i);
    tx.drop();
    const rx = toChannel(upstream, 1);
    await flush();
    expect(upstream.length).toBe(4); // one value moved, no more
    expect(await rx.recv()).toBe(1);
    await flush();
    expect(upstream.length).toBe(3);
    rx.close();
    await flush();
    expect(await drain(rx)).toEqual([2]);
    expect(await upstream.recv()).toBe(3); // released: not busy, nothing lost
    expect(await drain(upstream)).toEqual([4, 5]);
  });

  it("reads what backpressure returns as a pull source (default 'wait')", async () => {
    const source = new Subject<number>();
    const rx = toChannel(backpressure(2)(source), 1);
    await flush();
    expect(source.observed).toBe(true);
    for (const n of [1, 2, 3]) source.next(n); // 1 in rx; 2 and 3 wait in backpressure's channel
    source.complete();
    expect(await drain(rx)).toEqual([1, 2, 3]);
  });

  it('does not lose a value the source produces while the receiver is closing', async () => {
    const next = deferred<IteratorResult<string>>();
    let returned = false;
    const source: AsyncIterable<string> = {
      [Symbol.asyncIterator]: () => ({
        next: () => next.promise,
        return: async () => {
          returned = true;
          return { value: undefined, done: true };
        },
      }),
    };
    const rx = toChannel(source, 1);
    await flush();
    rx.close();
    await flush();
    expect(returned).toBe(true);
    next.resolve({ value: 'late', done: false });
    expect(await drain(rx)).toEqual(['late']);
  });

  it('under a drop policy reads as fast as the source gives, dropping per the policy', async () => {
    const dropped: number[] = [];
    const rx = toChannel(countingSource(6), 2, { overflow: 'dropOldest', onDrop: (v) => dropped.push(v) });
    await flush();
    expect(dropped).toEqual([0, 1, 2, 3]);
    expect(await drain(rx)).toEqual([4, 5]);
    const newest: number[] = [];
    const kept = toChannel(countingSource(6), 2, { overflow: 'dropNewest', onDrop: (v) => newest.push(v) });
    await flush();
    expect(await drain(kept)).toEqual([0, 1]);
    expect(newest).toEqual([2, 3, 4, 5]);
  });

  it("under 'error' fails the receiver after the buffered values when a pulled value does not fit", async () => {
    const rx = toChannel(countingSource(), 2, { overflow: 'error' });
    await flush();
    expect(await rx.recv()).toBe(0);
    expect(await rx.recv()).toBe(1);
    await expect(rx.recv()).rejects.toEqual(overflowOf(2));
  });
});

describe('toChannel: property', () => {
  it('never reads more than `capacity` values ahead of the consumer and loses, duplicates or reorders none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 30 }),
        fc.array(fc.constantFrom('recv', 'recvMany', 'flush'), { maxLength: 40 }),
        async (capacity, count, steps) => {
          const source = countingSource(count);
          const rx = toChannel(source, capacity);
          const got: number[] = [];
          for (const step of steps) {
            if (step === 'flush') await flush();
            else if (step === 'recv') {
              const v = await rx.recv();
              if (v !== undefined) got.push(v);
            } else got.push(...(await rx.recvMany(3)));
            expect(source.pulled - got.length).toBeLessThanOrEqual(capacity);
          }
          got.push(...(await drain(rx)));
          expect(got).toEqual(Array.from({ length: count }, (_, i) => i));
        },
      ),
      { numRuns: propertyRuns(100) },
    );
  });
});

describe('toChannel: the end of a pull source', () => {
  it('ends the receiver after draining when the source completes', async () => {
    const source = countingSource(3);
    const rx = toChannel(source, 1);
    expect(await drain(rx)).toEqual([0, 1, 2]);
    expect(rx.isClosed).toBe(true);
  });

  it('fails the receiver with the source error after draining', async () => {
    const boom = new Error('boom');
    async function* failing(): AsyncGenerator<number> {
      yield 1;
      yield 2;
      throw boom;
    }
    const rx = toChannel(failing(), 4);
    await flush();
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    await expect(rx.recv()).rejects.toBe(boom);
  });

  it('calls return() on the iterator when the receiver closes, and reads no further', async () => {
    const source = countingSource();
    const rx = toChannel(source, 2);
    await flush();
    rx.close();
    await flush();
    expect(source.returned).toBe(true);
    expect(source.pulled).toBe(2);
    expect(await drain(rx)).toEqual([0, 1]);
  });
});

describe('toChannel: push sources (Observables)', () => {
  it("defaults to 'error': the receiver gets the buffered values, then ChannelOverflowError with the value, and the source is unsubscribed", async () => {
    const source = new Subject<number>();
    const rx = toChannel(source, 2);
    for (const n of [1, 2, 3, 4]) source.next(n);
    expect(source.observed).toBe(false);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    const state = await stateOf(rx.recv());
    expect(state).toEqual({ state: 'rejected', reason: overflowOf(3) });
  });

  it("rejects overflow: 'wait' with a RangeError that says why", () => {
    expect(() => toChannel(of(1), 1, { overflow: 'wait' })).toThrow(RangeError);
    expect(() => toChannel(of(1), 1, { overflow: 'wait' })).toThrow(/cannot be made to wait/);
  });

  it('unsubscribes from the source when the receiver closes', async () => {
    const source = new Subject<number>();
    const rx = toChannel(source, 2);
    expect(source.observed).toBe(true);
    rx.close();
    await flush();
    expect(source.observed).toBe(false);
  });

  it('treats an interop observable (Symbol.observable) as a push source', async () => {
    const interop = { [observable]: () => of(1, 2, 3) };
    const rx = toChannel(interop as unknown as Observable<number>, 2);
    expect(await rx.recv()).toBe(1);
    expect(await rx.recv()).toBe(2);
    await expect(rx.recv()).rejects.toEqual(overflowOf(3));
  });

  it.each([
    ["'error' (default)", undefined, '------(ab#)', [], '^-!'],
    ["'dropOldest'", 'dropOldest', '------(cd|)', ['a', 'b'], '^---!'],
    ["'dropNewest'", 'dropNewest', '------(ab|)', ['c', 'd'], '^---!'],
  ] as const)('marbles: %s with a late subscriber', (_name, overflow, expected, droppedExpected, subs) => {
    const dropped: string[] = [];
    marbles().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('abcd|');
      const rx = toChannel(source, 2, { overflow, onDrop: (v) => dropped.push(v) });
      expectObservable(rx, '------^').toBe(expected, undefined, overflowOf('c'));
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
    expect(dropped).toEqual(droppedExpected);
  });

  it('marbles: a subscriber that keeps up sees every value in the frame it was emitted, under every policy', () => {
    for (const overflow of [undefined, 'error', 'dropOldest', 'dropNewest'] as const) {
      marbles().run(({ cold, expectObservable }) => {
        expectObservable(toChannel(cold('a-bc--d|'), 1, { overflow })).toBe('a-bc--d|');
      });
    }
  });

  it('marbles: a source error reaches the receiver after the buffered values', () => {
    marbles().run(({ hot, expectObservable }) => {
      const boom = new Error('boom');
      expectObservable(toChannel(hot('ab#', undefined, boom), 4), '----^').toBe('----(ab#)', undefined, boom);
    });
  });

  it('marbles: completion ends the receiver after the buffered values', () => {
    marbles().run(({ hot, expectObservable }) => {
      expectObservable(toChannel(hot('a-b|'), 4), '-----^').toBe('-----(ab|)');
    });
  });
});

describe('toChannel: argument checks', () => {
  it.each([0, 1.5, -1])('throws RangeError showing a bad capacity %p', (capacity) => {
    expect(() => toChannel([1], capacity)).toThrow(RangeError);
    expect(() => toChannel([1], capacity)).toThrow(`got \`${capacity}\` (number)`);
  });

  it('throws TypeError showing a source that is not an ObservableInput', () => {
    expect(() => toChannel(42 as never, 1)).toThrow(TypeError);
    expect(() => toChannel(42 as never, 1)).toThrow('`42` (number)');
  });

  it('throws RangeError showing an unknown policy and TypeError for a bad onDrop', () => {
    expect(() => toChannel([1], 1, { overflow: 'latest' as never })).toThrow(RangeError);
    expect(() => toChannel([1], 1, { overflow: 'latest' as never })).toThrow('`"latest"` (string)');
    expect(() => toChannel([1], 1, { onDrop: 'x' as never })).toThrow(TypeError);
  });
});

describe('toChannel: an onDrop that throws', () => {
  it('fails the receiver with its error after the buffered values, with no unhandled rejection, and returns the source', async () => {
    let returned = false;
    async function* numbers(): AsyncGenerator<number> {
      try {
        for (let i = 1; ; i++) yield i;
      } finally {
        returned = true;
      }
    }
    const boom = new Error('onDrop failed');
    const dropped: number[] = [];
    let got: number[] = [];
    let failure: unknown;
    const unhandled = await unhandledRejectionsDuring(async () => {
      const rx = toChannel(numbers(), 1, {
        overflow: 'dropNewest',
        onDrop: (v) => {
          dropped.push(v);
          throw boom;
        },
      });
      await flush();
      try {
        for await (const v of rx) got = [...got, v];
      } catch (e) {
        failure = e;
      }
    });
    expect(got).toEqual([1]); // 1 was buffered; 2 was dropped, and onDrop threw
    expect(dropped).toEqual([2]);
    expect(failure).toBe(boom);
    expect(returned).toBe(true);
    expect(unhandled).toEqual([]);
  });

  it('over an Observable: fails the receiver after the buffered values and unsubscribes', async () => {
    const source = new Subject<number>();
    const boom = new Error('onDrop failed');
    const rx = toChannel(source, 2, {
      overflow: 'dropOldest',
      onDrop: () => {
        throw boom;
      },
    });
    for (const n of [1, 2, 3]) source.next(n); // 3 evicts 1, and onDrop throws
    expect(source.observed).toBe(false);
    expect(await rx.recv()).toBe(2);
    expect(await rx.recv()).toBe(3);
    await expect(rx.recv()).rejects.toBe(boom);
  });
});

describe('toChannel: a synchronous source is stopped as soon as it must stop', () => {
  it("an overflow under 'error' stops range(0, 1e5) at the value that did not fit", async () => {
    let produced = 0;
    const rx = toChannel(range(0, 100_000).pipe(tap(() => produced++)), 4);
    expect(produced).toBe(5);
    expect(await rx.recvMany(8)).toEqual([0, 1, 2, 3]);
    await expect(rx.recv()).rejects.toEqual(overflowOf(4));
  });

  it('take(1) on the receiver of a Receiver source takes one value; the rest stay in the source or the channel', async () => {
    const [tx, upstream] = mpsc.channel<number>(8);
    for (let i = 1; i <= 5; i++) tx.trySend(i);
    tx.drop();
    const rx = toChannel(upstream, 2);
    expect(await firstValueFrom(rx.pipe(take(1)))).toBe(1);
    rx.close();
    await flush();
    const rest = [...(await drain(rx)), ...(await drain(upstream))];
    expect(rest).toEqual([2, 3, 4, 5]);
  });
});

describe('toChannel: a consumer that stops at its first value', () => {
  it('over an Observable: firstValueFrom and take(1) take one value each; the others stay in the receiver', async () => {
    const source = new Subject<number>();
    const rx = toChannel(source, 4);
    const first = firstValueFrom(rx);
    for (const n of [1, 2, 3]) source.next(n);
    expect(await first).toBe(1);
    expect(await firstValueFrom(rx.pipe(take(1)))).toBe(2);
    expect(rx.length).toBe(1);
    expect(source.observed).toBe(true); // unsubscribing is not closing: the channel stays fed
    rx.close();
    await flush();
    expect(source.observed).toBe(false);
    expect(await drain(rx)).toEqual([3]);
  });

  it('a subscriber-side operator that throws on the first value leaves the other values in the receiver', async () => {
    const rx = toChannel([1, 2, 3], 4);
    await flush();
    const boom = new Error('boom');
    await expect(
      lastValueFrom(
        rx.pipe(
          map(() => {
            throw boom;
          }),
        ),
      ),
    ).rejects.toBe(boom);
    expect(await drain(rx)).toEqual([2, 3]);
  });
});

describe('toChannel: signal', () => {
  it('aborting closes the receiver and returns the source; what was moved stays receivable', async () => {
    const source = countingSource();
    const stop = new AbortController();
    const rx = toChannel(source, 2, { signal: stop.signal });
    await flush();
    stop.abort();
    await flush();
    expect(source.returned).toBe(true);
    expect(await drain(rx)).toEqual([0, 1]);
  });

  it('aborting unsubscribes from an Observable source', async () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const rx = toChannel(source, 2, { signal: stop.signal });
    source.next(1);
    stop.abort();
    expect(source.observed).toBe(false);
    expect(await drain(rx)).toEqual([1]);
  });

  it('an already aborted signal gives a closed, empty receiver and never touches the source', async () => {
    const source = countingSource();
    const subject = new Subject<number>();
    const rx = toChannel(source, 2, { signal: AbortSignal.abort() });
    const pushed = toChannel(subject, 2, { signal: AbortSignal.abort() });
    await flush();
    expect(source.pulled).toBe(0);
    expect(subject.observed).toBe(false);
    expect(rx.isClosed).toBe(true);
    expect(await drain(rx)).toEqual([]);
    expect(await drain(pushed)).toEqual([]);
  });

  it('throws a TypeError showing a signal that is not an AbortSignal, when called, before touching the source', () => {
    const source = countingSource();
    expect(() => toChannel(source, 1, { signal: 42 as never })).toThrow(
      'Expected `signal` to be an AbortSignal, got `42` (number)',
    );
    expect(source.pulled).toBe(0);
  });
});
