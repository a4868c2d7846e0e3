import { LaggedError, SendError } from '../errors.js';
import { Notify } from '../internal/notify.js';
import { NOT_READY } from '../internal/selectable.js';

/** What a lagging receiver does as an Observable or async iterator; `recv` always reports. */
export type LagPolicy = 'error' | 'skip';

/** Returned by a read once the channel has ended for that receiver. */
export const END: unique symbol = Symbol('rxjs-channel.broadcastEnd');

/** One receiver's position: the sequence number of the next value it will read. */
export interface Cursor {
  next: number;
}

/**
 * The ring every handle of one broadcast channel shares.
 *
 * Values are numbered; the one numbered `p` lives in slot `p % capacity` while
 * `head <= p < tail`. A send into a full ring overwrites the oldest value (`head` moves on), so
 * a receiver whose cursor is behind `head` has lagged. Each slot counts the receivers that
 * still have to read it (`rem`, as tokio does); the value is released when that reaches 0, so
 * values nobody needs are not kept alive.
 */
export class Shared<T> {
  readonly capacity: number;
  readonly lag: LagPolicy;
  head = 0;
  tail = 0;
  receivers = 1;
  senders = 1;
  /** Waiting receives and select watches: woken on each send and at the end. */
  readonly notify = new Notify();
  /** Observable subscribers' drain loops, run synchronously in the send. */
  readonly sinks = new Set<() => void>();
  /** `tx.closed()` waits: woken when the last receiver is dropped. */
  readonly noReceivers = new Notify();
  readonly #values: (T | undefined)[];
  readonly #rem: number[];

  constructor(capacity: number, lag: LagPolicy) {
    this.capacity = capacity;
    this.lag = lag;
    this.#values = new Array<T | undefined>(capacity).fill(undefined);
    this.#rem = new Array<number>(capacity).fill(0);
  }

  send(value: T): number {
    const reached = this.receivers;
    if (reached === 0) throw new SendError(value, 'cannot send: the broadcast channel has no receivers');
    const slot = this.tail % this.capacity;
    if (this.tail - this.head === this.capacity) this.head++;
    this.#values[slot] = value;
    this.#rem[slot] = reached;
    this.tail++;
    this.wake();
    return reached;
  }

  /** The next value for `cursor`, `NOT_READY`, or `END`; throws LaggedError when it fell behind. */
  read(cursor: Cursor): T | typeof NOT_READY | typeof END {
    const next = cursor.next;
    if (next < this.head) {
      cursor.next = this.head;
      throw new LaggedError(this.head - next);
    }
    if (next < this.tail) {
      const slot = next % this.capacity;
      const value = this.#values[slot] as T;
      if (--this.#rem[slot] === 0) this.#values[slot] = undefined;
      cursor.next = next + 1;
      return value;
    }
    return this.senders === 0 ? END : NOT_READY;
  }

  /** Whether a read for `cursor` would not be `NOT_READY`. */
  ready(cursor: Cursor): boolean {
    return cursor.next !== this.tail || this.senders === 0;
  }

  subscribe(): Cursor {
    this.receivers++;
    return { next: this.tail };
  }

  /** A receiver leaves: it no longer holds the values it had not read. */
  unsubscribe(cursor: Cursor): void {
    for (let p = Math.max(cursor.next, this.head); p < this.tail; p++) {
      const slot = p % this.capacity;
      if (--this.#rem[slot] === 0) this.#values[slot] = undefined;
    }
    cursor.next = this.tail;
    if (--this.receivers === 0) this.noReceivers.notifyAll();
  }

  dropSender(): void {
    if (--this.senders === 0) this.wake();
  }

  /**
   * Values still held for the slowest receiver: those not yet read by every receiver that was
   * alive when they were sent, and not yet overwritten. They form the newest end of the ring,
   * so a binary search finds where they start.
   */
  get len(): number {
    let low = this.head;
    let high = this.tail;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (this.#rem[mid % this.capacity] === 0) low = mid + 1;
      else high = mid;
    }
    return this.tail - low;
  }

  wake(): void {
    this.notify.notifyAll();
    for (const drain of this.sinks) drain();
  }
}
