import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { RecvError } from '../errors.js';
import { disposeSymbol } from '../internal/disposable.js';
import { DONE, ReceiverIterator, type IteratorSource } from '../internal/receiver-iterator.js';
import { wakeSoon } from '../internal/notify.js';
import { NOT_READY, selectPoll, selectWatch, type Selectable } from '../internal/selectable.js';
import { rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import type { Shared } from './shared.js';
import type { Erased } from '../internal/erased.js';
import { moveReceiver } from './host.js';

/** @internal The shared state of a receiver of this build (module-private: not on the handle). */
export let receiverShared: (handle: object) => unknown;

const closedError = (): RecvError => new RecvError('every watch sender was dropped');

/**
 * A receiver of a watch channel: it reads the current value and waits for new versions. It
 * remembers the last version it has *seen* (marked by `changed()`, `borrowAndUpdate()`,
 * `markUnchanged()`), as tokio's does.
 *
 * It is also an RxJS `Observable<T>` (the current value at once, then each new version,
 * coalesced: a synchronous burst of sends arrives as its last value only, on a microtask) and
 * an `AsyncIterable<T>` with the same meaning. Neither touches the seen version, and both end
 * when every sender is dropped (after the final value) or the receiver is dropped. Any number
 * of subscribers may watch one receiver.
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = watch.channel('a');
 * const seen = lastValueFrom(rx.pipe(toArray()));
 * tx.send('b');
 * tx.send('c');   // same burst as 'b': only 'c' is emitted
 * tx.drop();
 * await seen;     // => ['a', 'c']
 * ```
 */
export class Receiver<out T> extends Observable<T> implements AsyncIterable<T>, Selectable<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'watch' {
    return 'watch';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    const shared = this.#shared;
    const buffered = !this.#dropped && this.#seen !== shared.version ? 1 : 0;
    return { kind: 'watch', side: 'receiver', buffered, pendingSends: 0, waitingReceives: shared.notify.size, permits: 0, senders: shared.senders, closed: this.isClosed };
  }

  readonly #shared: Shared<Erased>;
  #seen: number;
  #dropped = false;
  /** What this receiver's iterators read; made by the first one. */
  #iterSource: VersionIterSource<Erased> | null = null;

  /** @internal Receivers are made by `watch.channel()`, `tx.subscribe()` and `clone()`; do not construct one. */
  constructor(shared: Shared<T>, seen: number) {
    super();
    this.#shared = shared;
    this.#seen = seen;
  }

  /**
   * The current value, without marking it seen. **Gotcha:** it is the stored object itself;
   * do not mutate it.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(1);
   * tx.send(2);
   * rx.borrow();     // => 2
   * rx.hasChanged(); // => true
   * ```
   */
  borrow(): T {
    return this.#shared.value;
  }

  /**
   * The current value, marking it seen (a following `changed()` waits for a newer version).
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(1);
   * tx.send(2);
   * rx.borrowAndUpdate(); // => 2
   * rx.hasChanged();      // => false
   * ```
   */
  borrowAndUpdate(): T {
    this.#seen = this.#shared.version;
    return this.#shared.value;
  }

  /**
   * Resolves once a version this receiver has not seen exists (at once if one already does),
   * and marks it seen. Read it with {@link Receiver.borrow} or `borrowAndUpdate`.
   *
   * **Errors:** rejects {@link RecvError} once every sender is dropped and no unseen version is
   * left (a final value sent just before the last drop is still reported first), or if this
   * receiver was dropped.
   *
   * Several calls pending at once all resolve on the same new version.
   *
   * **Cancellation:** an abort (or an already-aborted signal, even with an unseen version)
   * rejects with `signal.reason` and marks nothing seen.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * setTimeout(() => tx.send(1));
   * await rx.changed();
   * rx.borrow(); // => 1
   * ```
   */
  changed(options?: WaitOptions): Promise<void> {
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    const signal = options?.signal;
    if (signal !== undefined && signal.aborted) return Promise.reject(signal.reason);
    return this.#changed(signal, this.#seen);
  }

  /**
   * Whether a version this receiver has not seen exists (does not mark it).
   *
   * **Errors:** throws {@link RecvError} once every sender is dropped, as tokio's
   * `has_changed` does (`changed()` still reports a final unseen version first).
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * rx.hasChanged(); // => false
   * tx.send(1);
   * rx.hasChanged(); // => true
   * ```
   */
  hasChanged(): boolean {
    if (this.#dropped) throw closedError();
    if (this.#shared.ended) throw endError(this.#shared);
    return this.#seen !== this.#shared.version;
  }

  /**
   * Marks the current version seen, without reading it.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * tx.send(1);
   * rx.markUnchanged();
   * rx.hasChanged(); // => false
   * ```
   */
  markUnchanged(): void {
    this.#seen = this.#shared.version;
  }

  /**
   * Marks the current version unseen, so the next `changed()` resolves at once.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [, rx] = watch.channel(0);
   * rx.markChanged();
   * rx.hasChanged(); // => true
   * ```
   */
  markChanged(): void {
    this.#seen = this.#shared.version - 1;
  }

  /**
   * A new receiver with the same seen version as this one.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * tx.send(1);
   * const rx2 = rx.clone();
   * rx2.hasChanged();  // => true
   * tx.receiverCount;  // => 2
   * ```
   */
  clone(): Receiver<T> {
    this.#shared.addReceiver();
    return new Receiver(this.#shared, this.#seen);
  }

  /**
   * Leaves the channel (idempotent). Its pending `changed()` calls reject {@link RecvError}, its
   * Observables complete; once no receiver is left, `tx.closed()` resolves and `send` throws.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(0);
   * rx.drop();
   * tx.isClosed; // => true
   * ```
   */
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    this.#shared.dropReceiver();
    this.#shared.notify.notifyAll();
    this.#shared.detachAll(this);
  }

  /** Same as {@link Receiver.drop}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.drop();
  }

  /**
   * Moves this receiver into a `MessagePort`, to hand to another thread, where
   * `watch.receiverFromPort` opens it. This handle is consumed: afterwards it acts as dropped
   * (`changed()` rejects {@link RecvError}, its Observables complete). What it had seen moves
   * with it: the receiver opened there has the current value and reports it as changed if
   * this one had not seen it. It still counts in `receiverCount` until the receivers opened
   * from it are all dropped or their thread ends.
   *
   * **Errors:** {@link RecvError} if it was dropped or already moved; the `DataCloneError` if
   * the current value cannot be structured-cloned (the handle is not consumed then).
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(1);
   * tx.send(2);
   * const remote = watch.receiverFromPort<number>(rx.intoPort()); // in a worker, in real use
   * remote.hasChanged();   // => true
   * remote.borrowAndUpdate(); // => 2
   * tx.send(3);
   * await remote.changed();
   * remote.borrow();       // => 3
   * ```
   */
  intoPort(): MessagePort {
    if (this.#dropped) throw new RecvError('cannot move: this watch receiver was dropped or moved');
    const shared = this.#shared;
    const port = moveReceiver(shared, this.#seen !== shared.version);
    this.#dropped = true;
    shared.notify.notifyAll();
    shared.detachAll(this);
    return port;
  }

  /** Whether no new version can come: every sender dropped, or this receiver was dropped. */
  get isClosed(): boolean {
    return this.#dropped || this.#shared.ended;
  }

  /** Whether this receiver was dropped. */
  get isDropped(): boolean {
    return this.#dropped;
  }

  /**
   * The current value, then each new version (coalesced, as the Observable); ends when every
   * sender is dropped (after the final value) or the receiver is dropped. Each iterator keeps
   * its own position and does not touch the receiver's seen version.
   *
   * @example
   * ```ts
   * import { watch } from 'rxjs-channel';
   * const [tx, rx] = watch.channel(1);
   * const seen: number[] = [];
   * const done = (async () => { for await (const n of rx) seen.push(n); })();
   * await Promise.resolve();
   * tx.send(2);
   * tx.drop();
   * await done;
   * seen; // => [1, 2]
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new ReceiverIterator((this.#iterSource ??= new VersionIterSource(this.#shared, () => this.#dropped)));
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    if (this.#dropped) {
      subscriber.complete();
      return;
    }
    return this.#shared.attach(subscriber, this);
  }

  /**
   * Select protocol (used by `select`; its symbol is not exported): "changed". Succeeds when a
   * version not yet seen exists, marks it seen and yields the value; throws {@link RecvError}
   * once every sender is dropped. Kept in the shipped `.d.ts` (not stripped as internal) so
   * that `select` infers the value type.
   */
  [selectPoll](): T | typeof NOT_READY {
    const shared = this.#shared;
    if (this.#dropped) throw closedError();
    if (this.#seen !== shared.version) {
      this.#seen = shared.version;
      return shared.value;
    }
    if (shared.ended) throw endError(shared);
    return NOT_READY;
  }

  /** Select protocol: calls `wake` once a new version exists or the channel ends. */
  [selectWatch](wake: () => void): () => void {
    const shared = this.#shared;
    const ready = this.#dropped || this.#seen !== shared.version || shared.ended;
    return ready ? wakeSoon(wake) : shared.notify.watch(wake);
  }

  static {
    receiverShared = (handle) => (#shared in handle ? handle.#shared : undefined);
  }


  /** Every call pending when a new version arrives resolves: a JS wait cannot be dropped as a tokio future can. */
  #changed(signal: AbortSignal | undefined, from: number): Promise<void> {
    const shared = this.#shared;
    if (this.#dropped) return Promise.reject(closedError());
    if (shared.version !== from) {
      this.#seen = shared.version;
      return Promise.resolve();
    }
    if (shared.ended) return Promise.reject(endError(shared));
    return shared.notify.wait(signal).then(() => this.#changed(signal, from));
  }
}

/** Why no new version can come: a sender's `error(e)` reason, or `RecvError`. */
function endError<T>(shared: Shared<T>): unknown {
  return shared.failure !== null ? shared.failure.reason : closedError();
}

/**
 * Feeds a watch receiver's iterators: the current value, then each new version (coalesced).
 * Each iterator keeps its own version in `position`.
 */
class VersionIterSource<T> implements IteratorSource<T> {
  readonly #shared: Shared<Erased>;
  readonly #dropped: () => boolean;

  constructor(shared: Shared<T>, dropped: () => boolean) {
    this.#shared = shared;
    this.#dropped = dropped;
  }

  claimFor(): void {} // every iterator keeps its own version: any number may run

  releaseFor(): void {}

  async nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>> {
    const shared = this.#shared;
    while (!it.returned) {
      if (it.position !== shared.version) {
        it.position = shared.version;
        return { value: shared.value, done: false };
      }
      if (this.#dropped() || shared.senders === 0) break;
      if (shared.failure !== null) {
        it.end();
        throw shared.failure.reason;
      }
      await shared.notify.wait(undefined, it);
    }
    it.end();
    return DONE;
  }

  cancelNext(it: ReceiverIterator<T>): void {
    this.#shared.notify.cancel(it);
  }
}
