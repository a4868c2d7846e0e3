import type { Observer } from 'rxjs';
import { SendError, SenderDroppedError } from '../errors.js';
import { SENDER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { disposeSymbol } from '../internal/disposable.js';
import { show } from '../internal/validate.js';
import { Receiver, receiverShared } from './receiver.js';
import type { Shared } from './shared.js';
import type { Erased } from '../internal/erased.js';
import type { TransferOptions } from '../internal/port/mirror.js';
import { moveSender } from './host.js';

/**
 * The sending half of a broadcast channel. Every value it sends reaches every receiver that
 * existed at that moment. Sending never waits: a full ring overwrites its oldest value, and a
 * receiver that had not read it yet gets {@link LaggedError}.
 *
 * Clone it for each producer; once every clone is dropped, receivers drain what they have not
 * read and then end.
 *
 * It is also an RxJS `Observer<T>`: `source$.subscribe(tx)` broadcasts each value (`next`),
 * `complete` drops the sender and `error(e)` fails the channel. It is not an Observable:
 * {@link Sender.subscribe} makes a new {@link Receiver} and takes no argument.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * const [tx, rx1] = broadcast.channel<string>(16);
 * const rx2 = tx.subscribe();
 * tx.send('hello');  // => 2
 * await rx1.recv();  // => 'hello'
 * await rx2.recv();  // => 'hello'
 * ```
 */
export class Sender<in out T> implements Observer<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [SENDER](): 'broadcast' {
    return 'broadcast';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    const shared = this.#shared;
    const closed = shared.receivers === 0 || shared.failure !== null;
    return { kind: 'broadcast', side: 'sender', buffered: shared.length, pendingSends: 0, waitingReceives: shared.notify.size, permits: 0, senders: shared.senders, closed };
  }

  readonly #shared: Shared<Erased>;
  #dropped = false;

  /** @internal Senders are made by `broadcast.channel()` and `clone()`; do not construct one. */
  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }

  /**
   * Sends `value` to every current receiver, without waiting. If the ring is full, the oldest
   * value is overwritten: receivers that had not read it will get {@link LaggedError}.
   *
   * @returns how many receivers the value reached (for a sender opened from a port: the
   * receivers this thread last heard of).
   *
   * `options.transfer` lists objects to transfer rather than clone when the value crosses to
   * another thread (a sender opened from a port); ignored in the channel's own thread.
   *
   * **Errors:** throws {@link SendError} carrying `value` when there is no receiver (the value
   * would reach nobody); {@link SenderDroppedError} if this handle was dropped. For a sender
   * opened from a port, a value that cannot be structured-cloned throws the `DataCloneError`
   * and is not sent.
   *
   * @example
   * ```ts
   * import { broadcast, SendError } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1); // => 1
   * rx.drop();
   * let caught: unknown;
   * try { tx.send(2); } catch (e) { caught = e; }
   * (caught as SendError<number>).value; // => 2
   * ```
   */
  send(value: T, options?: TransferOptions): number {
    if (this.#dropped) throw new SenderDroppedError();
    return this.#shared.send(value, options?.transfer);
  }

  /**
   * A new receiver that sees every value sent from now on (not the ones already held).
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * const late = tx.subscribe();
   * tx.send(2);
   * late.tryRecv();    // => 2
   * tx.receiverCount;  // => 2
   * ```
   */
  subscribe(...args: never[]): Receiver<T> {
    if (args.length !== 0) {
      throw new TypeError(
        `Expected \`subscribe()\` to take no argument (a broadcast Sender makes a Receiver; subscribe to that), got ${show(args[0])}`,
      );
    }
    if (this.#dropped) throw new SenderDroppedError();
    const [shared, cursor] = this.#shared.open();
    return new Receiver(shared, cursor);
  }

  /**
   * A new sender handle for the same channel; each must be dropped for the channel to end.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx] = broadcast.channel<number>(4);
   * const tx2 = tx.clone();
   * tx.senderCount; // => 2
   * tx2.drop();
   * tx.senderCount; // => 1
   * ```
   */
  clone(): Sender<T> {
    if (this.#dropped) throw new SenderDroppedError();
    this.#shared.cloneSender();
    return new Sender(this.#shared);
  }

  /**
   * Releases this handle (idempotent). When the last sender is dropped, each receiver reads
   * what it has not read yet and then ends (`recv` → `undefined`, Observable `complete`).
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * tx.drop();
   * await rx.recv(); // => 1
   * await rx.recv(); // => undefined
   * ```
   */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#shared.dropSender();
  }

  /** Same as {@link Sender.drop}, for `using tx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Observer form of {@link Sender.send}, for `source$.subscribe(tx)`: broadcasts `value`. A
   * value sent while there is no receiver reaches nobody and is not an error here (as with a
   * `Subject` that has no subscriber); call `send` to be told.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * import { of } from 'rxjs';
   * const [tx, rx] = broadcast.channel<number>(4);
   * of(1, 2).subscribe(tx); // completes: drops tx
   * rx.tryRecv();   // => 1
   * rx.tryRecv();   // => 2
   * tx.isDropped;   // => true
   * ```
   */
  next(value: T): void {
    if (this.#dropped) throw new SenderDroppedError();
    try {
      this.#shared.send(value);
    } catch (error) {
      if (!(error instanceof SendError)) throw error;
    }
  }

  /**
   * Fails the channel with `reason` (the first `error` wins): each receiver reads what it has
   * not read yet, then fails with `reason` (`recv` rejects, the Observable errors, `for await`
   * throws). Later sends throw {@link SendError}. Does not drop this handle.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * tx.send(1);
   * tx.error(new Error('upstream failed'));
   * await rx.recv();                                   // => 1
   * await rx.recv().catch((e: Error) => e.message);    // => 'upstream failed'
   * ```
   */
  error(reason: unknown): void {
    if (this.#dropped) throw new SenderDroppedError();
    this.#shared.error(reason);
  }

  /** Observer form of {@link Sender.drop}. */
  complete(): void {
    this.drop();
  }

  /**
   * Resolves once there is no receiver left (every one dropped): nobody hears the sends any
   * more. A later `subscribe()` does not undo it.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<number>(4);
   * const deaf = tx.closed().then(() => 'no receivers');
   * rx.drop();
   * await deaf; // => 'no receivers'
   * ```
   */
  closed(): Promise<void> {
    return this.#shared.closed();
  }

  /** Live receivers: how many a send would reach now (in another thread: as last heard). */
  get receiverCount(): number {
    return this.#shared.receivers + this.#shared.extra;
  }

  /** Live sender handles of the channel, this one included unless dropped. */
  get senderCount(): number {
    return this.#shared.senders;
  }

  /**
   * Values still held for the slowest receiver: sent, not yet read by every receiver that
   * existed when they were sent, and not overwritten (tokio's `Sender::len`). At most the
   * capacity.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx1] = broadcast.channel<number>(4);
   * const rx2 = tx.subscribe();
   * tx.send(1);
   * tx.send(2);
   * rx1.tryRecv();
   * rx1.tryRecv();
   * tx.length;   // => 2
   * rx2.tryRecv();
   * tx.length;   // => 1
   * ```
   */
  get length(): number {
    return this.#shared.length;
  }

  /** Whether no value is held for any receiver (`length === 0`). */
  get isEmpty(): boolean {
    return this.#shared.length === 0;
  }

  /** The number of values the ring holds before overwriting the oldest. */
  get maxCapacity(): number {
    return this.#shared.capacity;
  }

  /** Whether this handle was dropped. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /** Whether `other` (a sender or receiver) belongs to the same channel. */
  sameChannel(other: Sender<T> | Receiver<T>): boolean {
    return (#shared in other ? other.#shared : receiverShared(other)) === this.#shared;
  }

  /**
   * Moves this sender into a `MessagePort`, to hand to another thread (a `Worker`'s
   * `workerData` with the port in its `transferList`, or `postMessage`), where
   * `broadcast.senderFromPort` opens it. This handle is consumed, as by a Rust move: afterwards
   * it acts as dropped ({@link SenderDroppedError}). The port stands for it: it still counts in
   * `senderCount` until the handle opened from it is dropped or its thread ends. The ring stays
   * in this thread; a sender opened from a port and moved again talks to this thread directly.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped or moved.
   *
   * **Gotchas:** a port that is never opened keeps the channel's thread alive and its sender
   * counted; close it (`port.close()`) if it will not be used.
   *
   * @example
   * ```ts
   * import { broadcast } from 'rxjs-channel';
   * const [tx, rx] = broadcast.channel<string>(4);
   * const port = tx.intoPort();                // hand it to a worker; here, this thread opens it
   * tx.isDropped;                              // => true
   * const remote = broadcast.senderFromPort<string>(port);
   * remote.send('hello');                      // => 1
   * remote.drop();
   * await rx.recv();                           // => 'hello'
   * await rx.recv();                           // => undefined
   * ```
   */
  intoPort(): MessagePort {
    if (this.#dropped) throw new SenderDroppedError();
    const port = moveSender(this.#shared);
    this.#dropped = true;
    return port;
  }
}
