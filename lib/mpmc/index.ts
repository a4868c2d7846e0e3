/**
 * Multi-producer, multi-consumer channels: a work queue with backpressure.
 *
 * `channel<T>(capacity)` returns a `[Sender, Receiver]` pair. Clone the sender for each
 * producer and the receiver for each worker; every value goes to exactly one receiver. The
 * sender is mpsc's `Sender` (same API, same errors); each receiver handle is an RxJS
 * Observable, an async iterable and a pull API, and any number of them may consume at once.
 *
 * **Distribution.** Waiting pulls (`recv`, `recvMany`, iterator `next()`) are served first,
 * longest-waiting first; values no pull waits for go to the subscribers in turn (round robin).
 * Per producer, values leave the channel in send order; which worker handles which value is
 * up to that distribution, so workers finish in any order.
 *
 * **Disconnection.** When every strong sender is dropped the receivers drain what is buffered
 * and then end: `recv` resolves `undefined`, `for await` finishes, subscribers complete. When
 * every receiver handle is dropped (`drop()`, `[Symbol.dispose]`) the channel closes for the
 * senders: sends reject `SendError` carrying the value, `tx.closed()` resolves.
 *
 * **Clean shutdown.** `rx.close()` closes for everyone at once but keeps buffered values
 * receivable from any handle: close, drain, then drop. Values still buffered when the last
 * handle is dropped can never be received.
 *
 * **Backpressure and memory.** As mpsc: at most `capacity` values buffered; `await tx.send(v)`
 * waits while full, in FIFO order; each waiting send, receive or subscriber costs one small
 * record.
 *
 * @example
 * ```ts
 * import { mpmc } from 'rxjs-channel';
 * const [tx, rx] = mpmc.channel<number>(4);
 * const worker = async (jobs: mpmc.Receiver<number>) => {
 *   using handle = jobs;
 *   let sum = 0;
 *   for await (const n of handle) sum += n;
 *   return sum;
 * };
 * const done = Promise.all([worker(rx.clone()), worker(rx.clone()), worker(rx)]);
 * for (let n = 1; n <= 10; n++) await tx.send(n);
 * tx.drop();
 * const sums = await done;
 * sums.reduce((a, b) => a + b); // => 55
 * ```
 *
 * @module
 */
export { channel, unboundedChannel } from './channel.js';
export type { Receiver } from './receiver.js';
export type { Permit } from '../mpsc/permit.js';
export type { Sender } from '../mpsc/sender.js';
export type { WaitOptions } from '../internal/validate.js';
export type { ChannelOptions, OverflowPolicy } from '../mpsc/channel.js';
export type { WeakSender } from '../mpsc/weak-sender.js';
export { senderFromPort, receiverFromPort } from './port.js';
export type { MessagePortLike } from '../mpsc/port.js';
export type { SendOptions } from '../internal/port/move.js';
