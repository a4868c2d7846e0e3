/**
 * How the operators subscribe to an Observable source, the RxJS way, with public API only.
 * Not an operator and not exported from the package.
 */
import { Subscription, type Observer, type Subscriber } from 'rxjs';

/** What an {@link Upstream} forwards to: the operator's per-subscription state. */
export interface UpstreamHandler<T> {
  upstreamNext(value: T): void;
  upstreamError(reason: unknown): void;
  upstreamComplete(): void;
  /** `upstreamNext` threw: the operator's own failure (a throwing callback), not the source's. */
  fail(reason: unknown): void;
}

/**
 * The subscriber an operator subscribes to its source with: the public equivalent of RxJS's
 * internal `OperatorSubscriber`.
 *
 * It is a `Subscription` with `next`/`error`/`complete`, so `Observable.subscribe` uses it as
 * the subscriber itself instead of wrapping it: a synchronous source (`range`, `of`, `from`
 * an array) checks *its* `closed` between values. It is added to the operator's destination
 * before the source is subscribed, so an unsubscribe made during the very first delivery
 * (`take(1)`, `firstValueFrom`, a throwing callback) stops the source at once.
 */
export class Upstream<T> extends Subscription implements Observer<T> {
  readonly #handler: UpstreamHandler<T>;

  constructor(parent: Subscription | null, handler: UpstreamHandler<T>) {
    super();
    this.#handler = handler;
    parent?.add(this);
  }

  next(value: T): void {
    if (this.closed) return;
    try {
      this.#handler.upstreamNext(value);
    } catch (error) {
      this.#handler.fail(error);
    }
  }

  error(reason: unknown): void {
    if (this.closed) return;
    try {
      this.unsubscribe(); // releases the source first; a teardown that throws does not keep the end from the operator
    } finally {
      this.#handler.upstreamError(reason);
    }
  }

  complete(): void {
    if (this.closed) return;
    try {
      this.unsubscribe();
    } finally {
      this.#handler.upstreamComplete();
    }
  }
}

/**
 * Ends `destination` (`complete`) when `signal` aborts, removing the listener when the
 * destination closes first. Returns `true`, having completed it, if `signal` is already aborted.
 */
export function completeOnAbort(signal: AbortSignal | undefined, destination: Subscriber<unknown>): boolean {
  return onAbort(signal, destination, () => destination.complete());
}

/**
 * Calls `stop` when `signal` aborts, unless `owner` was unsubscribed first (the listener goes
 * with it). Returns `true`, having called `stop`, if `signal` is already aborted.
 */
export function onAbort(signal: AbortSignal | undefined, owner: Subscription, stop: () => void): boolean {
  if (signal === undefined) return false;
  if (signal.aborted) {
    stop();
    return true;
  }
  signal.addEventListener('abort', stop, { once: true });
  owner.add(() => signal.removeEventListener('abort', stop));
  return false;
}
