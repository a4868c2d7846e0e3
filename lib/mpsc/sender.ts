import type { Observer } from 'rxjs';
import { SENDER } from '../internal/brand.js';
import { INSPECT, chanSnapshot, type HandleSnapshot } from '../internal/inspect.js';
import { SenderDroppedError } from '../errors.js';
import { RESOLVED, type Chan } from '../internal/chan.js';
import { disposeSymbol } from '../internal/disposable.js';
import { selectPoll, selectWatch, type NOT_READY } from '../internal/selectable.js';
import { rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import { moveSender, sendTransfer, type SendOptions } from '../internal/port/move.js';
import type { Permit } from './permit.js';
import { WeakSender, weakSenderChannel } from './weak-sender.js';
import type { Erased } from '../internal/erased.js';

/** @internal The channel of a sender of this build (module-private: not on the handle). */
export let senderChannel: (handle: object) => unknown;

const noop = (): void => {};

/**
 * The sending half of an mpsc channel. Clone it for each producer; the channel ends for the
 * receiver once every clone is dropped and everything sent was received.
 *
 * A `Sender` is also an RxJS `Observer<T>` (`source$.subscribe(tx)`) and `Disposable`
 * (`using tx = ...` drops it at the end of the scope).
 *
 * **Gotchas:** as an Observer (`source$.subscribe(tx)`) it cannot slow a push source down: an
 * Observable does not wait for `next(v)`, so on a full channel each `next` becomes a waiting
 * send and memory grows with the backlog (bounded only by `maxPendingSends`, whose refusals
 * `next` swallows, or by a drop policy, which discards). Backpressure needs a source that can
 * be read on demand: pass an AsyncIterable, an array or a ReadableStream to
 * `toChannel(source, capacity)`; for an Observable, `toChannel` and `backpressure` bound the
 * buffer and make overflow explicit (`'error'`, `'dropOldest'`, `'dropNewest'`). See the
 * guide `docs/rxjs-backpressure.md`.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = mpsc.channel<number>(2);
 * const tx2 = tx.clone();
 * void tx.send(1).then(() => tx.drop());
 * void tx2.send(2).then(() => tx2.drop());
 * await lastValueFrom(rx.pipe(toArray())); // => [1, 2]
 * ```
 */
export class Sender<in T> implements Observer<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [SENDER](): 'mpsc' {
    return 'mpsc';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    return chanSnapshot(this.#chan, 'mpsc', 'sender', this.#chan.isSendClosed);
  }

  readonly #chan: Chan<Erased, Permit<Erased>>;
  #dropped = false;

  /** @internal Senders are made by `mpsc.channel()`, `clone()` and `WeakSender.upgrade()`; do not construct one. */
  constructor(chan: Chan<T, Permit<T>>) {
    this.#chan = chan;
  }

  /**
   * Sends `value`, waiting while the channel is full. Resolves once the value is in the
   * channel (buffered or handed to the consumer), not when it is processed.
   *
   * Waiting senders are served in FIFO order: a slot freed by a receive goes to the one that
   * has waited longest.
   *
   * **Errors:** rejects {@link SendError} carrying `value` if the receiving side is closed, also
   * when it closes during the wait; {@link SenderDroppedError} if this handle was dropped;
   * `ChannelOverflowError` if `maxPendingSends` sends already wait.
   *
   * **Cancellation:** if `signal` aborts (or is already aborted, even with a free slot) the
   * promise rejects with `signal.reason` and `value` is never delivered. A send that has
   * resolved is not undone by a later abort.
   *
   * **Across threads** (a sender opened from a port): `value` is structured-cloned, or its
   * `transfer` objects moved; a value that cannot be cloned rejects with the `DataCloneError`
   * and takes no slot. See `docs/07-threads.md`.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<string>(1);
   * await tx.send('a');                       // room: resolves at once
   * const second = tx.send('b');              // full: waits
   * await rx.recv();                          // => 'a'
   * await second;                             // the freed slot went to 'b'
   * await rx.recv();                          // => 'b'
   * ```
   */
  send(value: T, options?: SendOptions): Promise<void> {
    if (this.#dropped) return Promise.reject(new SenderDroppedError());
    const transfer = options?.transfer;
    return (
      rejectBadSignal(options) ??
      (transfer === undefined ? this.#chan.send(value, options?.signal) : sendTransfer(this.#chan, value, options?.signal, transfer))
    );
  }

  /**
   * Sends `value` if a slot is free, without waiting.
   *
   * @returns `true` if queued; `false` if the channel is full (or, under `'dropNewest'`, the
   * value was discarded).
   *
   * **Errors:** throws {@link SendError} carrying `value` if the receiving side is closed;
   * {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx] = mpsc.channel<number>(1);
   * tx.trySend(1); // => true
   * tx.trySend(2); // => false
   * ```
   */
  trySend(value: T): boolean {
    if (this.#dropped) throw new SenderDroppedError();
    return this.#chan.trySend(value);
  }

  /**
   * Waits for a free slot and reserves it: the returned {@link Permit} sends without waiting.
   * Works under every overflow policy (a permit is always a real slot).
   *
   * **Errors:** rejects {@link SendError} (with `value` `undefined`) if the receiving side is or
   * becomes closed; {@link SenderDroppedError} if this handle was dropped.
   *
   * **Cancellation:** an abort before the slot is granted rejects with `signal.reason` and
   * takes no slot.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * const permit = await tx.reserve();
   * permit.send(42);
   * await rx.recv(); // => 42
   * ```
   */
  reserve(options?: WaitOptions): Promise<Permit<T>> {
    if (this.#dropped) return Promise.reject(new SenderDroppedError());
    return rejectBadSignal(options) ?? this.#chan.reserve(options?.signal);
  }

  /**
   * Reserves a free slot now, or returns `undefined` when none is free.
   *
   * **Errors:** throws {@link SendError} if the receiving side is closed;
   * {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx] = mpsc.channel<number>(1);
   * const permit = tx.tryReserve();
   * tx.tryReserve(); // => undefined
   * permit?.release();
   * tx.capacity;     // => 1
   * ```
   */
  tryReserve(): Permit<T> | undefined {
    if (this.#dropped) throw new SenderDroppedError();
    return this.#chan.tryReserve();
  }

  /**
   * A new strong handle to the same channel. Each clone must be dropped (or disposed) for the
   * channel to end.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * const tx2 = tx.clone();
   * rx.senderCount;          // => 2
   * tx.sameChannel(tx2);     // => true
   * ```
   */
  clone(): Sender<T> {
    if (this.#dropped) throw new SenderDroppedError();
    this.#chan.strong++;
    return new Sender(this.#chan);
  }

  /**
   * Releases this handle (idempotent). When the last strong handle is dropped, and once every
   * send already issued has completed, the receiver sees the end after draining the buffer.
   * Sends issued before `drop()` still complete.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * await tx.send(1);
   * tx.drop();
   * await rx.recv(); // => 1
   * await rx.recv(); // => undefined
   * ```
   */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#chan.dropSender();
  }

  /** Same as {@link Sender.drop}, for `using tx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /** Whether this handle was dropped. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /**
   * Observer form of {@link Sender.send}: starts the send and returns its promise, already
   * marked handled so `source$.subscribe(tx)` never causes an unhandled rejection (a value
   * sent after the receiver closed is refused, and the refusal is silent here).
   *
   * **Gotchas:** a subscribed Observable does not wait for the returned promise, so this
   * cannot slow it down; use `toChannel` or `backpressure` for an Observable source.
   */
  next(value: T): Promise<void> {
    const promise = this.send(value);
    if (promise !== RESOLVED) promise.catch(noop);
    return promise;
  }

  /**
   * Closes the channel for everyone with `reason`: pending and future sends reject
   * {@link SendError}; the receiver drains what is buffered (and what granted permits still
   * send), then fails with `reason`. The first `error`/`close` wins. Does not drop this handle.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(2);
   * tx.trySend(1);
   * tx.error(new Error('boom'));
   * await rx.recv();                                   // => 1
   * await rx.recv().catch((e: Error) => e.message);    // => 'boom'
   * ```
   */
  error(reason: unknown): void {
    if (this.#dropped) throw new SenderDroppedError();
    this.#chan.error(reason);
  }

  /** Observer form of {@link Sender.drop}. */
  complete(): void {
    this.drop();
  }

  /**
   * Resolves when the receiving side closes (`close()`, disposal, or `error(e)`): the moment to
   * stop producing.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<number>(1);
   * const stopped = tx.closed().then(() => 'stopped');
   * rx.close();
   * await stopped; // => 'stopped'
   * ```
   */
  closed(): Promise<void> {
    return this.#chan.closed();
  }

  /** Whether the receiving side is closed, so sends are refused. */
  get isClosed(): boolean {
    return this.#chan.isSendClosed;
  }

  /** Free slots now (`Infinity` for an unbounded channel); 0 while senders wait. */
  get capacity(): number {
    return this.#chan.capacity;
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

  /** Live strong senders of the channel, this one included unless dropped. */
  get strongCount(): number {
    return this.#chan.strong;
  }

  /** Live weak senders of the channel. */
  get weakCount(): number {
    return this.#chan.weak;
  }

  /** Whether `other` (a sender or weak sender) belongs to the same channel. */
  sameChannel(other: Sender<T> | WeakSender<T>): boolean {
    return (#chan in other ? other.#chan : weakSenderChannel(other)) === this.#chan;
  }

  /**
   * A {@link WeakSender} for the same channel, which does not keep it open.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   */
  downgrade(): WeakSender<T> {
    if (this.#dropped) throw new SenderDroppedError();
    return new WeakSender(this.#chan);
  }

  /**
   * Moves this sender into a `MessagePort`, to hand to another thread (a `Worker`'s
   * `workerData` with the port in its `transferList`, or `postMessage`). This handle is consumed,
   * as by a Rust move: afterwards it acts as dropped ({@link SenderDroppedError}). The port
   * stands for it: it still counts in `strongCount` until the handle opened from it (with
   * `mpsc.senderFromPort` or `mpmc.senderFromPort`) is dropped or its thread ends. The
   * channel's state stays where it was created; a sender opened from a port and moved again
   * talks to that thread directly.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped or moved.
   *
   * **Gotchas:** a port that is never opened keeps the channel's thread alive and its sender
   * counted; close it (`port.close()`) if it will not be used.
   *
   * @example
   * ```ts
   * import { mpsc } from 'rxjs-channel';
   * const [tx, rx] = mpsc.channel<string>(4);
   * const port = tx.intoPort();               // hand it to a worker; here, this thread opens it
   * tx.isDropped;                             // => true
   * const remote = mpsc.senderFromPort<string>(port);
   * await remote.send('hello');
   * remote.drop();
   * await rx.recv();                          // => 'hello'
   * await rx.recv();                          // => undefined
   * ```
   */
  intoPort(): MessagePort {
    if (this.#dropped) throw new SenderDroppedError();
    this.#dropped = true;
    return moveSender(this.#chan);
  }

  static {
    senderChannel = (handle) => (#chan in handle ? handle.#chan : undefined);
  }


  /** @internal Select protocol: sends `value` now, or returns `NOT_READY` having sent nothing. */
  [selectPoll](value: T): undefined | typeof NOT_READY {
    if (this.#dropped) throw new SenderDroppedError();
    return this.#chan.pollSend(value);
  }

  /** @internal Select protocol: wake when a slot frees or the receiving side closes. */
  [selectWatch](wake: () => void): () => void {
    return this.#chan.watchSend(wake);
  }
}
