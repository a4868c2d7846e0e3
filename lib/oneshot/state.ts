import { RecvError, type ChannelError } from '../errors.js';
import { Notify } from '../internal/notify.js';
import type { HandleSnapshot } from '../internal/inspect.js';

/** No value yet, and one may still come. */
export const EMPTY = 0;
/** The value was sent; it stays readable. */
export const SENT = 1;
/** No value can ever come: the sender was dropped, or the receiver closed first. */
export const CLOSED = 2;
export type Status = typeof EMPTY | typeof SENT | typeof CLOSED;

/** Serves a receiver that moved to another thread (see `port.ts`): told of the value or the drop. */
export interface ReceiverLink<T> {
  /** Posts `value` now; throws the `DataCloneError` of a value that cannot be cloned. */
  value(value: T): void;
  /** The sender was dropped without sending. */
  dropped(): void;
}

/** What both halves of one oneshot channel share. */
export class OneshotState<T> {
  status: Status = EMPTY;
  value: T | undefined = undefined;
  /** The receiver called `close()` (or was disposed). */
  rxClosed = false;
  /** Why no value can come, for the RecvError message. */
  reason = '';
  /** Woken when the status leaves EMPTY. */
  readonly rx = new Notify();
  /** Woken when the receiver closes. */
  readonly tx = new Notify();
  /** The receiver moved to another thread and is served from here: it gets what happens. */
  remote: ReceiverLink<T> | null = null;

  /**
   * Stores `value` if the receiver can still take it. With the receiver in another thread the
   * value is posted first, so one that cannot be cloned throws and nothing changes. The
   * transfer list is for a sender opened from a port (the hop to this thread): from here the
   * value is cloned, since this thread keeps it until the far receiver has it.
   */
  send(value: T, _transfer?: readonly Transferable[]): boolean {
    if (this.status !== EMPTY) return false;
    this.remote?.value(value);
    this.value = value;
    this.status = SENT;
    this.rx.notifyAll();
    return true;
  }

  dropSender(): void {
    if (this.status !== EMPTY) return;
    this.remote?.dropped();
    this.status = CLOSED;
    this.reason = 'the oneshot sender was dropped without sending';
    this.rx.notifyAll();
  }

  closeReceiver(): void {
    if (this.rxClosed) return;
    this.rxClosed = true;
    if (this.status === EMPTY) {
      this.status = CLOSED;
      this.reason = 'the oneshot receiver was closed before a value arrived';
      this.rx.notifyAll();
    }
    this.tx.notifyAll();
  }

  error(): ChannelError {
    return new RecvError(this.reason);
  }

  /** The inspection snapshot of either half (`rxjs-channel/testing`). */
  inspect(side: 'sender' | 'receiver', closed: boolean): HandleSnapshot {
    const buffered = this.status === SENT ? 1 : 0;
    const senders = this.status === EMPTY ? 1 : 0;
    return { kind: 'oneshot', side, buffered, pendingSends: 0, waitingReceives: this.rx.size, permits: 0, senders, closed };
  }
}
