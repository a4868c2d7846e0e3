import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { INSPECT, chanSnapshot, type HandleSnapshot } from '../internal/inspect.js';
import { ReceiverDroppedError } from '../errors.js';
import { RECV_ITER, RECV_MANY, RECV_VALUE, type RecvMode } from '../internal/chan.js';
import { disposeSymbol } from '../internal/disposable.js';
import { DONE, ReceiverIterator, type IteratorSource } from '../internal/receiver-iterator.js';
import { pullNow, pullRelease, selectPoll, selectWatch, type NOT_READY } from '../internal/selectable.js';
import { checkInteger, rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import type { Shared } from './shared.js';
import { moveReceiver, movesToOwner } from '../internal/port/move.js';
import { sharedQueue } from '../internal/port/host.js';
import type { Erased } from '../internal/erased.js';

const noop = (): void => {};

/**
 * One receiving handle of an mpmc channel: an RxJS `Observable<T>`, an `AsyncIterable<T>`, and
 * a pull API (`recv`, `tryRecv`, `recvMany`). Clone it for each worker; every value sent goes to
 * exactly one consumer, whichever handle it uses.
 *
 * **Who gets a value.** Waiting pulls (`recv`, `recvMany`, iterator `next()`, across every
 * handle) are served first, longest-waiting first. A value no pull is waiting for goes to the
 * Observable subscribers (across every handle) in turn, round robin, in the same synchronous
 * step as the send. A `select` branch takes only values that are buffered when it polls, so it
 * competes with other consumers for the backlog, not for values that find a consumer waiting.
 *
 * **Handles.** `clone()` makes a new handle; `drop()` (or `[Symbol.dispose]`) releases one and
 * ends what that handle was consuming (its pending receives resolve as ended, its subscribers
 * complete, its iterators finish). When the last handle is dropped the channel closes for the
 * senders (they reject `SendError`). `close()` closes it for everyone at once.
 *
 * The stream ends (Observable `complete`, iterator `done`, `recv` → `undefined`) once every
 * strong sender is dropped (or the channel closed), nothing sent is pending, and the buffer is
 * drained; after a sender's `error(e)` it fails with `e` instead, after draining.
 *
 * **Gotchas:** values still buffered when the last handle is dropped can never be received;
 * to shut down without losing work, `close()` and drain first, then drop.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * const [tx, rx] = mpmc.channel<number>(8);
 * const rx2 = rx.clone();
 * for (const n of [1, 2, 3, 4]) tx.trySend(n);
 * tx.drop();
 * const worker = async (handle: mpmc.Receiver<number>) => {
 *   const got: number[] = [];
 *   for await (const n of handle) got.push(n);
 *   return got;
 * };
 * const [a, b] = await Promise.all([worker(rx), worker(rx2)]);
 * [...a, ...b].sort(); // => [1, 2, 3, 4]
 * ```
 */
export class Receiver<out T> extends Observable<T> implements AsyncIterable<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'mpmc' {
    return 'mpmc';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    return chanSnapshot(this.#shared.chan, 'mpmc', 'receiver', this.#shared.chan.isFinished);
  }

  readonly #shared: Shared<Erased>;
  #dropped = false;
  /** What this handle's iterators read; made by the first one. */
  #iterSource: HandleIterSource<Erased> | null = null;
  /** This handle's subscribers, completed by `drop()`. */
  #subscribers: Set<Subscriber<Erased>> | null = null;

  /** @internal Receivers are made by `mpmc.channel()` and `clone()`; do not construct one. */
  constructor(shared: Shared<T>) {
    super();
    this.#shared = shared;
  }

  /**
   * Receives the next value, waiting for one if the buffer is empty. Concurrent `recv` calls
   * (on this handle or its clones) are served in the order they started waiting.
   *
   * Resolves `undefined` once the channel has ended (every strong sender dropped, or the channel
   * closed, and the buffer drained) or this handle was dropped. **Gotcha:** a channel whose
   * type includes `undefined` cannot tell "ended" from a value this way; `for await` is the
   * unambiguous form.
   *
   * **Errors:** rejects with the reason of a sender's `error(e)` once the buffer is drained.
   *
   * **Cancellation:** an abort rejects with `signal.reason` and loses no value: a value leaves
   * the channel only in the same step that resolves the receive getting it.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<string>(1);
   * const rx2 = rx.clone();
   * const first = rx.recv();
   * const second = rx2.recv();
   * tx.trySend('a');
   * tx.trySend('b');
   * await first;  // => 'a'
   * await second; // => 'b'
   * ```
   */
  recv(options?: WaitOptions): Promise<T | undefined> {
    return rejectBadSignal(options) ?? this.#recv(RECV_VALUE, options?.signal, 1);
  }

  /**
   * Takes a buffered value without waiting, or returns `undefined` when none is buffered (or
   * this handle was dropped).
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(2);
   * rx.tryRecv(); // => undefined
   * tx.trySend(7);
   * rx.clone().tryRecv(); // => 7
   * ```
   */
  tryRecv(): T | undefined {
    return this.#dropped ? undefined : this.#shared.chan.tryRecv();
  }

  /**
   * Waits for at least one value, then takes up to `limit` of the values buffered at that
   * moment (it never waits to fill the batch). Resolves `[]` once the channel has ended or this
   * handle was dropped.
   *
   * **Errors:** rejects `RangeError` if `limit` is not an integer >= 1; otherwise as
   * {@link Receiver.recv}.
   *
   * **Cancellation:** as {@link Receiver.recv}: an abort loses no value.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(8);
   * for (const n of [1, 2, 3]) tx.trySend(n);
   * await rx.recvMany(2);         // => [1, 2]
   * await rx.clone().recvMany(2); // => [3]
   * ```
   */
  recvMany(limit: number, options?: WaitOptions): Promise<T[]> {
    try {
      checkInteger('limit', limit, 1);
    } catch (error) {
      return Promise.reject(error);
    }
    return rejectBadSignal(options) ?? this.#recv(RECV_MANY, options?.signal, limit);
  }

  /**
   * A new handle to the same channel. Each handle must be dropped (or disposed) for the
   * channel to close for the senders.
   *
   * **Errors:** {@link ReceiverDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [, rx] = mpmc.channel<number>(1);
   * const rx2 = rx.clone();
   * rx.receiverCount; // => 2
   * rx2.drop();
   * rx.receiverCount; // => 1
   * ```
   */
  clone(): Receiver<T> {
    if (this.#dropped) throw new ReceiverDroppedError('cannot clone: this receiver handle was dropped');
    this.#shared.handles++;
    return new Receiver(this.#shared);
  }

  /**
   * Releases this handle (idempotent) and ends what it was consuming: its waiting receives
   * resolve as ended, its subscribers complete, its iterators finish. Other handles keep
   * receiving. When the last handle is dropped the channel closes for the senders: pending and
   * future sends reject `SendError` carrying their value, and `tx.closed()` resolves.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(1);
   * const rx2 = rx.clone();
   * rx.drop();
   * tx.isClosed; // => false
   * rx2.drop();
   * tx.isClosed; // => true
   * ```
   */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    // End this handle's waiting receives and its iterators' (tagged with their owner), alone.
    const iterSource = this.#iterSource;
    this.#shared.chan.cancelRecvs(
      (owner) => owner === this || (owner instanceof ReceiverIterator && owner.source === iterSource),
    );
    if (this.#subscribers !== null) for (const subscriber of [...this.#subscribers]) subscriber.complete();
    if (--this.#shared.handles === 0) this.#shared.chan.close();
  }

  /** Same as {@link Receiver.drop}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Moves this handle into a `MessagePort`, to hand to another thread, where
   * `mpmc.receiverFromPort` opens it. This handle is consumed (it acts as dropped); the port
   * counts as one receiver handle until the handles opened from it are all dropped or their
   * thread ends. Each value still goes to exactly one receiver: one handed to the far thread
   * and not yet taken by a consumer there when that thread ends (or drops its handles) goes
   * back into the channel for another receiver.
   *
   * A handle opened from a port moves again the same way: the channel's thread serves the new
   * port directly (values never pass through this thread), and the values handed to this
   * thread and not yet taken here go to the new port first when it was the last handle here.
   *
   * **Errors:** {@link ReceiverDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(4);
   * const remote = mpmc.receiverFromPort<number>(rx.clone().intoPort());
   * rx.receiverCount;      // => 2
   * await tx.send(1);
   * tx.drop();
   * rx.drop();
   * await remote.recv();   // => 1
   * await remote.recv();   // => undefined
   * ```
   */
  intoPort(): MessagePort {
    if (this.#dropped) throw new ReceiverDroppedError('cannot move: this receiver handle was dropped');
    const shared = this.#shared;
    // A handle opened from a port moves on through the channel's thread: no handle here then.
    const here = !movesToOwner(shared.chan);
    const port = moveReceiver(
      shared.chan,
      'mpmc',
      sharedQueue<Erased>(
        () => {
          if (--shared.handles === 0) shared.chan.close();
        },
        () => void shared.handles++,
      ),
      shared.handles === 1,
    );
    if (here) shared.handles++; // the port's own handle; drop() lets go of this one
    this.drop();
    return port;
  }

  /**
   * Closes the channel for every handle (idempotent): pending and future sends reject
   * `SendError`; values already buffered stay receivable from any handle, and permits already
   * granted may still send. The stream ends once those are drained.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(2);
   * const rx2 = rx.clone();
   * tx.trySend(1);
   * rx.close();
   * tx.isClosed;      // => true
   * await rx2.recv(); // => 1
   * await rx2.recv(); // => undefined
   * ```
   */
  close(): void {
    this.#shared.chan.close();
  }

  /** Whether this handle was dropped. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /**
   * Whether no further value can arrive: the channel closed or every strong sender dropped,
   * and no granted permit or issued send is outstanding. Values may still be buffered.
   */
  get isClosed(): boolean {
    return this.#shared.chan.isFinished;
  }

  /** Whether nothing is buffered. */
  get isEmpty(): boolean {
    return this.#shared.chan.length === 0;
  }

  /** Number of buffered values (shared by every handle). */
  get length(): number {
    return this.#shared.chan.length;
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
    return this.#shared.chan.pendingSends;
  }

  /** The capacity the channel was created with (`Infinity` for an unbounded channel). */
  get maxCapacity(): number {
    return this.#shared.chan.bound;
  }

  /** Live strong senders. */
  get senderCount(): number {
    return this.#shared.chan.strong;
  }

  /** Live receiver handles, this one included unless dropped. */
  get receiverCount(): number {
    return this.#shared.handles;
  }

  /**
   * An async iterator over the values this handle takes. Any number of iterators may run at
   * once, on one handle or several; each value goes to exactly one of them. `break` (the
   * iterator's `return()`) ends that iterator only, and no value is lost by it. Values that are
   * `undefined` or `null` pass through.
   *
   * @example
   * ```ts
   * import { mpmc } from 'rxjs-channel';
   * const [tx, rx] = mpmc.channel<number>(4);
   * for (const n of [1, 2, 3]) tx.trySend(n);
   * tx.drop();
   * const seen: number[] = [];
   * for await (const n of rx) {
   *   seen.push(n);
   *   if (n === 2) break;
   * }
   * seen;            // => [1, 2]
   * await rx.recv(); // => 3
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new ReceiverIterator((this.#iterSource ??= new HandleIterSource(this.#shared, () => this.#dropped)));
  }

  /**
   * Select protocol (used by `select`; its symbol is not exported): a receive now (a value, or
   * `undefined` at the end or once this handle was dropped), or `NOT_READY`. Kept in the
   * shipped `.d.ts` (not stripped as internal) so that `select.recv(rx)` infers the value type.
   */
  [selectPoll](): T | undefined | typeof NOT_READY {
    return this.#dropped ? undefined : this.#shared.chan.pollRecv();
  }

  /** @internal Synchronous take for operators reading the receiver (see `pullNow`). */
  [pullNow](): IteratorResult<T> | typeof NOT_READY {
    return this.#dropped ? DONE : this.#shared.chan.pollIter();
  }

  /** @internal Any number of readers may run at once: nothing to let go. */
  [pullRelease](): void {}

  /** Select protocol: calls `wake` once a value is buffered or the channel ends. */
  [selectWatch](wake: () => void): () => void {
    return this.#dropped ? noop : this.#shared.chan.watchRecv(wake);
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    if (this.#dropped) {
      subscriber.complete();
      return;
    }
    const shared = this.#shared;
    const mine = (this.#subscribers ??= new Set());
    mine.add(subscriber);
    subscriber.add(() => {
      mine.delete(subscriber);
      shared.remove(subscriber);
    });
    shared.add(subscriber);
  }

  #recv(mode: RecvMode, signal: AbortSignal | undefined, limit: number): Promise<never> {
    if (this.#dropped) return Promise.resolve(endValue(mode));
    // Tagged with this handle, so that drop() ends this handle's waits alone; no allocation.
    return this.#shared.chan.recv(mode, signal, limit, this);
  }
}

/** Feeds one handle's iterators; their waits are tagged by iterator. */
class HandleIterSource<T> implements IteratorSource<T> {
  readonly #shared: Shared<Erased>;
  readonly #dropped: () => boolean;

  constructor(shared: Shared<T>, dropped: () => boolean) {
    this.#shared = shared;
    this.#dropped = dropped;
  }

  claimFor(): void {} // any number of consumers may run at once

  releaseFor(): void {}

  nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>> {
    if (this.#dropped()) return Promise.resolve(DONE);
    return this.#shared.chan.recvIter(undefined, it);
  }

  cancelNext(it: ReceiverIterator<T>): void {
    this.#shared.chan.cancelRecvs(it);
  }
}

function endValue(mode: RecvMode): never {
  return (mode === RECV_ITER ? DONE : mode === RECV_MANY ? [] : undefined) as never;
}
