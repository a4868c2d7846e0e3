import { INSPECT } from '../internal/inspect.js';
import { show } from '../internal/validate.js';
import { currentHook, realClearTimeout, realSetTimeout } from './hook.js';
import { describeSnapshot, inspect, type ChannelSnapshot } from './inspect.js';

/** Options of {@link collect}. */
export interface CollectOptions {
  /**
   * Milliseconds of real time to wait for the end (default 2000, below jest's 5 s test
   * timeout); `Infinity` waits for ever.
   */
  readonly timeout?: number;
}

/**
 * The end of a channel did not come within {@link collect}'s timeout: usually a sender that
 * was never dropped. The message shows what was received and how many senders still hold the
 * channel.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { collect, CollectTimeoutError } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(2);
 * tx.trySend(1);
 * const error = await collect(rx, { timeout: 0 }).then(() => undefined, (e: unknown) => e);
 * error instanceof CollectTimeoutError; // => true
 * (error as CollectTimeoutError<number>).values; // => [1]
 * (error as CollectTimeoutError<number>).snapshot?.senders; // => 1
 * tx.drop();
 * ```
 */
export class CollectTimeoutError<T = unknown> extends Error {
  /** Always `'CollectTimeoutError'`: tells this error apart without `instanceof`. */
  override readonly name = 'CollectTimeoutError';
  /** The values received before the timeout, in order. */
  readonly values: readonly T[];
  /** The channel as the receiver saw it when the time ran out (`undefined` for a plain AsyncIterable). */
  readonly snapshot: ChannelSnapshot | undefined;

  /** @internal Made by {@link collect}. */
  constructor(values: readonly T[], snapshot: ChannelSnapshot | undefined, timeout: number) {
    const got = `received ${values.length} value${values.length === 1 ? '' : 's'}${values.length === 0 ? '' : ` (${values.map((v) => show(v)).join(', ')})`}`;
    const held =
      snapshot === undefined
        ? ''
        : `; ${snapshot.senders} sender${snapshot.senders === 1 ? '' : 's'} still hold${snapshot.senders === 1 ? 's' : ''} the channel (${describeSnapshot(snapshot)})`;
    super(`collect: the channel did not end within ${timeout} ms: ${got}${held}`);
    this.values = values;
    this.snapshot = snapshot;
  }
}

const TIMED_OUT: unique symbol = Symbol('timedOut');

/**
 * Reads `rx` to its end and resolves with every value, in order. When the end does not come
 * within `timeout` ms of real time, it stops reading (releasing the receiver, consuming nothing
 * more) and rejects {@link CollectTimeoutError}, showing what arrived and how many senders still
 * hold the channel: a forgotten `drop()` fails fast with the culprit named, not as a jest
 * timeout.
 *
 * `rx` is any receiver (or any `AsyncIterable`). The timeout runs on the real clock, captured
 * when `rxjs-channel/testing` loads, so fake timers installed afterwards do not freeze it (with
 * fake timers installed before, as jest's `fakeTimers.enableGlobally` does, it runs on the fake
 * clock). Inside {@link explore}, there is no timer: the explorer reports a scenario that cannot
 * finish.
 *
 * **Errors:** rejects {@link CollectTimeoutError}; rejects with the channel's error after a
 * sender's `error(e)`; `RangeError`/`TypeError` showing a bad `timeout`.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { collect } from 'rxjs-channel/testing';
 * const [tx, rx] = mpsc.channel<number>(4);
 * const tx2 = tx.clone();
 * await tx.send(1);
 * tx.drop();                                    // tx2 is forgotten
 * const message = await collect(rx, { timeout: 0 }).then(String, (e: Error) => e.message);
 * message;
 * // => 'collect: the channel did not end within 0 ms: received 1 value (`1` (number)); 1 sender still holds the channel (mpsc receiver: buffered 0, pendingSends 0, waitingReceives 1, permits 0, senders 1, closed false)'
 * tx2.drop();
 * await collect(rx);                            // => []
 * ```
 */
export async function collect<T>(rx: AsyncIterable<T>, options?: CollectOptions): Promise<T[]> {
  const timeout = options?.timeout ?? 2000;
  if (typeof timeout !== 'number') throw new TypeError(`Expected \`timeout\` to be a number >= 0, got ${show(timeout)}`);
  if (!(timeout >= 0)) throw new RangeError(`Expected \`timeout\` to be a number >= 0, got ${show(timeout)}`);
  if (rx === null || typeof rx !== 'object' || typeof (rx as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] !== 'function') {
    throw new TypeError(`Expected \`rx\` to be a receiver (an AsyncIterable), got ${show(rx)}`);
  }
  const iterator = rx[Symbol.asyncIterator]();
  const values: T[] = [];
  // No timer inside explore (its scenarios run on promise jobs) nor beyond what a timer holds.
  const timed = timeout <= 0x7fffffff && currentHook()?.idle === undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = timed ? new Promise<typeof TIMED_OUT>((resolve) => (timer = realSetTimeout(() => resolve(TIMED_OUT), timeout))) : null;
  try {
    for (;;) {
      const next = iterator.next();
      const result = expired === null ? await next : await Promise.race([next, expired]);
      if (result === TIMED_OUT) {
        const snapshot = INSPECT in rx ? inspect(rx) : undefined;
        void Promise.resolve(iterator.return?.()).catch(() => {});
        next.catch(() => {});
        throw new CollectTimeoutError(values, snapshot, timeout);
      }
      if (result.done === true) return values;
      values.push(result.value);
    }
  } finally {
    if (timer !== undefined) realClearTimeout(timer);
  }
}
