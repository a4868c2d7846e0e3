/**
 * Watch channels, after tokio's `sync::watch`: one current value, many readers that want the
 * latest state (configuration, connection status, progress), never a history.
 *
 * `channel<T>(initial)` returns a `[Sender, Receiver]` pair. Senders replace the value
 * (`send`, `sendReplace`, `sendModify`, `sendIfModified`); receivers read it (`borrow`) and wait
 * for a version they have not seen (`changed()`). Make more receivers with `tx.subscribe()` or
 * `rx.clone()`; clone the sender for more producers.
 *
 * **Coalescing.** Only the latest value is kept. A receiver that reads slowly skips the
 * versions in between; that is the contract, not a loss. The Observable form emits the current
 * value at once, then delivers new versions on a microtask, so a synchronous burst of sends
 * arrives as its last value only.
 *
 * **Disconnection.** When every sender is dropped, `changed()` reports a version not yet seen
 * one last time and then rejects `RecvError`; Observables complete after emitting the final
 * value; the value stays readable with `borrow()`. When every receiver is dropped, `send`
 * throws `SendError` (the value is not stored; `sendReplace` and `sendModify` store it anyway)
 * and `tx.closed()` resolves.
 *
 * **Memory bound.** One value, whatever the rate of sends.
 *
 * **Across threads.** Either end moves into a worker: `intoPort()` consumes the handle, and
 * `senderFromPort` / `receiverFromPort` open it there as an ordinary handle. The value stays in
 * the channel's thread and each other thread keeps a copy: a moved receiver gets the latest
 * value on each new version (coalesced), a moved sender's sends become new versions there. One
 * value per thread, whatever the rate. See docs/07-threads.md.
 *
 * @example
 * ```ts
 * import { watch } from 'rxjs-channel';
 * const [tx, rx] = watch.channel<'connecting' | 'online' | 'offline'>('connecting');
 * const states: string[] = [];
 * const watcher = (async () => {
 *   for (;;) {
 *     states.push(rx.borrowAndUpdate());
 *     try { await rx.changed(); } catch { return; } // RecvError: every sender dropped
 *   }
 * })();
 * await Promise.resolve();
 * tx.send('online');
 * await Promise.resolve();
 * tx.drop();
 * await watcher;
 * states; // => ['connecting', 'online']
 * ```
 *
 * @module
 */
export { channel } from './channel.js';
export type { Receiver } from './receiver.js';
export type { WaitOptions } from '../internal/validate.js';
export type { Sender } from './sender.js';
export { senderFromPort, receiverFromPort, type TransferOptions } from './port.js';
export type { MessagePortLike } from '../mpsc/port.js';
