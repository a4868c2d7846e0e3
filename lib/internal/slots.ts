import { WaiterList, type WaiterNode } from './waiter-list.js';

/**
 * The slot accounting of a bounded channel: tokio's `batch_semaphore` seam.
 *
 * A channel of bound `B` has `B` slots. A slot is *taken* by a buffered value, by a granted
 * permit, or (across a thread boundary) by a value in flight to a remote receiver or a slot
 * lent to a remote sender. Sends and reserves that find no free slot wait here in FIFO order.
 *
 * Every increase of free capacity goes through {@link Slots.release} (or
 * {@link Slots.dispatch}): it hands the freed slots to the longest-waiting parties first and,
 * only when a slot is still free afterwards, wakes the `select` registrations waiting to send.
 * So there is one place where a wake-up can be missed, and it is here, tested once.
 *
 * Invariant, kept synchronously: `taken <= bound`, and waiting parties exist only while no
 * slot is free (no barging: a freed slot never stays free while someone waits).
 */
/**
 * What lends a channel's slots to other threads (port/host.ts) while they want more: woken
 * once when enough slots are free to be worth a message.
 */
export interface Lend {
  /** Free slots that make a wake worth it (also woken, with fewer, once nothing is buffered). */
  readonly at: number;
  /** Runs inside the state change: it must only schedule work. */
  wake(): void;
}

export abstract class Slots<W extends WaiterNode> {
  /** Number of slots; `Infinity` for an unbounded channel. */
  readonly bound: number;
  /** Slots in use: buffered values, granted permits, values and slots lent across threads. */
  taken = 0;
  /** Of `taken`: granted permits not yet used or released. */
  permits = 0;
  /** Of `taken`: slots held on behalf of another thread (lent to remote senders, in flight). */
  lent = 0;

  #waiters: WaiterList<W> | null = null;
  #watchers: Set<() => void> | null = null;
  /**
   * The lender waiting for free slots, or null: one field test per release, where a watch
   * would cost a registration per freed slot.
   */
  lend: Lend | null = null;
  /** Whether {@link Slots.dispatch} is running (a re-entrant call returns at once). */
  #busy = false;

  constructor(bound: number) {
    this.bound = bound;
  }

  /** How many parties may wait at once. */
  protected abstract get maxPending(): number;

  /**
   * Called with each waiting party once a slot has been taken for it: places the party's
   * value (a send) or hands out its permit (a reserve).
   */
  protected abstract grant(waiter: W): void;

  /** Free slots. */
  get free(): number {
    return this.bound - this.taken;
  }

  /** Parties waiting for a slot. */
  get pending(): number {
    return this.#waiters === null ? 0 : this.#waiters.length;
  }

  /** Takes a slot if one is free. */
  tryAcquire(): boolean {
    if (this.taken >= this.bound) return false;
    this.taken++;
    return true;
  }

  /** Queues a party for the next free slot; false (nothing queued) when `maxPending` wait already. */
  enqueue(waiter: W): boolean {
    const waiters = (this.#waiters ??= new WaiterList());
    if (waiters.length >= this.maxPending) return false;
    waiters.push(waiter);
    return true;
  }

  /** Gives `count` slots back and hands them on: the one path for every increase of free capacity. */
  release(count: number): void {
    this.taken -= count;
    this.dispatch();
  }

  /**
   * Grants free slots to waiting parties in FIFO order, then wakes the select registrations
   * if a slot is still free. A re-entrant call (a grant that frees a slot again, by handing its
   * value straight to a waiting receive, or a subscriber that releases a permit) returns at
   * once: the running loop re-reads the free count after every grant, and the checks after it
   * see what the loop left. Wakes only schedule work, so nothing re-enters after those checks.
   */
  dispatch(): void {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const waiters = this.#waiters;
      if (waiters !== null) {
        while (this.taken < this.bound && waiters.length !== 0) {
          const waiter = waiters.shift()!;
          this.taken++;
          this.grant(waiter);
        }
      }
      if (this.#watchers !== null && this.taken < this.bound) this.wakeWatchers();
      const lend = this.lend;
      // Enough free, or some free and nothing buffered (the receiver caught up: feed it now).
      if (lend !== null && this.taken < this.bound && (this.bound - this.taken >= lend.at || this.taken === this.permits + this.lent)) {
        this.lend = null;
        lend.wake();
      }
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Calls `wake` once, when a slot may be free or the channel closed; spurious wakes are
   * allowed. `wake` must only schedule work. Returns the cancel function.
   */
  watch(wake: () => void): () => void {
    const watchers = (this.#watchers ??= new Set());
    watchers.add(wake);
    return () => void this.#watchers?.delete(wake);
  }

  /** Wakes every select registration (a wake is spent: a select that wants more registers again). */
  wakeWatchers(): void {
    const watchers = this.#watchers;
    if (watchers === null) return;
    this.#watchers = null;
    for (const wake of watchers) wake();
  }

  /** Empties the queue, calling `each` with every waiting party in order (the channel closed). */
  drain(each: (waiter: W) => void): void {
    const waiters = this.#waiters;
    if (waiters === null) return;
    for (let w = waiters.shift(); w !== null; w = waiters.shift()) each(w);
  }
}
