import { LaggedError, SendError } from '../errors.js';
import { Notify } from '../internal/notify.js';
import { NOT_READY } from '../internal/selectable.js';

/** What a lagging receiver does as an Observable or async iterator; `recv` always reports. */
export type LagPolicy = 'error' | 'skip';

/** Returned by a read once the channel has ended for that receiver. */
export const END: unique symbol = Symbol('rxjs-channel.broadcastEnd');

/**
 * Stands in the ring for a value this ring never got (see {@link Shared.skip}): a receiver
 * reaching it is told it lagged, as if the value had been overwritten.
 */
const GAP: unique symbol = Symbol('rxjs-channel.broadcastGap');

/** One receiver's position: the sequence number of the next value it will read. */
export class Cursor {
  next: number;
  /** The receiver was dropped: it reads nothing more. */
  dropped = false;
  readonly #shared: { readonly ended: boolean; readonly tail: number };

  constructor(shared: { readonly ended: boolean; readonly tail: number }, next: number) {
    this.#shared = shared;
    this.next = next;
  }

  /** Nothing is left for this receiver to take (its claim no longer matters). */
  get isDone(): boolean {
    return this.dropped || (this.#shared.ended && this.next >= this.#shared.tail);
  }
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
  capacity: number;
  lag: LagPolicy;
  head = 0;
  tail = 0;
  receivers = 1;
  /**
   * Receivers in other threads beyond the one cursor that serves each moved receiver (they
   * count in `receiverCount` and in what a send reached, not in the slots' read counts).
   */
  extra = 0;
  senders = 1;
  /** Set by a sender's `error(e)`: receivers read what is left, then fail with `reason`. */
  failure: { readonly reason: unknown } | null = null;
  /** Waiting receives and select watches: woken on each send and at the end. */
  readonly notify = new Notify();
  /** Observable subscribers' drain loops, run synchronously in the send. */
  readonly sinks = new Set<() => void>();
  /** `tx.closed()` waits: woken when the last receiver is dropped. */
  readonly noReceivers = new Notify();
  /** Told when the counts or the failure change (the hosts of handles in other threads). */
  counted: Set<() => void> | null = null;
  #values: (T | typeof GAP | undefined)[];
  #rem: number[];

  /** @param ring false for the state a sender in another thread keeps: no ring of its own. */
  constructor(capacity: number, lag: LagPolicy, ring = true) {
    this.capacity = capacity;
    this.lag = lag;
    this.#values = ring ? new Array<T | undefined>(capacity).fill(undefined) : [];
    this.#rem = ring ? new Array<number>(capacity).fill(0) : [];
  }

  /** Sets the ring's size once it is known (a port's hello read late); the ring is still empty. */
  init(capacity: number, lag: LagPolicy): void {
    if (this.tail !== 0) return;
    this.capacity = capacity;
    this.lag = lag;
    this.#values = new Array<T | undefined>(capacity).fill(undefined);
    this.#rem = new Array<number>(capacity).fill(0);
  }

  #count(): void {
    if (this.counted !== null) for (const told of this.counted) told();
  }

  /** Resolves once there is no receiver left (`tx.closed()`). */
  closed(): Promise<void> {
    return this.receivers + this.extra === 0 ? Promise.resolve() : this.noReceivers.wait(undefined);
  }

  /**
   * Sends `value` to every receiver; returns how many it reached. `transfer` is for a sender
   * in another thread (see the subclass there); in the owning thread nothing is cloned.
   */
  send(value: T, _transfer?: readonly unknown[]): number {
    if (this.receivers === 0) throw new SendError(value, 'cannot send: the broadcast channel has no receivers');
    if (this.failure !== null) throw new SendError(value, 'cannot send: the broadcast channel was closed by error(e)');
    this.#put(value);
    this.wake();
    return this.receivers + this.extra;
  }

  #put(value: T | typeof GAP): void {
    const slot = this.tail % this.capacity;
    if (this.tail - this.head === this.capacity) this.head++;
    this.#values[slot] = value;
    this.#rem[slot] = this.receivers;
    this.tail++;
  }

  /**
   * Records `count` values this ring never got (the owning thread's ring overwrote them before
   * they could reach this thread): receivers reading past them get {@link LaggedError}, in
   * order, as if they had been overwritten here. At most `capacity` placeholders are stored.
   */
  skip(count: number): void {
    if (this.receivers === 0 || this.ended) return;
    const stored = Math.min(count, this.capacity);
    const jump = count - stored;
    if (jump !== 0) {
      // Positions past what the ring can hold: the values before them are overwritten too.
      for (let p = this.head; p < this.tail; p++) this.#values[p % this.capacity] = undefined;
      this.tail += jump;
      this.head = this.tail;
    }
    for (let i = 0; i < stored; i++) this.#put(GAP);
    this.wake();
  }

  /** The next value for `cursor`, `NOT_READY`, or `END`; throws LaggedError when it fell behind. */
  read(cursor: Cursor): T | typeof NOT_READY | typeof END {
    const start = cursor.next;
    let next = start;
    if (next < this.head) next = this.head;
    // Placeholders of values this ring never got read as lag.
    while (next < this.tail && this.#values[next % this.capacity] === GAP) {
      const slot = next % this.capacity;
      if (--this.#rem[slot] === 0) this.#values[slot] = undefined;
      next++;
    }
    if (next !== start) {
      cursor.next = next;
      throw new LaggedError(next - start);
    }
    if (next < this.tail) {
      const slot = next % this.capacity;
      const value = this.#values[slot] as T;
      if (--this.#rem[slot] === 0) this.#values[slot] = undefined;
      cursor.next = next + 1;
      return value;
    }
    if (this.failure !== null) throw this.failure.reason;
    return this.senders === 0 ? END : NOT_READY;
  }

  /** Whether a read for `cursor` would return a value now (no lag, no end). */
  holds(cursor: Cursor): boolean {
    const next = cursor.next;
    return next >= this.head && next < this.tail && this.#values[next % this.capacity] !== GAP;
  }

  /** Whether no value can come any more: every sender dropped, or one failed the channel. */
  get ended(): boolean {
    return this.senders === 0 || this.failure !== null;
  }

  /** Whether a read for `cursor` would not be `NOT_READY`. */
  ready(cursor: Cursor): boolean {
    return cursor.next !== this.tail || this.ended;
  }

  /** A sender's `error(e)`: the first one wins; receivers fail with `reason` once they caught up. */
  error(reason: unknown): void {
    if (this.failure !== null || this.senders === 0) return;
    this.failure = { reason };
    this.wake();
    this.#count();
  }

  subscribe(): Cursor {
    this.receivers++;
    this.#count();
    return new Cursor(this, this.tail);
  }

  /** A new receiver's state and position (its own ring, for a sender in another thread). */
  open(): [Shared<T>, Cursor] {
    return [this, this.subscribe()];
  }

  cloneSender(): void {
    this.senders++;
    this.#count();
  }

  /** A receiver leaves: it no longer holds the values it had not read. */
  unsubscribe(cursor: Cursor): void {
    for (let p = Math.max(cursor.next, this.head); p < this.tail; p++) {
      const slot = p % this.capacity;
      if (--this.#rem[slot] === 0) this.#values[slot] = undefined;
    }
    cursor.next = this.tail;
    if (--this.receivers === 0) this.noReceivers.notifyAll();
    this.#count();
  }

  dropSender(): void {
    if (--this.senders === 0) this.wake();
    this.#count();
  }

  /**
   * Values still held for the slowest receiver: those not yet read by every receiver that was
   * alive when they were sent, and not yet overwritten. They form the newest end of the ring,
   * so a binary search finds where they start.
   */
  get length(): number {
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
