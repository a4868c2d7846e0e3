import { Observable, type MonoTypeOperatorFunction, type Subscriber } from 'rxjs';
import { isReceiver } from '../internal/brand.js';
import { rethrowLater } from '../internal/schedule.js';
import { show } from '../internal/validate.js';
import { Upstream, type UpstreamHandler } from './upstream.js';

/** A receiver that can be closed from its side: mpsc, mpmc or oneshot (of either build). */
export interface ClosableReceiver {
  /** Closes the channel from the receiving side: sends are refused, buffered values stay. */
  close(): void;
}

/** Forwards everything; on error, closes the receiver first. */
class CloseOnError<T> implements UpstreamHandler<T> {
  readonly #destination: Subscriber<T>;
  readonly #rx: ClosableReceiver;

  constructor(destination: Subscriber<T>, rx: ClosableReceiver) {
    this.#destination = destination;
    this.#rx = rx;
  }

  upstreamNext(value: T): void {
    this.#destination.next(value);
  }

  upstreamError(reason: unknown): void {
    this.fail(reason);
  }

  upstreamComplete(): void {
    this.#destination.complete();
  }

  fail(reason: unknown): void {
    try {
      this.#rx.close();
    } catch (closeError) {
      rethrowLater(closeError); // not the source's business; the pipeline's error still goes on
    }
    this.#destination.error(reason);
  }
}

/**
 * Closes `rx` when the Observable it is applied to errors, then re-emits the error: the
 * one-line way to release the producers of a pipeline whose consumer failed.
 *
 * Without it, a failing consumer (`rx.pipe(mergeMapBounded(save, ...))` where `save`
 * rejects) gives the receiver back but leaves it open, so every producer waiting in
 * `await tx.send(v)` waits forever. With `closeOnError(rx)` at the end of the pipe, the error
 * closes the receiver in the same step: waiting and future sends reject `SendError` carrying
 * their values (nothing is lost without a trace), and the values already buffered stay
 * receivable. Values and completion pass through unchanged; an unsubscribe does not close.
 *
 * **Errors:** `TypeError` showing the value when `rx` is not a receiver of this library with
 * a `close()` (broadcast and watch receivers have none: their senders never wait).
 *
 * @example
 * ```ts
 * import { closeOnError, mergeMapBounded, mpsc, SendError } from 'rxjs-channel';
 * import { lastValueFrom } from 'rxjs';
 * const [tx, rx] = mpsc.channel<number>(1);
 * const save = async (n: number) => {
 *   if (n === 2) throw new Error('disk full');
 *   return n;
 * };
 * const done = lastValueFrom(rx.pipe(mergeMapBounded(save, { concurrency: 1 }), closeOnError(rx)));
 * const sends = [1, 2, 3, 4].map((n) => tx.send(n).then(() => 'sent', (e: SendError<number>) => e.value));
 * await done.catch((e: Error) => e.message); // => 'disk full'
 * await Promise.all(sends);                   // => ['sent', 'sent', 'sent', 4]
 * tx.isClosed;                                // => true
 * await rx.recv();                            // => 3
 * ```
 */
export function closeOnError<T>(rx: ClosableReceiver): MonoTypeOperatorFunction<T> {
  if (!isReceiver(rx) || typeof (rx as { close?: unknown }).close !== 'function') {
    throw new TypeError(`Expected \`rx\` to be a receiver with close() (mpsc, mpmc or oneshot), got ${show(rx)}`);
  }
  return (source) =>
    new Observable<T>((destination) => {
      source.subscribe(new Upstream<T>(destination, new CloseOnError(destination, rx)));
    });
}
