/**
 * Multi-producer, single-consumer channels, after tokio's `sync::mpsc`.
 *
 * `channel<T>(capacity)` returns a `[Sender, Receiver]` pair. Clone the sender for each
 * producer; the receiver is an RxJS Observable and an async iterable with one consumer.
 *
 * **Disconnection.** When every strong sender is dropped (`drop()`, `complete()`, or the end of
 * a `using` scope) the receiver drains what is buffered and then ends: `recv` resolves
 * `undefined`, `for await` finishes, the Observable completes. When the receiver closes, sends
 * reject `SendError` carrying the value, and `tx.closed()` resolves.
 *
 * **Clean shutdown.** `rx.close()` refuses new sends but keeps buffered values receivable; drain
 * them before letting go. `tx.error(e)` closes for everyone and fails the receiver with `e`
 * after it drained.
 *
 * **Backpressure.** A bounded channel holds at most `capacity` values; `await tx.send(v)` waits
 * while it is full, in FIFO order. `reserve()` waits for a slot without committing a value.
 *
 * **Memory bound.** Buffered values never exceed `capacity`; each waiting send costs one small
 * record until a slot frees. `maxPendingSends` bounds those too, and the `overflow` policies
 * (`'dropOldest'`, `'dropNewest'`) never wait at all.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = mpsc.channel<string>(100);
 * const producer = async (name: string, sender: mpsc.Sender<string>) => {
 *   using tx = sender;
 *   await tx.send(name);
 * };
 * void Promise.all([producer('bob', tx.clone()), producer('tom', tx)]);
 * await lastValueFrom(rx.pipe(toArray())); // => ['bob', 'tom']
 * ```
 *
 * @module
 */
export { channel, unboundedChannel, type ChannelOptions, type OverflowPolicy } from './channel.js';
export type { Permit } from './permit.js';
export type { Receiver } from './receiver.js';
export type { Sender } from './sender.js';
export type { WaitOptions } from '../internal/validate.js';
export type { WeakSender } from './weak-sender.js';
export { senderFromPort, receiverFromPort, type MessagePortLike } from './port.js';
export type { SendOptions } from '../internal/port/move.js';
