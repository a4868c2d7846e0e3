import { signal } from '@angular/core';
import { type mpsc, SendError } from 'rxjs-channel';

/** How many ticks each channel buffers before its producer has to wait. */
export const CAPACITY = 3;

/** Where the producer's channel stands: not connected yet, open, or closed by its receiver. */
export type ReceiverState = 'none' | 'open' | 'closed';

/**
 * The producing side of a lane: sends numbered ticks into whatever channel a view connected,
 * `await tx.send(tick)` at a time, so it never runs more than {@link CAPACITY} ticks ahead of the
 * view that drains the receiver.
 *
 * A plain class with signals: the app creates one per lane, and it outlives the views, so it can
 * show what happens to a producer when the view that owned the receiver is destroyed (its
 * `tx.closed()` resolves, and a waiting send rejects with `SendError`).
 */
export class TickProducer {
  readonly capacity = CAPACITY;
  /** Ticks the current channel has accepted. */
  readonly sent = signal(0);
  /** Sends waiting for a free slot right now: the backpressure, made visible. */
  readonly waiting = signal(0);
  /** Sends the current channel refused (`SendError`) because its receiver closed. */
  readonly refused = signal(0);
  /** Whether a receiver is listening; `'closed'` once `tx.closed()` resolved. */
  readonly receiver = signal<ReceiverState>('none');

  #tx: mpsc.Sender<number> | undefined;
  #next = 1;

  /** Starts sending into the channel of a newly created view (the view keeps the receiver). */
  connect(tx: mpsc.Sender<number>): void {
    this.#tx = tx;
    this.sent.set(0);
    this.refused.set(0);
    this.receiver.set('open');
    // Resolves when the receiver closes (the view was destroyed); a producer can watch for that
    // instead of finding out on its next send.
    void tx.closed().then(() => {
      if (this.#tx === tx) this.receiver.set('closed');
    });
  }

  /**
   * Sends the next `count` ticks one by one, each `send` waiting while the channel is full.
   * Resolves to how many were sent: `count`, or fewer if the receiver closed meanwhile (the
   * normal signal to stop producing, not an error).
   */
  async produce(count: number): Promise<number> {
    const tx = this.#tx;
    if (tx === undefined) return 0;
    for (let i = 0; i < count; i++) {
      const full = tx.capacity === 0;
      if (full) this.waiting.update((n) => n + 1);
      try {
        await tx.send(this.#next);
      } catch (error) {
        if (!(error instanceof SendError)) throw error;
        if (this.#tx === tx) this.refused.update((n) => n + 1);
        return i;
      } finally {
        if (full) this.waiting.update((n) => n - 1);
      }
      this.#next++;
      if (this.#tx === tx) this.sent.update((n) => n + 1);
    }
    return count;
  }
}
