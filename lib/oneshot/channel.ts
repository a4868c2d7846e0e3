import { Receiver } from './receiver.js';
import { Sender } from './sender.js';
import { OneshotState } from './state.js';

/**
 * Creates a oneshot channel: one value, sent once, from one sender to one receiver. The
 * natural reply path of a request: put the `Sender` in the request, `await` the `Receiver`.
 *
 * @example
 * ```ts
 * import { oneshot } from 'rxjs-channel';
 * const [tx, rx] = oneshot.channel<number>();
 * tx.send(42); // => true
 * await rx;    // => 42
 * ```
 */
export function channel<T>(): [Sender<T>, Receiver<T>] {
  const state = new OneshotState<T>();
  return [new Sender(state), new Receiver(state)];
}
