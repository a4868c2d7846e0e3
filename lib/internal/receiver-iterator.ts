const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });

/** What a receiver kind supplies to {@link ReceiverIterator}. */
export interface IteratorSource<T> {
  /**
   * Claims the receiver for `it` (its first `next()`); throws `ReceiverBusyError` when another
   * consumer holds it. A no-op for kinds whose handles allow concurrent consumers.
   */
  claimFor(it: ReceiverIterator<T>): void;
  /** Lets go of the claim `it` holds (its `return()`). */
  releaseFor(it: ReceiverIterator<T>): void;
  /**
   * The next value for `it` (a done result at the end). While it waits, a call of
   * {@link IteratorSource.cancelNext} for the same iterator must settle it as done.
   */
  nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>>;
  /** Settles `it`'s pending `nextFor` as done, consuming nothing. */
  cancelNext(it: ReceiverIterator<T>): void;
}

const FRESH = 0;
const CLAIMED = 1;
const RETURNED = 2;

/**
 * The one async iterator behind `for await (const v of rx)` for every receiver kind.
 *
 * - It claims the receiver (where the kind has a claim) on its first `next()`, so creating an
 *   iterator takes nothing; a second concurrent consumer gets `ReceiverBusyError`.
 * - `return()` (`break`, an exception in the loop body) settles a pending `next()` as done,
 *   consumes nothing and releases the claim: every value not yet handed over stays in the
 *   receiver for its next consumer.
 */
export class ReceiverIterator<T> implements AsyncIterableIterator<T> {
  readonly #source: IteratorSource<T>;
  #state = FRESH;
  /** Free for the source's use: this iterator's position (a watch version, a oneshot flag). */
  position = -1;

  constructor(source: IteratorSource<T>) {
    this.#source = source;
  }

  /** What this iterator reads. */
  get source(): IteratorSource<T> {
    return this.#source;
  }

  /** Whether `return()` was called: a woken wait must then end instead of taking a value. */
  get returned(): boolean {
    return this.#state === RETURNED;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#state !== CLAIMED) {
      if (this.#state === RETURNED) return Promise.resolve(DONE);
      try {
        this.#source.claimFor(this);
      } catch (error) {
        return Promise.reject(error);
      }
      this.#state = CLAIMED;
    }
    return this.#source.nextFor(this);
  }

  /**
   * Ends the iteration after its `next()` failed (a `for await` loop does not call `return()`
   * then): later `next()` calls are done and the claim is released for the next consumer.
   */
  end(): void {
    if (this.#state === CLAIMED) this.#source.releaseFor(this);
    this.#state = RETURNED;
  }

  return(): Promise<IteratorResult<T>> {
    if (this.#state === CLAIMED) {
      this.#state = RETURNED;
      this.#source.cancelNext(this);
      this.#source.releaseFor(this);
    }
    this.#state = RETURNED;
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

export { DONE };
