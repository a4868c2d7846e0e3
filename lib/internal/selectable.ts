/**
 * The protocol `select` uses to wait on operations of any channel kind without consuming
 * anything from the branches that lose.
 *
 * `select` never starts an operation it might have to undo. It asks each branch to *poll*
 * (try to complete synchronously, right now) and, when none can, asks each to *watch* (call
 * back when it may be able to complete), then polls again. Only a successful poll consumes a
 * value or sends one, and select stops at the first success, so the losers are untouched:
 * cancel safety by construction.
 *
 * The keys are registered symbols (`Symbol.for`) so that a handle made by the CommonJS build
 * works in the ESM build's `select`, and the other way round.
 */

/** Returned by a poll that cannot complete now. */
export const NOT_READY: unique symbol = Symbol.for('rxjs-channel.notReady') as never;

/** Key of the synchronous attempt. */
export const selectPoll: unique symbol = Symbol.for('rxjs-channel.selectPoll') as never;

/**
 * Key of a synchronous take for operators that read a receiver (`mergeMapBounded`): the next
 * value as an iterator result, a done result at the end, or {@link NOT_READY} with nothing
 * taken; throws what a receive would reject with. With `[selectWatch]` for readiness, a reader
 * takes a value only in the same step in which it hands it on, so a reader that stops loses
 * nothing. Queue kinds (mpsc, mpmc, broadcast) have it.
 */
export const pullNow: unique symbol = Symbol.for('rxjs-channel.pullNow') as never;

/**
 * Key of the claim a `pullNow` reader holds while it reads (`[pullNow](owner)` takes it): called
 * with the owner to let go when the reader stops.
 */
export const pullRelease: unique symbol = Symbol.for('rxjs-channel.pullRelease') as never;

/** Key of the readiness registration. */
export const selectWatch: unique symbol = Symbol.for('rxjs-channel.selectWatch') as never;

/**
 * An operation `select` can wait on (a receive from some receiver kind, or a send to a
 * sender with a value bound to it). `R` is what the operation yields when it completes.
 */
export interface Selectable<R> {
  /**
   * Completes the operation now if it can: returns its result (a received value, `undefined`
   * for a receive from an ended channel, ...), or {@link NOT_READY} without side effects.
   * Throwing (e.g. `SendError`, `LaggedError`, the reason of a failed channel) also completes
   * the operation: select rejects with that error.
   */
  [selectPoll](): R | typeof NOT_READY;
  /**
   * Calls `wake` (at most once) when a poll may succeed (a value arrived, a slot freed, the
   * channel ended or closed). Spurious wakes are allowed; missed wakes are not. Returns a
   * function that cancels the registration; it must be safe to call after `wake` ran.
   */
  [selectWatch](wake: () => void): () => void;
}
