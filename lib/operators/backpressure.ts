import { Observable, type ObservableInput, type Subscriber, type TeardownLogic } from 'rxjs';
import type { Receiver } from '../mpsc/receiver.js';
import { checkOptions, connect, planFor, PULL_SOURCE, type Connection, type Plan, type SourceOptions } from './connect.js';

/** Options of {@link backpressure}. */
export type BackpressureOptions<T> = SourceOptions<T>;

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });

/**
 * What {@link backpressure} returns: an `Observable<T>` and an `AsyncIterable<T>` at once.
 * Every subscription and every iteration gets its own bounded channel over its own upstream
 * subscription; an iteration subscribes on its first `next()` and releases the source on
 * `break`.
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
  /** @internal Read as a pull source by `toChannel` and `mergeMapBounded`. */
  readonly [PULL_SOURCE] = true;
  readonly #source: ObservableInput<T>;
  readonly #plan: Plan<T>;

  /** Made by `backpressure(...)(source)`; do not construct one. */
  constructor(source: ObservableInput<T>, plan: Plan<T>) {
    super();
    this.#source = source;
    this.#plan = plan;
  }

  /**
   * @internal A new channel over a new upstream subscription; `consume` attaches the consumer
   * before the source starts.
   */
  connect(consume?: (rx: Receiver<T>) => void): Connection<T> {
    return connect(this.#source, this.#plan, consume);
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const connection = this.connect((rx) => rx.subscribe(subscriber));
    return () => connection.cancel();
  }

  /**
   * An async iterator with its own channel; it subscribes to the source on its first `next()`.
   * `break` (its `return()`) unsubscribes from the source.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new BackpressuredIterator(this);
  }
}

class BackpressuredIterator<T> implements AsyncIterableIterator<T> {
  readonly #owner: Backpressured<T>;
  #connection: Connection<T> | null = null;
  #it: AsyncIterator<T> | null = null;
  #done = false;

  constructor(owner: Backpressured<T>) {
    this.#owner = owner;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#done) return Promise.resolve(DONE);
    let next: Promise<IteratorResult<T>>;
    if (this.#it === null) {
      // The first receive waits before the source starts, so it gets the first value.
      this.#connection = this.#owner.connect((rx) => {
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
    void this.#it?.return?.();
    this.#finish();
    return Promise.resolve(DONE);
  }

  #finish(): void {
    this.#done = true;
    this.#connection?.cancel();
    this.#connection = null;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/**
 * Puts a bounded channel between a source and its consumer: at most `capacity` values wait in
 * memory, whatever the source does, and `overflow` says what happens beyond that.
 *
 * The result is an `Observable<T>` *and* an `AsyncIterable<T>`, so `for await` over it keeps
 * memory bounded (unlike iterating an Observable through an unbounded adapter). For an
 * Observable source the default policy is `'error'` (the consumer gets the values already
 * buffered, then `ChannelOverflowError`); `'dropOldest'` keeps the latest `capacity` values,
 * `'dropNewest'` the earliest. For a pull source (a `Receiver`, an AsyncIterable) it is
 * `'wait'`: the source is read only while there is room. A subscriber that keeps up sees every
 * value in the same synchronous step in which it was emitted, as without the operator.
 *
 * In `source$.pipe(backpressure(n))` it composes like any operator, but rxjs 7 types the
 * result of `pipe` as a plain `Observable`; call `backpressure(n)(source$)` to keep the
 * `AsyncIterable` type.
 *
 * **Errors:** `RangeError` for a `capacity` that is not an integer >= 1 (when called) or for
 * `overflow: 'wait'` with an Observable source (when applied to it); `TypeError` for
 * malformed options.
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
 * ```
 */
export function backpressure<T>(
  capacity: number,
  options?: BackpressureOptions<T>,
): <S extends T>(source: ObservableInput<S>) => Backpressured<S> {
  const checked = checkOptions(capacity, options);
  return <S extends T>(source: ObservableInput<S>) =>
    new Backpressured<S>(source, planFor<S>(source, checked, 'backpressure'));
}
