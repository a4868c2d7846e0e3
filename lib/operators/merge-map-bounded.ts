import {
  from,
  Observable,
  Subscription,
  type ObservableInput,
  type ObservedValueOf,
  type OperatorFunction,
  type Subscriber,
} from 'rxjs';
import { ChannelOverflowError } from '../errors.js';
import { checkInteger, show } from '../internal/validate.js';
import { channel } from '../mpsc/channel.js';
import { Receiver } from '../mpsc/receiver.js';
import { Backpressured } from './backpressure.js';
import { checkOptions, planFor, type SourceOverflowPolicy } from './connect.js';

/** Options of {@link mergeMapBounded}. */
export interface MergeMapBoundedOptions<T> {
  /** How many projected inner Observables run at once: an integer >= 1. */
  readonly concurrency: number;
  /**
   * For a source that is not a `Receiver` (nor `toChannel`/`backpressure` output): how many
   * values may wait for a free slot. Default 16.
   */
  readonly capacity?: number;
  /**
   * For such a source: what to do with a value that does not fit. Default `'error'`;
   * `'dropOldest'`, `'dropNewest'` as for channels. `'wait'` is a `RangeError` there (an
   * Observable cannot be made to wait); ignored for a `Receiver`, which is read on demand.
   */
  readonly overflow?: SourceOverflowPolicy;
  /** Called synchronously with each value a drop policy discards. */
  readonly onDrop?: (value: T) => void;
}

/**
 * `mergeMap` with a concurrency limit whose waiting values sit in a bounded channel instead of
 * an unbounded array.
 *
 * - When the source is a `Receiver` (or what `toChannel` / `backpressure` return), the next
 *   value is taken only when a project slot is free. Producers' `await tx.send(v)` waits in
 *   turn: backpressure from the last stage of a pipeline to the first. Unsubscribing gives the
 *   receiver back with every value not yet taken.
 * - For any other source, at most `capacity` values (default 16) wait for a slot, and
 *   `overflow` (default `'error'`) decides what happens beyond that. As with `mergeMap`, an
 *   overflow (`ChannelOverflowError` carrying the value) or a source error reaches the
 *   subscriber at once.
 *
 * Inner values are emitted as they come, as `mergeMap` does; the output completes once the
 * source has ended and every inner Observable has completed.
 *
 * **Errors:** `TypeError`/`RangeError` showing the bad value for a `project` that is not a
 * function, a `concurrency` or `capacity` that is not an integer >= 1, or malformed options;
 * `RangeError` for `overflow: 'wait'` with a source that is not a `Receiver`.
 *
 * @example
 * ```ts
 * import { mergeMapBounded, mpsc } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = mpsc.channel<number>(2);
 * const double = async (n: number) => n * 2;
 * const results = lastValueFrom(rx.pipe(mergeMapBounded(double, { concurrency: 2 }), toArray()));
 * for (let i = 1; i <= 5; i++) await tx.send(i); // waits whenever both slots and the buffer are full
 * tx.drop();
 * (await results).sort((a, b) => a - b); // => [2, 4, 6, 8, 10]
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
  type R = ObservedValueOf<O>;
  const run = project as unknown as (value: T, index: number) => ObservableInput<R>;

  return (source) => {
    if (source instanceof Receiver) {
      const rx = source as Receiver<T>;
      return new Observable<R>((destination) => drain(rx, run, concurrency, destination));
    }
    if (source instanceof Backpressured) {
      const pull = source as Backpressured<T>;
      return new Observable<R>((destination) => {
        let stop: () => void = noop;
        const connection = pull.connect((rx) => (stop = drain(rx, run, concurrency, destination)));
        return () => {
          stop();
          connection.cancel();
        };
      });
    }
    const plan = planFor<T>(source, checked, 'mergeMapBounded');
    const { overflow, onDrop } = plan;
    return new Observable<R>((destination) => {
      const [tx, rx] = channel<T>(
        plan.capacity,
        overflow === 'dropOldest' || overflow === 'dropNewest' ? { overflow, onDrop } : undefined,
      );
      // The consumer side first, so a value that finds a free slot goes to `project` in the
      // same step in which the source emits it, as with mergeMap.
      const stop = drain(rx, run, concurrency, destination);
      const upstream = source.subscribe({
        next(value) {
          if (destination.closed) return;
          if (!tx.trySend(value) && overflow === 'error') {
            destination.error(new ChannelOverflowError(value, 'a value from the source did not fit in the buffer'));
          }
        },
        error: (reason: unknown) => destination.error(reason),
        complete: () => tx.drop(),
      });
      return () => {
        upstream.unsubscribe();
        stop();
        rx.close();
      };
    });
  };
}

/**
 * Feeds `project` from `rx`, taking a value only while fewer than `concurrency` inner
 * Observables run. It subscribes to `rx` while a slot is free and unsubscribes as soon as none
 * is: a value leaves the channel only in the same synchronous step that hands it to
 * `project`, so nothing is taken that is not processed. Returns the teardown, which gives the
 * receiver back with what it still holds.
 */
function drain<T, R>(
  rx: Receiver<T>,
  project: (value: T, index: number) => ObservableInput<R>,
  concurrency: number,
  destination: Subscriber<R>,
): () => void {
  // While no slot is free the receiver stays held by this token, so it is not taken over.
  const token = {};
  const inners = new Subscription();
  let sink: Subscriber<T> | null = null;
  let active = 0;
  let index = 0;
  let ended = false;
  let stopped = false;

  const release = (): void => {
    const current = sink;
    sink = null;
    current?.unsubscribe();
  };
  const attach = (): void => {
    if (sink !== null || ended || stopped || active >= concurrency) return;
    if (rx.owner() === token) rx.hold(null);
    // A wrapper Observable hands us the Subscriber before `rx` delivers anything, so `onValue`
    // can detach it in the middle of a synchronous delivery.
    new Observable<T>((subscriber) => {
      sink = subscriber;
      rx.subscribe(subscriber);
    }).subscribe({ next: onValue, error: onError, complete: onEnd });
  };
  const finishIfIdle = (): void => {
    if (ended && active === 0 && !stopped) destination.complete();
  };
  function onValue(value: T): void {
    const i = index++;
    if (++active >= concurrency) {
      release();
      if (!ended && !stopped) rx.hold(token);
    }
    let input: ObservableInput<R>;
    try {
      input = project(value, i);
    } catch (error) {
      destination.error(error);
      return;
    }
    const inner = new Subscription();
    inners.add(inner);
    inner.add(
      from(input).subscribe({
        next: (result) => destination.next(result),
        error: (error: unknown) => destination.error(error),
        complete: () => {
          inners.remove(inner);
          active--;
          finishIfIdle();
          attach();
        },
      }),
    );
  }
  function onError(error: unknown): void {
    ended = true;
    sink = null;
    destination.error(error);
  }
  function onEnd(): void {
    ended = true;
    sink = null;
    finishIfIdle();
  }

  attach();
  return () => {
    stopped = true;
    release();
    inners.unsubscribe();
    if (rx.owner() === token) rx.hold(null);
  };
}

function noop(): void {}
