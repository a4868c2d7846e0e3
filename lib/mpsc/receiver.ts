import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { INSPECT, chanSnapshot, type HandleSnapshot } from '../internal/inspect.js';
import { ReceiverBusyError, ReceiverDroppedError } from '../errors.js';
import { moveReceiver } from '../internal/port/move.js';
import { SINGLE_CONSUMER } from '../internal/port/host.js';
import type { Chan } from '../internal/chan.js';
import { Claim } from '../internal/claim.js';
import { ReceiverIterator, type IteratorSource } from '../internal/receiver-iterator.js';
import { disposeSymbol } from '../internal/disposable.js';
import { pullNow, pullRelease, selectPoll, selectWatch, type NOT_READY } from '../internal/selectable.js';
import { checkInteger, rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import type { Permit } from './permit.js';
import type { Erased } from '../internal/erased.js';

/**
 * The receiving half of an mpsc channel: an RxJS `Observable<T>`, an `AsyncIterable<T>`, and a
 * pull API (`recv`, `tryRecv`, `recvMany`).
 *
 * It has one consumer at a time. A second *concurrent* subscriber or iterator gets
 * {@link ReceiverBusyError} at once; a consumer that comes after the previous one let go
 * (unsubscribed, `break`) continues where it stopped, because undelivered values stay
 * buffered. Values arrive in send order (per producer, and in the order the channel accepted
 * them overall).
 *
 * The stream ends (Observable `complete`, iterator `done`, `recv` → `undefined`) once every
 * strong sender is dropped (or the receiver closed), nothing sent is still pending, and the
 * buffer is drained. After a sender's `error(e)` it fails with `e` instead, after draining.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { lastValueFrom, map, toArray } from 'rxjs';
 * const [tx, rx] = mpsc.channel<number>(4);
 * tx.trySend(1);
 * tx.trySend(2);
 * tx.drop();
 * await lastValueFrom(rx.pipe(map((n) => n * 10), toArray())); // => [10, 20]
 * ```
 */
export class Receiver<out T> extends Observable<T> implements AsyncIterable<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'mpsc' {
    return 'mpsc';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    return chanSnapshot(this.#chan, 'mpsc', 'receiver', this.#chan.isFinished);
  }

  readonly #chan: Chan<Erased, Permit<Erased>>;
  /** Held by the subscriber or iterator consuming the receiver, if any. */
  /** Held by the consumer (subscriber, iterator, operator) if any; made on the first claim. */
  #claim: Claim | null = null;
  /** Moved into a port (`intoPort()`): acts as dropped. */
  #moved = false;
  /** What this receiver's iterators read; made by the first one. */
  #iterSource: ChanIterSource<Erased> | null = null;

  /** @internal Receivers are made by `mpsc.channel()`; do not construct one. */
  constructor(chan: Chan<T, Permit<T>>) {
    super();
    this.#chan = chan;
  }

  /**
   * Receives the next value, waiting for one if the buffer is empty.
   *
   * Resolves `undefined` once the channel has ended: every strong sender dropped (or the
   * receiver closed) and the buffer drained. **Gotcha:** a channel of a type that includes
   * `undefined` cannot tell "ended" from a value this way; `for await` (or the Observable) is
   * the unambiguous form.
   *
   * **Errors:** rejects with the reason of a sender's `error(e)` once the buffer is drained;
   * {@link ReceiverBusyError} while a subscriber or iterator holds the receiver.
   *
   * **Cancellation:** an abort rejects with `signal.reason` and loses no value: a value leaves
   * the buffer only in the same step that resolves the receive getting it.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<string>(1);
   * setTimeout(() => tx.send('later'));
   * await rx.recv(); // => 'later'
   * tx.drop();
   * await rx.recv(); // => undefined
   * ```
   */
  recv(options?: WaitOptions): Promise<T | undefined> {
    if (this.#isHeld(null)) return Promise.reject(this.#busy());
    return rejectBadSignal(options) ?? this.#chan.recvValue(options?.signal);
  }

  /**
   * Takes a buffered value without waiting, or returns `undefined` when none is buffered.
   *
   * **Errors:** {@link ReceiverBusyError} while a subscriber or iterator holds the receiver.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(2);
   * rx.tryRecv(); // => undefined
   * tx.trySend(7);
   * rx.tryRecv(); // => 7
   * ```
   */
  tryRecv(): T | undefined {
    if (this.#isHeld(null)) throw this.#busy();
    return this.#chan.tryRecv();
  }

  /**
   * Waits for at least one value, then takes up to `limit` of the values buffered at that
   * moment (it never waits to fill the batch). Resolves `[]` once the channel has ended.
   *
   * **Errors:** rejects `RangeError` if `limit` is not an integer >= 1; otherwise as
   * {@link Receiver.recv}.
   *
   * **Cancellation:** as {@link Receiver.recv}: an abort loses no value.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(8);
   * for (const n of [1, 2, 3]) tx.trySend(n);
   * await rx.recvMany(2); // => [1, 2]
   * await rx.recvMany(2); // => [3]
   * ```
   */
  recvMany(limit: number, options?: WaitOptions): Promise<T[]> {
    try {
      checkInteger('limit', limit, 1);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#isHeld(null)) return Promise.reject(this.#busy());
    return rejectBadSignal(options) ?? this.#chan.recvMany(limit, options?.signal);
  }

  /**
   * Closes the channel from the receiving side (idempotent): pending and future sends reject
   * {@link SendError}; values already buffered stay receivable, and permits already granted
   * may still send. The stream ends once those are drained.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(2);
   * tx.trySend(1);
   * rx.close();
   * tx.isClosed;     // => true
   * await rx.recv(); // => 1
   * await rx.recv(); // => undefined
   * ```
   */
  close(): void {
    if (!this.#moved) this.#chan.close();
  }

  /** Same as {@link Receiver.close}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.close();
  }

  /**
   * Whether no further value can arrive: the receiver closed or every strong sender dropped,
   * and no granted permit or issued send is outstanding. Values may still be buffered.
   */
  get isClosed(): boolean {
    return this.#chan.isFinished;
  }

  /** Whether nothing is buffered. */
  get isEmpty(): boolean {
    return this.#chan.length === 0;
  }

  /** Number of buffered values. */
  get length(): number {
    return this.#chan.length;
  }

  /**
   * Sends and reserves waiting for a slot now (the backlog a monitor watches; 0 under a drop
   * policy, which never waits, except for reserves).
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * tx.trySend(1);
   * void tx.send(2);
   * tx.pendingSends; // => 1
   * rx.pendingSends; // => 1
   * ```
   */
  get pendingSends(): number {
    return this.#chan.pendingSends;
  }

  /** The capacity the channel was created with (`Infinity` for an unbounded channel). */
  get maxCapacity(): number {
    return this.#chan.bound;
  }

  /** Live strong senders. */
  get senderCount(): number {
    return this.#chan.strong;
  }

  /**
   * An async iterator over the values. It claims the receiver on its first `next()`; `break`
   * (its `return()`) releases it and keeps every undelivered value buffered. Values that are
   * `undefined` or `null` pass through.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number | undefined>(4);
   * for (const v of [1, undefined, 3]) tx.trySend(v);
   * tx.drop();
   * const seen: (number | undefined)[] = [];
   * for await (const v of rx) seen.push(v);
   * seen; // => [1, undefined, 3]
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new ReceiverIterator((this.#iterSource ??= new ChanIterSource(this.#chan, this.#claimed(), () => this.#busy())));
  }

  /**
   * Select protocol (used by `select`; its symbol is not exported): a receive now (a value, or
   * `undefined` at the end), or `NOT_READY`. Kept in the shipped `.d.ts` (not stripped as
   * internal) so that `select.recv(rx)` infers the value type.
   */
  [selectPoll](): T | undefined | typeof NOT_READY {
    if (this.#isHeld(null)) throw this.#busy();
    return this.#chan.pollRecv();
  }

  /** @internal Synchronous take for operators reading the receiver (see `pullNow`). */
  [pullNow](owner: object): IteratorResult<T> | typeof NOT_READY {
    const claim = this.#claimed();
    if (claim.owner !== owner) {
      if (this.#chan.pendingRecvs !== 0) throw new ReceiverBusyError();
      claim.take(owner);
    }
    return this.#chan.pollIter();
  }

  /** @internal Lets go of the claim a `pullNow` reader holds. */
  [pullRelease](owner: object): void {
    this.#claim?.release(owner);
  }

  /** Select protocol: calls `wake` once a value is buffered or the channel ends. */
  [selectWatch](wake: () => void): () => void {
    return this.#chan.watchRecv(wake);
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const chan = this.#chan;
    const claim = this.#claimed();
    if (this.#isHeld(subscriber) || chan.pendingRecvs !== 0) {
      subscriber.error(this.#busy());
      return;
    }
    claim.take(subscriber);
    // Registered before anything is delivered: a subscriber that unsubscribes during its first
    // value (take(1)) detaches at once and leaves the rest buffered.
    subscriber.add(() => {
      if (chan.sink === subscriber) chan.sink = null;
      claim.release(subscriber);
    });
    if (!subscriber.closed) chan.sink = subscriber;
  }

  /** The claim, made on first use: an idle receiver does not carry one. */
  #claimed(): Claim {
    return (this.#claim ??= new Claim(this.#chan));
  }

  #isHeld(by: object | null): boolean {
    const claim = this.#claim;
    return this.#moved || (claim !== null && claim.heldByOther(by));
  }

  #busy(): Error {
    return this.#moved ? new ReceiverDroppedError('this receiver moved into a port') : new ReceiverBusyError();
  }

  /**
   * Moves this receiver into a `MessagePort`, to hand to another thread, where
   * `mpsc.receiverFromPort` opens it. This handle is consumed: afterwards its reads fail with
   * {@link ReceiverDroppedError} and `close()` does nothing. Values go to the far side as it
   * asks for them; each keeps its slot here (senders still wait on a full channel) until a
   * consumer there took it. If the far thread ends, the channel closes (senders see
   * `SendError`), as when a receiver is dropped.
   *
   * A receiver opened from a port moves again the same way: the channel's thread serves the
   * new port directly, and the values handed to this thread and not yet taken go there first,
   * in order (none passes through this thread again).
   *
   * **Errors:** {@link ReceiverBusyError} while a subscriber, iterator or `recv` holds it;
   * {@link ReceiverDroppedError} if it already moved.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * import { lastValueFrom, toArray } from 'rxjs';
   * const [tx, rx] = mpsc.channel<number>(2);
   * const port = rx.intoPort();               // hand it to a worker; here, this thread opens it
   * const remote = mpsc.receiverFromPort<number>(port);
   * void tx.send(1).then(() => tx.send(2)).then(() => tx.drop());
   * await lastValueFrom(remote.pipe(toArray())); // => [1, 2]
   * ```
   */
  intoPort(): MessagePort {
    if (this.#isHeld(null) || this.#chan.pendingRecvs !== 0) throw this.#busy();
    const port = moveReceiver(this.#chan, 'mpsc', SINGLE_CONSUMER);
    this.#moved = true;
    this.#claimed().take(port); // the port consumes it now: an iterator made later is refused
    return port;
  }
}

/** Feeds a receiver's iterators from its channel; receive waits are tagged by iterator. */
class ChanIterSource<T> implements IteratorSource<T> {
  readonly #chan: Chan<Erased, Permit<Erased>>;
  readonly #claim: Claim;
  /** The receiver's refusal while another consumer holds it (or it moved into a port). */
  readonly #refused: () => Error;

  constructor(chan: Chan<T, Permit<T>>, claim: Claim, refused: () => Error) {
    this.#chan = chan;
    this.#claim = claim;
    this.#refused = refused;
  }

  claimFor(it: ReceiverIterator<T>): void {
    if (this.#claim.heldByOther(it)) throw this.#refused();
    if (this.#chan.pendingRecvs !== 0) throw new ReceiverBusyError(); // a recv() is waiting
    this.#claim.take(it);
  }

  releaseFor(it: ReceiverIterator<T>): void {
    this.#claim.release(it);
  }

  nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>> {
    return this.#chan.recvIter(undefined, it);
  }

  cancelNext(it: ReceiverIterator<T>): void {
    this.#chan.cancelRecvs(it);
  }
}
