import { RecvError } from '../errors.js';
import { Notify } from '../internal/notify.js';
import type { HandleSnapshot } from '../internal/inspect.js';

/** No value yet, and one may still come. */
export const EMPTY = 0;
/** The value was sent; it stays readable. */
export const SENT = 1;
/** No value can ever come: the sender was dropped, or the receiver closed first. */
export const CLOSED = 2;
export type Status = typeof EMPTY | typeof SENT | typeof CLOSED;

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

  /** Stores `value` if the receiver can still take it. */
  send(value: T): boolean {
    if (this.status !== EMPTY) return false;
    this.value = value;
    this.status = SENT;
    this.rx.notifyAll();
    return true;
  }

  dropSender(): void {
    if (this.status !== EMPTY) return;
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

  error(): RecvError {
    return new RecvError(this.reason);
  }

  /** The inspection snapshot of either half (`rxjs-channel/testing`). */
  inspect(side: 'sender' | 'receiver', closed: boolean): HandleSnapshot {
    const buffered = this.status === SENT ? 1 : 0;
    const senders = this.status === EMPTY ? 1 : 0;
    return { kind: 'oneshot', side, buffered, pendingSends: 0, waitingReceives: this.rx.size, permits: 0, senders, closed };
  }
}
