/**
 * The shapes of pull source that `toChannel` and `backpressure` accept (lib/operators/connect.ts:
 * `isPullable`, `iteratorOf`, `releaseIterator`): each is read in order and released when the
 * consumer leaves early, and what is none of them is a TypeError showing the value.
 */
import { lastValueFrom, take, toArray } from 'rxjs';
import { backpressure, type mpsc, oneshot, toChannel } from 'rxjs-channel';
import { flush } from '../helpers.js';
import { unhandledRejectionsDuring } from './support.js';

const expectedSource = (caller: string): string =>
  `Expected the source of \`${caller}\` to be an Observable, Promise, AsyncIterable, iterable, array or ReadableStream, got `;

/** What the receiver gives, at most `limit` values (a source that never ends shows as `limit` values). */
function firstOf<T>(rx: mpsc.Receiver<T>, limit = 5): Promise<T[]> {
  return lastValueFrom(rx.pipe(take(limit), toArray()));
}

/**
 * A ReadableStream as a browser without async iteration of streams gives it: only `getReader()`.
 * It enqueues `values` then closes, or, with `endless`, a counter on each pull; `cancelled`
 * records the reason its underlying source's `cancel()` was called with.
 */
function readerOnlyStream<T>(
  values: readonly T[],
  endless = false,
): { stream: ReadableStream<T | number>; cancelled: { called: boolean; reason: unknown } } {
  const cancelled = { called: false, reason: undefined as unknown };
  let pulls = 0;
  const stream = new ReadableStream<T | number>(
    {
      start(controller) {
        if (endless) return;
        for (const v of values) controller.enqueue(v);
        controller.close();
      },
      pull(controller) {
        if (endless) controller.enqueue(pulls++);
      },
      cancel(reason) {
        cancelled.called = true;
        cancelled.reason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  Object.defineProperty(stream, Symbol.asyncIterator, { value: undefined });
  return { stream, cancelled };
}

describe('pull sources: a ReadableStream read through its reader', () => {
  it('delivers every chunk in order, then releases the reader lock', async () => {
    const { stream } = readerOnlyStream(['a', 'b', 'c']);
    const rx = toChannel(stream, 1);
    expect(stream.locked).toBe(true);
    expect(await firstOf(rx)).toStrictEqual(['a', 'b', 'c']);
    expect(stream.locked).toBe(false);
  });

  it('cancels the stream and releases its lock when the receiver closes early', async () => {
    const { stream, cancelled } = readerOnlyStream<number>([], true);
    const rx = toChannel(stream, 2);
    expect(await rx.recv()).toBe(0);
    rx.close();
    await flush();
    expect(cancelled.called).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('cancels the stream when a for-await over backpressure breaks', async () => {
    const { stream, cancelled } = readerOnlyStream<number>([], true);
    const seen: number[] = [];
    for await (const n of backpressure(2)(stream)) {
      seen.push(n as number);
      if (n === 2) break;
    }
    await flush();
    expect(seen).toStrictEqual([0, 1, 2]);
    expect(cancelled.called).toBe(true);
    expect(stream.locked).toBe(false);
  });
});

describe('pull sources: arrays, array-likes and strings', () => {
  it('reads a plain array in order and ends', async () => {
    expect(await firstOf(toChannel(['x', 'y'], 1))).toStrictEqual(['x', 'y']);
  });

  it('reads an array-like object by index up to its length, then ends', async () => {
    const arrayLike = { length: 2, 0: 'a', 1: 'b' };
    expect(await firstOf(toChannel(arrayLike as never, 1))).toStrictEqual(['a', 'b']);
    expect(await firstOf(toChannel({ length: 0 } as never, 1))).toStrictEqual([]);
  });

  it('reads an array-like object through backpressure too', async () => {
    const seen: string[] = [];
    for await (const v of backpressure(1)({ length: 3, 0: 'a', 1: 'b', 2: 'c' } as never)) {
      seen.push(v as string);
      if (seen.length === 5) break; // more than there are: a reading past the end would show
    }
    expect(seen).toStrictEqual(['a', 'b', 'c']);
  });

  it('reads a string as its characters (code points), in order', async () => {
    expect(await firstOf(toChannel('ab😀', 1))).toStrictEqual(['a', 'b', '😀']);
    expect(await firstOf(toChannel('', 1))).toStrictEqual([]);
  });

  it('reads a callable that is async iterable as an async iterable', async () => {
    const source = Object.assign(() => 'not called', {
      async *[Symbol.asyncIterator](): AsyncGenerator<number> {
        yield 1;
        yield 2;
      },
    });
    expect(await firstOf(toChannel(source as never, 1))).toStrictEqual([1, 2]);
  });
});

describe('pull sources: promises and thenables', () => {
  it('delivers the value of a Promise, then ends', async () => {
    expect(await firstOf(toChannel(Promise.resolve('only'), 1))).toStrictEqual(['only']);
  });

  it('delivers the value of a thenable, then ends', async () => {
    const thenable = { then: (resolve: (v: string) => void) => resolve('thenable') };
    expect(await firstOf(toChannel(thenable as never, 1))).toStrictEqual(['thenable']);
  });

  it('reads a oneshot receiver (a promise too) as a receiver: closing the channel withdraws its wait', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const out = toChannel(rx, 1);
    await flush();
    out.close();
    await flush();
    // Read as a promise, the oneshot would still be awaited, and could not move.
    const port = rx.intoPort();
    port.close();
    expect(tx.send(1)).toBe(true);
  });

  it('reads a oneshot receiver as its one value, then ends', async () => {
    const [tx, rx] = oneshot.channel<number>();
    const out = toChannel(rx, 1);
    tx.send(7);
    expect(await firstOf(out)).toStrictEqual([7]);
  });
});

describe('pull sources: an iterator whose release fails is still released quietly', () => {
  /** A sync iterable of 0, 1, 2 ... whose `return()` does what `onReturn` does. */
  function iterableReturning(onReturn: () => unknown): Iterable<number> & { returned: number } {
    let i = 0;
    const source = {
      returned: 0,
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<number> => ({ value: i++, done: false }),
        return: (): IteratorResult<number> => {
          source.returned++;
          return onReturn() as IteratorResult<number>;
        },
      }),
    };
    return source;
  }

  it('swallows an error thrown by a sync iterator’s return() when the receiver closes early', async () => {
    const source = iterableReturning(() => {
      throw new Error('return failed');
    });
    const rx = toChannel(source, 1);
    expect(await rx.recv()).toBe(0);
    await flush(); // 1 is read into the freed slot
    expect(() => rx.close()).not.toThrow();
    await flush();
    expect(source.returned).toBe(1);
    expect(await firstOf(rx)).toStrictEqual([1]);
  });

  it('handles the rejection of a promise returned by return(): no unhandled rejection', async () => {
    const source = iterableReturning(() => Promise.reject(new Error('return rejected')));
    const unhandled = await unhandledRejectionsDuring(async () => {
      const rx = toChannel(source, 1);
      expect(await rx.recv()).toBe(0);
      rx.close();
      await flush();
    });
    expect(source.returned).toBe(1);
    expect(unhandled).toStrictEqual([]);
  });

  it('handles an async generator whose cleanup throws when the consumer leaves early', async () => {
    let cleanedUp = false;
    async function* gen(): AsyncGenerator<number> {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        cleanedUp = true;
        // eslint-disable-next-line no-unsafe-finally
        throw new Error('cleanup failed');
      }
    }
    const unhandled = await unhandledRejectionsDuring(async () => {
      const rx = toChannel(gen(), 1);
      expect(await rx.recv()).toBe(0);
      rx.close();
      await flush();
    });
    expect(cleanedUp).toBe(true);
    expect(unhandled).toStrictEqual([]);
  });
});

describe('pull sources: what is not a source', () => {
  it.each([
    [null, '`null` (null)'],
    [undefined, '`undefined` (undefined)'],
    [42, '`42` (number)'],
    [{}, '`{}` (object)'],
    [{ length: '2', 0: 'a' }, '`{"0":"a","length":"2"}` (object)'],
  ])('throws a TypeError showing %p', (source, shown) => {
    expect(() => toChannel(source as never, 1)).toThrow(TypeError);
    expect(() => toChannel(source as never, 1)).toThrow(expectedSource('toChannel') + shown);
    expect(() => backpressure(1)(source as never)).toThrow(expectedSource('backpressure') + shown);
  });

  it('does not take a function for an array-like because it has a length: a TypeError naming it', () => {
    function pair(a: unknown, b: unknown): unknown {
      return [a, b];
    }
    expect(pair.length).toBe(2);
    expect(() => toChannel(pair as never, 1)).toThrow(TypeError);
    expect(() => toChannel(pair as never, 1)).toThrow(expectedSource('toChannel') + '`[function pair]` (function)');
  });
});
