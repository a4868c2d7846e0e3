import { openPort } from '../internal/port/link.js';
import type { MessagePortLike } from '../mpsc/port.js';
import { Receiver } from './receiver.js';
import { Feed, RemoteSender, WATCH, type WatchHello } from './remote.js';
import { Sender } from './sender.js';

export type { TransferOptions } from '../internal/port/mirror.js';

/**
 * Opens a port made by a watch `Sender.intoPort()` in this thread: the moved sender, as an
 * ordinary watch {@link Sender}. Everything a sender does works here: `send`, `sendReplace`,
 * `sendModify`, `sendIfModified`, `borrow`, `clone`, `drop`, `using`, `closed()`, `error(e)`,
 * `subscribe()` (a receiver in this thread), the Observer form and `intoPort()` to move it
 * further (straight to the channel's thread).
 *
 * Each send stores the value here (what `borrow()` reads) and sends it to the channel's thread,
 * where it becomes a new version (the latest of a turn: watch coalesces anyway). Values are
 * structured-cloned; `send(v, { transfer })` moves transferables; a value that cannot be
 * cloned throws the `DataCloneError` and is not stored. New versions from other senders reach
 * this thread too, so `borrow()` and `sendModify` see the latest value.
 *
 * **Gotchas:** `sendModify` runs here, on this thread's copy: it is not atomic with sends made
 * in other threads meanwhile (the later value wins in the channel's thread). `send` is refused
 * with `SendError` when this thread last heard of no receiver; a value that arrives after the
 * last receiver left is stored all the same, as `sendReplace` does. Where the runtime cannot
 * read a port synchronously (in browsers) the current value comes with the port's first
 * message, a macrotask later: until then `borrow()` returns `undefined` (or this thread's last
 * send), and a `sendModify` / `sendIfModified` is queued and runs on the value once it is here
 * (`sendIfModified` then returns `false`: nothing is sent yet), with everything called after it
 * (`send`, `error(e)`, `drop()`, `intoPort()`) waiting behind it, so the channel sees all of it
 * in call order. An error a queued `modify` throws is rethrown from a promise job (an unhandled
 * rejection) and the calls after it still run.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a receiver.
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * const [tx, rx] = watch.channel({ hits: 0 });
 * const remote = watch.senderFromPort<{ hits: number }>(tx.intoPort()); // in a worker, in real use
 * remote.sendModify((s) => { s.hits++; });
 * remote.borrow();     // => { hits: 1 }
 * await rx.changed();
 * rx.borrow();         // => { hits: 1 }
 * ```
 */
export function senderFromPort<T>(port: MessagePortLike): Sender<T> {
  const opened = openPort(port, WATCH, 'sender');
  return new Sender<T>(new RemoteSender<T>(opened.port, opened.hello as WatchHello | null));
}

/**
 * Opens a port made by a watch `Receiver.intoPort()` in this thread: the moved receiver, as an
 * ordinary watch {@link Receiver} (`borrow`, `borrowAndUpdate`, `changed()`, `hasChanged`, the
 * Observable, `for await`, select, `clone`). It holds a copy of the current value and gets the
 * latest one whenever the channel has a new version (several versions in one turn of the
 * channel's thread arrive as the last); what it has seen is kept here. `changed()` rejects
 * `RecvError` once every sender is dropped (after a final unseen version), or the channel's
 * thread ended.
 *
 * **Gotchas:** where the runtime cannot read a port synchronously (in browsers) the value
 * comes with the port's first message, a macrotask later: until then `borrow()` returns
 * `undefined` and the Observable has emitted nothing. The arrival counts as a new version
 * there (what the receiver had seen before it moved is not kept), so `await rx.changed()`
 * resolves with it. The Observable's first value is the current one in every runtime.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a sender.
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * const [tx, rx] = watch.channel('a');
 * const remote = watch.receiverFromPort<string>(rx.intoPort()); // in a worker, in real use
 * remote.borrow(); // => 'a'
 * tx.send('b');
 * tx.send('c');
 * await remote.changed();
 * remote.borrowAndUpdate(); // => 'c'
 * ```
 */
export function receiverFromPort<T>(port: MessagePortLike): Receiver<T> {
  const opened = openPort(port, WATCH, 'receiver');
  const hello = opened.hello as WatchHello | null;
  const feed = new Feed<T>(opened.port, hello?.value as T);
  return new Receiver<T>(feed.mirror, hello === null ? feed.late() : feed.seen(hello.changed));
}
