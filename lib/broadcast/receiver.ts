import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { LaggedError, ReceiverBusyError, ReceiverDroppedError } from '../errors.js';
import { Claim } from '../internal/claim.js';
import { deliver } from '../internal/deliver.js';
import { disposeSymbol } from '../internal/disposable.js';
import { DONE, ReceiverIterator, type IteratorSource } from '../internal/receiver-iterator.js';
import { wakeSoon } from '../internal/notify.js';
import { NOT_READY, pullNow, pullRelease, selectPoll, selectWatch, type Selectable } from '../internal/selectable.js';
import { checkInteger, rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import { Cursor, END, type Shared } from './shared.js';
import { moveReceiver } from './host.js';
import type { Erased } from '../internal/erased.js';

/** @internal The shared state of a receiver of this build (module-private: not on the handle). */
export let receiverShared: (handle: object) => unknown;

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
export class Receiver<out T> extends Observable<T> implements AsyncIterable<T>, Selectable<T | undefined> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'broadcast' {
    return 'broadcast';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    const shared = this.#shared;
    return { kind: 'broadcast', side: 'receiver', buffered: this.length, pendingSends: 0, waitingReceives: shared.notify.size, permits: 0, senders: shared.senders, closed: this.isClosed };
  }

  readonly #shared: Shared<Erased>;
  readonly #cursor: Cursor;
  /** Held by the subscriber or iterator consuming this receiver, if any. */
  readonly #claim: Claim;
  /** The holding subscriber's drain loop, run when this receiver is dropped. */
  #drain: (() => void) | null = null;

  /** @internal Receivers are made by `broadcast.channel()`, `tx.subscribe()` and `resubscribe()`; do not construct one. */
  constructor(shared: Shared<T>, cursor: Cursor) {
    super();
    this.#shared = shared;
    this.#cursor = cursor;
    this.#claim = new Claim(cursor);
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
    if (this.#claim.heldByOther(null)) return Promise.reject(new ReceiverBusyError());
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
    this.#claim.check(null);
    const value = this.#read();
    return value === NOT_READY || value === END ? undefined : value;
  }

  /**
   * Waits for at least one value, then takes up to `limit` of the values waiting for this
   * receiver (it never waits to fill the batch). Resolves `[]` once the channel has ended for
   * it.
   *
   * **Errors:** rejects `RangeError` if `limit` is not an integer >= 1; {@link LaggedError} as
   * {@link Receiver.recv} (values read before the lag was found stay in this batch: the error
   * comes with the next call); {@link ReceiverBusyError} while a subscriber or iterator holds
   * this receiver.
   *
   * **Cancellation:** as {@link Receiver.recv}: an abort moves nothing.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(8);
   * for (const n of [1, 2, 3]) tx.send(n);
   * await rx.recvMany(2); // => [1, 2]
   * await rx.recvMany(2); // => [3]
   * tx.drop();
   * await rx.recvMany(2); // => []
   * ```
   */
  recvMany(limit: number, options?: WaitOptions): Promise<T[]> {
    try {
      checkInteger('limit', limit, 1);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#claim.heldByOther(null)) return Promise.reject(new ReceiverBusyError());
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    const signal = options?.signal;
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    return this.#recvBatch(limit, signal);
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
    if (this.#cursor.dropped) return;
    this.#cursor.dropped = true;
    this.#shared.unsubscribe(this.#cursor);
    this.#shared.notify.notifyAll();
    this.#drain?.();
  }

  /** Same as {@link Receiver.drop}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Moves this receiver into a `MessagePort`, to hand to another thread, where
   * `broadcast.receiverFromPort` opens it. This handle is consumed: afterwards it acts as
   * dropped (its reads end, `recv` → `undefined`). Its position moves with it: the values it
   * had not read yet go to the other thread first. It still counts in `receiverCount` until
   * the receivers opened from it are all dropped or their thread ends.
   *
   * Lag is counted as for any receiver, from the position of the receiver over there: the
   * values in flight to that thread (at most a window of `min(capacity, 1024)`) have left the
   * ring here, and that thread keeps a ring of the same capacity; a consumer there more than
   * `capacity` values behind what reached its thread, or a thread that does not take its
   * messages while the ring here wraps, gets {@link LaggedError} with the count of values lost,
   * in order.
   *
   * **Errors:** {@link ReceiverBusyError} while a subscriber or iterator holds it;
   * {@link ReceiverDroppedError} if it was dropped or already moved.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * const port = rx.intoPort();                // hand it to a worker; here, this thread opens it
   * const remote = broadcast.receiverFromPort<number>(port);
   * tx.send(2);
   * tx.drop();
   * await remote.recvMany(4);                  // => [1, 2]
   * await remote.recv();                       // => undefined
   * ```
   */
  intoPort(): MessagePort {
    const cursor = this.#cursor;
    if (cursor.dropped) throw new ReceiverDroppedError('cannot move: this broadcast receiver was dropped or moved');
    if (this.#claim.heldByOther(null)) throw new ReceiverBusyError();
    const shared = this.#shared;
    // The port's cursor takes over this one's position and its claim on the values not read.
    const port = moveReceiver(shared, new Cursor(shared, cursor.next));
    cursor.next = shared.tail;
    cursor.dropped = true;
    shared.notify.notifyAll();
    return port;
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
   * rx.length; // => 3
   * ```
   */
  get length(): number {
    return this.#cursor.dropped ? 0 : this.#shared.tail - this.#cursor.next;
  }

  /** Whether this receiver has read every value sent (`length === 0`). */
  get isEmpty(): boolean {
    return this.length === 0;
  }

  /** Whether no further value can arrive for this receiver: every sender dropped, or it was dropped. */
  get isClosed(): boolean {
    return this.#cursor.dropped || this.#shared.ended;
  }

  /** Whether this receiver was dropped. */
  get isDropped(): boolean {
    return this.#cursor.dropped;
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
    return new ReceiverIterator(new CursorIterSource(this.#shared, this.#cursor, this.#claim));
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const claim = this.#claim;
    if (claim.heldByOther(subscriber)) {
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
          if (!deliver(subscriber, value)) return;
        }
      } finally {
        draining = false;
      }
    };
    claim.take(subscriber);
    this.#drain = drain;
    shared.sinks.add(drain);
    // Registered before the first delivery: a subscriber leaving during it stops the loop.
    subscriber.add(() => {
      shared.sinks.delete(drain);
      claim.release(subscriber);
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
    this.#claim.check(null); // a held receiver's values belong to its consumer
    const value = this.#read();
    return value === END ? undefined : value;
  }

  /**
   * @internal Synchronous take for operators reading the receiver (see `pullNow`); lag as the
   * iterator treats it (the channel's `lag` option).
   */
  [pullNow](owner: object): IteratorResult<T> | typeof NOT_READY {
    this.#claim.take(owner);
    for (;;) {
      let value: T | typeof NOT_READY | typeof END;
      try {
        value = this.#read();
      } catch (error) {
        if (this.#shared.lag === 'skip' && error instanceof LaggedError) continue;
        throw error;
      }
      if (value === END) return DONE;
      return value === NOT_READY ? NOT_READY : { value, done: false };
    }
  }

  /** @internal Lets go of the claim a `pullNow` reader holds. */
  [pullRelease](owner: object): void {
    this.#claim.release(owner);
  }

  /** Select protocol: calls `wake` once a value is sent or the channel ends. */
  [selectWatch](wake: () => void): () => void {
    return this.#cursor.dropped || this.#shared.ready(this.#cursor) ? wakeSoon(wake) : this.#shared.notify.watch(wake);
  }

  static {
    receiverShared = (handle) => (#shared in handle ? handle.#shared : undefined);
  }


  #read(): T | typeof NOT_READY | typeof END {
    return this.#cursor.dropped ? END : this.#shared.read(this.#cursor);
  }

  /** As {@link Receiver.#recv}, for a batch: the first value, then what else is held for it now. */
  #recvBatch(limit: number, signal: AbortSignal | undefined): Promise<T[]> {
    let first: T | typeof NOT_READY | typeof END;
    try {
      first = this.#read();
    } catch (error) {
      return Promise.reject(error);
    }
    if (first === END) return Promise.resolve([]);
    if (first === NOT_READY) return this.#shared.notify.wait(signal).then(() => this.#recvBatch(limit, signal));
    const batch = [first];
    const shared = this.#shared;
    const cursor = this.#cursor;
    // Only values still held: a lag (or the failure after the last value) is for the next call.
    while (batch.length < limit && shared.holds(cursor)) {
      batch.push(shared.read(cursor) as T);
    }
    return Promise.resolve(batch);
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

/** Feeds a broadcast receiver's iterators; lag follows the channel's `lag` option. */
class CursorIterSource<T> implements IteratorSource<T> {
  readonly #shared: Shared<Erased>;
  readonly #cursor: Cursor;
  readonly #claim: Claim;

  constructor(shared: Shared<T>, cursor: Cursor, claim: Claim) {
    this.#shared = shared;
    this.#cursor = cursor;
    this.#claim = claim;
  }

  claimFor(it: ReceiverIterator<T>): void {
    this.#claim.take(it);
  }

  releaseFor(it: ReceiverIterator<T>): void {
    this.#claim.release(it);
  }

  async nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>> {
    const shared = this.#shared;
    // Re-checks after each wait: a `return()` made while this `next()` waited ends it without
    // taking a value that the receiver's next consumer should get.
    while (!it.returned) {
      let value: T | typeof NOT_READY | typeof END;
      try {
        value = this.#cursor.dropped ? END : shared.read(this.#cursor);
      } catch (error) {
        if (shared.lag === 'skip' && error instanceof LaggedError) continue;
        it.end();
        throw error;
      }
      if (value === END) break;
      if (value !== NOT_READY) return { value, done: false };
      await shared.notify.wait(undefined, it);
    }
    it.end();
    return DONE;
  }

  cancelNext(it: ReceiverIterator<T>): void {
    this.#shared.notify.cancel(it);
  }
}
