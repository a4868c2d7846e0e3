/**
 * rxjs-channel: tokio's channels for RxJS and async/await.
 *
 * @example
 * ```ts
 * import { mpsc } from 'rxjs-channel';
 * const [tx, rx] = mpsc.channel<number>(16);
 * await tx.send(1);
 * await rx.recv(); // => 1
 * ```
 *
 * @module
 */
export * as mpsc from './mpsc/index.js';
export { ChannelError, ChannelOverflowError, ReceiverBusyError, SendError, SenderDroppedError } from './errors.js';
