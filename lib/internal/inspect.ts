import type { ReceiverKind } from './brand.js';

/**
 * Key of a handle's inspection method, read by `rxjs-channel/testing`. Registered with
 * `Symbol.for`, so a handle made by either module build answers the testing module of the
 * other; a symbol key is not a name users type, and the method is stripped from the types.
 */
export const INSPECT: unique symbol = Symbol.for('rxjs-channel.inspect') as never;

/** What a handle reports about its channel; `rxjs-channel/testing` documents each field per kind. */
export interface HandleSnapshot {
  readonly kind: ReceiverKind;
  readonly side: 'sender' | 'receiver';
  readonly buffered: number;
  readonly pendingSends: number;
  readonly waitingReceives: number;
  readonly permits: number;
  readonly senders: number;
  readonly closed: boolean;
}

/** The slot-accounted kinds (mpsc, mpmc): what their channel state says. */
export interface ChanCounts {
  readonly length: number;
  readonly pendingSends: number;
  readonly pendingRecvs: number;
  readonly permits: number;
  readonly strong: number;
}

/** A snapshot of an mpsc or mpmc handle over its channel. */
export function chanSnapshot(chan: ChanCounts, kind: ReceiverKind, side: 'sender' | 'receiver', closed: boolean): HandleSnapshot {
  return {
    kind,
    side,
    buffered: chan.length,
    pendingSends: chan.pendingSends,
    waitingReceives: chan.pendingRecvs,
    permits: chan.permits,
    senders: chan.strong,
    closed,
  };
}
