import { from, Observable, type ObservableInput, type Subscriber, type TeardownLogic } from 'rxjs';
import { isReceiver } from '../internal/brand.js';
import {
  BACKPRESSURED,
  checkOptions,
  connect,
  planFor,
  releaseIterator,
  stageOf,
  type Checked,
  type Connection,
  type SourceOptions,
  type StageOf,
} from './connect.js';
import { completeOnAbort } from './upstream.js';

/** Options of {@link backpressure}. */
export type BackpressureOptions<T> = SourceOptions<T>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });
const DONE_PROMISE: Promise<IteratorReturnResult<undefined>> = Promise.resolve(DONE);

/**
 * What {@link backpressure} returns: an `Observable<T>` and an `AsyncIterable<T>` at once.
 *
 * Over a receiver of this library it reads that receiver directly: a subscription is a
 * subscription to the receiver, an iteration is the receiver's own iterator, and whatever was
 * not handed on stays in the receiver. Over an Observable, each iteration gets its own bounded
 * channel over its own upstream subscription (made on its first `next()`, released on
 * `break`); a subscriber, which takes every value in the step it is emitted, gets the values
 * as they come.
 *
 * @example
 * ```ts
 * import { backpressure } from 'rxjs-channel';
 * import { Observable, of } from 'rxjs';
 * const bounded = backpressure(4)(of(1, 2, 3));
 * bounded instanceof Observable; // => true
 * const seen: number[] = [];
 * for await (const n of bounded) seen.push(n);
 * seen; // => [1, 2, 3]
 * ```
 */
export class Backpressured<T> extends Observable<T> implements AsyncIterable<T> {
  readonly #stage: StageOf<T>;

  /** @internal Made by `backpressure(...)(source)`; do not construct one. */
  constructor(stage: StageOf<T>) {
    super();
    this.#stage = stage;
  }

  /** @internal How `mergeMapBounded` and `toChannel` (of either build) read this stage. */
  get [BACKPRESSURED](): StageOf<T> {
    return this.#stage;
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(destination: Subscriber<T>): TeardownLogic {
    const { mode, source, plan } = this.#stage;
    if (mode === 'pull') {
      const connection = connect(source, plan, (rx) => rx.subscribe(destination));
      return () => connection.cancel();
    }
    // A receiver, or an Observable: the destination (a Subscriber) subscribes itself, so the
    // source sees it close the moment it is unsubscribed, even during a synchronous delivery.
    if (completeOnAbort(plan.signal, destination)) return;
    from(source).subscribe(destination);
  }

  /**
   * An async iterator. Over a receiver, the receiver's own iterator (it claims the receiver on
   * its first `next()`; `break` gives it back with every value not yet taken). Otherwise one
   * with its own channel, which subscribes to the source on its first `next()`; `break` (its
   * `return()`) unsubscribes from the source.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    const { mode, source, plan } = this.#stage;
    if (mode !== 'receiver') return new BufferedIterator(this.#stage);
    const it = (source as AsyncIterable<T>)[Symbol.asyncIterator]() as AsyncIterableIterator<T>;
    return plan.signal === undefined ? it : new AbortableIterator(it, plan.signal);
  }
}

/** A receiver's iterator that an abort ends as `return()` does. */
class AbortableIterator<T> implements AsyncIterableIterator<T> {
  readonly #it: AsyncIterator<T>;
  readonly #signal: AbortSignal;
  #done = false;
  readonly #onAbort = (): void => void this.return();
  readonly #onResult = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) this.#finish();
    return result;
  };
  readonly #onError = (error: unknown): never => {
    this.#finish();
    throw error;
  };

  constructor(it: AsyncIterator<T>, signal: AbortSignal) {
    this.#it = it;
    this.#signal = signal;
    if (signal.aborted) {
      this.#done = true;
      releaseIterator(it); // an inner stage's iterator lets go of its own signal; a receiver's takes nothing
    } else {
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#done) return DONE_PROMISE;
    try {
      return Promise.resolve(this.#it.next()).then(this.#onResult, this.#onError);
    } catch (error) {
      this.#finish();
      return Promise.reject(error);
    }
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.#done) {
      this.#finish();
      releaseIterator(this.#it); // settles a pending next() as done, taking no value
    }
    return DONE_PROMISE;
  }

  #finish(): void {
    this.#done = true;
    this.#signal.removeEventListener('abort', this.#onAbort);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** The iterator over an Observable or another pull source: its own channel, made on the first `next()`. */
class BufferedIterator<T> implements AsyncIterableIterator<T> {
  readonly #stage: StageOf<T>;
  #connection: Connection<T> | null = null;
  #it: AsyncIterator<T> | null = null;
  #done = false;
  readonly #onAbort = (): void => void this.return();

  constructor(stage: StageOf<T>) {
    this.#stage = stage;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#done) return DONE_PROMISE;
    let next: Promise<IteratorResult<T>>;
    if (this.#it === null) {
      const { source, plan } = this.#stage;
      const signal = plan.signal;
      if (signal?.aborted) {
        this.#done = true;
        return DONE_PROMISE;
      }
      signal?.addEventListener('abort', this.#onAbort, { once: true });
      // The first receive waits before the source starts, so it gets the first value. The
      // abort is this iterator's (a `return()`), not the channel's.
      this.#connection = connect(source, { ...plan, signal: undefined }, (rx) => {
        this.#it = rx[Symbol.asyncIterator]();
        next = this.#it.next();
      });
    } else {
      next = this.#it.next();
    }
    return next!.then(
      (result) => {
        if (result.done) this.#finish();
        return result;
      },
      (error: unknown) => {
        this.#finish();
        throw error;
      },
    );
  }

  return(): Promise<IteratorResult<T>> {
    if (this.#it !== null) releaseIterator(this.#it);
    this.#finish();
    return DONE_PROMISE;
  }

  #finish(): void {
    this.#done = true;
    this.#stage.plan.signal?.removeEventListener('abort', this.#onAbort);
    this.#connection?.cancel();
    this.#connection = null;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** Where `backpressure` puts `source`: read directly (a receiver), buffered (push) or pumped (pull). */
function stageFor<T>(source: ObservableInput<T>, checked: Checked<T>): StageOf<T> {
  const inner = stageOf<T>(source);
  if (isReceiver(source) || inner?.mode === 'receiver') {
    // Nothing to bound: the receiver is the bounded buffer, and it is read one value per demand.
    return { mode: 'receiver', source, plan: { ...checked, push: false, overflow: checked.overflow ?? 'wait' } };
  }
  const plan = planFor<T>(source, checked, 'backpressure');
  return { mode: plan.push ? 'push' : 'pull', source, plan };
}

/**
 * Puts a bounded channel between a source and its consumer: at most `capacity` values wait in
 * memory, whatever the source does, and `overflow` says what happens beyond that.
 *
 * The result is an `Observable<T>` *and* an `AsyncIterable<T>`, so `for await` over it keeps
 * memory bounded (unlike iterating an Observable through an unbounded adapter). For an
 * Observable source the default policy is `'error'` (the consumer gets the values already
 * buffered, then `ChannelOverflowError`); `'dropOldest'` keeps the latest `capacity` values,
 * `'dropNewest'` the earliest. For another pull source (an AsyncIterable, an array) it is
 * `'wait'`: the source is read only while there is room. A subscriber that keeps up sees every
 * value in the same synchronous step in which it was emitted, as without the operator, and an
 * unsubscribe during a synchronous delivery (`take(1)`) stops the source at once.
 *
 * Over a **receiver** of this library (mpsc, mpmc, broadcast, watch, oneshot, from either
 * module build) nothing is buffered: the receiver already is a bounded buffer, so the stage
 * reads it directly, one value per demand, and `capacity` and `overflow` are only checked.
 * Whatever the consumer did not take (a `break`, an unsubscribe) stays in the receiver, and
 * `mergeMapBounded` behind the stage takes values from the receiver only when it has a free
 * slot.
 *
 * In `source$.pipe(backpressure(n))` it composes like any operator, but rxjs 7 types the
 * result of `pipe` as a plain `Observable`; call `backpressure(n)(source$)` to keep the
 * `AsyncIterable` type.
 *
 * **Cancellation:** aborting `options.signal` stops the stage as an unsubscribe does (the
 * source is released) and ends it: a subscriber gets `complete`, an iteration `done`.
 *
 * **Errors:** `RangeError` for a `capacity` that is not an integer >= 1 and `TypeError` for a
 * `signal` that is not an AbortSignal or malformed options (when called); `RangeError` for
 * `overflow: 'wait'` with an Observable source (when applied to it). An `onDrop` that throws
 * ends the stream with its error after the buffered values, as a source error does.
 *
 * @example
 * ```ts
 * import { backpressure, mpsc } from 'rxjs-channel';
 * import { firstValueFrom, map, Subject, toArray } from 'rxjs';
 * const ticks = new Subject<number>();
 * const latest = backpressure(2, { overflow: 'dropOldest' })(ticks);
 * const seen: number[] = [];
 * const reading = (async () => {
 *   for await (const t of latest) {
 *     seen.push(t);
 *     if (t === 1) for (const n of [2, 3, 4, 5]) ticks.next(n); // arrive while busy
 *     if (t === 5) break;
 *   }
 * })();
 * await Promise.resolve();
 * ticks.next(1);
 * await reading;
 * seen; // => [1, 4, 5]
 *
 * const [tx, rx] = mpsc.channel<number>(4);
 * [1, 2].forEach((n) => tx.trySend(n));
 * tx.drop();
 * await firstValueFrom(rx.pipe(backpressure(2), map((n) => n * 10), toArray())); // => [10, 20]
 *
 * const [tx2, rx2] = mpsc.channel<number>(8);
 * [1, 2, 3, 4, 5].forEach((n) => tx2.trySend(n));
 * for await (const n of backpressure(3)(rx2)) if (n === 2) break; // reads rx2 itself
 * rx2.length; // => 3
 *
 * const stop = new AbortController();
 * let ended = false;
 * backpressure(4, { signal: stop.signal })(ticks).subscribe({ complete: () => (ended = true) });
 * stop.abort();
 * ended;          // => true
 * ticks.observed; // => false
 * ```
 */
export function backpressure<T>(
  capacity: number,
  options?: BackpressureOptions<T>,
): <S extends T>(source: ObservableInput<S>) => Backpressured<S> {
  const checked = checkOptions(capacity, options);
  return <S extends T>(source: ObservableInput<S>) => new Backpressured<S>(stageFor<S>(source, checked as Checked<S>));
}
