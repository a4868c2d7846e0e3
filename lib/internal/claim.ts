import { ReceiverBusyError } from '../errors.js';

/**
 * The ownership claim of a single-consumer receiver (mpsc, and each broadcast receiver): at
 * most one subscriber or iterator holds it at a time, and while one does, every other way of
 * taking a value (`recv`, `tryRecv`, `recvMany`, a `select` branch, another subscriber or
 * iterator, an operator reading the receiver) is refused with {@link ReceiverBusyError}.
 *
 * One class, so every path asks the same question the same way. A consumer that lets go
 * (unsubscribes, `break`s) releases the claim and the next one continues where it stopped.
 */
export class Claim {
  #owner: object | null = null;
  readonly #target: { readonly isDone: boolean };

  /**
   * @param target what the claim guards; once `target.isDone` (nothing is left to take), a
   * holder no longer matters.
   */
  constructor(target: { readonly isDone: boolean }) {
    this.#target = target;
  }

  /** The current holder, if any. */
  get owner(): object | null {
    return this.#owner;
  }

  /** Whether a consumer other than `by` (null: an unowned call such as `recv`) holds the claim. */
  heldByOther(by: object | null): boolean {
    const owner = this.#owner;
    return owner !== null && owner !== by && !this.#target.isDone;
  }

  /** Throws {@link ReceiverBusyError} if another consumer holds the claim. */
  check(by: object | null): void {
    if (this.heldByOther(by)) throw new ReceiverBusyError();
  }

  /** Takes the claim for `by`; throws {@link ReceiverBusyError} if another consumer holds it. */
  take(by: object): void {
    this.check(by);
    this.#owner = by;
  }

  /** Lets go of the claim if `by` holds it. */
  release(by: object): void {
    if (this.#owner === by) this.#owner = null;
  }
}
