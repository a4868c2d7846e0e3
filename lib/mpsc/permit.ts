import { ChannelError } from '../errors.js';
import type { Chan } from '../internal/chan.js';
import { disposeSymbol } from '../internal/disposable.js';
import type { Erased } from '../internal/erased.js';

/**
 * One reserved slot in a channel, granted by `Sender.reserve()` / `Sender.tryReserve()`.
 *
 * Holding a permit guarantees that {@link Permit.send} succeeds at once, without waiting: the
 * slot was taken when the permit was granted. Reserve first, then do the work that produces
 * the value, and nothing is lost if that work is cancelled.
 *
 * A permit keeps the channel open: the receiver does not see the end while a permit is
 * outstanding, even after every sender is dropped or the receiver closed. Use it or release it.
 *
 * **Errors:** a second `send`/`release` throws {@link ChannelError}. Disposal after use is a
 * no-op, so `using permit = await tx.reserve()` is always safe.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<string>(1);
 * const permit = await tx.reserve();
 * tx.trySend('late');    // => false // the only slot is reserved
 * permit.send('first');
 * await rx.recv();       // => 'first'
 * ```
 */
export class Permit<in T> {
  #chan: Chan<Erased, Permit<Erased>> | null;

  /** @internal Permits are granted by `Sender.reserve()` / `Sender.tryReserve()`; do not construct one. */
  constructor(chan: Chan<T, Permit<T>>) {
    this.#chan = chan;
  }

  /**
   * Fills the reserved slot with `value`. Never waits and never fails for a closed channel:
   * the slot was granted before the close, so the value is delivered.
   *
   * **Errors:** {@link ChannelError} if the permit was already used or released.
   */
  send(value: T): void {
    this.#take('send').sendPermit(value);
  }

  /**
   * Gives the slot back unused; the longest-waiting sender gets it.
   *
   * **Errors:** {@link ChannelError} if the permit was already used or released.
   */
  release(): void {
    this.#take('release').releasePermit();
  }

  /** Whether the permit was used or released. */
  get isUsed(): boolean {
    return this.#chan === null;
  }

  /** Releases the slot if the permit is still unused; otherwise does nothing. */
  [disposeSymbol](): void {
    if (this.#chan !== null) this.release();
  }

  #take(what: string): Chan<Erased, Permit<Erased>> {
    const chan = this.#chan;
    if (chan === null) throw new ChannelError(`cannot ${what}: this permit was already used`);
    this.#chan = null;
    return chan;
  }
}
