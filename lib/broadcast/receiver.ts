import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { LaggedError, ReceiverBusyError } from '../errors.js';
import { disposeSymbol } from '../internal/disposable.js';
import { wakeSoon } from '../internal/notify.js';
import { NOT_READY, selectPoll, selectWatch, type Selectable } from '../internal/selectable.js';
import { rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import { END, type Cursor, type Shared } from './shared.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });

/**
 * One receiver of a broadcast channel: its own position in the stream, so it sees every value
 * sent after it was created, whatever the other receivers do. It is an RxJS `Observable<T>`,
 * an `AsyncIterable<T>`, and has a pull API (`recv`, `tryRecv`).
 *
 * A receiver is one consumer: a second *concurrent* subscriber or iterator gets
 * {@link ReceiverBusyError} (make another receiver with {@link Receiver.resubscribe} or
 * `tx.subscribe()` to fan out). A consumer that comes after the previous one let go continues
 * where it stopped.
 *
 * **Lag.** If the senders run more than `capacity` values ahead of this receiver, the oldest
 * ones are overwritten. `recv`/`tryRecv` then report {@link LaggedError} (with `.skipped`) once
 * and continue from the oldest value still held. As an Observable or async iterator, the
 * channel's `lag` option decides: `'error'` (default) errors/throws with the `LaggedError`,
 * `'skip'` continues silently from the oldest value still held.
 *
 * **End.** Once every sender is dropped, it reads what it has not read yet and then ends:
 * `recv` resolves `undefined`, the Observable completes, `for await` finishes. `drop()` ends it
 * at once.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = broadcast.channel<number>(8);
 * const other = rx.resubscribe();
 * const all = lastValueFrom(other.pipe(toArray()));
 * tx.send(1);
 * tx.send(2);
 * tx.drop();
 * await all;                               // => [1, 2]
 * await lastValueFrom(rx.pipe(toArray())); // => [1, 2]
 * ```
 */
export class Receiver<T> extends Observable<T> implements AsyncIterable<T>, Selectable<T | undefined> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'broadcast' {
    return 'broadcast';
  }

  readonly #shared: Shared<T>;
  readonly #cursor: Cursor;
  #dropped = false;
  /** The subscriber or iterator that holds the receiver, if any. */
  #owner: object | null = null;
  /** The holding subscriber's drain loop, run when this receiver is dropped. */
  #drain: (() => void) | null = null;

  /** Receivers are made by `broadcast.channel()`, `tx.subscribe()` and `resubscribe()`; do not construct one. */
  constructor(shared: Shared<T>, cursor: Cursor) {
    super();
    this.#shared = shared;
    this.#cursor = cursor;
  }

  /**
   * Receives the next value for this receiver, waiting for one if it has read everything.
   * Resolves `undefined` once every sender is dropped and it has read everything (or it was
   * dropped). **Gotcha:** with a `T` that includes `undefined`, use `for await` to tell the end
   * apart.
   *
   * **Errors:** rejects {@link LaggedError} (with `.skipped`) if values it had not read were
   * overwritten; the next call continues from the oldest value still held.
   * {@link ReceiverBusyError} while a subscriber or iterator holds this receiver.
   *
   * **Cancellation:** an abort (or an already-aborted signal, even with a value waiting) rejects
   * with `signal.reason`; the receiver's position does not move, so no value is lost.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<string>(2);
   * setTimeout(() => tx.send('later'));
   * await rx.recv(); // => 'later'
   * for (const s of ['a', 'b', 'c']) tx.send(s);
   * await rx.recv().catch((e: { skipped: number }) => e.skipped); // => 1
   * await rx.recv(); // => 'b'
   * ```
   */
  recv(options?: WaitOptions): Promise<T | undefined> {
    if (this.#owner !== null) return Promise.reject(new ReceiverBusyError());
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    const signal = options?.signal;
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    return this.#recv(signal);
  }

  /**
   * The next value if one is waiting for this receiver, else `undefined` (never waits; also
   * `undefined` after the end).
   *
   * **Errors:** throws {@link LaggedError} as {@link Receiver.recv} rejects it;
   * {@link ReceiverBusyError} while a subscriber or iterator holds this receiver.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * rx.tryRecv(); // => undefined
   * tx.send(3);
   * rx.tryRecv(); // => 3
   * ```
   */
  tryRecv(): T | undefined {
    if (this.#owner !== null) throw new ReceiverBusyError();
    const value = this.#read();
    return value === NOT_READY || value === END ? undefined : value;
  }

  /**
   * A new receiver of the same channel that sees every value sent from now on (not the ones
   * this receiver has yet to read), as tokio's `resubscribe`.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * const rx2 = rx.resubscribe();
   * tx.send(2);
   * rx.tryRecv();  // => 1
   * rx2.tryRecv(); // => 2
   * ```
   */
  resubscribe(): Receiver<T> {
    return new Receiver(this.#shared, this.#shared.subscribe());
  }

  /**
   * Leaves the channel (idempotent): senders stop counting this receiver, the values it had
   * not read are released, and its consumers end (`recv` → `undefined`, Observable complete).
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * const rx2 = tx.subscribe();
   * tx.receiverCount; // => 2
   * rx2.drop();
   * tx.receiverCount; // => 1
   * ```
   */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#shared.unsubscribe(this.#cursor);
    this.#shared.notify.notifyAll();
    this.#drain?.();
  }

  /** Same as {@link Receiver.drop}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Values sent that this receiver has not read yet (tokio's `Receiver::len`). It can exceed
   * the capacity: then some were overwritten and the next receive reports {@link LaggedError}.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(2);
   * for (const n of [1, 2, 3]) tx.send(n);
   * rx.len; // => 3
   * ```
   */
  get len(): number {
    return this.#dropped ? 0 : this.#shared.tail - this.#cursor.next;
  }

  /** Whether this receiver has read every value sent (`len === 0`). */
  get isEmpty(): boolean {
    return this.len === 0;
  }

  /** Whether no further value can arrive for this receiver: every sender dropped, or it was dropped. */
  get isClosed(): boolean {
    return this.#dropped || this.#shared.senders === 0;
  }

  /** Whether this receiver was dropped. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /** The number of values the ring holds before overwriting the oldest. */
  get maxCapacity(): number {
    return this.#shared.capacity;
  }

  /**
   * An async iterator over this receiver's values. It claims the receiver on its first
   * `next()`; `break` releases it, keeping the unread values. Lag follows the channel's `lag`
   * option: `'error'` throws the {@link LaggedError}, `'skip'` continues.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * tx.send(2);
   * tx.drop();
   * const seen: number[] = [];
   * for await (const n of rx) seen.push(n);
   * seen; // => [1, 2]
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    let state: 'fresh' | 'claimed' | 'done' = 'fresh';
    const iterator: AsyncIterableIterator<T> = {
      next: async (): Promise<IteratorResult<T>> => {
        if (state !== 'claimed') {
          if (state === 'done') return DONE;
          if (this.#owner !== null) throw new ReceiverBusyError();
          this.#owner = iterator;
          state = 'claimed';
        }
        const release = (): void => {
          state = 'done';
          if (this.#owner === iterator) this.#owner = null;
        };
        // Re-checks `state` after each wait: a `return()` made while this `next()` waited must
        // not take a value that the receiver's next consumer should get.
        while (state === 'claimed') {
          let value: T | typeof NOT_READY | typeof END;
          try {
            value = this.#read();
          } catch (error) {
            if (this.#shared.lag === 'skip' && error instanceof LaggedError) continue;
            release();
            throw error;
          }
          if (value === END) break;
          if (value !== NOT_READY) return { value, done: false };
          await this.#shared.notify.wait(undefined);
        }
        release();
        return DONE;
      },
      return: async (): Promise<IteratorResult<T>> => {
        if (state === 'claimed' && this.#owner === iterator) this.#owner = null;
        state = 'done';
        return DONE;
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    if (this.#owner !== null) {
      subscriber.error(new ReceiverBusyError());
      return;
    }
    const shared = this.#shared;
    const skip = shared.lag === 'skip';
    let draining = false;
    // Runs synchronously inside each send. A send made by the subscriber itself finds the loop
    // running and returns; the loop reads on until nothing is left.
    const drain = (): void => {
      if (draining) return;
      draining = true;
      try {
        while (!subscriber.closed) {
          let value: T | typeof NOT_READY | typeof END;
          try {
            value = this.#read();
          } catch (error) {
            if (skip && error instanceof LaggedError) continue;
            subscriber.error(error);
            return;
          }
          if (value === NOT_READY) return;
          if (value === END) {
            subscriber.complete();
            return;
          }
          subscriber.next(value);
        }
      } finally {
        draining = false;
      }
    };
    this.#owner = subscriber;
    this.#drain = drain;
    shared.sinks.add(drain);
    subscriber.add(() => {
      shared.sinks.delete(drain);
      if (this.#owner === subscriber) this.#owner = null;
      if (this.#drain === drain) this.#drain = null;
    });
    drain();
  }

  /**
   * Select protocol (used by `select`; its symbol is not exported): the next value, `undefined`
   * at the end, or `NOT_READY`; throws {@link LaggedError} when it fell behind. Kept in the
   * shipped `.d.ts` (not stripped as internal) so that `select` infers the value type.
   */
  [selectPoll](): T | undefined | typeof NOT_READY {
    const value = this.#read();
    return value === END ? undefined : value;
  }

  /** Select protocol: calls `wake` once a value is sent or the channel ends. */
  [selectWatch](wake: () => void): () => void {
    return this.#dropped || this.#shared.ready(this.#cursor) ? wakeSoon(wake) : this.#shared.notify.watch(wake);
  }

  /** @internal */
  sharedRef(): unknown {
    return this.#shared;
  }

  #read(): T | typeof NOT_READY | typeof END {
    return this.#dropped ? END : this.#shared.read(this.#cursor);
  }

  /** Reads now or waits for the next wake and tries again. */
  #recv(signal: AbortSignal | undefined): Promise<T | undefined> {
    let value: T | typeof NOT_READY | typeof END;
    try {
      value = this.#read();
    } catch (error) {
      return Promise.reject(error);
    }
    if (value === END) return Promise.resolve(undefined);
    if (value !== NOT_READY) return Promise.resolve(value);
    return this.#shared.notify.wait(signal).then(() => this.#recv(signal));
  }
}
