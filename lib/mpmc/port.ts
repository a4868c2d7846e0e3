import { Chan } from '../internal/chan.js';
import { openPort } from '../internal/port/link.js';
import { feedChannel } from '../internal/port/move.js';
import { configOf } from '../mpsc/channel.js';
import type { Permit } from '../mpsc/permit.js';
import type { MessagePortLike } from '../mpsc/port.js';
import { Receiver } from './receiver.js';
import { Shared } from './shared.js';

export { senderFromPort } from '../mpsc/port.js';

/**
 * Opens a port made by an mpmc `Receiver.intoPort()` in this thread: the moved handle, as an
 * ordinary mpmc {@link Receiver} (clone it for several consumers here). Values come as this
 * thread's consumers take them, at most a window ahead; each is taken by exactly one receiver
 * of the channel, in whichever thread. Values that reached this thread but no consumer here go
 * back to the channel when every handle here is dropped or this thread ends.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a sender.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * const [tx, rx] = mpmc.channel<string>(4);
 * const remote = mpmc.receiverFromPort<string>(rx.intoPort());
 * await tx.send('job');
 * tx.drop();
 * await remote.recv(); // => 'job'
 * await remote.recv(); // => undefined
 * ```
 */
export function receiverFromPort<T>(port: MessagePortLike): Receiver<T> {
  const opened = openPort(port, ['mpmc'], 'receiver');
  let shared: Shared<T> | null = null;
  const chan = feedChannel<T>(
    opened.port,
    opened.hello,
    ['mpmc'],
    (window) => new Chan<T, Permit<T>>(window, configOf<T>(undefined)) as never,
    () => shared !== null && shared.handles === 0,
  );
  shared = new Shared(chan as unknown as Chan<T, Permit<T>>);
  return new Receiver<T>(shared);
}
