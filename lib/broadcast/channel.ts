import { checkInteger, checkOneOf, show } from '../internal/validate.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';
import { Cursor, Shared, type LagPolicy } from './shared.js';

export type { LagPolicy };

/** Options of {@link channel}. */
export interface ChannelOptions {
  /**
   * What a lagging receiver does when consumed as an Observable or async iterator (`recv` and
   * `tryRecv` always report {@link LaggedError}, then continue):
   * - `'error'` (default): the Observable errors / the iterator throws with the `LaggedError`,
   *   so no loss goes unnoticed;
   * - `'skip'`: it continues silently from the oldest value still held, for streams where
   *   only recent values matter (prices, progress, telemetry).
   */
  readonly lag?: LagPolicy;
}

const LAG_POLICIES = ['error', 'skip'] as const;

/**
 * Creates a broadcast channel: every value sent reaches every receiver that exists at that
 * moment. The channel holds the last `capacity` values; a send never waits and overwrites the
 * oldest value when full, so a receiver more than `capacity` values behind gets
 * {@link LaggedError} (or skips, see {@link ChannelOptions.lag}).
 *
 * Make more receivers with `tx.subscribe()` or `rx.resubscribe()`.
 *
 * **Errors:** `RangeError` if `capacity` is not an integer >= 1 (`TypeError` if not a number);
 * `TypeError`/`RangeError` for malformed options.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * const [tx, rx1] = broadcast.channel<number>(16);
 * const rx2 = tx.subscribe();
 * tx.send(10);        // => 2
 * await rx1.recv();   // => 10
 * await rx2.recv();   // => 10
 * ```
 */
export function channel<T>(capacity: number, options?: ChannelOptions): [Sender<T>, Receiver<T>] {
  checkInteger('capacity', capacity, 1);
  let lag: LagPolicy = 'error';
  if (options !== undefined) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
    }
    lag = checkOneOf('lag', options.lag ?? 'error', LAG_POLICIES);
  }
  const shared = new Shared<T>(capacity, lag);
  return [new Sender(shared), new Receiver(shared, new Cursor(shared, 0))];
}
