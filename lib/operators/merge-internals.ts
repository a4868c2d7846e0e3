/**
 * The machinery of `mergeMapBounded`, one object per subscription: the running inner
 * Observables, and the feed that supplies values to them (a receiver read on demand, or a
 * bounded buffer in front of an Observable). Not an operator and not exported.
 *
 * Every path checks `destination.closed` before it delivers or pulls, and every subscription
 * it makes is tied to the destination before it starts, so an unsubscribe during a
 * synchronous delivery stops everything at once, as with RxJS's own `mergeMap`.
 */
import { from, Subscription, type Observable, type ObservableInput, type Observer, type Subscriber } from 'rxjs';
import { RingBuffer } from '../internal/ring-buffer.js';
import { schedule } from '../internal/schedule.js';
import { NOT_READY, pullNow, pullRelease, selectWatch } from '../internal/selectable.js';
import { overflowError, releaseIterator, type SourceOverflowPolicy } from './connect.js';
import { onAbort, Upstream, type UpstreamHandler } from './upstream.js';

export type Project<T, R> = (value: T, index: number) => ObservableInput<R>;

/** The inner Observables and their accounting; a feed decides where values come from. */
abstract class Merge<T, R> {
  readonly destination: Subscriber<R>;
  readonly #project: Project<T, R>;
  readonly concurrency: number;
  /** Inner Observables (or promises) running. */
  active = 0;
  #index = 0;
  // A promise from `project` (an async function) is followed directly, without `from`: these
  // two, made once per subscription, serve every promise.
  readonly #promiseValue = (value: R): void => {
    const destination = this.destination;
    if (destination.closed) return;
    try {
      destination.next(value);
      this.innerDone();
    } catch (error) {
      destination.error(error);
    }
  };
  readonly #promiseError = (error: unknown): void => {
    if (!this.destination.closed) this.destination.error(error);
  };

  constructor(destination: Subscriber<R>, project: Project<T, R>, concurrency: number) {
    this.destination = destination;
    this.#project = project;
    this.concurrency = concurrency;
  }

  /** Hands `value` to `project` and follows its result; a throw there errors the destination. */
  run(value: T): void {
    this.active++;
    try {
      const input = this.#project(value, this.#index++);
      if (input instanceof Promise) {
        input.then(this.#promiseValue, this.#promiseError);
        return;
      }
      const inner = new Inner<R>(this);
      this.destination.add(inner); // before subscribing: a synchronous unsubscribe reaches it
      from(input).subscribe(inner);
    } catch (error) {
      this.destination.error(error);
    }
  }

  /** An inner Observable completed: its slot is free. */
  innerDone(): void {
    this.active--;
    this.refill();
  }

  /** Starts values into free slots; completes the destination once nothing is left. */
  abstract refill(): void;
}

/** What an inner subscriber reports to. */
interface InnerOwner<R> {
  readonly destination: Subscriber<R>;
  innerDone(): void;
}

/** The subscriber of one inner Observable, tied to the destination. */
class Inner<R> extends Subscription implements Observer<R> {
  readonly #merge: InnerOwner<R>;

  constructor(merge: InnerOwner<R>) {
    super();
    this.#merge = merge;
  }

  next(value: R): void {
    if (!this.closed) this.#merge.destination.next(value);
  }

  error(reason: unknown): void {
    if (this.closed) return;
    this.unsubscribe();
    this.#merge.destination.error(reason);
  }

  complete(): void {
    if (this.closed) return;
    this.unsubscribe(); // leaves the destination's finalizers, as a finished inner should
    this.#merge.innerDone();
  }
}

/** A queue receiver's synchronous take and readiness registration (either module build). */
interface PullNow<T> {
  [pullNow](owner: object): IteratorResult<T> | typeof NOT_READY;
  [pullRelease](owner: object): void;
  [selectWatch](wake: () => void): () => void;
}

/** Whether `source` offers the synchronous take (mpsc, mpmc and broadcast receivers). */
export function canPullNow<T>(source: unknown): source is PullNow<T> {
  const s = source as Partial<PullNow<T>> | null;
  return (
    s !== null &&
    typeof s === 'object' &&
    typeof s[pullNow] === 'function' &&
    typeof s[pullRelease] === 'function' &&
    typeof s[selectWatch] === 'function'
  );
}

/**
 * Fed by a queue receiver read synchronously: a value is taken only in the same step in which
 * it is handed to `project`, and only while a slot is free. When none is buffered it watches
 * for readiness, consuming nothing; unsubscribing just stops watching. So an output that ends
 * early (take(k), an error) leaves every value not handed on in the receiver, whatever the
 * concurrency.
 */
export class ReceiverMerge<T, R> extends Merge<T, R> {
  #rx: PullNow<T> | null = null;
  #unwatch: (() => void) | null = null;
  /** The receiver ended: the output completes when the inners do. */
  #ended = false;
  readonly #wake = (): void => {
    this.#unwatch = null;
    schedule(this.#refillJob);
  };
  readonly #refillJob = (): void => this.refill();

  start(rx: PullNow<T>): void {
    this.destination.add(this);
    this.#rx = rx;
    this.refill();
  }

  refill(): void {
    const destination = this.destination;
    const rx = this.#rx;
    while (!destination.closed && rx !== null && !this.#ended && this.active < this.concurrency && this.#unwatch === null) {
      let result: IteratorResult<T> | typeof NOT_READY;
      try {
        result = rx[pullNow](this); // claims the receiver for this reader (ReceiverBusyError if held)
      } catch (error) {
        destination.error(error);
        return;
      }
      if (result === NOT_READY) {
        this.#unwatch = rx[selectWatch](this.#wake);
        return;
      }
      if (result.done) this.#ended = true;
      else this.run(result.value);
    }
    if (this.#ended && this.active === 0 && !destination.closed) destination.complete();
  }

  /** The destination's teardown: stop watching; the receiver keeps what was not taken. */
  unsubscribe(): void {
    const rx = this.#rx;
    this.#rx = null;
    const unwatch = this.#unwatch;
    this.#unwatch = null;
    unwatch?.();
    rx?.[pullRelease](this);
  }
}

/**
 * Fed by an async iterator (a receiver's, or a `backpressure` stage's): `next()` is called
 * only while a slot is free and none is pending, so nothing is taken that is not handed to
 * `project`. Unsubscribing calls the iterator's `return()`, which leaves the rest in place.
 */
export class PullMerge<T, R> extends Merge<T, R> {
  #it: AsyncIterator<T> | null = null;
  #waiting = false;
  /** The iterator said `done`: no `return()` owed, the output completes when the inners do. */
  #ended = false;
  readonly #onResult = (result: IteratorResult<T>): void => {
    this.#waiting = false;
    // Closed meanwhile: `return()` has already settled a pending `next()` as done.
    if (this.destination.closed) return;
    try {
      if (result.done) this.#ended = true;
      else this.run(result.value);
      this.refill();
    } catch (error) {
      this.destination.error(error);
    }
  };
  readonly #onFailure = (error: unknown): void => {
    this.#waiting = false;
    if (!this.destination.closed) this.destination.error(error);
  };

  /** Ties the iterator's release to the destination, then takes the first value. */
  start(source: AsyncIterable<T>): void {
    this.destination.add(this);
    try {
      this.#it = source[Symbol.asyncIterator]();
    } catch (error) {
      this.destination.error(error);
      return;
    }
    this.refill();
  }

  refill(): void {
    const destination = this.destination;
    if (destination.closed) return;
    if (this.#ended) {
      if (this.active === 0) destination.complete();
      return;
    }
    if (this.#waiting || this.active >= this.concurrency) return;
    this.#waiting = true;
    try {
      Promise.resolve(this.#it!.next()).then(this.#onResult, this.#onFailure);
    } catch (error) {
      this.#waiting = false;
      destination.error(error);
    }
  }

  /** The destination's teardown: gives the source back. */
  unsubscribe(): void {
    const it = this.#it;
    this.#it = null;
    if (it !== null && !this.#ended) releaseIterator(it);
  }
}

/** How a buffer in front of an Observable handles what does not fit. */
export interface BufferPlan<T> {
  readonly capacity: number;
  readonly overflow: Exclude<SourceOverflowPolicy, 'wait'>;
  readonly onDrop: ((value: T) => void) | undefined;
  /**
   * `true` for a `backpressure` stage: a source failure (error, overflow, throwing `onDrop`)
   * reaches the destination after the buffered values, as from a channel; `false` for
   * `mergeMapBounded`'s own buffer: at once, as with `mergeMap`.
   */
  readonly deferErrors: boolean;
  /** A `backpressure` stage's signal: its abort ends the stage (the source completes early). */
  readonly signal: AbortSignal | undefined;
}

/** Fed by an Observable through a bounded buffer: values that find no free slot wait there. */
export class BufferMerge<T, R> extends Merge<T, R> implements UpstreamHandler<T> {
  readonly #plan: BufferPlan<T>;
  #buffer: RingBuffer<T> | null = null;
  #upstream: Upstream<T> | null = null;
  /** No more values will arrive: the source completed, failed (deferred) or its stage was aborted. */
  #ended = false;
  #failure: { reason: unknown } | null = null;

  constructor(destination: Subscriber<R>, project: Project<T, R>, concurrency: number, plan: BufferPlan<T>) {
    super(destination, project, concurrency);
    this.#plan = plan;
  }

  start(source: Observable<T>): void {
    const upstream = (this.#upstream = new Upstream<T>(this.destination, this));
    onAbort(this.#plan.signal, upstream, () => this.#endStage());
    if (!upstream.closed) source.subscribe(upstream);
  }

  upstreamNext(value: T): void {
    const buffer = this.#buffer;
    if (this.active < this.concurrency && (buffer === null || buffer.length === 0)) this.run(value);
    else this.#enqueue(value);
  }

  upstreamError(reason: unknown): void {
    this.#sourceFailed(reason);
  }

  upstreamComplete(): void {
    this.#ended = true;
    this.refill();
  }

  fail(reason: unknown): void {
    this.destination.error(reason);
  }

  refill(): void {
    const destination = this.destination;
    for (let buffer = this.#buffer; buffer !== null && buffer.length !== 0; buffer = this.#buffer) {
      if (destination.closed || this.active >= this.concurrency) return;
      this.run(buffer.shift());
    }
    if (destination.closed || !this.#ended) return;
    const failure = this.#failure;
    if (failure !== null) {
      // Delivered when the consumer would take the next value: a slot is free, nothing is left.
      if (this.active < this.concurrency) destination.error(failure.reason);
    } else if (this.active === 0) {
      destination.complete();
    }
  }

  #enqueue(value: T): void {
    const { capacity, overflow } = this.#plan;
    const buffer = (this.#buffer ??= new RingBuffer<T>(capacity));
    if (buffer.length < capacity) {
      buffer.push(value);
    } else if (overflow === 'error') {
      this.#sourceFailed(overflowError(value, this.#plan.deferErrors ? 'channel' : 'buffer'));
    } else if (overflow === 'dropNewest') {
      this.#drop(value);
    } else {
      const evicted = buffer.shift();
      buffer.push(value);
      this.#drop(evicted);
    }
  }

  #drop(value: T): void {
    const onDrop = this.#plan.onDrop;
    if (onDrop === undefined) return;
    try {
      onDrop(value);
    } catch (error) {
      this.#sourceFailed(error);
    }
  }

  /** The source failed, overflowed, or `onDrop` threw. */
  #sourceFailed(reason: unknown): void {
    if (!this.#plan.deferErrors) {
      this.destination.error(reason);
      return;
    }
    this.#upstream?.unsubscribe();
    this.#ended = true;
    this.#failure ??= { reason };
    this.refill();
  }

  /** The stage's signal aborted: as if its output had completed now (its buffer goes with it). */
  #endStage(): void {
    this.#upstream?.unsubscribe();
    this.#buffer = null;
    this.#ended = true;
    this.refill();
  }
}
