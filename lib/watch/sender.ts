import type { Observer } from 'rxjs';
import { SendError, SenderDroppedError } from '../errors.js';
import { SENDER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { disposeSymbol } from '../internal/disposable.js';
import { show } from '../internal/validate.js';
import { Receiver, receiverShared } from './receiver.js';
import { checkCallback, type Shared } from './shared.js';
import type { Erased } from '../internal/erased.js';
import type { TransferOptions } from '../internal/port/mirror.js';
import { moveSender } from './host.js';

/**
 * The sending half of a watch channel: it holds the one current value and publishes new
 * versions of it. Receivers see the latest value, not every value: versions sent between two
 * reads are coalesced.
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * const [tx, rx] = watch.channel('idle');
 * tx.send('busy');
 * await rx.changed();
 * rx.borrowAndUpdate(); // => 'busy'
 * ```
 */
export class Sender<in out T> implements Observer<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [SENDER](): 'watch' {
    return 'watch';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    const shared = this.#shared;
    return { kind: 'watch', side: 'sender', buffered: 0, pendingSends: 0, waitingReceives: shared.notify.size, permits: 0, senders: shared.senders, closed: shared.receivers === 0 };
  }

  readonly #shared: Shared<Erased>;
  #dropped = false;

  /** @internal Senders are made by `watch.channel()` and `clone()`; do not construct one. */
  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }

  /**
   * Replaces the value and notifies every receiver, as tokio's `send`.
   *
   * `options.transfer` lists objects to transfer rather than clone when the value crosses to
   * the channel's thread (a sender opened from a port); ignored in the channel's own thread.
   *
   * **Errors:** throws {@link SendError} carrying `value` when there is no receiver; the value
   * is then *not* stored (use {@link Sender.sendReplace} to store it regardless).
   * {@link SenderDroppedError} if this handle was dropped. For a sender opened from a port, a
   * value that cannot be structured-cloned throws the `DataCloneError` and is not stored (this
   * holds for every `send*` method there).
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * tx.send(1);
   * rx.hasChanged(); // => true
   * rx.borrow();     // => 1
   * ```
   */
  send(value: T, options?: TransferOptions): void {
    this.#live();
    if (this.#shared.receivers === 0) throw new SendError(value, 'cannot send: the watch channel has no receivers');
    if (this.#shared.failure !== null) throw new SendError(value, 'cannot send: the watch channel was closed by error(e)');
    this.#shared.replace(value, options?.transfer);
  }

  /**
   * Updates the value with `modify` and notifies every receiver, with or without receivers.
   * `modify` gets the current value and either returns the new one (immutable style) or
   * mutates it in place and returns nothing (`undefined` keeps the current value, so set an
   * `undefined` value with {@link Sender.sendReplace}).
   *
   * **Errors:** if `modify` throws, the error propagates and no receiver is notified (changes
   * it already made in place stay, as in tokio). `TypeError` if `modify` is not a function.
   *
   * **Gotchas:** on a sender opened from a port in a browser, before the port's first message
   * brought the value, `modify` is queued and runs once the value is there (see
   * `watch.senderFromPort`); an error it throws then is rethrown from a promise job.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel({ hits: 0 });
   * tx.sendModify((s) => { s.hits++; });
   * tx.sendModify((s) => ({ hits: s.hits + 10 }));
   * rx.borrow(); // => { hits: 11 }
   * ```
   */
  sendModify(modify: (value: T) => T | void): void {
    this.#live();
    checkCallback('modify', modify);
    this.#shared.modify(modify);
  }

  /**
   * Lets `modify` change the value in place and notifies receivers only if it returns `true`,
   * as tokio's `send_if_modified`. Works with or without receivers.
   *
   * @returns what `modify` returned.
   *
   * **Gotchas:** `modify` mutates; for immutable values compare and call `sendReplace`
   * instead. On a sender opened from a port in a browser, before the value arrived, `modify` is
   * queued (as {@link Sender.sendModify}'s) and this returns `false`: nothing is sent yet.
   * **Errors:** as {@link Sender.sendModify}.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel({ n: 1 });
   * tx.sendIfModified((s) => { if (s.n === 1) return false; s.n = 1; return true; }); // => false
   * rx.hasChanged(); // => false
   * tx.sendIfModified((s) => { s.n = 2; return true; }); // => true
   * rx.hasChanged(); // => true
   * ```
   */
  sendIfModified(modify: (value: T) => boolean): boolean {
    this.#live();
    checkCallback('modify', modify);
    return this.#shared.modifyIf(modify);
  }

  /**
   * Stores `value` and notifies every receiver, with or without receivers; returns the value
   * it replaced.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel('a');
   * rx.drop();
   * tx.sendReplace('b'); // => 'a'
   * tx.borrow();         // => 'b'
   * ```
   */
  sendReplace(value: T): T {
    this.#live();
    const old = this.#shared.value;
    this.#shared.replace(value);
    return old;
  }

  /**
   * The current value. **Gotcha:** it is the stored object itself, not a copy: mutate it
   * only through {@link Sender.sendModify}, or receivers are not told. On a sender opened
   * from a port in a browser it is `undefined` until the port's first message brought the value
   * (or the last value this thread sent), see `watch.senderFromPort`.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx] = watch.channel(7);
   * tx.borrow(); // => 7
   * ```
   */
  borrow(): T {
    return this.#shared.value;
  }

  /**
   * A new receiver; it has seen the current value (its `changed()` waits for the next send).
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(1);
   * rx.drop();
   * const rx2 = tx.subscribe();
   * rx2.hasChanged();  // => false
   * tx.receiverCount;  // => 1
   * ```
   */
  subscribe(...args: never[]): Receiver<T> {
    if (args.length !== 0) {
      throw new TypeError(
        `Expected \`subscribe()\` to take no argument (a watch Sender makes a Receiver; subscribe to that), got ${show(args[0])}`,
      );
    }
    this.#live();
    const [shared, seen] = this.#shared.openReceiver();
    return new Receiver(shared, seen);
  }

  /**
   * Observer form of {@link Sender.send}, for `source$.subscribe(tx)`: publishes `value` as the
   * new current value. With no receiver left it is stored and not an error here (as with a
   * `BehaviorSubject` that has no subscriber); call `send` to be told.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * import { of } from 'rxjs';
   * const [tx, rx] = watch.channel(0);
   * of(1, 2).subscribe(tx); // completes: drops tx
   * rx.borrow();   // => 2
   * tx.isDropped;  // => true
   * ```
   */
  next(value: T): void {
    this.#live();
    if (this.#shared.failure !== null) return;
    this.#shared.replace(value);
  }

  /**
   * Fails the channel with `reason` (the first `error` wins): no new version can come;
   * `changed()` rejects with `reason`, the Observable errors after the current value and
   * iterators throw it. `borrow()` still reads the last value. Does not drop this handle.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel('ok');
   * tx.error(new Error('sensor lost'));
   * await rx.changed().catch((e: Error) => e.message); // => 'sensor lost'
   * rx.borrow();                                       // => 'ok'
   * ```
   */
  error(reason: unknown): void {
    this.#live();
    this.#shared.error(reason);
  }

  /** Observer form of {@link Sender.drop}. */
  complete(): void {
    this.drop();
  }

  /**
   * A new sender handle for the same channel; each must be dropped for receivers to see the
   * end.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx] = watch.channel(0);
   * tx.clone().senderCount; // => 2
   * ```
   */
  clone(): Sender<T> {
    this.#live();
    this.#shared.addSender();
    return new Sender(this.#shared);
  }

  /**
   * Releases this handle (idempotent). Once every sender is dropped, `changed()` rejects
   * {@link RecvError} (after a version not yet seen has been reported) and Observables
   * complete after emitting the final value.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * tx.drop();
   * await rx.changed().catch((e: Error) => e.name); // => 'RecvError'
   * rx.borrow(); // => 0
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
   * Resolves once every receiver is dropped: nobody watches any more. A later `subscribe()`
   * reopens the channel but does not undo a resolved promise.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * const unwatched = tx.closed().then(() => 'closed');
   * rx.drop();
   * await unwatched; // => 'closed'
   * ```
   */
  closed(): Promise<void> {
    return this.#shared.closed();
  }

  /** Whether there is no receiver (a `send` would throw `SendError`). */
  get isClosed(): boolean {
    return this.#shared.receivers === 0;
  }

  /** Live receivers. */
  get receiverCount(): number {
    return this.#shared.receivers;
  }

  /** Live sender handles of the channel, this one included unless dropped. */
  get senderCount(): number {
    return this.#shared.senders;
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
   * Moves this sender into a `MessagePort`, to hand to another thread, where
   * `watch.senderFromPort` opens it. This handle is consumed, as by a Rust move: afterwards it
   * acts as dropped ({@link SenderDroppedError}). The port stands for it: it still counts in
   * `senderCount` until the handle opened from it is dropped or its thread ends. The value
   * stays in this thread; the port carries a copy of the current one for `borrow()` there.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was dropped or moved; the
   * `DataCloneError` if the current value cannot be structured-cloned (the handle is not
   * consumed then).
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel('idle');
   * const port = tx.intoPort();          // hand it to a worker; here, this thread opens it
   * tx.isDropped;                        // => true
   * const remote = watch.senderFromPort<string>(port);
   * remote.send('busy');
   * await rx.changed();
   * rx.borrowAndUpdate();                // => 'busy'
   * ```
   */
  intoPort(): MessagePort {
    this.#live();
    const port = moveSender(this.#shared);
    this.#dropped = true;
    return port;
  }

  #live(): void {
    if (this.#dropped) throw new SenderDroppedError();
  }
}
