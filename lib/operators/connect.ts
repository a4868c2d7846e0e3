/**
 * The machinery shared by `toChannel`, `backpressure` and `mergeMapBounded`: it tells pull
 * sources from push sources and pumps either into a fresh mpsc channel. Not an operator and
 * not exported from the package.
 */
import { from, Observable, observable as observableSymbol, type ObservableInput, type Subscription } from 'rxjs';
import { ChannelOverflowError } from '../errors.js';
import { checkFunction, checkInteger, checkOneOf, show } from '../internal/validate.js';
import { channel, type OverflowPolicy } from '../mpsc/channel.js';
import type { Permit } from '../mpsc/permit.js';
import { Receiver } from '../mpsc/receiver.js';
import type { Sender } from '../mpsc/sender.js';

/**
 * What happens to a value from a source that finds the channel full:
 * - `'wait'`: the source is not read until a slot frees (pull sources only: an Observable
 *   cannot be paused);
 * - `'error'`: the receiver gets the values already buffered, then fails with
 *   `ChannelOverflowError` carrying the value that did not fit, and the source is released;
 * - `'dropOldest'` / `'dropNewest'`: as the channel policies of the same name.
 */
export type SourceOverflowPolicy = OverflowPolicy | 'error';

/** Options shared by `toChannel` and `backpressure`. */
export interface SourceOptions<T> {
  /**
   * What to do with a value that does not fit. Default: `'wait'` for a pull source
   * (AsyncIterable, iterable or array, ReadableStream, Promise, another `Receiver`), `'error'`
   * for a push source (an Observable), which `'wait'` is not allowed for.
   */
  readonly overflow?: SourceOverflowPolicy;
  /** Called synchronously with each value `'dropOldest'` or `'dropNewest'` discards. */
  readonly onDrop?: (value: T) => void;
}

/** A running pump: the receiver it fills, and a way to stop it at once. */
export interface Connection<T> {
  readonly rx: Receiver<T>;
  /** Closes the receiver and releases the source now (unsubscribe / iterator `return()`). */
  cancel(): void;
}

/** Marks an object whose async iteration is bounded, so it is read as a pull source. */
export const PULL_SOURCE: unique symbol = Symbol('rxjs-channel.pullSource');

const POLICIES = ['wait', 'error', 'dropOldest', 'dropNewest'] as const;

/** A checked plan: the source's kind and the policy that applies to it. */
export interface Plan<T> {
  readonly push: boolean;
  readonly capacity: number;
  readonly overflow: SourceOverflowPolicy;
  readonly onDrop: ((value: T) => void) | undefined;
}

/** Checks capacity and options (not the source); `overflow` stays undefined when defaulted. */
export function checkOptions<T>(
  capacity: number,
  options: SourceOptions<T> | undefined,
): { capacity: number; overflow: SourceOverflowPolicy | undefined; onDrop: ((value: T) => void) | undefined } {
  checkInteger('capacity', capacity, 1);
  if (options === undefined) return { capacity, overflow: undefined, onDrop: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  const { overflow, onDrop } = options;
  if (overflow !== undefined) checkOneOf('overflow', overflow, POLICIES);
  checkFunction('onDrop', onDrop);
  return { capacity, overflow, onDrop };
}

/** Whether `source` pushes (an Observable other than ours) rather than being read on demand. */
export function isPushSource(source: unknown): boolean {
  if (source instanceof Receiver) return false;
  if (source !== null && typeof source === 'object' && PULL_SOURCE in source) return false;
  return (
    source instanceof Observable ||
    (source !== null &&
      (typeof source === 'object' || typeof source === 'function') &&
      typeof (source as Record<PropertyKey, unknown>)[observableSymbol] === 'function')
  );
}

/** Resolves the policy for `source`; `'wait'` asked of a push source is a RangeError. */
export function planFor<T>(
  source: unknown,
  checked: ReturnType<typeof checkOptions<T>>,
  caller: string,
): Plan<T> {
  const push = isPushSource(source);
  if (!push && !isPullable(source)) {
    throw new TypeError(
      `Expected the source of \`${caller}\` to be an Observable, Promise, AsyncIterable, iterable, array or ReadableStream, got ${show(source)}`,
    );
  }
  const overflow = checked.overflow ?? (push ? 'error' : 'wait');
  if (push && overflow === 'wait') {
    throw new RangeError(
      `Expected \`overflow\` to be 'error', 'dropOldest' or 'dropNewest' for an Observable source, got ${show(overflow)}: ` +
        'an Observable pushes its values and cannot be made to wait; pass a pull source (an AsyncIterable, a Receiver) to wait',
    );
  }
  return { push, capacity: checked.capacity, overflow, onDrop: checked.onDrop };
}

/**
 * Starts pumping `source` into a new channel, as `plan` says. `consume`, if given, attaches
 * the consumer first, so that one that keeps up gets a synchronous source's values as they
 * come instead of finding them piled up.
 */
export function connect<T>(
  source: ObservableInput<T>,
  plan: Plan<T>,
  consume?: (rx: Receiver<T>) => void,
): Connection<T> {
  const { overflow, onDrop } = plan;
  const [tx, rx] = channel<T>(
    plan.capacity,
    overflow === 'dropOldest' || overflow === 'dropNewest' ? { overflow, onDrop } : undefined,
  );
  consume?.(rx);
  const closed = tx.closed();
  const stop = plan.push ? pushInto(from(source), tx, overflow) : pullInto(iteratorOf(source), tx, overflow);
  // A close by the consumer releases the source; for `cancel` that happens synchronously.
  void closed.then(stop);
  return {
    rx,
    cancel(): void {
      rx.close();
      stop();
    },
  };
}

function overflowError<T>(value: T): ChannelOverflowError<T> {
  return new ChannelOverflowError(value, 'a value from the source did not fit in the channel');
}

/** Subscribes `tx` to a push source; returns the (idempotent) stop. */
function pushInto<T>(source: Observable<T>, tx: Sender<T>, overflow: SourceOverflowPolicy): () => void {
  let subscription: Subscription | undefined = undefined;
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    subscription?.unsubscribe();
    tx.drop();
  };
  subscription = source.subscribe({
    next(value) {
      if (stopped) return;
      // The consumer closed and the stop is not through yet: the value is refused, as a send is.
      if (tx.isClosed) return stop();
      if (!tx.trySend(value) && overflow === 'error') {
        tx.error(overflowError(value));
        stop();
      }
    },
    error(reason: unknown) {
      if (!tx.isDropped) tx.error(reason);
      stop();
    },
    complete: stop,
  });
  // A synchronous source may have ended (or overflowed) before `subscribe` returned.
  if (stopped) subscription.unsubscribe();
  return stop;
}

interface Pull<T> {
  next(): IteratorResult<T> | PromiseLike<IteratorResult<T>>;
  return?(): unknown;
}

function isPullable(source: unknown): boolean {
  if (source === null || source === undefined) return false;
  if (typeof source === 'string') return true;
  if (typeof source !== 'object' && typeof source !== 'function') return false;
  const s = source as Record<PropertyKey, unknown>;
  return (
    typeof s[Symbol.asyncIterator] === 'function' ||
    typeof s[Symbol.iterator] === 'function' ||
    typeof s.then === 'function' ||
    typeof s.getReader === 'function' ||
    (typeof s.length === 'number' && typeof source !== 'function')
  );
}

/** Reads any pull source through one iterator shape. */
function iteratorOf<T>(source: ObservableInput<T>): Pull<T> {
  const s = source as unknown as Record<PropertyKey, unknown>;
  if (typeof s.then === 'function') {
    let taken = false;
    return {
      next: () =>
        taken
          ? { value: undefined, done: true }
          : Promise.resolve(source as PromiseLike<T>).then((value) => ((taken = true), { value, done: false })),
    };
  }
  if (typeof s[Symbol.asyncIterator] === 'function') return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
  if (typeof s[Symbol.iterator] === 'function') return (source as Iterable<T>)[Symbol.iterator]();
  if (typeof s.getReader === 'function') {
    const reader = (source as ReadableStream<T>).getReader();
    return {
      next: () =>
        reader.read().then((r) => {
          if (r.done) reader.releaseLock();
          return r as IteratorResult<T>;
        }),
      return: () => {
        const cancelled = reader.cancel();
        reader.releaseLock();
        return cancelled;
      },
    };
  }
  const list = source as unknown as ArrayLike<T>;
  let i = 0;
  return { next: () => (i < list.length ? { value: list[i++], done: false } : { value: undefined, done: true }) };
}

/**
 * Reads a pull source into `tx`. Under `'wait'` a slot is reserved before each read, so the
 * source is read only while there is room, and a value read is never refused: a permit granted
 * before the consumer closed may still send.
 */
function pullInto<T>(it: Pull<T>, tx: Sender<T>, overflow: SourceOverflowPolicy): () => void {
  let stopped = false;
  let finished = false; // the iterator ended or threw: no `return()` owed
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    if (finished || it.return === undefined) return;
    finished = true;
    try {
      const result = it.return();
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
        (result as PromiseLike<unknown>).then(undefined, noop);
      }
    } catch {
      // The consumer is gone: there is nobody left to tell that the source failed to release.
    }
  };
  void (async () => {
    let permit: Permit<T> | undefined;
    try {
      while (!stopped && !tx.isClosed) {
        if (overflow === 'wait') {
          try {
            permit = tx.tryReserve() ?? (await tx.reserve());
          } catch {
            break; // the consumer closed while we waited for room (SendError)
          }
          if (stopped) break;
        }
        let result: IteratorResult<T>;
        try {
          result = await it.next();
        } catch (error) {
          finished = true;
          tx.error(error);
          break;
        }
        if (result.done) {
          finished = true;
          break;
        }
        if (permit !== undefined) {
          const p = permit;
          permit = undefined;
          p.send(result.value);
        } else if (tx.isClosed) {
          break; // refused, as a send after close is
        } else if (!tx.trySend(result.value) && overflow === 'error') {
          tx.error(overflowError(result.value));
          break;
        }
      }
    } finally {
      permit?.release();
      stop();
      tx.drop();
    }
  })();
  return stop;
}

function noop(): void {}
