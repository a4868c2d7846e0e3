/**
 * What every handle of one opened NATS channel shares: the clients, the resource names, the
 * "room" notifications that wake waiting sends, the closed state and the reconnect events.
 *
 * Resources of a channel named `n`: the stream `n` (subject `rxc.n.v`, retention `workqueue`,
 * `max_msgs` = capacity, `discard: new`), its durable pull consumer `rx`, the KV bucket
 * `rxc_n_state` (keys `config`, `seen`, `closed`, and `p.<permit id>` holding a used permit's
 * value until it is received; no expiry) and the KV bucket `rxc_n_live` (`s.<sender id>` per
 * live sender, `p.<permit id>` per held permit, `r.lock` for the one mpsc receiver; entries
 * expire after three heartbeats, which is how a crashed process is noticed).
 */
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { Codec, StoredConfig } from './options.js';

export interface ClosedState {
  /** Set when a sender ended the channel with `error(reason)`. */
  readonly error?: { readonly name: string; readonly message: string };
}

const noop = (): void => {};

export class Link<T> {
  readonly subject: string;
  readonly roomSubject: string;
  /** Bumped on every room notification: a send refused before a bump may retry at once. */
  roomEpoch = 0;
  closedState: ClosedState | null = null;
  /** Registrations of senders still being written; a drop waits for them (see `clone`). */
  readonly registrations = new Set<Promise<unknown>>();
  #roomWaiters = new Set<() => void>();
  #closedWaiters = new Set<() => void>();
  #reconnectListeners = new Set<() => void>();
  #closeListeners = new Set<() => void>();
  #roomSub: Subscription | null = null;
  #closedSub: Subscription | null = null;
  #statusStarted = false;
  #users = 0;
  #roomQueued = false;

  constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly state: KV,
    readonly live: KV,
    readonly name: string,
    readonly config: StoredConfig,
    readonly codec: Codec<T>,
  ) {
    this.subject = `rxc.${name}.v`;
    this.roomSubject = `rxc.${name}.room`;
    this.goneSubject = `rxc.${name}.gone`;
    this.closedSubject = `rxc.${name}.closed`;
    this.permitSubject = `rxc.${name}.permit`;
    this.stateStream = `KV_rxc_${name}_state`;
    this.liveStream = `KV_rxc_${name}_live`;
  }

  readonly goneSubject: string;
  readonly closedSubject: string;
  /** Core subject: a permit was used or released (receivers read its entries again). */
  readonly permitSubject: string;
  readonly liveStream: string;
  readonly stateStream: string;

  /** The stream subject of key `key` of the live bucket. */
  liveSubject(key: string): string {
    return `$KV.rxc_${this.name}_live.${key}`;
  }

  /**
   * Live senders now: entries `s.*` of the live bucket. Counted from the stream's per-subject
   * state (a dropped sender's subject is purged, an expired one aged out), which, unlike
   * `kv.keys()`, cannot stall when an entry expires during the listing.
   */
  async liveSenders(): Promise<number> {
    const info = await this.jsm.streams.info(this.liveStream, { subjects_filter: this.liveSubject('s.>') });
    return Object.keys(info.state.subjects ?? {}).length;
  }

  /** Removes a live entry without leaving a marker, then tells receivers at once. */
  async removeLive(key: string): Promise<void> {
    await this.jsm.streams.purge(this.liveStream, { filter: this.liveSubject(key) });
    this.nc.publish(this.goneSubject);
  }

  /** Deletes a used permit's value (`p.<id>` of the state bucket) without leaving a marker. */
  async forgetPermit(id: string): Promise<void> {
    await this.jsm.streams.purge(this.stateStream, { filter: `$KV.rxc_${this.name}_state.p.${id}` });
  }

  /** A handle starts using the link: subscriptions and watches run while any handle does. */
  acquire(): void {
    if (this.#users++ > 0) return;
    this.#roomSub = this.nc.subscribe(this.roomSubject, {
      callback: () => this.#bumpRoom(),
    });
    // A close is announced on a core subject; every heartbeat also reads the `closed` key.
    this.#closedSub = this.nc.subscribe(this.closedSubject, {
      callback: () => void this.pollClosed().catch(noop),
    });
    if (!this.#statusStarted) {
      this.#statusStarted = true;
      // Watches are push consumers whose idle-heartbeat monitors would keep firing (and logging)
      // after the connection closed; stop them with it.
      void this.nc.closed().then(() => {
        this.#users = 0;
        this.release();
        for (const listener of [...this.#closeListeners]) listener();
      });
      void (async () => {
        for await (const status of this.nc.status()) {
          if (status.type === 'reconnect') for (const listener of [...this.#reconnectListeners]) listener();
        }
      })().catch(noop);
    }
  }

  release(): void {
    if (this.#users > 0 && --this.#users > 0) return;
    this.#roomSub?.unsubscribe();
    this.#roomSub = null;
    this.#closedSub?.unsubscribe();
    this.#closedSub = null;
  }

  #bumpRoom(): void {
    this.roomEpoch++;
    const waiters = [...this.#roomWaiters];
    this.#roomWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** Tells waiting sends (in every process) that values were removed; coalesced per tick. */
  notifyRoom(): void {
    if (this.#roomQueued) return;
    this.#roomQueued = true;
    void Promise.resolve().then(() => {
      this.#roomQueued = false;
      try {
        this.nc.publish(this.roomSubject);
      } catch {
        // Disconnected or closed: senders fall back to their heartbeat-paced retry.
      }
    });
  }

  /**
   * Resolves at the next room notification after `epoch` (at once if one came already), when
   * the channel closes, or after `fallbackMs` (a notification can be lost across a reconnect).
   * Rejects with the signal's reason on abort.
   */
  waitRoom(epoch: number, signal: AbortSignal | undefined, fallbackMs: number): Promise<void> {
    if (this.roomEpoch !== epoch || this.closedState !== null) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#roomWaiters.delete(done);
        this.#closedWaiters.delete(done);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        done();
        reject(signal?.reason);
      };
      const timer = setTimeout(done, fallbackMs);
      this.#roomWaiters.add(done);
      this.#closedWaiters.add(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Records the closed state (from the watch, a poll, or this process) and wakes its waiters. */
  setClosed(state: ClosedState): void {
    if (this.closedState !== null) return;
    this.closedState = state;
    const waiters = [...this.#closedWaiters];
    this.#closedWaiters.clear();
    for (const wake of waiters) wake();
  }

  onClosed(wake: () => void): () => void {
    if (this.closedState !== null) {
      wake();
      return noop;
    }
    this.#closedWaiters.add(wake);
    return () => this.#closedWaiters.delete(wake);
  }

  /** Calls `listener` once the connection is closed for good. */
  onConnectionClosed(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  onReconnect(listener: () => void): () => void {
    this.#reconnectListeners.add(listener);
    return () => this.#reconnectListeners.delete(listener);
  }

  /** Reads the closed state from the server (the watch may miss it across a reconnect). */
  async pollClosed(): Promise<void> {
    const entry = await this.state.get('closed');
    if (entry !== null && entry.operation === 'PUT') this.setClosed(JSON.parse(entry.string()) as ClosedState);
  }

  /** Marks the channel closed for everyone (idempotent: the first close or error wins). */
  async close(state: ClosedState): Promise<void> {
    try {
      await this.state.create('closed', JSON.stringify(state));
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
    }
    this.nc.publish(this.closedSubject);
    await this.pollClosed();
  }
}

/** `kv.create` on a key that exists. */
export function isWrongLastSequence(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 10071 || /wrong last sequence/.test(String((error as Error)?.message));
}

/** A random id that is one subject token. */
export function randomId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID().replace(/-/g, '');
  return Array.from({ length: 4 }, () => Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0')).join('');
}

/** Resolves after `ms`, or rejects with the signal's reason on abort. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
