import type { Subscriber } from 'rxjs';
import { deliver } from '../internal/deliver.js';
import { Notify } from '../internal/notify.js';
import { schedule } from '../internal/schedule.js';
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
  /** Set by a sender's `error(e)`: no new version; waits and subscribers fail with `reason`. */
  failure: { readonly reason: unknown } | null = null;
  /** `changed()` waits, iterators and select watches: woken on each new version and at the end. */
  readonly notify = new Notify();
  /** `tx.closed()` waits: woken when the last receiver is dropped. */
  readonly noReceivers = new Notify();
  readonly sinks = new Set<Sink<T>>();
  /** Told when the counts or the failure change (the hosts of handles in other threads). */
  counted: Set<() => void> | null = null;
  /**
   * A receiver's mirror whose value has not arrived yet: its port could not be read at once
   * (browsers). The value's arrival is its first version; subscribers get it then.
   */
  pending = false;
  #scheduled = false;

  constructor(value: T) {
    this.value = value;
  }

  #count(): void {
    if (this.counted !== null) for (const told of this.counted) told();
  }

  /**
   * Stores `value` and publishes it as a new version. `transfer` is for a sender in another
   * thread (see the subclass there); in the owning thread nothing is cloned.
   */
  replace(value: T, _transfer?: readonly unknown[]): void {
    this.value = value;
    this.bump();
  }

  /** `sendModify`: `modify` works on the current value (in place, or returns the next one), then a new version. */
  modify(modify: (value: T) => T | void): void {
    const next = modify(this.value);
    this.replace(next !== undefined ? next : this.value);
  }

  /** `sendIfModified`: a new version only if `modify` (in place) returns `true`; returns whether it did. */
  modifyIf(modify: (value: T) => boolean): boolean {
    const modified = modify(this.value) === true;
    if (modified) this.replace(this.value);
    return modified;
  }

  addSender(): void {
    this.senders++;
    this.#count();
  }

  addReceiver(): void {
    this.receivers++;
    this.#count();
  }

  /** A new receiver's state and seen version (its own mirror, for a sender in another thread). */
  openReceiver(): [Shared<T>, number] {
    this.addReceiver();
    return [this, this.version];
  }

  /** Resolves once there is no receiver left (`tx.closed()`). */
  closed(): Promise<void> {
    return this.receivers === 0 ? Promise.resolve() : this.noReceivers.wait(undefined);
  }

  /** Publishes the current value as a new version. */
  bump(): void {
    this.version++;
    this.notify.notifyAll();
    this.#schedule();
  }

  /** Whether no new version can come: every sender dropped, or one failed the channel. */
  get ended(): boolean {
    return this.senders === 0 || this.failure !== null;
  }

  dropSender(): void {
    const last = --this.senders === 0;
    this.#count();
    if (!last) return;
    this.notify.notifyAll();
    this.#schedule();
  }

  /** A sender's `error(e)`; the first one wins. */
  error(reason: unknown): void {
    if (this.ended) return;
    this.failure = { reason };
    this.notify.notifyAll();
    this.#schedule();
    this.#count();
  }

  /** Ends a subscriber as the channel ended: complete, or the failure. */
  #end(subscriber: Subscriber<T>): void {
    if (this.failure !== null) subscriber.error(this.failure.reason);
    else subscriber.complete();
  }

  dropReceiver(): void {
    if (--this.receivers === 0) this.noReceivers.notifyAll();
    this.#count();
  }

  /**
   * Emits the current value now, then coalesced new versions; completes at the end. The
   * subscriber is attached before its first value, so what it does inside that `next` (send,
   * drop its receiver, unsubscribe) acts as it would from outside.
   */
  attach(subscriber: Subscriber<T>, owner: object): () => void {
    const sink: Sink<T> = { subscriber, owner, version: this.version };
    const sinks = this.sinks;
    sinks.add(sink);
    const detach = (): void => void sinks.delete(sink);
    if (this.pending) return detach; // the first value is the one the port brings
    if (!deliver(subscriber, this.value) || !sinks.has(sink)) {
      detach();
      return noop;
    }
    if (this.ended && sink.version === this.version) {
      detach();
      this.#end(subscriber);
      return noop;
    }
    return detach;
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
   * Delivery to subscribers waits for a promise job, so a synchronous burst of sends reaches
   * each subscriber as its last value only (watch keeps the latest state, not a history). A
   * promise job, not `queueMicrotask`: jest and sinon fake timers leave it alone.
   */
  #schedule(): void {
    if (this.#scheduled || this.sinks.size === 0) return;
    this.#scheduled = true;
    schedule((this.#flushJob ??= () => this.#flush()));
  }

  #flushJob: (() => void) | null = null;

  #flush(): void {
    this.#scheduled = false;
    for (const sink of this.sinks) {
      if (sink.version === this.version) continue;
      sink.version = this.version;
      if (!deliver(sink.subscriber, this.value)) this.sinks.delete(sink);
    }
    if (!this.ended) return;
    for (const sink of this.sinks) {
      this.sinks.delete(sink);
      this.#end(sink.subscriber);
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
