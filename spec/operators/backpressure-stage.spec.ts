/**
 * The three kinds of `backpressure` stage (over a receiver, over an Observable, over another
 * pull source) as their iterators and subscribers see them: what is read, when the source is
 * released, and what an abort or an ended iteration leaves on the signal.
 */
import { getEventListeners } from 'node:events';
import { Subject } from 'rxjs';
import { backpressure, mpsc } from 'rxjs-channel';
import { flush, stateOf } from '../helpers.js';
import { filled } from './support.js';

const listeners = (signal: AbortSignal): number => getEventListeners(signal, 'abort').length;
const DONE = { value: undefined, done: true };

/** An async iterable that yields `values`, then never settles its next read; it records `return()`. */
function stalling<T>(values: readonly T[]): AsyncIterable<T> & { reads: number; returned: boolean } {
  const source = {
    reads: 0,
    returned: false,
    [Symbol.asyncIterator]: (): AsyncIterator<T> => ({
      next: () => {
        const i = source.reads++;
        return i < values.length ? Promise.resolve({ value: values[i]!, done: false }) : new Promise<never>(() => undefined);
      },
      return: () => {
        source.returned = true;
        return Promise.resolve({ value: undefined, done: true });
      },
    }),
  };
  return source;
}

describe('backpressure over a pull source, subscribed', () => {
  it("delivers an async iterable's values through its channel, and an unsubscribe releases the source at once, even with a read pending", async () => {
    const source = stalling([1, 2]);
    const seen: number[] = [];
    let completed = false;
    const subscription = backpressure(2)(source).subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    await flush();
    expect(seen).toStrictEqual([1, 2]);
    expect(source.reads).toBe(3); // the third read is pending
    expect(source.returned).toBe(false);
    subscription.unsubscribe();
    expect(source.returned).toBe(true);
    expect(completed).toBe(false);
  });

  it('reads an array through the channel: nothing arrives during subscribe, then every value in order and complete', async () => {
    const seen: string[] = [];
    let completed = false;
    backpressure(2)(['a', 'b', 'c']).subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(seen).toStrictEqual([]);
    await flush();
    expect(seen).toStrictEqual(['a', 'b', 'c']);
    expect(completed).toBe(true);
  });
});

describe('backpressure over a Receiver, with a signal', () => {
  it('reads every value, one per next(), until the channel ends, then takes its listener off the signal', async () => {
    const [tx, rx] = filled([1, 2], { keepOpen: true });
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(rx)[Symbol.asyncIterator]();
    expect(listeners(stop.signal)).toBe(1);
    expect(await it.next()).toStrictEqual({ value: 1, done: false });
    expect(rx.length).toBe(1);
    expect(await it.next()).toStrictEqual({ value: 2, done: false });
    tx.trySend(3);
    tx.drop();
    expect(await it.next()).toStrictEqual({ value: 3, done: false });
    expect(listeners(stop.signal)).toBe(1);
    expect(await it.next()).toStrictEqual(DONE);
    expect(listeners(stop.signal)).toBe(0);
  });

  it("rejects next() with the receiver's error after its values, is done afterwards, and takes its listener off the signal", async () => {
    const [tx, rx] = mpsc.channel<number>(4);
    const boom = new Error('boom');
    tx.trySend(1);
    tx.error(boom);
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(rx)[Symbol.asyncIterator]();
    expect(await it.next()).toStrictEqual({ value: 1, done: false });
    await expect(it.next()).rejects.toBe(boom);
    expect(listeners(stop.signal)).toBe(0);
    expect(await it.next()).toStrictEqual(DONE);
  });

  it('an already aborted signal ends the iteration at once: it takes nothing from the receiver and adds no listener', async () => {
    const [, rx] = filled([1, 2]);
    const signal = AbortSignal.abort();
    const it = backpressure(2, { signal })(rx)[Symbol.asyncIterator]();
    expect(listeners(signal)).toBe(0);
    expect(await it.next()).toStrictEqual(DONE);
    expect(await it.next()).toStrictEqual(DONE);
    expect(await it.return!()).toStrictEqual(DONE);
    expect(rx.length).toBe(2);
    expect(await rx.recv()).toBe(1);
  });

  it('break takes the listener off the signal and leaves the rest in the receiver', async () => {
    const [, rx] = filled([1, 2, 3]);
    const stop = new AbortController();
    for await (const v of backpressure(2, { signal: stop.signal })(rx)) if (v === 1) break;
    expect(listeners(stop.signal)).toBe(0);
    expect(rx.length).toBe(2);
  });

  it('its iterator is itself async iterable', async () => {
    const [, rx] = filled([1, 2]);
    const it = backpressure(2, { signal: new AbortController().signal })(rx)[Symbol.asyncIterator]();
    expect(it[Symbol.asyncIterator]()).toBe(it);
    const seen: number[] = [];
    for await (const v of it) seen.push(v);
    expect(seen).toStrictEqual([1, 2]);
  });

  it("rejects next() with what a branded receiver's iterator throws synchronously, and is done afterwards", async () => {
    // A receiver as the cross-build brand describes one (another copy of this library), whose
    // iterator fails before it can hand back a promise.
    const boom = new Error('next failed');
    const foreign = {
      [Symbol.for('rxjs-channel.receiver')]: 'mpsc',
      [Symbol.asyncIterator]: (): AsyncIterator<number> => ({
        next: () => {
          throw boom;
        },
      }),
    };
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(foreign as unknown as AsyncIterable<number>)[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toBe(boom);
    expect(listeners(stop.signal)).toBe(0);
    expect(await it.next()).toStrictEqual(DONE);
  });
});

describe('backpressure over a backpressure stage over a Receiver', () => {
  it('reads the receiver directly, one value per next(): a break leaves the rest in the receiver', async () => {
    const [, rx] = filled([1, 2, 3, 4, 5]);
    const seen: number[] = [];
    for await (const v of backpressure(2)(backpressure(3)(rx))) {
      seen.push(v);
      if (v === 2) break;
    }
    expect(seen).toStrictEqual([1, 2]);
    expect(rx.length).toBe(3);
    expect(await rx.recv()).toBe(3);
  });

  it('an already aborted outer signal ends the iteration at once and leaves no listener on the inner stage\'s signal', async () => {
    const [, rx] = filled([1, 2, 3]);
    const inner = new AbortController();
    const seen: number[] = [];
    for (let round = 0; round < 3; round++) {
      for await (const v of backpressure(2, { signal: AbortSignal.abort() })(backpressure(3, { signal: inner.signal })(rx))) seen.push(v);
    }
    expect(seen).toStrictEqual([]);
    expect(getEventListeners(inner.signal, 'abort')).toHaveLength(0);
    expect(rx.length).toBe(3);
    expect(await rx.recv()).toBe(1);
  });
});

describe('backpressure over an Observable or another pull source, iterated', () => {
  it('an already aborted signal ends the iteration at once, on every next(), without subscribing or adding a listener', async () => {
    const source = new Subject<number>();
    const signal = AbortSignal.abort();
    const it = backpressure(2, { signal })(source)[Symbol.asyncIterator]();
    expect(await stateOf(it.next())).toStrictEqual({ state: 'fulfilled', value: DONE });
    expect(source.observed).toBe(false);
    expect(listeners(signal)).toBe(0);
    expect(await stateOf(it.next())).toStrictEqual({ state: 'fulfilled', value: DONE });
    expect(source.observed).toBe(false);
  });

  it('return() settles a next() that waits on a pending read of the source as done, and releases the source', async () => {
    const source = stalling([1]);
    const it = backpressure(2)(source)[Symbol.asyncIterator]();
    expect(await it.next()).toStrictEqual({ value: 1, done: false });
    const pending = it.next();
    await flush();
    expect(source.reads).toBe(2); // the second read is pending
    expect(await it.return!()).toStrictEqual(DONE);
    expect(source.returned).toBe(true);
    expect(await stateOf(pending)).toStrictEqual({ state: 'fulfilled', value: DONE });
  });

  it('return() before the first next() ends the iteration without subscribing', async () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(source)[Symbol.asyncIterator]();
    expect(await it.return!()).toStrictEqual(DONE);
    expect(await it.next()).toStrictEqual(DONE);
    expect(source.observed).toBe(false);
    expect(listeners(stop.signal)).toBe(0);
  });

  it('return() after the first value unsubscribes and takes the listener off the signal', async () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(source)[Symbol.asyncIterator]();
    const first = it.next();
    source.next(1);
    expect(await first).toStrictEqual({ value: 1, done: false });
    expect(listeners(stop.signal)).toBe(1);
    expect(await it.return!()).toStrictEqual(DONE);
    expect(source.observed).toBe(false);
    expect(listeners(stop.signal)).toBe(0);
  });

  it('takes its listener off the signal once the source completes', async () => {
    const source = new Subject<number>();
    const stop = new AbortController();
    const it = backpressure(2, { signal: stop.signal })(source)[Symbol.asyncIterator]();
    const first = it.next();
    expect(listeners(stop.signal)).toBe(1);
    source.next(1);
    source.complete();
    expect(await first).toStrictEqual({ value: 1, done: false });
    expect(await it.next()).toStrictEqual(DONE);
    expect(listeners(stop.signal)).toBe(0);
  });

  it("its iterator over a pull source is itself async iterable", async () => {
    const it = backpressure(4)(['x', 'y'])[Symbol.asyncIterator]();
    expect(it[Symbol.asyncIterator]()).toBe(it);
    const seen: string[] = [];
    for await (const v of it) seen.push(v);
    expect(seen).toStrictEqual(['x', 'y']);
  });
});
