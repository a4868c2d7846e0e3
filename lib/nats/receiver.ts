import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { ReceiverBusyError } from '../errors.js';
import { RECEIVER } from '../internal/brand.js';
import { disposeSymbol } from '../internal/disposable.js';
import { NOT_READY, selectPoll, selectWatch } from '../internal/selectable.js';
import { checkInteger, rejectBadSignal, type WaitOptions } from '../internal/validate.js';
import type { Link } from './link.js';
import type { Pump } from './pump.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true as const });
const END: unique symbol = Symbol('end');
const noop = (): void => {};

/**
 * The receiving half of a NATS channel: `mpsc.Receiver<T>`'s words over a JetStream pull
 * consumer. An RxJS `Observable`, an `AsyncIterable`, a pull API (`recv`, `tryRecv`,
 * `recvMany`) and a `select` branch; the library's operators read it on demand (it carries the
 * mpsc receiver brand). `R` is the value type, or `Delivery<T>` with `ack: 'manual'`.
 *
 * It holds at most `window` values un-acknowledged, pulled ahead of the consumer; with
 * `ack: 'onReceive'` a value is acknowledged when it is handed over. One consumer at a time in
 * this process (a second concurrent subscriber gets {@link ReceiverBusyError}); for
 * `jetstream.channel`, also one receiver at a time across the cluster.
 *
 * It ends (`complete`, `done`, `recv` → `undefined`) once no sender is registered any more
 * (or the channel was closed) and the stream holds nothing, here or anywhere: every value
 * acknowledged. After a sender's `error(e)` it fails with a `RemoteChannelError` instead.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const ch = await jetstream.channel<number>(nc, name, { capacity: 8 });
 * const tx = await ch.sender();
 * for (const n of [1, 2, 3]) await tx.send(n);
 * await tx.drop();
 * const rx = await ch.receiver();
 * await lastValueFrom(rx.pipe(toArray())); // => [1, 2, 3]
 * ```
 */
export class NatsReceiver<R> extends Observable<R> implements AsyncIterable<R> {
  /** @internal Protocol brand (a registered symbol): read as a pull source by the operators. */
  get [RECEIVER](): 'mpsc' {
    return 'mpsc';
  }

  readonly #link: Link<unknown>;
  readonly #pump: Pump<unknown>;
  readonly #release: () => Promise<void>;
  #owner: object | null = null;
  #dropped: Promise<void> | null = null;

  /** @internal Made by `NatsChannel.receiver()`. */
  constructor(link: Link<unknown>, pump: Pump<unknown>, release: () => Promise<void>) {
    super();
    this.#link = link;
    this.#pump = pump;
    this.#release = release;
  }

  /** @internal A value, the end, or NOT_READY; throws the end's error once drained. */
  poll(): { value: R } | typeof END | typeof NOT_READY {
    const taken = this.#pump.take();
    if (taken !== null) return taken as { value: R };
    const ended = this.#pump.ended;
    if (ended === null) return NOT_READY;
    if (ended.error !== undefined) throw ended.error;
    return END;
  }

  #busy(by: object | null): boolean {
    return this.#owner !== null && this.#owner !== by && this.#pump.ended === null;
  }

  /** @internal */
  hold(by: object | null): void {
    this.#owner = by;
  }

  /** @internal */
  owner(): object | null {
    return this.#owner;
  }

  /**
   * Receives the next value, waiting for one. Resolves `undefined` once the channel has ended.
   *
   * **Errors:** rejects with a `RemoteChannelError` after a sender's `error()`, or the codec's
   * error for a value it cannot decode (that value is terminated on the server), once drained;
   * {@link ReceiverBusyError} while a subscriber or iterator holds the receiver.
   *
   * **Cancellation:** an abort rejects with `signal.reason` and takes no value.
   */
  recv(options?: WaitOptions): Promise<R | undefined> {
    return this.#wait(options, (r) => (r === END ? undefined : r.value));
  }

  /** Waits for at least one value, then takes up to `limit` of those buffered. `[]` at the end. */
  recvMany(limit: number, options?: WaitOptions): Promise<R[]> {
    try {
      checkInteger('limit', limit, 1);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#wait(options, (first) => {
      if (first === END) return [];
      const out = [first.value];
      while (out.length < limit) {
        const next = this.#pump.take();
        if (next === null) break;
        out.push(next.value as R);
      }
      return out;
    });
  }

  #wait<O>(options: WaitOptions | undefined, finish: (r: { value: R } | typeof END) => O): Promise<O> {
    if (this.#busy(null)) return Promise.reject(new ReceiverBusyError());
    const bad = rejectBadSignal(options);
    if (bad !== null) return bad;
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<O>((resolve, reject) => {
      let off = noop;
      const onAbort = (): void => {
        off();
        reject(signal?.reason);
      };
      const attempt = (): void => {
        let r: ReturnType<NatsReceiver<R>['poll']>;
        try {
          r = this.poll();
        } catch (error) {
          signal?.removeEventListener('abort', onAbort);
          return reject(error);
        }
        if (r === NOT_READY) {
          off = this.#pump.watch(attempt);
          return;
        }
        signal?.removeEventListener('abort', onAbort);
        resolve(finish(r));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      attempt();
    });
  }

  /** Takes a value pulled ahead already, without waiting, or returns `undefined`. */
  tryRecv(): R | undefined {
    if (this.#busy(null)) throw new ReceiverBusyError();
    const r = this.poll();
    return r === NOT_READY || r === END ? undefined : r.value;
  }

  /**
   * Closes the channel for everyone (idempotent): every sender process sees `closed()` resolve,
   * and waiting and later sends reject `SendError`. This receiver still drains what is stored,
   * then ends. Resolves once the close is recorded on the server.
   */
  close(): Promise<void> {
    return this.#link.close({});
  }

  /** Same as {@link NatsReceiver.drop}, for `using rx = ...`. */
  [disposeSymbol](): void {
    void this.drop();
  }

  /**
   * Stops receiving in this process without closing the channel: values pulled ahead are given
   * back to the server at once (for another receiver), and a `jetstream.channel` receiver lock
   * is released. The stream then ends here.
   */
  drop(): Promise<void> {
    if (this.#dropped === null) {
      this.#pump.stop(true);
      this.#dropped = this.#release();
      this.#dropped.catch(noop);
    }
    return this.#dropped;
  }

  /** Whether this receive has ended (the end was seen, or the receiver dropped). */
  get isClosed(): boolean {
    return this.#pump.ended !== null;
  }

  /** Values pulled ahead and not yet handed over. */
  get length(): number {
    return this.#pump.length;
  }

  /** Whether no value is pulled ahead. */
  get isEmpty(): boolean {
    return this.#pump.length === 0;
  }

  /** The capacity the channel was created with. */
  get maxCapacity(): number {
    return this.#link.config.capacity;
  }

  /** Select protocol: a receive now (a value, or `undefined` at the end), or `NOT_READY`. */
  [selectPoll](): R | undefined | typeof NOT_READY {
    if (this.#busy(null)) throw new ReceiverBusyError();
    const r = this.poll();
    return r === END ? undefined : r === NOT_READY ? NOT_READY : r.value;
  }

  /** Select protocol: calls `wake` once a value is pulled ahead or the receive ends. */
  [selectWatch](wake: () => void): () => void {
    return this.#pump.watch(wake);
  }

  /** An async iterator over the values; `return()` (`break`) settles a pending `next()` with `done` and takes nothing. */
  [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    return new NatsReceiverIterator(this, this.#pump);
  }

  /** @internal RxJS calls this for each subscription. */
  _subscribe(subscriber: Subscriber<R>): TeardownLogic {
    if (this.#busy(subscriber)) {
      subscriber.error(new ReceiverBusyError());
      return;
    }
    this.#owner = subscriber;
    let off = noop;
    const deliver = (): void => {
      off = noop;
      while (!subscriber.closed) {
        let r: ReturnType<NatsReceiver<R>['poll']>;
        try {
          r = this.poll();
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (r === NOT_READY) {
          off = this.#pump.watch(deliver);
          return;
        }
        if (r === END) return subscriber.complete();
        subscriber.next(r.value);
      }
    };
    deliver();
    return () => {
      off();
      if (this.#owner === subscriber) this.#owner = null;
    };
  }
}

class NatsReceiverIterator<R> implements AsyncIterableIterator<R> {
  readonly #rx: NatsReceiver<R>;
  readonly #pump: Pump<unknown>;
  #state: 'fresh' | 'claimed' | 'done' = 'fresh';
  #off = noop;
  #pending: ((result: IteratorResult<R>) => void) | null = null;

  constructor(rx: NatsReceiver<R>, pump: Pump<unknown>) {
    this.#rx = rx;
    this.#pump = pump;
  }

  next(): Promise<IteratorResult<R>> {
    if (this.#state === 'done') return Promise.resolve(DONE);
    if (this.#state === 'fresh') {
      const owner = this.#rx.owner();
      if (owner !== null && owner !== this && this.#pump.ended === null) return Promise.reject(new ReceiverBusyError());
      this.#rx.hold(this);
      this.#state = 'claimed';
    }
    return new Promise<IteratorResult<R>>((resolve, reject) => {
      const attempt = (): void => {
        this.#off = noop;
        this.#pending = null;
        if (this.#state === 'done') return resolve(DONE);
        let r: ReturnType<NatsReceiver<R>['poll']>;
        try {
          r = this.#rx.poll();
        } catch (error) {
          this.#finish();
          return reject(error);
        }
        if (r === NOT_READY) {
          this.#pending = resolve;
          this.#off = this.#pump.watch(attempt);
          return;
        }
        if (r === END) {
          this.#finish();
          return resolve(DONE);
        }
        resolve({ value: r.value, done: false });
      };
      attempt();
    });
  }

  #finish(): void {
    if (this.#state === 'claimed' && this.#rx.owner() === this) this.#rx.hold(null);
    this.#state = 'done';
  }

  return(): Promise<IteratorResult<R>> {
    this.#off();
    this.#off = noop;
    const pending = this.#pending;
    this.#pending = null;
    this.#finish();
    pending?.(DONE);
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<R> {
    return this;
  }
}
