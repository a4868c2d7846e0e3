import { SenderDroppedError } from '../errors.js';
import type { Chan } from '../internal/chan.js';
import { disposeSymbol } from '../internal/disposable.js';
import type { Permit } from './permit.js';
import { Sender, senderChannel } from './sender.js';
import type { Erased } from '../internal/erased.js';

/** @internal The channel of a weak sender of this build (module-private: not on the handle). */
export let weakSenderChannel: (handle: object) => unknown;

/**
 * A sender handle that does not keep the channel open, made by `Sender.downgrade()`.
 *
 * Hold one where a long-lived object should be able to send while others are active, without
 * keeping the receiver waiting forever once they are gone. {@link WeakSender.upgrade} returns a
 * full {@link Sender} while at least one strong sender is alive, else `undefined`.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(4);
 * const weak = tx.downgrade();
 * const upgraded = weak.upgrade();  // a strong sender while `tx` is alive
 * upgraded?.trySend(1);             // => true
 * upgraded?.drop();
 * tx.drop();
 * weak.upgrade();                   // => undefined
 * await rx.recv();                  // => 1
 * ```
 */
export class WeakSender<in T> {
  readonly #chan: Chan<Erased, Permit<Erased>>;
  #dropped = false;

  /** @internal Weak senders are made by `Sender.downgrade()`; do not construct one. */
  constructor(chan: Chan<T, Permit<T>>) {
    this.#chan = chan;
    chan.weak++;
  }

  /**
   * A new strong {@link Sender}, or `undefined` if every strong sender was already dropped.
   * The returned sender must be dropped like any other.
   *
   * **Errors:** {@link SenderDroppedError} if this weak handle was dropped.
   */
  upgrade(): Sender<T> | undefined {
    if (this.#dropped) throw new SenderDroppedError('this weak sender handle was dropped');
    if (this.#chan.strong === 0) return undefined;
    this.#chan.strong++;
    return new Sender(this.#chan);
  }

  /** Releases this handle (idempotent). Weak handles never keep the channel open. */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#chan.weak--;
  }

  /** Same as {@link WeakSender.drop}, for `using`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /** Live strong senders of the channel. */
  get strongCount(): number {
    return this.#chan.strong;
  }

  /** Live weak senders of the channel. */
  get weakCount(): number {
    return this.#chan.weak;
  }

  /** Whether `other` (a sender or weak sender) belongs to the same channel. */
  sameChannel(other: Sender<T> | WeakSender<T>): boolean {
    return (#chan in other ? other.#chan : senderChannel(other)) === this.#chan;
  }

  static {
    weakSenderChannel = (handle) => (#chan in handle ? handle.#chan : undefined);
  }
}
