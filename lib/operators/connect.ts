/**
 * The machinery shared by `toChannel`, `backpressure` and `mergeMapBounded`: it checks their
 * options, tells pull sources from push sources, and pumps either into a fresh mpsc channel.
 * Not an operator and not exported from the package.
 */
import { from, Observable, observable as observableSymbol, type ObservableInput } from 'rxjs';
import { ChannelOverflowError } from '../errors.js';
import { isReceiver } from '../internal/brand.js';
import { rethrowLater } from '../internal/schedule.js';
import { checkFunction, checkInteger, checkOneOf, checkSignal, show } from '../internal/validate.js';
import { channel, type OverflowPolicy } from '../mpsc/channel.js';
import type { Permit } from '../mpsc/permit.js';
import type { Receiver } from '../mpsc/receiver.js';
import type { Sender } from '../mpsc/sender.js';
import { Upstream, type UpstreamHandler } from './upstream.js';

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
   * (AsyncIterable, iterable or array, ReadableStream, Promise, a receiver of this library),
   * `'error'` for a push source (an Observable), which `'wait'` is not allowed for.
   */
  readonly overflow?: SourceOverflowPolicy;
  /**
   * Called synchronously with each value `'dropOldest'` or `'dropNewest'` discards. If it
   * throws, the error ends the stream as a source error does (after the buffered values) and
   * the source is released.
   */
  readonly onDrop?: (value: T) => void;
  /** Aborting it stops the operator as an unsubscribe does: the source is released. */
  readonly signal?: AbortSignal;
}

/**
 * Registered key by which `mergeMapBounded` and `toChannel` recognise what `backpressure`
 * returns, from either module build: its value describes the stage.
 */
export const BACKPRESSURED: unique symbol = Symbol.for('rxjs-channel.backpressured') as never;

/**
 * A `backpressure` stage: over a receiver (read directly, nothing buffered), over a push
 * source (a bounded buffer with `plan`), or over another pull source (pumped with `plan`).
 */
export interface StageOf<T> {
  readonly mode: 'receiver' | 'push' | 'pull';
  readonly source: ObservableInput<T>;
  readonly plan: Plan<T>;
}

/** The stage behind `value`, if it is what `backpressure` returns (from either build). */
export function stageOf<T>(value: unknown): StageOf<T> | undefined {
  // Only objects carry the key: a stage is a `Backpressured`, an Observable subclass.
  if (typeof value !== 'object' || value === null) return undefined;
  const stage = (value as { [BACKPRESSURED]?: unknown })[BACKPRESSURED];
  return typeof stage === 'object' && stage !== null ? (stage as StageOf<T>) : undefined;
}

const POLICIES = ['wait', 'error', 'dropOldest', 'dropNewest'] as const;

/** A checked plan: the source's kind and the policy that applies to it. */
export interface Plan<T> {
  readonly push: boolean;
  readonly capacity: number;
  readonly overflow: SourceOverflowPolicy;
  readonly onDrop: ((value: T) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Checked options before the source is known: `overflow` stays undefined when defaulted. */
export interface Checked<T> {
  readonly capacity: number;
  readonly overflow: SourceOverflowPolicy | undefined;
  readonly onDrop: ((value: T) => void) | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Checks capacity and options (not the source). */
export function checkOptions<T>(capacity: number, options: SourceOptions<T> | undefined): Checked<T> {
  checkInteger('capacity', capacity, 1);
  if (options === undefined) return { capacity, overflow: undefined, onDrop: undefined, signal: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  const { overflow, onDrop } = options;
  if (overflow !== undefined) checkOneOf('overflow', overflow, POLICIES);
  checkFunction('onDrop', onDrop);
  const signal = checkSignal(options.signal);
  return { capacity, overflow, onDrop, signal };
}

/** Whether `source` pushes (an Observable other than ours) rather than being read on demand. */
export function isPushSource(source: unknown): boolean {
  if (isReceiver(source) || stageOf(source) !== undefined) return false;
  return (
    source instanceof Observable ||
    (source !== null &&
      (typeof source === 'object' || typeof source === 'function') &&
      typeof (source as Record<PropertyKey, unknown>)[observableSymbol] === 'function')
  );
}

/** Resolves the policy for `source`; `'wait'` asked of a push source is a RangeError. */
export function planFor<T>(source: unknown, checked: Checked<T>, caller: string): Plan<T> {
  const push = isPushSource(source);
  if (!push && !isPullable(source)) {
    throw new TypeError(
      `Expected the source of \`${caller}\` to be an Observable, Promise, AsyncIterable, iterable, array or ReadableStream, got ${show(source)}`,
    );
  }
  return { ...checked, push, overflow: pushOverflow(checked.overflow, push) };
}

/** The policy for a source: the default, or a RangeError for `'wait'` asked of a push source. */
export function pushOverflow(overflow: SourceOverflowPolicy | undefined, push: boolean): SourceOverflowPolicy {
  if (!push) return overflow ?? 'wait';
  if (overflow === 'wait') {
    throw new RangeError(
      `Expected \`overflow\` to be 'error', 'dropOldest' or 'dropNewest' for an Observable source, got ${show(overflow)}: ` +
        'an Observable pushes its values and cannot be made to wait; pass a pull source (an AsyncIterable, a Receiver) to wait',
    );
  }
  return overflow ?? 'error';
}

/** The error of a value that did not fit; `where` is "channel" or "buffer". */
export function overflowError<T>(value: T, where: string): ChannelOverflowError<T> {
  return new ChannelOverflowError(value, `a value from the source did not fit in the ${where}`);
}

/** A running pump: the receiver it fills, and a way to stop it at once. */
export interface Connection<T> {
  readonly rx: Receiver<T>;
  /** Closes the receiver and releases the source now (unsubscribe / iterator `return()`). */
  cancel(): void;
}

/**
 * Starts pumping `source` into a new channel, as `plan` says. `consume`, if given, attaches
 * the consumer first, so that one that keeps up gets a synchronous source's values as they
 * come instead of finding them piled up. An aborted `plan.signal` closes the receiver and
 * releases the source.
 */
export function connect<T>(source: ObservableInput<T>, plan: Plan<T>, consume?: (rx: Receiver<T>) => void): Connection<T> {
  const pump = new Pump(source, plan);
  consume?.(pump.rx);
  pump.start();
  return pump;
}

export interface Pull<T> {
  next(): IteratorResult<T> | PromiseLike<IteratorResult<T>>;
  return?(): unknown;
}

/**
 * One pump: the channel, the source's release, and the bookkeeping that keeps a throwing
 * `onDrop` or a closing consumer from leaving a value or a rejection unaccounted for.
 */
class Pump<T> implements Connection<T>, UpstreamHandler<T> {
  readonly rx: Receiver<T>;
  readonly #tx: Sender<T>;
  readonly #source: ObservableInput<T>;
  readonly #plan: Plan<T>;
  #stopped = false;
  /** Releases the source: an unsubscribe, or the iterator's `return()`. */
  #release: (() => void) | null = null;
  /** What a wrapped `onDrop` threw during the last send, if anything. */
  #dropFailure: { reason: unknown } | null = null;
  #abort: (() => void) | null = null;

  constructor(source: ObservableInput<T>, plan: Plan<T>) {
    const { overflow, onDrop } = plan;
    const drops = overflow === 'dropOldest' || overflow === 'dropNewest';
    // The channel never sees a throwing onDrop: its error is kept and fails the stream after the send.
    const guarded =
      onDrop === undefined
        ? undefined
        : (value: T): void => {
            try {
              onDrop(value);
            } catch (error) {
              this.#dropFailure ??= { reason: error };
            }
          };
    [this.#tx, this.rx] = channel<T>(plan.capacity, drops ? { overflow, onDrop: guarded } : undefined);
    this.#source = source;
    this.#plan = plan;
  }

  start(): void {
    const signal = this.#plan.signal;
    if (signal !== undefined) {
      if (signal.aborted) return this.cancel();
      this.#abort = () => this.cancel();
      signal.addEventListener('abort', this.#abort, { once: true });
    }
    // A close by the consumer releases the source; a teardown that throws then has nobody to tell.
    void this.#tx.closed().then(() => this.#stop()).catch(rethrowLater);
    if (this.#plan.push) this.#subscribe();
    else void this.#pull(iteratorOf(this.#source));
  }

  cancel(): void {
    this.rx.close();
    this.#stop();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#abort !== null) this.#plan.signal!.removeEventListener('abort', this.#abort);
    const release = this.#release;
    this.#release = null;
    try {
      release?.(); // a source's teardown may throw: the receiver still ends
    } finally {
      this.#tx.drop();
    }
  }

  /** Ends the receiver with `reason` after the buffered values, and releases the source. */
  #fail(reason: unknown): void {
    if (!this.#tx.isDropped) this.#tx.error(reason);
    this.#stop();
  }

  /** Puts a value the source produced without a reserved slot; stops the pump if it must. */
  #offer(value: T): void {
    const tx = this.#tx;
    if (tx.isClosed) return this.#stop(); // refused, as a send after close is
    const sent = tx.trySend(value);
    const failure = this.#dropFailure;
    if (failure !== null) this.#fail(failure.reason);
    else if (!sent && this.#plan.overflow === 'error') this.#fail(overflowError(value, 'channel'));
  }

  // ---- a push source ----------------------------------------------------------------------

  #subscribe(): void {
    const upstream = new Upstream<T>(null, this);
    this.#release = () => upstream.unsubscribe();
    from(this.#source).subscribe(upstream);
  }

  upstreamNext(value: T): void {
    this.#offer(value); // never after a stop: stopping unsubscribes the Upstream first
  }

  upstreamError(reason: unknown): void {
    this.#fail(reason);
  }

  upstreamComplete(): void {
    this.#stop();
  }

  fail(reason: unknown): void {
    this.#fail(reason);
  }

  // ---- a pull source ----------------------------------------------------------------------

  /**
   * Reads a pull source into the channel. Under `'wait'` a slot is reserved before each read,
   * so the source is read only while there is room, and a value read is never refused: a
   * permit granted before the consumer closed may still send.
   */
  async #pull(it: Pull<T>): Promise<void> {
    let finished = false; // the iterator ended or threw: no `return()` owed
    this.#release = () => {
      if (!finished) releaseIterator(it);
    };
    const tx = this.#tx;
    const wait = this.#plan.overflow === 'wait';
    let permit: Permit<T> | undefined;
    try {
      while (!this.#stopped && !tx.isClosed) {
        if (wait) {
          try {
            permit = tx.tryReserve() ?? (await tx.reserve());
          } catch {
            break; // the consumer closed while we waited for room (SendError)
          }
          if (this.#stopped) break;
        }
        let result: IteratorResult<T>;
        try {
          result = await it.next();
        } catch (error) {
          finished = true;
          this.#fail(error);
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
        } else {
          this.#offer(result.value); // a refusal stops the pump, which ends the loop
        }
      }
    } catch (error) {
      this.#fail(error); // nothing above should throw; if it does, the consumer hears of it
    } finally {
      permit?.release();
      this.#stop();
    }
  }
}

/** Calls an iterator's `return()`, which may throw or reject: the consumer has gone, nobody is left to tell. */
export function releaseIterator<T>(it: Pull<T>): void {
  if (typeof it.return !== 'function') return;
  try {
    void Promise.resolve(it.return()).then(undefined, noop);
  } catch {
    // see above
  }
}

function isPullable(source: unknown): boolean {
  if (typeof source === 'string') return true;
  // Every receiver of this library and every `backpressure` stage is async iterable.
  if (source === null || (typeof source !== 'object' && typeof source !== 'function')) return false;
  const s = source as Record<PropertyKey, unknown>;
  return (
    typeof s[Symbol.asyncIterator] === 'function' ||
    typeof s[Symbol.iterator] === 'function' ||
    typeof s.then === 'function' ||
    typeof s.getReader === 'function' ||
    (typeof s.length === 'number' && typeof source !== 'function')
  );
}

/**
 * Reads any pull source through one iterator shape. A receiver of this library (even one that
 * is also a promise, as a oneshot receiver is) and a `backpressure` stage are read through
 * their own async iterator.
 */
export function iteratorOf<T>(source: ObservableInput<T>): Pull<T> {
  const s = source as unknown as Record<PropertyKey, unknown>;
  // Before the promise test: a oneshot receiver is also a promise.
  if (isReceiver(source)) return (source as AsyncIterable<T>)[Symbol.asyncIterator]();
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

function noop(): void {}
