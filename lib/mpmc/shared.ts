import type { Subscriber } from 'rxjs';
import type { Chan, Sink } from '../internal/chan.js';
import { deliver } from '../internal/deliver.js';
import type { Permit } from '../mpsc/permit.js';

/**
 * What every receiver handle of one mpmc channel shares: the channel, the count of live
 * handles, and the fan-out of concurrent subscribers.
 *
 * The channel pushes to a single sink; this is it while anyone subscribes. Each value goes to
 * exactly one subscriber, in turn (round robin), so N synchronous subscribers split the work
 * evenly. Delivery allocates nothing.
 */
export class Shared<T> implements Sink<T> {
  readonly chan: Chan<T, Permit<T>>;
  /** Live receiver handles; the channel closes for senders when it reaches 0. */
  handles = 1;
  #subscribers: Subscriber<T>[] = [];
  #turn = 0;

  constructor(chan: Chan<T, Permit<T>>) {
    this.chan = chan;
  }

  get subscriberCount(): number {
    return this.#subscribers.length;
  }

  /** Adds a subscriber; the first one attaches this fan-out to the channel. */
  add(subscriber: Subscriber<T>): void {
    this.#subscribers.push(subscriber);
    if (this.#subscribers.length === 1) this.chan.sink = this; // delivers what is buffered
  }

  /** Removes a subscriber (unsubscribed, completed); the last one detaches the fan-out. */
  remove(subscriber: Subscriber<T>): void {
    const subscribers = this.#subscribers;
    const i = subscribers.indexOf(subscriber);
    if (i < 0) return;
    subscribers.splice(i, 1);
    if (i < this.#turn) this.#turn--; // keep the rotation where it was
    if (subscribers.length === 0 && this.chan.sink === this) this.chan.sink = null;
  }

  next(value: T): void {
    const subscribers = this.#subscribers;
    let i = this.#turn;
    if (i >= subscribers.length) i = 0;
    this.#turn = i + 1;
    deliver(subscribers[i], value); // a throwing subscriber fails alone; the others go on
  }

  error(reason: unknown): void {
    for (const subscriber of this.#takeAll()) subscriber.error(reason);
  }

  complete(): void {
    for (const subscriber of this.#takeAll()) subscriber.complete();
  }

  /** The channel detached this sink (it ended): every subscriber ends with it. */
  #takeAll(): Subscriber<T>[] {
    const subscribers = this.#subscribers;
    this.#subscribers = [];
    this.#turn = 0;
    return subscribers;
  }
}
