/**
 * The receiving machinery of one NATS receiver: pulls from the durable consumer only while the
 * receiver holds fewer than `window` un-acknowledged values, hands values over (acknowledging
 * them, or wrapping them in a `Delivery`), drops redeliveries of values this process already
 * handed over, and decides the end: no sender left (or closed) and nothing stored. A permit's
 * placeholder waits in the buffer, at its place, until its value is written (or it is released,
 * or its holder is gone), then is handed over like a value.
 */
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { RemoteChannelError } from './errors.js';
import { Delivery } from './delivery.js';
import { delay, type Link } from './link.js';
import type { AckMode } from './options.js';
import { isPermitId, readPermit } from './permit.js';

interface Item<T> {
  msg: JsMsg;
  readonly id: string;
  value: T;
  /** A permit's placeholder whose value is not known yet: the buffer waits at it. */
  pending: boolean;
  /** When this process first saw it (a permit's hold may be written just after). */
  readonly seenAt: number;
}

/** How a receive ended: normally, or with the error it raises once the buffer is drained. */
export interface Ended {
  readonly error?: unknown;
}

const noop = (): void => {};
const RECENT_MIN = 4096;

export class Pump<T> {
  readonly #link: Link<T>;
  readonly #ack: AckMode;
  readonly #buffer: Item<T>[] = [];
  readonly #buffered = new Map<string, Item<T>>();
  /** Ids handed over and acknowledged here, oldest first (bounded): later copies are duplicates. */
  readonly #recent = new Set<string>();
  /** Ids of manual deliveries not yet settled. */
  readonly #held = new Set<string>();
  #wakers = new Set<() => void>();
  #demand: (() => void) | null = null;
  #ended: Ended | null = null;
  #stopped = false;
  #batch: ConsumerMessages | null = null;
  #acking = 0;
  readonly #toAck: JsMsg[] = [];
  /** Ids of permits handed over whose values are deleted once their acks are confirmed. */
  readonly #toForget: string[] = [];
  readonly #resolving = new Set<string>();
  readonly #again = new Set<string>();
  #confirming = false;
  #checking = false;
  #recheck = false;
  #noSenders = false;
  #reconnectedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #cleanups: (() => void)[] = [];
  readonly #onFinish: () => void;

  constructor(link: Link<T>, ack: AckMode, onFinish: () => void) {
    this.#link = link;
    this.#ack = ack;
    this.#onFinish = onFinish;
  }

  start(consumer: Consumer, refreshLock: () => void): void {
    const link = this.#link;
    this.#cleanups.push(link.onReconnect(() => (this.#reconnectedAt = Date.now())));
    this.#cleanups.push(link.onClosed(() => this.#check()));
    this.#cleanups.push(
      link.onConnectionClosed(() => this.#finish({ error: new Error('the NATS connection is closed') })),
    );
    this.#timer = setInterval(() => {
      refreshLock();
      // Values waiting here must not be redelivered elsewhere while they wait.
      for (const item of this.#buffer) item.msg.working();
      this.#recheckPermits();
      void link.pollClosed().catch(noop);
      this.#check();
    }, link.config.heartbeat);
    (this.#timer as { unref?: () => void }).unref?.();
    const gone = link.nc.subscribe(link.goneSubject, { callback: () => this.#check() });
    this.#cleanups.push(() => gone.unsubscribe());
    const permits = link.nc.subscribe(link.permitSubject, { callback: () => this.#recheckPermits() });
    this.#cleanups.push(() => permits.unsubscribe());
    void this.#loop(consumer);
    this.#check(); // the senders may all be gone already (their deletions predate the watch)
  }

  /** Values ready to take: those before the first permit still waiting for its value. */
  get length(): number {
    const at = this.#buffer.findIndex((item) => item.pending);
    return at < 0 ? this.#buffer.length : at;
  }

  #ready(): boolean {
    return this.#buffer.length > 0 && !this.#buffer[0].pending;
  }

  get ended(): Ended | null {
    return this.#buffer.length === 0 ? this.#ended : null;
  }

  /** Calls `wake` once when a value is buffered or the receive ends. */
  watch(wake: () => void): () => void {
    if (this.#ready() || this.ended !== null) {
      wake();
      return noop;
    }
    this.#wakers.add(wake);
    return () => this.#wakers.delete(wake);
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }

  /** Takes the next buffered value (acknowledging it, or as a `Delivery`), or `null`. */
  take(): { value: T | Delivery<T> } | null {
    if (!this.#ready()) return null;
    const item = this.#buffer.shift() as Item<T>;
    this.#buffered.delete(item.id);
    this.#demand?.();
    if (this.#ack === 'manual') {
      this.#held.add(item.id);
      return { value: new Delivery(item.msg, item.value, (acked) => this.#settled(item.id, acked)) };
    }
    this.#remember(item.id);
    this.#acking++;
    this.#toAck.push(item.msg);
    if (isPermitId(item.id)) this.#toForget.push(item.id);
    if (!this.#confirming) {
      this.#confirming = true;
      void Promise.resolve().then(() => this.#flushAcks());
    }
    return { value: item.value };
  }

  /**
   * Acknowledges what was handed over since the last confirmation: plain acks, and a confirmed
   * one (`ackAck`) for the last, one confirmation in flight at a time. The server handles one
   * consumer's acks in order, so once the last is confirmed all are, and the room notice sent
   * then finds the room really free. A consumer receiving one value at a time thus costs one
   * plain ack per value and one round trip per batch, not one per value.
   */
  #flushAcks(): void {
    const batch = this.#toAck.splice(0);
    const forget = this.#toForget.splice(0);
    const last = batch.pop();
    if (last === undefined) {
      this.#confirming = false;
      return;
    }
    for (const msg of batch) msg.ack();
    last
      .ackAck()
      .then(
        () => this.#forget(forget),
        noop, // a lost ack means a redelivery, which `#recent` drops
      )
      .finally(() => {
        this.#acking -= batch.length + 1;
        this.#settled(null, true);
        this.#flushAcks();
      });
  }

  /** Deletes the values of permits whose placeholders are acknowledged (confirmed). */
  #forget(ids: string[]): void {
    for (const id of ids) void this.#link.forgetPermit(id).catch(noop);
  }

  #settled(heldId: string | null, acked: boolean): void {
    if (heldId !== null) {
      this.#held.delete(heldId);
      if (acked) this.#remember(heldId);
      if (acked && isPermitId(heldId)) this.#forget([heldId]);
      this.#demand?.();
    }
    if (acked) this.#link.notifyRoom();
    if (this.#noSenders || this.#link.closedState !== null) this.#check();
  }

  #remember(id: string): void {
    this.#recent.add(id);
    if (this.#recent.size > Math.max(RECENT_MIN, 4 * this.#link.config.window)) {
      this.#recent.delete(this.#recent.values().next().value as string);
    }
  }

  async #loop(consumer: Consumer): Promise<void> {
    const { window, heartbeat } = this.#link.config;
    const expires = Math.max(1_000, Math.min(5_000, 2 * heartbeat));
    let failures = 0;
    while (!this.#stopped) {
      const room = window - this.#buffer.length - this.#held.size;
      // Pull in batches of at least half the window while values wait here, not one by one.
      if (room <= 0 || (this.#buffer.length > 0 && room < Math.ceil(window / 2))) {
        await new Promise<void>((resolve) => (this.#demand = resolve));
        this.#demand = null;
        continue;
      }
      let got = 0;
      try {
        const batch = (this.#batch = await consumer.fetch({ max_messages: room, expires }));
        if (this.#stopped) batch.stop();
        // The server ends a pull at `expires`; one lost with a crashed server would never end.
        const watchdog = setTimeout(() => batch.stop(), expires + 2 * heartbeat + 1_000);
        try {
          for await (const msg of batch) {
            got++;
            this.#accept(msg);
          }
        } finally {
          clearTimeout(watchdog);
        }
        failures = 0;
      } catch {
        // Disconnected, server restarting, consumer briefly unavailable: pull again shortly.
        if (this.#stopped) break;
        await delay(Math.min(100 * 2 ** failures++, 1_000)).catch(noop);
      }
      this.#batch = null;
      if (got === 0) this.#check();
    }
  }

  #accept(msg: JsMsg): void {
    const id = msg.headers?.get('Nats-Msg-Id') || `seq-${msg.seq}`;
    if (this.#stopped) return msg.nak();
    if (this.#recent.has(id)) return msg.ack(); // handed over here already: a redelivery
    const waiting = this.#buffered.get(id);
    if (waiting !== undefined) {
      waiting.msg = msg; // redelivered while buffered: acknowledge the newest delivery
      return;
    }
    if (this.#held.has(id)) return; // a manual delivery the consumer still holds
    if (isPermitId(id)) {
      const placeholder: Item<T> = { msg, id, value: undefined as T, pending: true, seenAt: Date.now() };
      this.#buffer.push(placeholder);
      this.#buffered.set(id, placeholder);
      void this.#resolvePermit(placeholder);
      return;
    }
    let value: T;
    try {
      value = this.#link.codec.decode(msg.data);
    } catch (error) {
      msg.term('rxjs-channel: codec.decode failed');
      this.#finish({ error });
      return;
    }
    const item: Item<T> = { msg, id, value, pending: false, seenAt: 0 };
    this.#buffer.push(item);
    this.#buffered.set(id, item);
    this.#wake();
  }

  #recheckPermits(): void {
    for (const item of this.#buffer) if (item.pending) void this.#resolvePermit(item);
  }

  /** Reads a permit's entries (see `readPermit`) and hands its value over, or skips it. */
  async #resolvePermit(item: Item<T>): Promise<void> {
    if (this.#resolving.has(item.id)) return void this.#again.add(item.id);
    const current = (): boolean => this.#buffered.get(item.id) === item && item.pending && !this.#stopped;
    if (!current()) return;
    this.#resolving.add(item.id);
    try {
      const found = await readPermit(this.#link, item.id, Date.now() - Math.max(item.seenAt, this.#reconnectedAt));
      if (found === 'held' || !current()) return;
      if (found === 'skip') return this.#skipPermit(item);
      try {
        item.value = this.#link.codec.decode(found);
      } catch (error) {
        item.msg.term('rxjs-channel: codec.decode failed');
        this.#finish({ error });
        return;
      }
      item.pending = false;
      this.#wake();
    } catch {
      // The server is unreachable: a notice or the heartbeat tick reads again.
    } finally {
      this.#resolving.delete(item.id);
      if (this.#again.delete(item.id)) void this.#resolvePermit(item);
    }
  }

  /** A released (or orphaned) permit: its placeholder leaves and its slot is freed. */
  #skipPermit(item: Item<T>): void {
    this.#buffer.splice(this.#buffer.indexOf(item), 1);
    this.#buffered.delete(item.id);
    this.#remember(item.id);
    this.#acking++;
    item.msg
      .ackAck()
      .catch(noop)
      .finally(() => {
        this.#acking--;
        this.#forget([item.id]); // the release marker
        this.#settled(null, true);
      });
    this.#demand?.();
    this.#wake();
  }

  /** Runs the end check now, or once more after the one in progress. */
  #check(): void {
    if (this.#checking) {
      this.#recheck = true;
      return;
    }
    void this.#checkEnd();
  }

  #idle(): boolean {
    return this.#buffer.length === 0 && this.#held.size === 0 && this.#acking === 0;
  }

  async #checkEnd(): Promise<void> {
    if (this.#ended !== null || this.#stopped) return;
    const link = this.#link;
    this.#checking = true;
    try {
      await link.pollClosed();
      const closed = link.closedState;
      if (closed === null) {
        // Right after a reconnect, sender entries may have lapsed while the server was away.
        if (Date.now() - this.#reconnectedAt < 3 * link.config.heartbeat) return;
        if ((await link.state.get('seen')) === null) return;
        const senders = await link.liveSenders();
        this.#noSenders = senders === 0;
        if (senders > 0) return;
      }
      // Counted even while busy, so that the acknowledgements of the last values re-check.
      if (!this.#idle()) return;
      const info = await link.jsm.streams.info(link.name);
      if (info.state.messages > 0 || !this.#idle()) return;
      const error = closed?.error;
      this.#finish(error === undefined ? {} : { error: new RemoteChannelError(error.name, error.message) });
    } catch {
      // The server is unreachable: the heartbeat tick checks again.
    } finally {
      this.#checking = false;
      if (this.#recheck) {
        this.#recheck = false;
        this.#check();
      }
    }
  }

  #finish(ended: Ended): void {
    if (this.#ended !== null) return;
    this.#ended = ended;
    // A permit still waiting cannot be handed over now: it is redelivered elsewhere.
    for (let i = this.#buffer.length - 1; i >= 0; i--) {
      const item = this.#buffer[i];
      if (item.pending) {
        this.#buffer.splice(i, 1);
        this.#buffered.delete(item.id);
        item.msg.nak();
      }
    }
    this.stop(false);
    this.#wake();
    this.#onFinish();
  }

  /** Stops pulling; with `giveBack`, buffered values go back to the server for others. */
  stop(giveBack: boolean): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#batch?.stop();
    this.#demand?.();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (giveBack) {
      for (const item of this.#buffer.splice(0)) item.msg.nak();
      this.#buffered.clear();
      if (this.#ended === null) this.#ended = {};
      this.#wake();
    }
  }
}
