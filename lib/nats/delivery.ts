import type { JsMsg } from '@nats-io/jetstream';

/**
 * A value handed over by a receiver opened with `ack: 'manual'`: process `value`, then `ack()`
 * it, or `nak()` it to have it delivered again. A delivery neither acknowledged nor kept alive
 * with `working()` within `ackWait` goes to a receiver again (another one for a work queue).
 *
 * Settling is once: after `ack()` or `nak()`, further calls do nothing.
 *
 * @example
 * ```ts no-run: needs a nats-server (spec/nats/examples.spec.ts runs it with `nc` and `name`)
 * import { jetstream } from 'rxjs-channel/nats';
 * const ch = await jetstream.workQueue<string>(nc, name, { capacity: 4, ack: 'manual' });
 * const tx = await ch.sender();
 * await tx.send('job');
 * const rx = await ch.receiver();
 * const d = await rx.recv();
 * d?.value;      // => 'job'
 * await d?.ack();
 * ```
 */
export class Delivery<T> {
  /** The value sent. */
  readonly value: T;
  readonly #msg: JsMsg;
  readonly #settle: (acked: boolean) => void;
  #settled = false;

  /** @internal Made by the receiver. */
  constructor(msg: JsMsg, value: T, settle: (acked: boolean) => void) {
    this.#msg = msg;
    this.value = value;
    this.#settle = settle;
  }

  /** How many times the server has delivered this value (1 the first time). */
  get deliveryCount(): number {
    return this.#msg.info.deliveryCount;
  }

  /** Whether this value was delivered before (to this or another receiver). */
  get redelivered(): boolean {
    return this.#msg.info.redelivered;
  }

  /** Whether `ack()` or `nak()` was called. */
  get isSettled(): boolean {
    return this.#settled;
  }

  /**
   * Acknowledges the value: the server removes it (making room for a waiting send). Resolves
   * once the server confirmed. **Errors:** rejects with the client's error if the confirmation
   * does not come (the value may then be delivered again).
   */
  ack(): Promise<void> {
    if (this.#settled) return Promise.resolve();
    this.#settled = true;
    return this.#msg.ackAck().then(
      () => this.#settle(true),
      (error: unknown) => {
        this.#settle(false);
        throw error;
      },
    );
  }

  /** Gives the value back, to be delivered again after `delayMs` (at once by default). */
  nak(delayMs?: number): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#msg.nak(delayMs);
    this.#settle(false);
  }

  /** Resets the `ackWait` timer: the value is still being processed. */
  working(): void {
    if (!this.#settled) this.#msg.working();
  }
}
