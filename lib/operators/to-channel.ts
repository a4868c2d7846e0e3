import type { ObservableInput } from 'rxjs';
import type { Receiver } from '../mpsc/receiver.js';
import { checkOptions, connect, planFor, type SourceOptions } from './connect.js';

export type { SourceOverflowPolicy } from './connect.js';

/**
 * Options of {@link toChannel}: `overflow` and `onDrop` as described there, and `signal`,
 * whose abort closes the receiver (the values already buffered stay receivable) and releases
 * the source.
 */
export type ToChannelOptions<T> = SourceOptions<T>;

/**
 * Pumps any RxJS `ObservableInput` into a new bounded mpsc channel and returns its receiver.
 * It starts at once.
 *
 * - A **pull source** (AsyncIterable, iterable or array, ReadableStream, Promise, another
 *   `Receiver`) is read only while the channel has room: true backpressure. The default policy
 *   is `'wait'`; the drop policies read as fast as the source gives and drop on overflow.
 * - A **push source** (an Observable) cannot be paused. Its default policy is `'error'`: when a
 *   value does not fit, the receiver gets the values already buffered and then fails with
 *   `ChannelOverflowError` (its `.value` is the value that did not fit), and the source is
 *   unsubscribed. `'dropOldest'` and `'dropNewest'` are the alternatives.
 *
 * The source's error reaches the receiver after the buffered values; its completion ends the
 * receiver after them. An `onDrop` that throws does the same as a source error: the receiver
 * gets the buffered values, then fails with what `onDrop` threw, and the source is released.
 * Closing the receiver (`close()`, disposal) unsubscribes from the source or calls its
 * iterator's `return()` (a ReadableStream is cancelled). Another receiver of this library is
 * read through its async iterator, one value per free slot: what was not moved stays in it.
 *
 * **Cancellation:** aborting `options.signal` closes the receiver and releases the source at
 * once; the values already moved stay receivable, then the receiver ends. A value a pull
 * source was already producing when the abort came is still delivered (its slot was reserved).
 *
 * **Errors:** `RangeError` for `overflow: 'wait'` with an Observable source (it cannot be made
 * to wait), or a `capacity` that is not an integer >= 1; `TypeError` for a source that is not
 * an `ObservableInput`, a `signal` that is not an AbortSignal, or malformed options. All are
 * thrown by the call, before the source is touched.
 *
 * **Gotchas:** a synchronous Observable (`of(1, 2, 3)`, `from(array)`) pushes every value
 * before anyone can receive: pass the array itself to have it read on demand. A drop policy
 * on a pull source reads it as fast as it yields, without waiting for room: right for a
 * source that waits for real events (a socket), wrong for one that is always ready (an endless
 * generator would be read in a loop that never yields to timers); use `'wait'` there.
 *
 * @example
 * ```ts
 * import { toChannel, ChannelOverflowError } from 'rxjs-channel';
 * import { lastValueFrom, of, Subject, toArray } from 'rxjs';
 * async function* numbers() { yield 1; yield 2; yield 3; }
 * const rx = toChannel(numbers(), 2); // never reads more than 2 values ahead
 * await lastValueFrom(rx.pipe(toArray())); // => [1, 2, 3]
 *
 * const pushed = toChannel(of(1, 2, 3), 2); // an Observable pushes all three at once
 * await pushed.recv(); // => 1
 * await pushed.recv(); // => 2
 * await pushed.recv().catch((e: ChannelOverflowError<number>) => e.value); // => 3
 *
 * const events = new Subject<string>();
 * const stop = new AbortController();
 * const ticks = toChannel(events, 4, { signal: stop.signal });
 * events.next('a');
 * stop.abort();           // closes the receiver, unsubscribes from the source
 * events.observed;        // => false
 * await ticks.recv();     // => 'a'
 * await ticks.recv();     // => undefined
 * ```
 */
export function toChannel<T>(source: ObservableInput<T>, capacity: number, options?: ToChannelOptions<T>): Receiver<T> {
  return connect(source, planFor(source, checkOptions(capacity, options), 'toChannel')).rx;
}
