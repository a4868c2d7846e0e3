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
export * as mpmc from './mpmc/index.js';
export {
  select,
  type Branch,
  type Branches,
  type BranchValue,
  type Select,
  type SelectOptions,
  type SelectResult,
} from './select/index.js';
export * as oneshot from './oneshot/index.js';
export * as broadcast from './broadcast/index.js';
export * as watch from './watch/index.js';
export { LaggedError, RecvError } from './errors.js';
export {
  ChannelError,
  ChannelOverflowError,
  ReceiverBusyError,
  ReceiverDroppedError,
  SendError,
  SenderDroppedError,
} from './errors.js';
export { toChannel, type ToChannelOptions, type SourceOverflowPolicy } from './operators/to-channel.js';
export type { SourceOptions } from './operators/connect.js';
export { backpressure, type Backpressured, type BackpressureOptions } from './operators/backpressure.js';
export { mergeMapBounded, type MergeMapBoundedOptions } from './operators/merge-map-bounded.js';
export { closeOnError, type ClosableReceiver } from './operators/close-on-error.js';
export { dropPort } from './threads/drop-port.js';
