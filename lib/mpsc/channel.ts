import { Chan, type ChanConfig, type OverflowPolicy } from '../internal/chan.js';
import { checkFunction, checkInteger, checkOneOf, show } from '../internal/validate.js';
import { Permit } from './permit.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';

export type { OverflowPolicy };

/** Options of {@link channel}. */
export interface ChannelOptions<T> {
  /**
   * What a send does when no slot is free:
   * - `'wait'` (default): `send` waits, `trySend` returns `false`;
   * - `'dropOldest'`: never waits; the oldest buffered value is evicted to make room;
   * - `'dropNewest'`: never waits; the new value is discarded (`trySend` returns `false`).
   *
   * `reserve` always waits for a real slot, whatever the policy.
   */
  readonly overflow?: OverflowPolicy;
  /** Called synchronously with each value a drop policy discards. */
  readonly onDrop?: (value: T) => void;
  /**
   * How many sends (and reserves) may wait at once; the next one rejects at once with
   * `ChannelOverflowError`. Default `Infinity`.
   */
  readonly maxPendingSends?: number;
}

const POLICIES = ['wait', 'dropOldest', 'dropNewest'] as const;
const makePermit = <T>(chan: Chan<T, Permit<T>>): Permit<T> => new Permit(chan);
const DEFAULTS: ChanConfig<never, Permit<never>> = Object.freeze({
  overflow: 'wait',
  onDrop: undefined,
  maxPendingSends: Infinity,
  permit: makePermit,
});

/**
 * Creates a bounded multi-producer, single-consumer channel holding at most `capacity`
 * values. `await tx.send(v)` waits while it is full, so a fast producer cannot run ahead of
 * the consumer by more than `capacity` values.
 *
 * **Errors:** `RangeError` if `capacity` is not an integer >= 1 (`TypeError` if not a number);
 * `TypeError`/`RangeError` for malformed options.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(100);
 * await tx.send(1);
 * tx.drop();
 * await rx.recv(); // => 1
 * await rx.recv(); // => undefined
 * ```
 */
export function channel<T>(capacity: number, options?: ChannelOptions<T>): [Sender<T>, Receiver<T>] {
  checkInteger('capacity', capacity, 1);
  return pair(new Chan<T, Permit<T>>(capacity, configOf(options)));
}

/**
 * Creates an unbounded multi-producer, single-consumer channel: sends never wait and memory
 * grows with the backlog. Prefer {@link channel} unless the producer is bounded by other means.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.unboundedChannel<string>();
 * tx.trySend('a'); // => true
 * tx.capacity;     // => Infinity
 * await rx.recv(); // => 'a'
 * ```
 */
export function unboundedChannel<T>(): [Sender<T>, Receiver<T>] {
  return pair(new Chan<T, Permit<T>>(Infinity, DEFAULTS as unknown as ChanConfig<T, Permit<T>>));
}

function pair<T>(chan: Chan<T, Permit<T>>): [Sender<T>, Receiver<T>] {
  return [new Sender(chan), new Receiver(chan)];
}

/** Checks `options` and makes the channel settings (shared by mpsc and mpmc). */
export function configOf<T>(options: ChannelOptions<T> | undefined): ChanConfig<T, Permit<T>> {
  if (options === undefined) return DEFAULTS as unknown as ChanConfig<T, Permit<T>>;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${show(options)}`);
  }
  const { overflow = 'wait', onDrop, maxPendingSends = Infinity } = options;
  checkOneOf('overflow', overflow, POLICIES);
  checkFunction('onDrop', onDrop);
  checkInteger('maxPendingSends', maxPendingSends, 0, true);
  return { overflow, onDrop, maxPendingSends, permit: makePermit };
}
