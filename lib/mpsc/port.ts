import { Chan } from '../internal/chan.js';
import { openPort } from '../internal/port/link.js';
import { feedChannel, RemoteSenderChan } from '../internal/port/move.js';
import { configOf } from './channel.js';
import { Permit } from './permit.js';
import { Receiver } from './receiver.js';
import { Sender } from './sender.js';

/**
 * What `senderFromPort` / `receiverFromPort` accept: a `MessagePort`, Node `worker_threads`' or
 * the browser's (both fit; the port's `addEventListener` and `close` event are used too).
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx] = mpsc.channel<number>(1);
 * const port: mpsc.MessagePortLike = tx.intoPort();
 * mpsc.senderFromPort<number>(port).drop();
 * ```
 */
export interface MessagePortLike {
  /** Posts a message to the other end (the transport batches through it). */
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  /** Closes this end; the other end sees its `close` event. */
  close(): void;
}

/** The sender ports mpsc and mpmc share: their senders are one class. */
const QUEUE = ['queue'] as const;

/**
 * Opens a port made by `Sender.intoPort()` (of an mpsc or mpmc channel) in this thread: the
 * moved sender, as an ordinary {@link Sender}. Everything a sender does works here: `send`
 * (waiting while the channel is full, across the port), `trySend` (true only when this thread
 * holds a free slot), `reserve`, `clone`, `drop`, `using`, `closed()`, `error(e)`, select and
 * `intoPort()` to move it further (straight to the channel's thread, never through this one).
 *
 * Values are structured-cloned into the channel's thread; `send(v, { transfer })` moves
 * transferables instead. Open the port once; the thread that opens it owns the sender.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a receiver. Where the runtime cannot read a port synchronously (in
 * browsers) a port of the wrong kind is reported when its first message arrives (a
 * `TypeError` thrown from a promise job: an unhandled rejection, the `unhandledrejection`
 * event in a browser), and the sender acts as closed.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(1);
 * const port = tx.intoPort();   // in a real program: transferred to a worker
 * using remote = mpsc.senderFromPort<number>(port);
 * await remote.send(1);
 * const second = remote.send(2); // waits: the channel holds one value
 * await rx.recv();              // => 1
 * await second;
 * await rx.recv();              // => 2
 * ```
 */
export function senderFromPort<T>(port: MessagePortLike): Sender<T> {
  const opened = openPort(port, QUEUE, 'sender');
  const chan = new RemoteSenderChan<T, Permit<T>>(opened.port, opened.hello, QUEUE, (c) => new Permit(c as unknown as Chan<T, Permit<T>>));
  return new Sender<T>(chan as unknown as Chan<T, Permit<T>>);
}

/**
 * Opens a port made by an mpsc `Receiver.intoPort()` in this thread: the moved receiver, as an
 * ordinary {@link Receiver} (Observable, `for await`, `recv`, `recvMany`, select, the
 * operators). Values come as this thread takes them, at most a window ahead; a value keeps its
 * slot in the channel's thread until a consumer here took it, so the channel's bound holds.
 *
 * **Errors:** `TypeError` saying what `port` was, if it is not a port, was already opened, or
 * carries another kind or a sender.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<string>(4);
 * const remote = mpsc.receiverFromPort<string>(rx.intoPort());
 * await tx.send('a');
 * tx.drop();
 * await remote.recv(); // => 'a'
 * await remote.recv(); // => undefined
 * ```
 */
export function receiverFromPort<T>(port: MessagePortLike): Receiver<T> {
  const opened = openPort(port, ['mpsc'], 'receiver');
  const chan = feedChannel<T>(opened.port, opened.hello, ['mpsc'], (window) => new Chan<T, Permit<T>>(window, configOf<T>(undefined)) as never, () => false);
  return new Receiver<T>(chan as unknown as Chan<T, Permit<T>>);
}
