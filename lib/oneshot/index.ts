/**
 * Oneshot channels, after tokio's `sync::oneshot`: a single value sent from one task to
 * another, typically the reply to a request.
 *
 * `channel<T>()` returns a `[Sender, Receiver]` pair. The receiver is awaitable (`await rx`),
 * an Observable that emits once and completes, and an async iterable of one value.
 *
 * **Disconnection.** A sender dropped (`drop()`, end of a `using` scope) without sending makes
 * the receiver fail with `RecvError`: a forgotten reply is an error, not a hang. A receiver that
 * closes (`close()`, disposal) makes `send` return `false` and resolves `tx.closed()`, so the
 * responder can stop working on a reply nobody waits for.
 *
 * **Single use.** `send` spends the sender (tokio's `send` takes it by value); a second `send`
 * throws `SenderDroppedError` and the first value stands. The receiver settles once and
 * remembers, as a promise does.
 *
 * **Memory bound.** One value, held until the receiver is collected.
 *
 * **Threads.** Either end moves to another thread (`intoPort()`, then `senderFromPort` /
 * `receiverFromPort` there), and moves again from there. The value lives in the thread that
 * made the channel until it reaches the receiver's thread: it crosses one port, or two when
 * both ends moved (through the channel's thread). A thread holding an end that ends counts
 * as that end dropped.
 *
 * @example
 * ```ts
 * import { mpsc, oneshot } from 'rxjs-channel';
 * interface Request { n: number; reply: oneshot.Sender<number> }
 * const [requests, inbox] = mpsc.channel<Request>(8);
 * void (async () => {
 *   for await (const { n, reply } of inbox) reply.send(n * n);
 * })();
 * const [reply, answer] = oneshot.channel<number>();
 * await requests.send({ n: 7, reply });
 * await answer; // => 49
 * requests.drop();
 * ```
 *
 * @module
 */
export { channel } from './channel.js';
export type { Receiver } from './receiver.js';
export type { Sender } from './sender.js';
export { receiverFromPort, senderFromPort } from './port.js';
export type { TransferOptions } from '../internal/port/mirror.js';
