import { getEventListeners } from 'node:events';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { toChannel } from 'rxjs-channel';
import { flush } from '../helpers.js';
import { deferred, unhandledRejectionsDuring, type Deferred } from './support.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;

type Recorded<T> = AsyncIterable<T> & { reads: number; returns: number };

/**
 * A hand-written iterator (not a generator, whose `return()` after the end is a no-op and
 * whose `next()` after `return()` is always done): it counts its reads and its releases.
 */
function recorded<T>(next: (call: number) => IteratorResult<T> | Promise<IteratorResult<T>>): Recorded<T> {
  const source = {
    reads: 0,
    returns: 0,
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve(next(source.reads++)),
      return: () => {
        source.returns++;
        return Promise.resolve({ value: undefined, done: true } as IteratorResult<T>);
      },
    }),
  };
  return source;
}

/** A source over 0, 1, 2 ... that never ends, counting its reads and releases. */
const endlessIterator = (): Recorded<number> => recorded((i) => ({ value: i, done: false }));

describe('toChannel and backpressure over a source: the abort signal', () => {
  it('takes its abort listener off the signal once the source completes', async () => {
    const stop = new AbortController();
    const events = new Subject<number>();
    const rx = toChannel(events, 4, { signal: stop.signal });
    expect(listeners(stop.signal)).toBe(1);
    events.next(1);
    events.complete();
    expect(listeners(stop.signal)).toBe(0);
    stop.abort(); // too late to matter: the values already moved are still there
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
  });

  it('takes its abort listener off the signal once a pull source ends, and once the consumer closes', async () => {
    const stop = new AbortController();
    const rx = toChannel([1, 2], 4, { signal: stop.signal });
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1, 2]);
    expect(listeners(stop.signal)).toBe(0);

    const source = endlessIterator();
    const closedEarly = toChannel(source, 1, { signal: stop.signal });
    expect(listeners(stop.signal)).toBe(1);
    closedEarly.close();
    await flush();
    expect(listeners(stop.signal)).toBe(0);
    expect(source.returns).toBe(1);
  });

  it('closes the receiver at once and never subscribes when the signal is already aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    const events = new Subject<number>();
    const rx = toChannel(events, 2, { signal: stop.signal });
    expect(events.observed).toBe(false);
    expect(listeners(stop.signal)).toBe(0);
    expect(await rx.recv()).toBeUndefined();
    const source = endlessIterator();
    const pulled = toChannel(source, 2, { signal: stop.signal });
    await flush();
    expect(source.reads).toBe(0);
    expect(await pulled.recv()).toBeUndefined();
  });

  it('does not read the source again when the abort lands while a slot is being granted', async () => {
    const stop = new AbortController();
    const source = endlessIterator();
    const rx = toChannel(source, 1, { signal: stop.signal });
    await flush();
    expect(source.reads).toBe(1); // 0 fills the only slot; the pump waits for room
    expect(rx.tryRecv()).toBe(0); // frees the slot: the pump's reserve is granted ...
    stop.abort(); // ... and the abort comes before the pump resumes
    await flush();
    expect(source.reads).toBe(1);
    expect(source.returns).toBe(1);
    expect(await rx.recv()).toBeUndefined();
  });
});

describe('toChannel and backpressure over a source: overflow without onDrop', () => {
  it.each(['dropOldest', 'dropNewest'] as const)('%s with no onDrop discards quietly and the stream ends normally', async (overflow) => {
    const events = new Subject<number>();
    const rx = toChannel(events, 2, { overflow });
    for (const v of [1, 2, 3, 4]) events.next(v);
    events.complete();
    expect(await lastValueFrom(rx.pipe(toArray()))).toEqual(overflow === 'dropOldest' ? [3, 4] : [1, 2]);
  });
});

describe('toChannel and backpressure over a source: a consumer that closes', () => {
  it.each(['error', 'dropOldest'] as const)(
    'under %s, refuses a value pushed after the consumer closed, unsubscribes at once and ends normally',
    async (overflow) => {
      const events = new Subject<number>();
      const rx = toChannel(events, 2, { overflow });
      events.next(1);
      rx.close();
      expect(events.observed).toBe(true); // the close is heard on the next value or a microtask later
      events.next(2);
      expect(events.observed).toBe(false);
      expect(await lastValueFrom(rx.pipe(toArray()))).toEqual([1]);
    },
  );
});

describe('toChannel and backpressure over a source: releasing a pull source', () => {
  it('does not call return() on an iterator that ended', async () => {
    const source = recorded<number>((i) => (i < 2 ? { value: i, done: false } : { value: undefined, done: true }));
    expect(await lastValueFrom(toChannel(source, 4).pipe(toArray()))).toEqual([0, 1]);
    expect(source.reads).toBe(3);
    expect(source.returns).toBe(0);
  });

  it('does not call return() on an iterator whose next() threw, and fails the receiver with its error', async () => {
    const boom = new Error('boom');
    const source = recorded<number>((i) => {
      if (i === 1) throw boom;
      return { value: i, done: false };
    });
    const rx = toChannel(source, 4);
    expect(await rx.recv()).toBe(0);
    await expect(rx.recv()).rejects.toBe(boom);
    expect(source.returns).toBe(0);
  });

  it('fails the receiver with a TypeError when the iterator returns something other than a result object', async () => {
    const source = recorded<number>(() => undefined as unknown as IteratorResult<number>);
    const rx = toChannel(source, 2);
    await expect(rx.recv()).rejects.toThrow(TypeError);
  });

  it('stays quiet when a read already under way rejects after the consumer closed', async () => {
    const reads: Deferred<IteratorResult<number>>[] = [];
    const source = recorded<number>(() => {
      const d = deferred<IteratorResult<number>>();
      reads.push(d);
      return d.promise;
    });
    const seen = await unhandledRejectionsDuring(async () => {
      const rx = toChannel(source, 2);
      await flush();
      expect(reads).toHaveLength(1);
      rx.close();
      await flush();
      expect(source.returns).toBe(1);
      reads[0]!.reject(new Error('read failed after the close'));
      await flush();
      expect(await rx.recv()).toBeUndefined();
    });
    expect(seen).toEqual([]);
  });

  it.each(['dropNewest', 'error'] as const)(
    'under %s, reads nothing more once a synchronous consumer closes the receiver on a value',
    async (overflow) => {
      const source = endlessIterator();
      const rx = toChannel(source, 2, { overflow });
      const seen: number[] = [];
      rx.subscribe((v) => {
        seen.push(v);
        rx.close();
      });
      await flush();
      expect(seen).toEqual([0]);
      expect(source.reads).toBe(1);
      expect(source.returns).toBe(1);
    },
  );
});
