import type { Subscriber } from 'rxjs';
import { Notify } from '../internal/notify.js';
import { show } from '../internal/validate.js';

/** An Observable subscriber of some receiver, with the version it last emitted. */
export interface Sink<T> {
  readonly subscriber: Subscriber<T>;
  readonly owner: object;
  version: number;
}

/**
 * The state every handle of one watch channel shares: the current value and its version
 * (bumped by each send). Receivers remember the version they last saw; Observable subscribers
 * the version they last emitted.
 */
export class Shared<T> {
  value: T;
  version = 0;
  senders = 1;
  receivers = 1;
  /** `changed()` waits, iterators and select watches: woken on each new version and at the end. */
  readonly notify = new Notify();
  /** `tx.closed()` waits: woken when the last receiver is dropped. */
  readonly noReceivers = new Notify();
  readonly sinks = new Set<Sink<T>>();
  #scheduled = false;

  constructor(value: T) {
    this.value = value;
  }

  /** Publishes the current value as a new version. */
  bump(): void {
    this.version++;
    this.notify.notifyAll();
    this.#schedule();
  }

  dropSender(): void {
    if (--this.senders !== 0) return;
    this.notify.notifyAll();
    this.#schedule();
  }

  dropReceiver(): void {
    if (--this.receivers === 0) this.noReceivers.notifyAll();
  }

  /** Emits the current value now, then coalesced new versions; completes at the end. */
  attach(subscriber: Subscriber<T>, owner: object): () => void {
    const sink: Sink<T> = { subscriber, owner, version: this.version };
    subscriber.next(this.value);
    if (this.senders === 0) {
      subscriber.complete();
      return noop;
    }
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Completes the subscribers attached through `owner` (a receiver being dropped). */
  detachAll(owner: object): void {
    for (const sink of this.sinks) {
      if (sink.owner !== owner) continue;
      this.sinks.delete(sink);
      sink.subscriber.complete();
    }
  }

  /**
   * Delivery to subscribers waits for a microtask, so a synchronous burst of sends reaches
   * each subscriber as its last value only (watch keeps the latest state, not a history).
   */
  #schedule(): void {
    if (this.#scheduled || this.sinks.size === 0) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    for (const sink of this.sinks) {
      if (sink.version === this.version) continue;
      sink.version = this.version;
      sink.subscriber.next(this.value);
    }
    if (this.senders !== 0) return;
    for (const sink of this.sinks) {
      this.sinks.delete(sink);
      sink.subscriber.complete();
    }
  }
}

const noop = (): void => {};

/** Throws unless `value` is a function (a required callback argument). */
export function checkCallback(name: string, value: unknown): void {
  if (typeof value !== 'function') {
    throw new TypeError(`Expected \`${name}\` to be a function, got ${show(value)}`);
  }
}
