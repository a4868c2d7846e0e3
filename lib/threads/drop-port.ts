import { dropFar } from '../internal/port/link.js';
import { show } from '../internal/validate.js';
import type { MessagePortLike } from '../mpsc/port.js';

/**
 * Drops the handle that moved through `port`, in the thread that made the port: the channel
 * acts as it does when the thread the handle went to ends. Use it where ports fire no `close`
 * event when the other thread dies (Chromium, by default): call it with the ports you sent a
 * worker when you terminate the worker, or when it fails.
 *
 * What follows is what a thread's end does: a moved sender counts down (`rx.senderCount`; the
 * receiver ends once every sender is gone), a moved mpsc receiver closes the channel (senders
 * see `SendError`), a moved mpmc receiver counts down and the values handed to it and not
 * taken go back into the channel for another receiver, a moved oneshot sender drops
 * (`RecvError`); broadcast and watch handles are let go the same way.
 *
 * Returns `true` if the handle was still served, `false` if it was gone already (or the port
 * was not made here). After it, the port cannot be opened in this thread; a thread that
 * opened it elsewhere finds its handle closed or its sends unanswered, so drop the port only
 * once that thread is gone or will be terminated.
 *
 * **Gotchas:** only the thread that called `intoPort()` can drop its port, and a handle moved
 * further from a worker (`intoPort()` there) is dropped by that worker, not here. Values the
 * far thread sent in its last turn may be lost with it, as with `worker.terminate()`.
 *
 * **Errors:** `TypeError` if `port` is not an object.
 *
 * @example
 * ```ts
 * import { dropPort, mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(4);
 * const port = tx.clone().intoPort(); // sent to a worker; worker.onerror: terminate it, then:
 * rx.senderCount;  // => 2
 * dropPort(port);  // => true
 * rx.senderCount;  // => 1
 * dropPort(port);  // => false
 * tx.drop();
 * await rx.recv(); // => undefined
 * ```
 */
export function dropPort(port: MessagePortLike): boolean {
  if (port === null || typeof port !== 'object') throw new TypeError(`Expected \`port\` to be a MessagePort made by intoPort(), got ${show(port)}`);
  return dropFar(port);
}
