import type { Batch, Link, PortLike } from './link.js';

/**
 * What broadcast and watch handles say over their {@link Link}. Those kinds keep no queue of
 * slots: the owning thread holds the state (a ring, a current value) and each other thread a
 * mirror of what its handles need, so their messages carry values, counts and the end rather
 * than credits. The transport (batching, hello, close) is the one every kind uses.
 */
export interface Msg {
  /** Values: a sender's sends (to the owner), a receiver's values (from it); watch: the latest. */
  u?: unknown[];
  /** broadcast: values the owner's ring overwrote before they could be sent (before `u`). */
  g?: number;
  /** watch: the value carries no new version (a receiver's first value). */
  i?: 1;
  /** watch: the sequence number of the last value the owner took from this sender. */
  a?: number;
  /** Receivers of the channel (to a sender). */
  c?: number;
  /** Senders of the channel besides those the far side holds (to a sender). */
  s?: number;
  /** The channel failed by `error(e)` (to a sender: its sends are refused). */
  f?: 1;
  /** Count change of the handles the far side holds. */
  d?: number;
  /** `error(reason)`, the reason structured-cloned. */
  e?: [unknown];
  /** 1: the stream ended (every sender dropped); 2: the far side let go of every handle. */
  x?: 1 | 2;
  /** broadcast: values that reached the receiving thread (acknowledged). */
  n?: number;
  /** New receivers made in the far thread (a sender's `subscribe()`): a port each. */
  p?: PortLike[];
  /** Senders moved on from the far thread: a port each, served by the owner from now on. */
  q?: PortLike[];
}

/** Posts `msg` on `link` (throws what `postMessage` throws: a `DataCloneError`). */
export function post(link: Link, msg: Msg, transfer?: readonly unknown[]): void {
  link.post(msg as Batch, transfer);
}

/** Options of a send that does not wait (broadcast, watch) made from a handle that may cross threads. */
export interface TransferOptions {
  /**
   * Objects to transfer rather than clone when the value crosses to another thread
   * (`ArrayBuffer`, `MessagePort`, ...), as `postMessage`'s transfer list. Ignored in the
   * channel's own thread: nothing is cloned there.
   */
  readonly transfer?: readonly Transferable[];
}

/** Throws the `DataCloneError` if `value` cannot be structured-cloned. */
export function checkClone(value: unknown): void {
  const type = typeof value;
  if ((type === 'object' && value !== null) || type === 'function' || type === 'symbol') structuredClone(value);
}

/** An `error(reason)` whose reason cannot cross: a plain `Error` saying so crosses instead. */
export function uncloneable(error: unknown): Error {
  return new Error(`error(e) reason could not be cloned: ${(error as Error)?.message ?? String(error)}`);
}
