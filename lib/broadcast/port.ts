import { openPort } from '../internal/port/link.js';
import type { MessagePortLike } from '../mpsc/port.js';
import { Receiver } from './receiver.js';
import { BROADCAST, Feed, RemoteSender, type BroadcastHello } from './remote.js';
import { Sender } from './sender.js';

export type { TransferOptions } from '../internal/port/mirror.js';

/**
 * Opens a port made by a broadcast `Sender.intoPort()` in this thread: the moved sender, as an
 * ordinary broadcast {@link Sender}. Everything a sender does works here: `send` (never
 * waiting, as always: the ring is in the channel's thread and overwrites its oldest value
 * there), `clone`, `drop`, `using`, `closed()`, `error(e)`, `subscribe()` (a receiver in this
 * thread that sees the values sent after the channel's thread heard of it), the Observer form
 * and `intoPort()` to move it further (straight to the channel's thread).
 *
 * Values are structured-cloned into the channel's thread; `send(v, { transfer })` moves
 * transferables instead; a value that cannot be cloned throws the `DataCloneError` and is not
 * sent. `send` returns, and `receiverCount` says, the receivers this thread last heard of; a
 * send is refused with `SendError` once it heard there are none (or that the channel failed),
 * and a value that arrives after the last receiver left reaches nobody. `length` is 0 here:
 * the values are held in the channel's thread.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a receiver.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * const [tx, rx] = broadcast.channel<string>(8);
 * const remote = broadcast.senderFromPort<string>(tx.intoPort()); // in a worker, in real use
 * remote.send('a'); // => 1
 * remote.send('b'); // => 1
 * remote.drop();
 * await rx.recvMany(8); // => ['a', 'b']
 * await rx.recv();      // => undefined
 * ```
 */
export function senderFromPort<T>(port: MessagePortLike): Sender<T> {
  const opened = openPort(port, BROADCAST, 'sender');
  return new Sender<T>(new RemoteSender<T>(opened.port, opened.hello as BroadcastHello | null));
}

/**
 * Opens a port made by a broadcast `Receiver.intoPort()` in this thread: the moved receiver, as
 * an ordinary broadcast {@link Receiver} (Observable, `for await`, `recv`, `recvMany`,
 * `tryRecv`, select, the operators). It continues where the moved receiver stood and sees
 * every value sent after, in order, or a {@link LaggedError} with the count of those it lost
 * (see `Receiver.intoPort` for how lag is counted across threads). `resubscribe()` makes more
 * receivers in this thread; they count in the channel's `receiverCount`.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a sender.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = broadcast.channel<number>(8);
 * const remote = broadcast.receiverFromPort<number>(rx.intoPort());
 * const all = lastValueFrom(remote.pipe(toArray()));
 * tx.send(1);
 * tx.send(2);
 * tx.drop();
 * await all; // => [1, 2]
 * ```
 */
export function receiverFromPort<T>(port: MessagePortLike): Receiver<T> {
  const opened = openPort(port, BROADCAST, 'receiver');
  const hello = opened.hello as BroadcastHello | null;
  const feed = new Feed<T>(opened.port, hello?.bound ?? 1, hello?.lag ?? 'error');
  if (hello === null) feed.link.expectHello(BROADCAST, 'receiver', (h) => feed.ring.init(h.bound, (h as unknown as BroadcastHello).lag));
  return new Receiver<T>(feed.ring, feed.cursor);
}
