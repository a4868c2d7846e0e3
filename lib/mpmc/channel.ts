import { Chan, type ChanConfig } from '../internal/chan.js';
import { checkInteger } from '../internal/validate.js';
import { configOf, type ChannelOptions } from '../mpsc/channel.js';
import type { Permit } from '../mpsc/permit.js';
import { Sender } from '../mpsc/sender.js';
import { Receiver } from './receiver.js';
import { Shared } from './shared.js';

/**
 * Creates a bounded multi-producer, multi-consumer channel (a work queue) holding at most
 * `capacity` values. Clone the sender for each producer and the receiver for each worker:
 * every value goes to exactly one receiver. `await tx.send(v)` waits while the channel is full.
 *
 * The sender is the same {@link Sender} class as mpsc's, with the same API and errors, and the
 * options are mpsc's: `overflow` (`'wait'`, `'dropOldest'`, `'dropNewest'`), `onDrop` and
 * `maxPendingSends` (see `mpsc.ChannelOptions`).
 *
 * **Errors:** `RangeError` if `capacity` is not an integer >= 1 (`TypeError` if not a number);
 * `TypeError`/`RangeError` showing a malformed option.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * const [tx, rx] = mpmc.channel<string>(16);
 * const rx2 = rx.clone();
 * await tx.send('job 1');
 * await tx.send('job 2');
 * tx.drop();
 * await rx.recv();  // => 'job 1'
 * await rx2.recv(); // => 'job 2'
 * await rx.recv();  // => undefined
 * ```
 */
export function channel<T>(capacity: number, options?: ChannelOptions<T>): [Sender<T>, Receiver<T>] {
  checkInteger('capacity', capacity, 1);
  return pair(capacity, configOf(options));
}

/**
 * Creates an unbounded multi-producer, multi-consumer channel: sends never wait and memory
 * grows with the backlog. Prefer {@link channel} unless the producers are bounded otherwise.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * const [tx, rx] = mpmc.unboundedChannel<number>();
 * tx.trySend(1);    // => true
 * tx.capacity;      // => Infinity
 * await rx.recv();  // => 1
 * ```
 */
export function unboundedChannel<T>(): [Sender<T>, Receiver<T>] {
  return pair(Infinity, configOf<T>(undefined));
}

function pair<T>(bound: number, config: ChanConfig<T, Permit<T>>): [Sender<T>, Receiver<T>] {
  const chan = new Chan<T, Permit<T>>(bound, config);
  return [new Sender(chan), new Receiver(new Shared(chan))];
}
