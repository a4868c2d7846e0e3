import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { RECEIVER } from '../internal/brand.js';
import { INSPECT, type HandleSnapshot } from '../internal/inspect.js';
import { deliver } from '../internal/deliver.js';
import { disposeSymbol } from '../internal/disposable.js';
import { DONE, ReceiverIterator, type IteratorSource } from '../internal/receiver-iterator.js';
import { wakeSoon } from '../internal/notify.js';
import { scheduleHook } from '../internal/schedule.js';
import { NOT_READY, selectPoll, selectWatch, type Selectable } from '../internal/selectable.js';
import { ReceiverBusyError, ReceiverDroppedError } from '../errors.js';
import { moveOneshotReceiver } from './port.js';
import { CLOSED, EMPTY, OneshotState, SENT } from './state.js';
import type { Erased } from '../internal/erased.js';

/**
 * The receiving half of a oneshot channel. It is at once:
 * - a `PromiseLike<T>`: `await rx` gives the value, or rejects {@link RecvError} if the sender
 *   was dropped without sending (or the receiver closed first);
 * - an RxJS `Observable<T>` that emits the value once and completes (or errors `RecvError`);
 * - an `AsyncIterable<T>` of that one value.
 *
 * Like a promise, it settles once and remembers: every `await`, subscriber, iterator and
 * {@link Receiver.tryRecv} sees the same value (the channel delivers one value to one receiver;
 * reading it again is not a second delivery).
 *
 * **Gotchas:** because it is a thenable, returning it from an `async` function (or resolving a
 * promise with it) waits for its value; wrap it (`{ rx }`) to pass the handle itself along.
 *
 * @example
 * ```ts
 * import { oneshot } from 'rxjs-channel';
 * import { lastValueFrom, map } from 'rxjs';
 * const [tx, rx] = oneshot.channel<number>();
 * tx.send(21);
 * await rx;                                    // => 21
 * await lastValueFrom(rx.pipe(map((n) => n * 2))); // => 42
 * ```
 */
export class Receiver<out T> extends Observable<T> implements PromiseLike<T>, AsyncIterable<T>, Selectable<T> {
  /** @internal Protocol brand (a registered symbol), recognised across module builds. */
  get [RECEIVER](): 'oneshot' {
    return 'oneshot';
  }

  /** @internal Inspection for `rxjs-channel/testing`: a plain snapshot of the channel, seen from this handle. */
  [INSPECT](): HandleSnapshot {
    return this.#state.inspect('receiver', this.isClosed);
  }

  #state: OneshotState<Erased>;
  #promise: Promise<Erased> | null = null;

  /** @internal Receivers are made by `oneshot.channel()`; do not construct one. */
  constructor(state: OneshotState<T>) {
    super();
    this.#state = state;
  }

  /**
   * Makes the receiver awaitable: settles with the value, or rejects {@link RecvError} once no
   * value can come (sender dropped without sending, or the receiver closed first).
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<string>();
   * tx.send('pong');
   * await rx.then((s) => s.toUpperCase()); // => 'PONG'
   * ```
   */
  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    // `any`, as in Promise#then, so a handler may declare the error type it expects.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    onRejected?: ((reason: any) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return (this.#promise ??= this.#settled()).then(onFulfilled, onRejected);
  }

  /**
   * The value if it was sent, else `undefined` (never waits). To tell "not yet" from "never",
   * check {@link Receiver.isClosed}: once it is true and `tryRecv()` still gives `undefined`,
   * no value will come.
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * rx.tryRecv(); // => undefined
   * tx.send(5);
   * rx.tryRecv(); // => 5
   * ```
   */
  tryRecv(): T | undefined {
    return this.#state.status === SENT ? this.#state.value : undefined;
  }

  /**
   * Closes the receiver (idempotent): a later `send` returns `false`, and `tx.closed()`
   * resolves. A value sent before stays readable; if none was, the receiver fails with
   * {@link RecvError}.
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * rx.close();
   * tx.send(1);                                  // => false
   * await rx.then(String, (e: Error) => e.name); // => 'RecvError'
   * ```
   */
  close(): void {
    this.#state.closeReceiver();
  }

  /** Same as {@link Receiver.close}, for `using rx = ...`. */
  [disposeSymbol](): void {
    this.close();
  }

  /**
   * Moves this receiver into a `MessagePort`, to hand to another thread, where
   * `oneshot.receiverFromPort` opens it. This handle is consumed: afterwards it acts as
   * closed (`isClosed` is true, `tryRecv()` gives `undefined`, `await` and subscribers fail
   * with {@link ReceiverDroppedError}); the sender here is untouched and its value goes to the
   * far side. A receiver opened from a port moves again the same way: the channel's thread
   * serves the new port directly (once the value has reached this thread, from here).
   *
   * **Errors:** {@link ReceiverBusyError} while an `await`, subscriber, iterator or select
   * waits on it; {@link ReceiverDroppedError} if it already moved. A value sent before the
   * move that cannot be cloned throws its `DataCloneError` (the handle stays here).
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<number>();
   * const remote = oneshot.receiverFromPort<number>(rx.intoPort());
   * rx.isClosed;        // => true
   * tx.send(3);         // => true
   * await remote;       // => 3
   * ```
   */
  intoPort(): MessagePort {
    const state = this.#state;
    if (state instanceof MovedState) throw new ReceiverDroppedError('this oneshot receiver already moved into a port');
    if (state.rx.size !== 0) throw new ReceiverBusyError('this oneshot receiver is awaited here: it cannot move while something waits on it');
    const port = moveOneshotReceiver(state);
    this.#state = new MovedState();
    this.#promise = null;
    return port;
  }

  /** Whether the receiver has settled: a value was sent, the sender was dropped, or it closed. */
  get isClosed(): boolean {
    return this.#state.status !== EMPTY;
  }

  /**
   * Iterates over the one value (or throws {@link RecvError}).
   *
   * @example
   * ```ts
   * import { oneshot } from 'rxjs-channel';
   * const [tx, rx] = oneshot.channel<string>();
   * tx.send('only');
   * const seen: string[] = [];
   * for await (const v of rx) seen.push(v);
   * seen; // => ['only']
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return new ReceiverIterator(new OneshotIterSource(this.#state));
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<T>): TeardownLogic {
    const state = this.#state;
    const settle = (): void => {
      if (state.status === SENT) {
        if (deliver(subscriber, state.value as T)) subscriber.complete();
      } else {
        subscriber.error(state.error());
      }
    };
    if (state.status !== EMPTY) {
      settle();
      return;
    }
    return state.rx.watch(settle);
  }

  /**
   * Select protocol (used by `select`; its symbol is not exported): the value, or
   * {@link RecvError} once none can come, or `NOT_READY`. Kept in the shipped `.d.ts` (not
   * stripped as internal) so that `select` infers the value type.
   */
  [selectPoll](): T | typeof NOT_READY {
    const state = this.#state;
    if (state.status === SENT) return state.value as T;
    if (state.status === CLOSED) throw state.error();
    return NOT_READY;
  }

  /** Select protocol: calls `wake` once the receiver settles. */
  [selectWatch](wake: () => void): () => void {
    return this.#state.status !== EMPTY ? wakeSoon(wake) : this.#state.rx.watch(wake);
  }

  #settled(): Promise<T> {
    const state = this.#state;
    if (state.status === SENT) return Promise.resolve(state.value as T);
    if (state.status === CLOSED) return Promise.reject(state.error());
    return new Promise<T>((resolve, reject) => {
      const settle = (): void => (state.status === SENT ? resolve(state.value as T) : reject(state.error()));
      const hook = scheduleHook(); // a test harness orders the settlement (see internal/schedule.ts)
      state.rx.watch(hook === undefined ? settle : () => hook(settle, 'recv', state));
    });
  }
}

/** Feeds a oneshot receiver's iterators: the value once (`position` 1 once yielded), then done. */
class OneshotIterSource<T> implements IteratorSource<T> {
  readonly #state: OneshotState<Erased>;

  constructor(state: OneshotState<T>) {
    this.#state = state;
  }

  claimFor(): void {} // the value is remembered, like a promise: any number may read it

  releaseFor(): void {}

  async nextFor(it: ReceiverIterator<T>): Promise<IteratorResult<T>> {
    const state = this.#state;
    while (!it.returned && it.position < 0) {
      if (state.status === SENT) {
        it.position = 1;
        return { value: state.value as T, done: false };
      }
      if (state.status === CLOSED) {
        it.end();
        throw state.error();
      }
      await state.rx.wait(undefined, it);
    }
    it.end();
    return DONE;
  }

  cancelNext(it: ReceiverIterator<T>): void {
    this.#state.rx.cancel(it);
  }
}

/** What a receiver that moved into a port reads: closed, and failing as a dropped handle. */
class MovedState extends OneshotState<never> {
  constructor() {
    super();
    this.status = CLOSED;
    this.rxClosed = true;
  }

  override error(): ReceiverDroppedError {
    return new ReceiverDroppedError('this oneshot receiver moved into a port');
  }
}
