import { Receiver } from './receiver.js';
import { Sender } from './sender.js';
import { Shared } from './shared.js';

/**
 * Creates a watch channel holding `initial`: one current value that senders replace and
 * receivers read, waiting for changes. Receivers see the latest value only, never a backlog.
 *
 * The first receiver has seen `initial` (its `changed()` waits for the first send).
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * const [tx, rx] = watch.channel({ theme: 'light' });
 * rx.borrow();                 // => { theme: 'light' }
 * tx.send({ theme: 'dark' });
 * await rx.changed();
 * rx.borrowAndUpdate().theme;  // => 'dark'
 * ```
 */
export function channel<T>(initial: T): [Sender<T>, Receiver<T>] {
  const shared = new Shared(initial);
  return [new Sender(shared), new Receiver(shared, shared.version)];
}
