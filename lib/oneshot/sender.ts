import { SenderDroppedError } from '../errors.js';
import { SENDER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { disposeSymbol } from '../internal/disposable.js';
import type { OneshotState } from './state.js';
import { moveOneshotSender } from './port.js';
import type { Erased } from '../internal/erased.js';
import type { TransferOptions } from '../internal/port/mirror.js';

/**
 * The sending half of a oneshot channel: it sends at most one value, once.
 *
 * Sending consumes the handle, as in tokio (where `send` takes the sender by value): after
 * `send` (or `drop()`) the handle is spent. Dropping it without sending makes the receiver fail
 * with {@link RecvError}, so a forgotten reply is an error, never a silent hang.
 *
 * @example
 * ```ts
 * import { oneshot } from 'rxjs-channel';
 * const [tx, rx] = oneshot.channel<string>();
 * setTimeout(() => tx.send('done'));
 * await rx; // => 'done'
 * ```
 */
export class Sender<in T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [SENDER](): 'oneshot' {
    return 'oneshot';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    return this.#state.inspect('sender', this.#state.rxClosed);
  }

  readonly #state: OneshotState<Erased>;
  #used = false;

  /** @internal Senders are made by `oneshot.channel()`; do not construct one. */
  constructor(state: OneshotState<T>) {
    this.#state = state;
  }

  /**
   * Sends `value` to the receiver, without waiting. It spends this handle.
   *
   * @param options.transfer objects to transfer rather than clone (`ArrayBuffer`,
   * `MessagePort`, ...) when this sender was opened from a port (`oneshot.senderFromPort`) and
   * the value crosses to the channel's thread; ignored otherwise.
   * @returns `true` if the receiver will get `value`; `false` if the receiver was closed (or
   * disposed) first, in which case `value` stays with the caller.
   *
   * **Errors:** a second `send`, or a `send` after `drop()`, throws {@link SenderDroppedError}:
   * the handle was spent by the first call, and the first value stands. Across threads, a
   * value that cannot be cloned throws its `DataCloneError`: it is not delivered, and the
   * handle is not spent (send another value, or drop it).
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * tx.send(1);      // => true
   * rx.tryRecv();    // => 1
   * const [tx2, rx2] = oneshot.channel<number>();
   * rx2.close();
   * tx2.send(2);     // => false
   * ```
   */
  send(value: T, options?: TransferOptions): boolean {
    if (this.#used) throw new SenderDroppedError('this oneshot sender was already used (sent or dropped)');
    const sent = this.#state.send(value, options?.transfer); // a DataCloneError leaves it unspent
    this.#used = true;
    return sent;
  }

  /**
   * Releases the handle without sending (idempotent; does nothing after a `send`). The receiver
   * then fails with {@link RecvError}.
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * tx.drop();
   * await rx.then(String, (e: Error) => e.name); // => 'RecvError'
   * ```
   */
  drop(): void {
    if (this.#used) return;
    this.#used = true;
    this.#state.dropSender();
  }

  /** Same as {@link Sender.drop}, for `using tx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Resolves when the receiver closes (`close()` or disposal): nobody wants the value any more,
   * so work computing it can stop.
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * const gone = tx.closed().then(() => 'gone');
   * rx.close();
   * await gone;      // => 'gone'
   * tx.isClosed;     // => true
   * ```
   */
  closed(): Promise<void> {
    return this.#state.rxClosed ? Promise.resolve() : this.#state.tx.wait(undefined);
  }

  /** Whether the receiver closed, so a `send` would return `false`. */
  get isClosed(): boolean {
    return this.#state.rxClosed;
  }

  /** Whether this handle was spent by `send` or `drop()`. */
  get isDropped(): boolean {
    return this.#used;
  }

  /**
   * Moves this sender into a `MessagePort`, to hand to another thread, where
   * `oneshot.senderFromPort` opens it (a reply channel for a request sent to a worker). This
   * handle is spent, as by `send` or `drop`. If the far thread ends without sending, the
   * receiver gets {@link RecvError}, as when a sender is dropped. A sender opened from a port
   * moves again the same way: its new port is served by the channel's thread directly.
   *
   * **Errors:** {@link SenderDroppedError} if this handle was already used.
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * const port = tx.intoPort();
   * tx.isDropped;                              // => true
   * oneshot.senderFromPort<number>(port).drop();
   * await rx.then(String, (e: Error) => e.name); // => 'RecvError'
   * ```
   */
  intoPort(): MessagePort {
    if (this.#used) throw new SenderDroppedError('this oneshot sender was already used (sent or dropped)');
    this.#used = true;
    return moveOneshotSender(this.#state);
  }
}
