import { from, Observable, type ObservableInput, type ObservedValueOf, type OperatorFunction } from 'rxjs';
import { isReceiver } from '../internal/brand.js';
import { checkInteger, checkSignal, show } from '../internal/validate.js';
import { checkOptions, pushOverflow, stageOf, type SourceOverflowPolicy } from './connect.js';
import { BufferMerge, canPullNow, PullMerge, ReceiverMerge, type BufferPlan, type Project } from './merge-internals.js';
import { completeOnAbort } from './upstream.js';

/** Options of {@link mergeMapBounded}. */
export interface MergeMapBoundedOptions<T> {
  /** How many projected inner Observables run at once: an integer >= 1. */
  readonly concurrency: number;
  /**
   * For a source that is not a receiver (nor `toChannel`/`backpressure` output): how many
   * values may wait for a free slot. Default 16.
   */
  readonly capacity?: number;
  /**
   * For such a source: what to do with a value that does not fit. Default `'error'`;
   * `'dropOldest'`, `'dropNewest'` as for channels. `'wait'` is a `RangeError` there (an
   * Observable cannot be made to wait); ignored for a receiver, which is read on demand.
   */
  readonly overflow?: SourceOverflowPolicy;
  /**
   * Called synchronously with each value a drop policy discards. If it throws, the output
   * fails with its error at once, as for a source error.
   */
  readonly onDrop?: (value: T) => void;
  /**
   * Aborting it stops the operator as an unsubscribe does (the source is released, running
   * inner subscriptions are unsubscribed, a receiver keeps every value not yet taken), then
   * completes the output, so that whoever waits for it (`lastValueFrom`) is not left hanging.
   */
  readonly signal?: AbortSignal;
}

/**
 * `mergeMap` with a concurrency limit whose waiting values sit in a bounded buffer instead of
 * an unbounded array.
 *
 * - When the source is a **receiver** of this library (any kind, from either module build; or
 *   what `toChannel` / `backpressure` make of one), the next value is taken, through the
 *   receiver's async iterator, only when a project slot is free. Producers' `await tx.send(v)`
 *   waits in turn: backpressure from the last stage of a pipeline to the first. Unsubscribing
 *   (also during the first delivery: `take(1)`, `firstValueFrom`, a throwing `project`) gives
 *   the receiver back with every value not yet taken.
 * - For any other source, at most `capacity` values (default 16) wait for a slot, and
 *   `overflow` (default `'error'`) decides what happens beyond that. As with `mergeMap`, an
 *   overflow (`ChannelOverflowError` carrying the value) or a source error reaches the
 *   subscriber at once. Behind `backpressure(n, options)`, the stage's buffer and policy apply
 *   instead, and its errors come after the buffered values, as from a channel.
 *
 * Inner values are emitted as they come, as `mergeMap` does; the output completes once the
 * source has ended and every inner Observable has completed. A `project` that throws, an inner
 * error and a throwing `onDrop` fail the output; the values not yet taken stay in a receiver
 * source. To release the producers of a receiver when the pipeline fails, end it with
 * `closeOnError(rx)`.
 *
 * **Cancellation:** see {@link MergeMapBoundedOptions.signal}.
 *
 * **Errors:** `TypeError`/`RangeError` showing the bad value for a `project` that is not a
 * function, a `concurrency` or `capacity` that is not an integer >= 1, a `signal` that is not
 * an AbortSignal, or malformed options (when called); `RangeError` for `overflow: 'wait'` with
 * a source that is not a receiver (when applied to it).
 *
 * **Stopping early loses nothing:** over an mpsc, mpmc or broadcast receiver (from either
 * module build, directly or behind `backpressure`), a value leaves the receiver only in the
 * synchronous step that hands it to `project`, so `take(n)`, `firstValueFrom`, a failing
 * `project` or inner leave every value not projected in the receiver, at any `concurrency`.
 * The receiver is held (`ReceiverBusyError` for other consumers) while the output runs.
 *
 * @example
 * ```ts
 * import { mergeMapBounded, mpsc } from 'rxjs-channel';
 * import { lastValueFrom, take, toArray } from 'rxjs';
 * const [tx, rx] = mpsc.channel<number>(2);
 * const double = async (n: number) => n * 2;
 * const results = lastValueFrom(rx.pipe(mergeMapBounded(double, { concurrency: 2 }), toArray()));
 * for (let i = 1; i <= 5; i++) await tx.send(i); // waits whenever both slots and the buffer are full
 * tx.drop();
 * (await results).sort((a, b) => a - b); // => [2, 4, 6, 8, 10]
 *
 * const [tx2, rx2] = mpsc.channel<number>(8);
 * [1, 2, 3, 4, 5].forEach((n) => tx2.trySend(n));
 * await lastValueFrom(rx2.pipe(mergeMapBounded(double, { concurrency: 1 }), take(1))); // => 2
 * rx2.length; // => 4
 *
 * const stop = new AbortController();
 * const stuck = () => new Promise<number>(() => {}); // work that never ends
 * const out = lastValueFrom(rx2.pipe(mergeMapBounded(stuck, { concurrency: 1, signal: stop.signal }), toArray()));
 * await new Promise((resolve) => setTimeout(resolve, 0));
 * stop.abort();
 * await out;  // => []
 * rx2.length; // => 3
 * ```
 */
export function mergeMapBounded<T, O extends ObservableInput<unknown>>(
  project: (value: T, index: number) => O,
  options: MergeMapBoundedOptions<T>,
): OperatorFunction<T, ObservedValueOf<O>> {
  if (typeof project !== 'function') {
    throw new TypeError(`Expected \`project\` to be a function, got ${show(project)}`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object with \`concurrency\`, got ${show(options)}`);
  }
  const concurrency = checkInteger('concurrency', options.concurrency, 1);
  const checked = checkOptions(options.capacity ?? 16, { overflow: options.overflow, onDrop: options.onDrop });
  const signal = checkSignal(options.signal);
  type R = ObservedValueOf<O>;
  const run = project as unknown as Project<T, R>;

  return (source) => {
    const stage = stageOf<T>(source);
    // A queue receiver (directly or behind backpressure stages) is read synchronously: a value
    // leaves it only in the step that hands it to `project`.
    let inner: unknown = source;
    const stageSignals: (AbortSignal | undefined)[] = [];
    for (let s = stage; s !== undefined && s.mode === 'receiver'; s = stageOf<T>(inner)) {
      stageSignals.push(s.plan.signal);
      inner = s.source;
    }
    if (canPullNow<T>(inner)) {
      const rx = inner;
      return new Observable<R>((destination) => {
        if (completeOnAbort(signal, destination)) return;
        for (const stageSignal of stageSignals) if (completeOnAbort(stageSignal, destination)) return;
        new ReceiverMerge<T, R>(destination, run, concurrency).start(rx);
      });
    }
    if (isReceiver(source) || (stage !== undefined && stage.mode !== 'push')) {
      // Read on demand: a receiver's iterator, or the stage's (a receiver's, or its own pump).
      const pull = source as unknown as AsyncIterable<T>;
      return new Observable<R>((destination) => {
        if (completeOnAbort(signal, destination)) return;
        new PullMerge<T, R>(destination, run, concurrency).start(pull);
      });
    }
    let plan: BufferPlan<T>;
    let upstream: Observable<T>;
    if (stage !== undefined) {
      const { capacity, overflow, onDrop } = stage.plan;
      plan = { capacity, overflow: pushOverflow(overflow, true) as BufferPlan<T>['overflow'], onDrop, deferErrors: true, signal: stage.plan.signal };
      upstream = from(stage.source);
    } else {
      const overflow = pushOverflow(checked.overflow, true) as BufferPlan<T>['overflow'];
      plan = { capacity: checked.capacity, overflow, onDrop: checked.onDrop, deferErrors: false, signal: undefined };
      upstream = source;
    }
    return new Observable<R>((destination) => {
      if (completeOnAbort(signal, destination)) return;
      new BufferMerge<T, R>(destination, run, concurrency, plan).start(upstream);
    });
  };
}
