import { Injectable, type OnDestroy, signal } from '@angular/core';
import { mpsc, SendError } from 'rxjs-channel';

/** How many ticks the channel buffers before the producer has to wait. */
export const CAPACITY = 3;

/**
 * The producing side of the demo: owns a bounded mpsc channel and fills it with numbered ticks,
 * `await tx.send(tick)` at a time, so it can never run more than {@link CAPACITY} ticks ahead
 * of whoever drains `rx`.
 *
 * Provided by the component, so each component instance gets its own channel, and the channel
 * is closed when the component is destroyed.
 */
@Injectable()
export class TickProducer implements OnDestroy {
  readonly capacity = CAPACITY;
  /** The receiving half; one consumer at a time (the component shares it between its views). */
  readonly rx: mpsc.Receiver<number>;
  /** Ticks the channel has accepted so far. */
  readonly sent = signal(0);
  /** Sends currently waiting for a free slot: the backpressure, made visible. */
  readonly waiting = signal(0);

  readonly #tx: mpsc.Sender<number>;
  #next = 1;

  constructor() {
    [this.#tx, this.rx] = mpsc.channel<number>(CAPACITY);
  }

  /**
   * Sends the next `count` ticks one by one, each `send` waiting while the channel is full.
   * Resolves to how many were sent: `count`, or fewer if the channel closed meanwhile (a
   * closed channel is the normal signal to stop producing).
   */
  async produce(count: number): Promise<number> {
    for (let i = 0; i < count; i++) {
      const full = this.#tx.capacity === 0;
      if (full) this.waiting.update((n) => n + 1);
      try {
        await this.#tx.send(this.#next++);
      } catch (error) {
        if (error instanceof SendError) return i;
        throw error;
      } finally {
        if (full) this.waiting.update((n) => n - 1);
      }
      this.sent.update((n) => n + 1);
    }
    return count;
  }

  /** Closing the receiver releases every waiting send (with `SendError`) and refuses new ones. */
  ngOnDestroy(): void {
    this.rx.close();
  }
}
