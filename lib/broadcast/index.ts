/**
 * Broadcast channels, after tokio's `sync::broadcast`: many producers, many consumers, and
 * every consumer sees every value (a fan-out, like an RxJS `Subject` with a bounded replay
 * window per subscriber).
 *
 * `channel<T>(capacity)` returns a `[Sender, Receiver]` pair. Each receiver has its own
 * position: make one per consumer with `tx.subscribe()` or `rx.resubscribe()`; each sees the
 * values sent after it was made. Receivers are Observables and async iterables.
 *
 * **Disconnection.** When every sender is dropped, each receiver reads what it has not read
 * yet and then ends (`recv` → `undefined`, Observable `complete`). A send with no receiver
 * throws `SendError` carrying the value; `tx.closed()` resolves when the last receiver is
 * dropped.
 *
 * **No backpressure: lag instead.** `send` never waits. The channel keeps the last `capacity`
 * values; a receiver that falls further behind loses the oldest ones and is told so with
 * `LaggedError` (`.skipped` says how many), then continues from the oldest value still held.
 * As an Observable or iterator, the `lag` option chooses between erroring (default) and
 * skipping silently.
 *
 * **Memory bound.** At most `capacity` values, each released as soon as every receiver that
 * existed when it was sent has read it (or was dropped). A dropped receiver holds nothing; a
 * receiver that is neither read nor dropped keeps up to `capacity` values alive.
 *
 * **Across threads.** Either end moves into a worker: `intoPort()` consumes the handle, and
 * `senderFromPort` / `receiverFromPort` open it there as an ordinary handle. The ring stays in
 * the channel's thread; a moved receiver keeps its position and sees every later value in
 * order, or a `LaggedError` counting what it lost (values in flight to it, at most
 * `min(capacity, 1024)`, have left the ring here; its thread keeps a ring of `capacity`). See
 * docs/07-threads.md.
 *
 * @example
 * ```ts
 * import { broadcast } from 'rxjs-channel';
 * import { lastValueFrom, toArray } from 'rxjs';
 * const [tx, rx] = broadcast.channel<string>(16);
 * const audit = tx.subscribe();
 * const logged = lastValueFrom(audit.pipe(toArray()));
 * tx.send('login');
 * tx.send('logout');
 * tx.drop();
 * await rx.recv();  // => 'login'
 * await logged;     // => ['login', 'logout']
 * ```
 *
 * @module
 */
export { channel, type ChannelOptions, type LagPolicy } from './channel.js';
export type { Receiver } from './receiver.js';
export type { WaitOptions } from '../internal/validate.js';
export type { Sender } from './sender.js';
export { senderFromPort, receiverFromPort, type TransferOptions } from './port.js';
export type { MessagePortLike } from '../mpsc/port.js';
