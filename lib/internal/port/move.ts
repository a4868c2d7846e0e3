import type { Chan } from '../chan.js';
import type { WaitOptions } from '../validate.js';
import { hostReceiver, hostSender, type ReceiverPolicy } from './host.js';
import type { Hello, PortLike } from './link.js';
import { ReceiverFeed } from './remote-receiver.js';
import { RemoteSenderChan } from './remote-sender.js';

/**
 * What the handle classes call: moving a handle into a port, and sending with a transfer
 * list. Kind-agnostic: the kind passes its channel and, for receivers, its policy.
 */

/** Options of `send` on a sender that may have moved to another thread. */
export interface SendOptions extends WaitOptions {
  /**
   * Objects to transfer rather than clone when the value crosses to another thread
   * (`ArrayBuffer`, `MessagePort`, ...), as `postMessage`'s transfer list. Ignored when the
   * receiver is in the same thread: nothing is cloned there.
   */
  readonly transfer?: readonly Transferable[];
}

/** Channels that are fed from a port (a receiver opened in this thread), and their feeds. */
const feeds = /* @__PURE__ */ new WeakMap<object, ReceiverFeed<unknown>>();

/** Moves a strong sender of `chan` (its handle already consumed by the caller). */
export function moveSender(chan: object): MessagePort {
  if (chan instanceof RemoteSenderChan) return chan.moveOut();
  return hostSender(chan as Chan<unknown, unknown>);
}

/**
 * Moves a receiver handle of `chan` (already consumed by the caller; `last` when no other
 * handle of it is left in this thread). A receiver opened from a port hands the new port to
 * the channel's owning thread, which serves it directly; once its stream ended here (or the
 * owning thread is gone) what is left is served from here, with `policy`.
 */
export function moveReceiver<T>(chan: Chan<T, unknown>, kind: string, policy: ReceiverPolicy<T>, last = true): MessagePort {
  const far = feeds.get(chan)?.moveOut(kind, last);
  return far ?? hostReceiver(chan, kind, policy);
}

/**
 * Whether moving a receiver handle of `chan` now hands its port to the owning thread (a
 * receiver opened from a port whose owner still serves it): then the port is no handle here.
 */
export function movesToOwner(chan: object): boolean {
  return feeds.get(chan)?.serving ?? false;
}

/** `send` with a transfer list: only a channel across a port uses it. */
export function sendTransfer<T>(chan: Chan<T, unknown>, value: T, signal: AbortSignal | undefined, transfer: readonly unknown[]): Promise<void> {
  const target = chan as unknown;
  if (target instanceof RemoteSenderChan) return (target as RemoteSenderChan<T, unknown>).send(value, signal, transfer);
  return chan.send(value, signal);
}

/** Builds the receiving thread's feed and returns its local channel, which the kind's handle reads. */
export function feedChannel<T>(
  port: PortLike,
  hello: Hello | null,
  kinds: readonly string[],
  makeChan: (window: number) => Chan<T, unknown>,
  dropped: () => boolean,
): Chan<T, unknown> {
  const feed = new ReceiverFeed<T>(port, hello, kinds, makeChan, dropped);
  feeds.set(feed.chan, feed as ReceiverFeed<unknown>);
  return feed.chan;
}

export { RemoteSenderChan };
